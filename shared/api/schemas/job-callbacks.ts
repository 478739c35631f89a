import { z } from 'zod';
import { Id } from './common';
import { SchemaName } from './schema';

/** Callbacks: webhooks or commands called when rows are inserted into a table or its jobs succeed or fail. */

/** A callback: on rows inserted into a table, or on a job of it succeeding or failing. */
export const CallbackInfo = z.object({
  callback_id: z.number(),
  schema: z.string(),
  table_name: z.string(),
  event: z.enum(['insert', 'success', 'failure']),
  action: z.enum(['webhook', 'command']),
  target: z.string(),
});
export type CallbackInfo = z.infer<typeof CallbackInfo>;

/** Input of jobs.addCallback. A webhook gets the event as a JSON POST; a command gets it on stdin (opt-in per worker). */
export const AddCallbackInput = z
  .object({
    connectionId: Id,
    schema: SchemaName,
    table: z.string().min(1).max(64),
    event: CallbackInfo.shape.event,
    action: CallbackInfo.shape.action,
    target: z.string().min(1).max(2047),
  })
  .strict()
  .refine((c) => c.action !== 'webhook' || /^https?:\/\//.test(c.target), {
    message: 'A webhook target is an http(s) URL',
    path: ['target'],
  });

/** Input of jobs.listCallbacks. */
export const ListCallbacksInput = z
  .object({ connectionId: Id, schema: SchemaName, table: z.string().max(64).optional() })
  .strict();
/** Input of jobs.removeCallback. */
export const RemoveCallbackInput = z
  .object({ connectionId: Id, schema: SchemaName, callback_id: z.number().int().min(1) })
  .strict();

/** Output of jobs.listCallbacks. */
export const CallbackList = z.object({ callbacks: z.array(CallbackInfo) });
