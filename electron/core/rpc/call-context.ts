import type { HostKind } from '../../../shared/api/schemas/app';
import type { z } from 'zod';

/** Who is calling and through what, passed to every handler. */
export interface CallContext {
  transport: 'ipc' | 'http' | 'websocket' | 'in-process';
  host: z.infer<typeof HostKind>;
  requestId: string;
  signal?: AbortSignal;
}
