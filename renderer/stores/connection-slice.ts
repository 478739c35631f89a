import type { RawIn } from '../../shared/api/contract';
import type { ConnectionProbe, ConnectionSummary, RecentConnection } from '../../shared/api/schemas/connection';
import type { AppErrorData } from '../../shared/errors';
import { toErrorData } from '../lib/app-errors';
import type { SliceCreator } from './store-types';

/** The forms of the connection screen; errors are shown in the form that caused them. */
export type ConnectionForm = 'sqlite' | 'mysql' | 'recent';

/** What the connection screen is waiting for (its buttons say so and stay disabled meanwhile). */
export type ConnectionAction = 'sqlite-open' | 'sqlite-create' | 'mysql-test' | 'mysql-connect' | 'recent' | 'close';

export type ConnectionTargetInput = RawIn<'connection.open'>;

export interface ConnectionState {
  open: ConnectionSummary[];
  recent: RecentConnection[];
  /** The connection the screens show; null shows the connection screen. */
  currentId: string | null;
  /** The connection screen is shown over an open connection ("Switch"). */
  isPicking: boolean;
  pending: { action: ConnectionAction; url?: string } | null;
  error: { form: ConnectionForm; error: AppErrorData } | null;
  /** The last successful "Test connection". */
  probe: ConnectionProbe | null;
  /** connection.list failed (the screen still works; recent entries are missing). */
  listError: AppErrorData | null;
  /** Said once on the connection screen, e.g. that the connection was closed elsewhere. */
  notice: string | null;
}

export interface ConnectionSlice {
  connections: ConnectionState;
  /** Reads open and recent connections; `adoptOpen` shows an already open one (e.g. `serve --db`). */
  refreshConnections(opts?: { adoptOpen?: boolean }): Promise<void>;
  /** connection.open; on success the connection becomes the current one. */
  openConnection(form: ConnectionForm, action: ConnectionAction, target: ConnectionTargetInput): Promise<boolean>;
  /** connection.test; the probe (server version) is kept for the form to show. */
  testConnection(target: ConnectionTargetInput): Promise<boolean>;
  closeConnection(): Promise<void>;
  /** Shows the connection screen while keeping the current connection open. */
  startSwitch(): void;
  cancelSwitch(): void;
  /** Shows an error found by the form itself (e.g. an empty host) the same way as the core's. */
  showConnectionError(form: ConnectionForm, error: AppErrorData): void;
  clearConnectionFeedback(): void;
  /** Applies the `connection.changed` event. */
  applyOpenConnections(open: ConnectionSummary[]): void;
}

const initial: ConnectionState = {
  open: [],
  recent: [],
  currentId: null,
  isPicking: false,
  pending: null,
  error: null,
  probe: null,
  listError: null,
  notice: null,
};

export const createConnectionSlice: SliceCreator<ConnectionSlice> = (set, get, { api }) => {
  const patch = (p: Partial<ConnectionState>) => set((s) => ({ connections: { ...s.connections, ...p } }));
  const isBusy = () => get().connections.pending !== null;

  return {
    connections: initial,

    async refreshConnections(opts = {}) {
      try {
        const list = await api.call('connection.list', {});
        const { currentId } = get().connections;
        const keep = currentId !== null && list.open.some((c) => c.id === currentId);
        const adopted = opts.adoptOpen && !keep ? (list.open[0]?.id ?? null) : null;
        patch({ open: list.open, recent: list.recent, currentId: keep ? currentId : adopted, listError: null });
      } catch (e) {
        patch({ listError: toErrorData(e) });
      }
    },

    async openConnection(form, action, target) {
      if (isBusy()) return false;
      patch({ pending: { action, url: target.url }, error: null, probe: null, notice: null });
      try {
        const summary = await api.call('connection.open', target);
        set((s) => ({
          connections: {
            ...s.connections,
            open: [...s.connections.open.filter((c) => c.id !== summary.id), summary],
            currentId: summary.id,
            isPicking: false,
            pending: null,
          },
        }));
        void get().refreshConnections();
        return true;
      } catch (e) {
        patch({ pending: null, error: { form, error: toErrorData(e) } });
        return false;
      }
    },

    async testConnection(target) {
      if (isBusy()) return false;
      patch({ pending: { action: 'mysql-test', url: target.url }, error: null, probe: null, notice: null });
      try {
        const probe = await api.call('connection.test', target);
        patch({ pending: null, probe });
        return true;
      } catch (e) {
        patch({ pending: null, error: { form: 'mysql', error: toErrorData(e) } });
        return false;
      }
    },

    async closeConnection() {
      const { currentId } = get().connections;
      if (currentId === null || isBusy()) return;
      patch({ pending: { action: 'close' }, error: null, probe: null, notice: null });
      try {
        await api.call('connection.close', { connectionId: currentId });
      } catch (e) {
        const error = toErrorData(e);
        // already closed (e.g. the server restarted): the goal is reached, anything else is shown
        if (error.code !== 'NOT_CONNECTED') {
          patch({ pending: null, error: { form: 'recent', error } });
          return;
        }
      }
      set((s) => ({
        connections: {
          ...s.connections,
          open: s.connections.open.filter((c) => c.id !== currentId),
          currentId: null,
          isPicking: false,
          pending: null,
        },
      }));
      void get().refreshConnections();
    },

    startSwitch() {
      patch({ isPicking: true, error: null, probe: null, notice: null });
      void get().refreshConnections();
    },

    cancelSwitch() {
      patch({ isPicking: false, error: null, probe: null });
    },

    showConnectionError(form, error) {
      patch({ error: { form, error }, probe: null });
    },

    clearConnectionFeedback() {
      patch({ error: null, probe: null, notice: null });
    },

    applyOpenConnections(open) {
      const { currentId, pending } = get().connections;
      const current = get().connections.open.find((c) => c.id === currentId);
      // while this page opens or closes a connection, the event only echoes what it is doing
      const lost = currentId !== null && pending === null && !open.some((c) => c.id === currentId);
      patch({
        open,
        ...(lost
          ? {
              currentId: null,
              isPicking: false,
              notice: `The connection to ${current?.label ?? 'the database'} was closed.`,
            }
          : {}),
      });
    },
  };
};
