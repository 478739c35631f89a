import type { EventData, EventName, MethodName, RawIn } from '../../shared/api/contract';

/** The key of a server-state query: the method and its input, so equal calls share one cache entry. */
export type ApiQueryKey<M extends MethodName = MethodName> = readonly [M, RawIn<M>];

/** Builds the query key of `method(input)`. */
export function apiQueryKey<M extends MethodName>(method: M, input: RawIn<M>): ApiQueryKey<M> {
  return [method, input] as const;
}

/** Which cached queries an event makes stale: methods, limited to the event's connection when it names one. */
export interface Invalidation {
  methods: readonly MethodName[];
  connectionId?: string;
}

const DATA_READS: readonly MethodName[] = ['data.fetch', 'query.fetch', 'query.count', 'query.preview'];
const COUNT_READS: readonly MethodName[] = ['pipeline.inspect', 'jobs.pending', 'jobs.list'];
const JOB_READS: readonly MethodName[] = [
  'jobs.list',
  'jobs.pending',
  'jobs.runs',
  'jobs.provenance',
  'jobs.stale',
  'jobs.errorGroups',
  'jobs.liveLog',
];

/**
 * THE table from core events to the queries they make stale. Screens never refetch by hand: a
 * write through Joinery, a populate's progress or another client's write noticed by `jobs.watch`
 * arrives as one of these events, and every screen showing affected data refetches.
 */
export const INVALIDATIONS: { [E in EventName]: (data: EventData<E>) => Invalidation } = {
  'connection.changed': () => ({ methods: ['connection.list'] }),
  'pipeline.changed': (d) => ({
    methods: [
      'pipeline.inspect',
      'table.describe',
      'table.dropPreview',
      'table.preview',
      'task.list',
      'task.get',
      ...DATA_READS,
      ...JOB_READS,
    ],
    connectionId: d.connectionId,
  }),
  'data.inserted': (d) => ({
    methods: [...DATA_READS, ...COUNT_READS, 'data.deletePreview'],
    connectionId: d.connectionId,
  }),
  'data.deleted': (d) => ({
    methods: [...DATA_READS, ...COUNT_READS, 'data.deletePreview'],
    connectionId: d.connectionId,
  }),
  // an update changes values, not counts
  'data.updated': (d) => ({ methods: DATA_READS, connectionId: d.connectionId }),
  'jobs.changed': (d) => ({ methods: [...JOB_READS, ...DATA_READS, 'pipeline.inspect'], connectionId: d.connectionId }),
  'jobs.progress': (d) => ({
    methods: ['jobs.populateStatus', 'jobs.pending', 'jobs.list', 'jobs.errorGroups', 'jobs.runs'],
    connectionId: d.connectionId,
  }),
  'jobs.finished': (d) => ({
    methods: ['jobs.populateStatus', ...JOB_READS, ...DATA_READS, 'pipeline.inspect'],
    connectionId: d.connectionId,
  }),
  'runs.log': (d) => ({ methods: ['jobs.liveLog'], connectionId: d.connectionId }),
  'cluster.progress': (d) => ({
    methods: ['cluster.status', 'cluster.jobs', ...JOB_READS, ...DATA_READS, 'pipeline.inspect'],
    connectionId: d.connectionId,
  }),
  'migration.progress': (d) => ({ methods: ['migration.status'], connectionId: d.connectionId }),
  // the new tables themselves arrive with pipeline.changed, emitted with it
  'migration.finished': (d) => ({
    methods: ['migration.status', 'migration.history', 'migration.active'],
    connectionId: d.connectionId,
  }),
  // a worker's status changes when its jobs start and end, so the jobs it runs are read again too
  'workers.status': () => ({ methods: ['workers.status', 'workers.list', 'workers.settings', 'jobs.list'] }),
  'jobs.failed': (d) => ({ methods: JOB_READS, connectionId: d.connectionId }),
  'settings.changed': () => ({ methods: ['settings.preferences'] }),
  'callbacks.changed': (d) => ({ methods: ['jobs.listCallbacks'], connectionId: d.connectionId }),
};

/** True when a cached query with `key` is made stale by `inv`. */
export function isInvalidatedBy(key: readonly unknown[], inv: Invalidation): boolean {
  const [method, input] = key;
  if (typeof method !== 'string' || !inv.methods.includes(method as MethodName)) return false;
  if (inv.connectionId === undefined) return true;
  const queryConnection = (input as { connectionId?: unknown } | undefined)?.connectionId;
  return queryConnection === undefined || queryConnection === inv.connectionId;
}
