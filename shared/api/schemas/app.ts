import { z } from 'zod';

/** Where the core runs: inside the Electron app, behind `joinery serve`, or in the CLI. */
export const HostKind = z.enum(['desktop', 'web', 'cli']);

/** What the UI needs to know about the host to show or hide features (native dialogs, keychain...). */
export const AppInfo = z.object({
  name: z.literal('Joinery'),
  version: z.string(),
  host: HostKind,
  platform: z.string(),
  nodeVersion: z.string(),
  dataDir: z.string(),
  defaultDbUrl: z.string(),
  capabilities: z.object({
    nativeDialogs: z.boolean(),
    secretStore: z.enum(['keychain', 'encrypted-file', 'memory']),
  }),
});
export type AppInfo = z.infer<typeof AppInfo>;
