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
}

export interface SessionSlice {
  session: SessionState;
  /** Logs in with the link's token (web), reads app.info and the open connections. */
  boot(): Promise<void>;
  /** Shows the "open the link printed by joinery serve" screen. */
  requireLogin(error?: AppErrorData): void;
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
    session: { status: 'idle', transport: deps.session.transport, appInfo: null, error: null },

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
        if (error.code === 'UNAUTHORIZED') get().requireLogin();
        else patch({ status: 'failed', error });
        return;
      }
      watchEvents();
      if (get().session.status === 'booting') patch({ status: 'ready' });
    },

    requireLogin(error = NOT_LOGGED_IN) {
      patch({ status: 'login-required', error });
    },
  };
};
