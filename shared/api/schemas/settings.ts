import { z } from 'zod';

/**
 * External stores as DataJoint clients configure them (`dj.config['stores']`): where the files
 * behind `blob@store`, `attach@store` and `filepath@store` values live on this machine. The
 * database only holds hashes into `~external_<store>`; the location is per-user client
 * configuration, because each machine mounts the lab's store at its own path.
 */

/** A store name as used in `blob@<name>` and `~external_<name>`. */
export const StoreName = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,53}$/, 'Store names start with a lower-case letter and hold only a-z, 0-9 and _');

/** Where a file store lives and how it splits object files into folders (DataJoint's default [2, 2]). */
export const StoreSpec = z.object({
  location: z.string().min(1).max(4096),
  subfolding: z.array(z.number().int().min(1).max(16)).max(8).default([2, 2]),
});
export type StoreSpec = z.infer<typeof StoreSpec>;

/** One configured store and where its configuration came from (the environment overrides the settings file). */
export const StoreEntry = StoreSpec.extend({ name: StoreName, source: z.enum(['settings', 'environment']) });
export type StoreEntry = z.infer<typeof StoreEntry>;

/** Output of settings.stores and settings.setStore. */
export const StoreList = z.object({ stores: z.array(StoreEntry) });
export type StoreList = z.infer<typeof StoreList>;

/** Input of settings.setStore: a location sets the store, null removes it from the settings file. */
export const SetStoreInput = z
  .object({
    name: StoreName,
    location: z.string().min(1).max(4096).nullable(),
    subfolding: z.array(z.number().int().min(1).max(16)).max(8).optional(),
  })
  .strict();

/**
 * Which notifications this user wants, and how they are grouped. Kept per machine (settings.json):
 * they are the user's, not the lab's.
 */
export const NotificationPrefs = z.object({
  /** Toasts in the app's window. */
  inApp: z.boolean().default(true),
  /** The operating system's notifications (desktop), or the browser's (web, after the user allows them). */
  system: z.boolean().default(true),
  jobFailures: z.boolean().default(true),
  tableFinished: z.boolean().default(true),
  workerOffline: z.boolean().default(true),
  /** At most one notification per table (or worker) and kind in this many seconds; the rest are counted into it. */
  groupWindowS: z.number().int().min(5).max(3600).default(60),
});
export type NotificationPrefs = z.infer<typeof NotificationPrefs>;

/** The desktop shell's choices (ignored by `joinery serve`). */
export const DesktopPrefs = z.object({
  /** Start Joinery at login, hidden in the tray, and resume donating if it was on. */
  openAtLogin: z.boolean().default(false),
});
export type DesktopPrefs = z.infer<typeof DesktopPrefs>;

/** Output of settings.preferences and settings.setPreferences; payload of the settings.changed event. */
export const Preferences = z.object({
  notifications: NotificationPrefs.default(NotificationPrefs.parse({})),
  desktop: DesktopPrefs.default(DesktopPrefs.parse({})),
});
export type Preferences = z.infer<typeof Preferences>;

/** Input of settings.setPreferences: the parts given replace the saved ones. */
export const SetPreferencesInput = z
  .object({ notifications: NotificationPrefs.strict().optional(), desktop: DesktopPrefs.strict().optional() })
  .strict();
