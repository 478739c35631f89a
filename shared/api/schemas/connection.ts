import { z } from 'zod';
import { Id } from './common';

/** The two database engines Joinery speaks. */
export const Dialect = z.enum(['mysql', 'sqlite', 'postgres']);
export type Dialect = z.infer<typeof Dialect>;

/**
 * A connection URL: `sqlite:<path>` or `mysql://user[:pass]@host[:port]`. The password may also
 * come separately (never written to settings), so URLs shown to users are always redacted.
 */
export const ConnectionUrl = z.string().trim().min(1, 'Enter a connection URL').max(4096);

/** Input of connection.test and connection.open. */
export const ConnectionTarget = z.object({
  url: ConnectionUrl,
  /** Overrides a password in the URL; kept in memory or in the OS keychain, never in plain text. */
  password: z.string().max(1024).optional(),
  /** SQLite only: refuse to create a new file (the UI's "open" as opposed to "create"). */
  mustExist: z.boolean().optional(),
  /** Save the connection in the recent list (and its password in the secret store, if one is available). */
  remember: z.boolean().optional(),
});
export type ConnectionTarget = z.infer<typeof ConnectionTarget>;

/** What connection.test learns about a server without keeping it open. */
export const ConnectionProbe = z.object({
  dialect: Dialect,
  serverVersion: z.string(),
  url: z.string(),
});
export type ConnectionProbe = z.infer<typeof ConnectionProbe>;

/** An open connection as the UI sees it: the password never leaves the core. */
export const ConnectionSummary = z.object({
  id: Id,
  dialect: Dialect,
  url: z.string(),
  label: z.string(),
  serverVersion: z.string(),
  openedAt: z.string(),
});
export type ConnectionSummary = z.infer<typeof ConnectionSummary>;

/** A connection used before, offered again on the connection screen. */
export const RecentConnection = z.object({
  url: z.string(),
  dialect: Dialect,
  label: z.string(),
  lastOpenedAt: z.string(),
  hasSavedPassword: z.boolean(),
});
export type RecentConnection = z.infer<typeof RecentConnection>;

/** Output of connection.list. */
export const ConnectionList = z.object({
  open: z.array(ConnectionSummary),
  recent: z.array(RecentConnection),
});
export type ConnectionList = z.infer<typeof ConnectionList>;

/** Input of methods that act on one open connection. */
export const ConnectionRef = z.object({ connectionId: Id }).strict();
