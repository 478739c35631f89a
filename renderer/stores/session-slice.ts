import type { AppInfo } from '../../shared/api/schemas/app';
import type { AppErrorData } from '../../shared/errors';
import { toErrorData } from '../lib/app-errors';
import type { ConnectionSlice } from './connection-slice';
import type { SliceCreator } from './store-types';

/** idle -> booting -> ready | login-required | failed (failed may boot again). */
export type SessionStatus = 'idle' | 'booting' | 'ready' | 'login-required' | 'failed';

export interface SessionState {
  status: SessionStatus;
  transport: 'ipc' | 'web';
  appInfo: AppInfo | null;
  /** Why login is needed, or why the start failed. */
  error: AppErrorData | null;
  /** How this server logs people in: its printed link, or their database account (`--auth mysql`). */
  auth: 'token' | 'account';
}

export interface SessionSlice {
  session: SessionState;
  /** Logs in with the link's token (web), reads app.info and the open connections. */
  boot(): Promise<void>;
  /** Shows the login screen: the printed link, or the database account form (`error.details.auth`). */
  requireLogin(error?: AppErrorData): void;
  /** Logs in with a database account, then starts as after the link; resolves with the refusal, if any. */
  loginWithPassword(user: string, password: string): Promise<AppErrorData | null>;
  /** Ends the web session and shows the login screen. */
  logout(): Promise<void>;
}

const LOGIN_HINT = 'Open the link that `joinery serve` printed when it started (it ends in ?token=...).';

/** The default reason shown when the server says this page has no session. */
export const NOT_LOGGED_IN: AppErrorData = {
  code: 'UNAUTHORIZED',
  message: 'This browser is not logged in to this Joinery server.',
  hint: LOGIN_HINT,
};

export const createSessionSlice: SliceCreator<SessionSlice, SessionSlice & ConnectionSlice> = (set, get, deps) => {
  const patch = (p: Partial<SessionState>) => set((s) => ({ session: { ...s.session, ...p } }));
  // subscriptions live as long as the page, so each is made once even if the start is retried
  let watchingLogin = false;
  let watchingEvents = false;
  const watchLogin = () => {
    if (watchingLogin) return;
    watchingLogin = true;
    deps.session.onLoginRequired(() => get().requireLogin());
  };
  const watchEvents = () => {
    if (watchingEvents) return;
    watchingEvents = true;
    deps.api.on('connection.changed', (data) => get().applyOpenConnections(data.open));
  };

  return {
    session: { status: 'idle', transport: deps.session.transport, appInfo: null, error: null, auth: 'token' },

    async boot() {
      const { status } = get().session;
      if (status === 'booting' || status === 'ready') return;
      patch({ status: 'booting', error: null });
      watchLogin();
      const token = deps.session.takeLoginToken();
      if (token !== null) {
        const res = await deps.session.login(token);
        if (!res.ok) {
          const error =
            res.error.code === 'UNAUTHORIZED'
              ? {
                  ...res.error,
                  message: 'This login link is not valid (any more).',
                  hint: `${LOGIN_HINT} A restarted server prints a new link.`,
                }
              : res.error;
          patch({ status: res.error.code === 'UNAUTHORIZED' ? 'login-required' : 'failed', error });
          return;
        }
      }
      try {
        const appInfo = await deps.api.call('app.info', {});
        patch({ appInfo });
        await get().refreshConnections({ adoptOpen: true });
      } catch (e) {
        const error = toErrorData(e);
        if (error.code === 'UNAUTHORIZED')
          get().requireLogin(
            error.details?.auth === 'account' ? { ...NOT_LOGGED_IN, details: error.details } : undefined,
          );
        else patch({ status: 'failed', error });
        return;
      }
      watchEvents();
      if (get().session.status === 'booting') patch({ status: 'ready' });
    },

    requireLogin(error = NOT_LOGGED_IN) {
      // the server's 401 says how it logs people in; later refusals may not repeat it
      const auth = error.details?.auth === 'account' ? 'account' : get().session.auth;
      patch({ status: 'login-required', error, auth });
    },

    async loginWithPassword(user, password) {
      const res = await deps.session.loginWithPassword(user, password);
      if (!res.ok) return res.error;
      patch({ status: 'idle', error: null });
      await get().boot();
      return null;
    },

    async logout() {
      await deps.session.logout();
      patch({ status: 'login-required', error: { ...NOT_LOGGED_IN, message: 'You logged out.' } });
    },
  };
};
