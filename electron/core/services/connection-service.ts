import { randomUUID } from 'node:crypto';
import type {
  ConnectionList,
  ConnectionProbe,
  ConnectionSummary,
  ConnectionTarget,
} from '../../../shared/api/schemas/connection';
import { appError } from '../../../shared/errors';
import type { DbDriver } from '../db/driver';
import { formatUrl, parseConnectionUrl, takesPassword, urlPassword } from '../db/url';
import type { EventBus } from '../events/event-bus';
import type { Logger } from '../log';
import type { SecretStore } from '../secrets/secret-store';
import type { LocalSettings } from '../settings/local-settings';

interface Deps {
  openDriver: (t: Pick<ConnectionTarget, 'url' | 'password' | 'mustExist'>) => Promise<DbDriver>;
  secrets: SecretStore;
  settings: LocalSettings;
  events: EventBus;
  log: Logger;
  now?: () => Date;
}

interface OpenConnection {
  summary: ConnectionSummary;
  driver: DbDriver;
}

const MAX_RECENT = 12;

/** Opens, tracks and closes database connections; the only owner of drivers and passwords. */
export class ConnectionService {
  private readonly open_ = new Map<string, OpenConnection>();
  constructor(private readonly deps: Deps) {}

  /** Connects, reads the server version, disconnects. */
  async test(target: ConnectionTarget): Promise<ConnectionProbe> {
    const resolved = await this.resolve(target);
    const driver = await this.deps.openDriver(resolved);
    try {
      return { dialect: driver.dialect.name, serverVersion: await driver.serverVersion(), url: driver.url };
    } finally {
      await driver.close();
    }
  }

  /** Opens a connection (or returns the one already open on the same URL). */
  async open(target: ConnectionTarget): Promise<ConnectionSummary> {
    const parsed = parseConnectionUrl(target.url);
    const canonical = formatUrl(parsed);
    const existing = [...this.open_.values()].find((c) => c.summary.url === canonical);
    // a new password must be checked, so only a plain re-open reuses the open connection
    const newCredentials = target.password !== undefined || urlPassword(parsed) !== undefined;
    if (existing && !newCredentials) return existing.summary;
    const resolved = await this.resolve(target);
    const driver = await this.deps.openDriver(resolved);
    if (existing) {
      this.open_.delete(existing.summary.id);
      await existing.driver.close();
    }
    const summary: ConnectionSummary = {
      id: randomUUID(),
      dialect: driver.dialect.name,
      url: driver.url,
      label: labelOf(driver.url),
      serverVersion: await driver.serverVersion(),
      openedAt: this.now().toISOString(),
    };
    this.open_.set(summary.id, { summary, driver });
    await this.remember(summary, target);
    this.emitChanged();
    return summary;
  }

  async close(id: string): Promise<void> {
    const c = this.open_.get(id);
    if (!c) throw notOpen(id);
    this.open_.delete(id);
    await c.driver.close();
    this.emitChanged();
  }

  list(): ConnectionList {
    return {
      open: [...this.open_.values()].map((c) => c.summary),
      recent: this.deps.settings.read().recentConnections,
    };
  }

  /** The driver of an open connection. */
  driver(id: string): DbDriver {
    const c = this.open_.get(id);
    if (!c) throw notOpen(id);
    return c.driver;
  }

  async closeAll(): Promise<void> {
    const all = [...this.open_.values()];
    this.open_.clear();
    await Promise.all(all.map((c) => c.driver.close()));
  }

  /** Fills in a saved password when none was given. */
  private async resolve(target: ConnectionTarget): Promise<ConnectionTarget> {
    const parsed = parseConnectionUrl(target.url);
    if (!takesPassword(parsed) || target.password !== undefined || urlPassword(parsed) !== undefined) return target;
    const saved = await this.deps.secrets.get(secretName(formatUrl(parsed)));
    return saved === undefined ? target : { ...target, password: saved };
  }

  private async remember(summary: ConnectionSummary, target: ConnectionTarget): Promise<void> {
    if (target.remember === false) return;
    const password = target.password ?? urlPassword(parseConnectionUrl(target.url));
    let hasSavedPassword = false;
    if (password !== undefined && target.remember && this.deps.secrets.kind !== 'memory') {
      await this.deps.secrets.set(secretName(summary.url), password);
      hasSavedPassword = true;
    }
    try {
      this.deps.settings.update((s) => {
        const previous = s.recentConnections.find((r) => r.url === summary.url);
        const entry = {
          url: summary.url,
          dialect: summary.dialect,
          label: summary.label,
          lastOpenedAt: summary.openedAt,
          hasSavedPassword: hasSavedPassword || Boolean(previous?.hasSavedPassword),
        };
        return {
          ...s,
          recentConnections: [entry, ...s.recentConnections.filter((r) => r.url !== summary.url)].slice(0, MAX_RECENT),
        };
      });
    } catch (e) {
      this.deps.log.warn('could not save the recent connections list', { error: String(e) });
    }
  }

  private emitChanged(): void {
    this.deps.events.emit('connection.changed', { open: this.list().open });
  }

  private now(): Date {
    return this.deps.now ? this.deps.now() : new Date();
  }
}

function secretName(url: string): string {
  return `db-password:${url}`;
}

function labelOf(url: string): string {
  if (url.startsWith('sqlite:')) return url.slice('sqlite:'.length).split(/[\\/]/).pop() || url;
  return url.replace(/^mysql:\/\//, '');
}

function notOpen(id: string) {
  return appError('NOT_CONNECTED', `No open connection with id ${id}.`, {
    hint: 'Open the database again from the connection screen.',
    details: { connectionId: id },
  });
}
