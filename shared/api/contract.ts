import { z } from 'zod';
import { AppInfo } from './schemas/app';
import { NoInput, Done } from './schemas/common';
import { ConnectionTarget, ConnectionProbe, ConnectionSummary, ConnectionList, ConnectionRef } from './schemas/connection';
import { PipelineInfo, InspectInput } from './schemas/pipeline';
import { CreateSchemaInput, DeclareInput, DeclareResult, DescribeResult, DropInput, DropPreview, TableAddress } from './schemas/schema';
import { DeleteInput, DeletePreview, DeletePreviewInput, FetchInput, FetchResult, InsertInput, InsertResult, UpdateInput } from './schemas/data';

/** A method's input and output schemas plus a one-line description (shown by tooling and docs). */
export interface MethodSpec<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  input: I;
  output: O;
  summary: string;
}

const method = <I extends z.ZodType, O extends z.ZodType>(input: I, output: O, summary: string): MethodSpec<I, O> =>
  ({ input, output, summary });

/**
 * THE contract: every operation the UI (desktop or browser) and the CLI may ask of the core.
 * Add a method here first; the compiler then demands its handler (see {@link Handlers}), and both
 * transports and the typed client pick it up with no new channel names.
 */
export const methods = {
  'app.info': method(NoInput, AppInfo, 'Version, host kind and capabilities of the running core'),
  'connection.test': method(ConnectionTarget, ConnectionProbe, 'Connect, ask the server version, disconnect'),
  'connection.open': method(ConnectionTarget, ConnectionSummary, 'Open a database and keep it open'),
  'connection.close': method(ConnectionRef, Done, 'Close an open connection'),
  'connection.list': method(NoInput, ConnectionList, 'Open connections and recently used ones'),
  'pipeline.inspect': method(InspectInput, PipelineInfo, 'Schemas and tables of an open connection'),
  'schema.create': method(CreateSchemaInput, Done, 'Create a schema (a MySQL database; a name prefix on SQLite)'),
  'table.declare': method(DeclareInput, DeclareResult, 'Declare tables from DataJoint definitions, parents first, all or nothing'),
  'table.describe': method(TableAddress, DescribeResult, 'The definition of a table, reconstructed from the database'),
  'table.dropPreview': method(TableAddress, DropPreview, 'The table and every table depending on it, with row counts'),
  'table.drop': method(DropInput, Done, 'Drop a table and its dependents, as confirmed from the preview'),
  'data.insert': method(InsertInput, InsertResult, 'Insert rows into one table, all in one transaction'),
  'data.fetch': method(FetchInput, FetchResult, 'Rows of one table as typed values, paged'),
  'data.deletePreview': method(DeletePreviewInput, DeletePreview, 'Rows a delete would remove, per table, cascade included'),
  'data.delete': method(DeleteInput, DeletePreview, 'Delete rows and everything that depends on them, after a preview'),
  'data.update': method(UpdateInput, Done, 'Change secondary attributes of one row (DataJoint update1)'),
} as const;

/** Pushes from the core to every subscribed client. */
export const events = {
  'connection.changed': z.object({ open: z.array(ConnectionSummary) }),
  'data.inserted': z.object({ connectionId: z.string(), table: z.string(), rows: z.number() }),
  'data.deleted': z.object({ connectionId: z.string(), tables: DeletePreview.shape.tables }),
  'pipeline.changed': z.object({ connectionId: z.string(), tables: z.array(z.string()) }),
} as const;

/** Name of a contract method, `domain.verb`. */
export type MethodName = keyof typeof methods;
/** Name of an event, `domain.noun`. */
export type EventName = keyof typeof events;
/** Parsed input of method M. */
export type In<M extends MethodName> = z.infer<(typeof methods)[M]['input']>;
/** What the input of method M may look like before parsing (defaults not yet filled). */
export type RawIn<M extends MethodName> = z.input<(typeof methods)[M]['input']>;
/** Output of method M. */
export type Out<M extends MethodName> = z.infer<(typeof methods)[M]['output']>;
/** Payload of event E. */
export type EventData<E extends EventName> = z.infer<(typeof events)[E]>;

/** One handler per method; a missing or mistyped handler is a compile error. */
export type Handlers<Ctx> = { [M in MethodName]: (input: In<M>, ctx: Ctx) => Promise<Out<M>> };

/** True when `name` is a method of the contract (the string came from the network). */
export function isMethodName(name: string): name is MethodName {
  return Object.hasOwn(methods, name);
}

/** True when `name` is an event of the contract. */
export function isEventName(name: string): name is EventName {
  return Object.hasOwn(events, name);
}
