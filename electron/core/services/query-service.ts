import type { QueryFetchInput, QueryInput, QueryPage, QueryPreview } from '../../../shared/api/schemas/query';
import { type QueryNode, referencedTables } from '../../../shared/query/ast';
import { classResolver } from '../../../shared/query/class-resolver';
import { withLocation } from '../../../shared/query/errors';
import { parseQueryExpression } from '../../../shared/query/expression-parser';
import { orderItems, resolveQuery } from '../../../shared/query/resolve';
import type { RQuery } from '../../../shared/query/resolved';
import type { QueryHeading } from '../../../shared/query/types';
import { DIALECTS } from '../../../shared/sql/dialects';
import { listQueryTables, readHeadings, tableKey } from '../db/catalog/heading-reader';
import type { NamedTable } from '../../../shared/query/class-resolver';
import type { EventBus } from '../events/event-bus';
import type { DbSession, Row } from '../db/driver';
import { countQuery, fetchOne, fetchQuery, keysOf } from '../data/query-exec';
import type { BlobCodec } from '../data/values';
import type { ConnectionService } from './connection-service';

interface Deps {
  connections: ConnectionService;
  /** Decodes blobs in fetched rows when the blob codec is available. */
  blobs?: BlobCodec;
  /** Joinery's own DDL (`pipeline.changed`) drops the cached catalog at once. */
  events?: EventBus;
  now?: () => number;
}

// Catalog reads cost a few ms per query; other clients' DDL is seen within this time, Joinery's at once.
const CATALOG_TTL_MS = 2000;

interface CatalogCache {
  at: number;
  tables: Map<string, NamedTable[]>;
  headings: Map<string, QueryHeading>;
}

/**
 * DataJoint's query operators over an open connection: parse (Python syntax) or accept a query
 * tree, check it against the pipeline's headings, then preview its SQL, count or fetch it. Bad
 * input fails before the user's query is compiled: a syntax error runs no SQL at all.
 */
export class QueryService {
  private readonly cache = new Map<string, CatalogCache>();

  constructor(private readonly deps: Deps) {
    deps.events?.subscribe((event, data) => {
      if (event === 'pipeline.changed') this.cache.delete((data as { connectionId: string }).connectionId);
    });
  }

  /** The result's heading and the SQL it compiles to on each engine. */
  async preview(input: QueryInput): Promise<QueryPreview> {
    const db = this.deps.connections.driver(input.connectionId);
    const q = await this.prepare(db, input.query, input.schemas, input.connectionId);
    return {
      dialect: db.dialect.name,
      ...headingInfo(q.heading),
      sql: {
        mysql: plain(DIALECTS.mysql.compileSelect(q)),
        sqlite: plain(DIALECTS.sqlite.compileSelect(q)),
        postgres: plain(DIALECTS.postgres.compileSelect(q)),
      },
    };
  }

  /** One page of rows, in primary-key order unless `order_by` says otherwise. */
  async fetch(input: QueryFetchInput): Promise<QueryPage> {
    const db = this.deps.connections.driver(input.connectionId);
    let q = await this.prepare(db, input.query, input.schemas, input.connectionId);
    if (input.keys_only) q = keysOf(q);
    const order = input.order_by ? orderItems(input.order_by, q.heading) : undefined;
    const limit = input.limit === null ? null : input.limit + 1;
    const rows = await fetchQuery(db, q, { order, limit, offset: input.offset, blobs: this.deps.blobs });
    const hasMore = input.limit !== null && rows.length > input.limit;
    if (hasMore) rows.length = input.limit!;
    return { ...headingInfo(q.heading), rows, offset: input.offset, limit: input.limit, has_more: hasMore };
  }

  /** The number of rows. */
  async count(input: QueryInput): Promise<{ count: number }> {
    const db = this.deps.connections.driver(input.connectionId);
    return { count: await countQuery(db, await this.prepare(db, input.query, input.schemas, input.connectionId)) };
  }

  /** DataJoint's fetch1: the only row of the query, or an error. */
  async fetch1(input: QueryInput): Promise<Row> {
    const db = this.deps.connections.driver(input.connectionId);
    return fetchOne(db, await this.prepare(db, input.query, input.schemas, input.connectionId), {
      blobs: this.deps.blobs,
    });
  }

  /** Parses (if text), resolves class names and checks the query against the headings. */
  async prepare(
    db: DbSession,
    query: string | QueryNode,
    schemas?: readonly string[],
    connectionId?: string,
  ): Promise<RQuery> {
    const cache = this.cacheFor(connectionId);
    const text = typeof query === 'string' ? query : null;
    try {
      let node: QueryNode;
      if (text !== null) {
        // syntax first, with no database access: malformed or hostile text never reaches the server
        parseQueryExpression(text, (path) => ({ schema: '', table: path.join('.') }));
        node = parseQueryExpression(text, classResolver(await this.tablesOf(db, schemas, cache)));
      } else {
        node = query as QueryNode;
      }
      const headings = await this.headingsOf(db, referencedTables(node), cache);
      return resolveQuery(node, (s, t) => headings.get(tableKey(s, t)));
    } catch (e) {
      throw text === null ? e : withLocation(e, text);
    }
  }

  /** The cache of one connection, fresh within {@link CATALOG_TTL_MS}; none without a connection id. */
  private cacheFor(connectionId: string | undefined): CatalogCache | null {
    if (!connectionId) return null;
    const now = this.deps.now?.() ?? Date.now();
    let c = this.cache.get(connectionId);
    if (!c || now - c.at > CATALOG_TTL_MS)
      this.cache.set(connectionId, (c = { at: now, tables: new Map(), headings: new Map() }));
    return c;
  }

  private async tablesOf(
    db: DbSession,
    schemas: readonly string[] | undefined,
    cache: CatalogCache | null,
  ): Promise<NamedTable[]> {
    const key = schemas?.join('\u0000') ?? '';
    const hit = cache?.tables.get(key);
    if (hit) return hit;
    const tables = await listQueryTables(db, schemas);
    cache?.tables.set(key, tables);
    return tables;
  }

  private async headingsOf(
    db: DbSession,
    tables: { schema: string; table: string }[],
    cache: CatalogCache | null,
  ): Promise<Map<string, QueryHeading>> {
    const missing = cache ? tables.filter((t) => !cache.headings.has(tableKey(t.schema, t.table))) : tables;
    const read = missing.length ? await readHeadings(db, missing) : new Map<string, QueryHeading>();
    if (!cache) return read;
    for (const [k, h] of read) cache.headings.set(k, h);
    return cache.headings;
  }
}

function headingInfo(h: QueryHeading): Pick<QueryPage, 'attributes' | 'primary_key'> {
  return {
    attributes: h.attributes.map((a) => ({
      name: a.name,
      in_key: a.in_key,
      datajoint_type: a.datajoint_type,
      nullable: a.nullable,
    })),
    primary_key: [...h.primary_key],
  };
}

function plain(c: { sql: string; params: readonly unknown[] }): { sql: string; params: unknown[] } {
  return { sql: c.sql, params: [...c.params] };
}
