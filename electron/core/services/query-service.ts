import type { QueryFetchInput, QueryInput, QueryPage, QueryPreview } from '../../../shared/api/schemas/query';
import { type QueryNode, referencedTables } from '../../../shared/query/ast';
import { classResolver } from '../../../shared/query/class-resolver';
import { withLocation } from '../../../shared/query/errors';
import { parseQueryExpression } from '../../../shared/query/expression-parser';
import { orderItems, resolveQuery } from '../../../shared/query/resolve';
import type { RQuery } from '../../../shared/query/resolved';
import type { QueryHeading } from '../../../shared/query/types';
import { compileSelect } from '../../../shared/sql/dialects/query';
import { listQueryTables, readHeadings, tableKey } from '../db/catalog/heading-reader';
import type { DbSession, Row } from '../db/driver';
import { countQuery, fetchOne, fetchQuery, keysOf } from '../data/query-exec';
import type { BlobCodec } from '../data/values';
import type { ConnectionService } from './connection-service';

interface Deps {
  connections: ConnectionService;
  /** Decodes blobs in fetched rows when the blob codec is available. */
  blobs?: BlobCodec;
}

/**
 * DataJoint's query operators over an open connection: parse (Python syntax) or accept a query
 * tree, check it against the pipeline's headings, then preview its SQL, count or fetch it. Bad
 * input fails before the user's query is compiled: a syntax error runs no SQL at all.
 */
export class QueryService {
  constructor(private readonly deps: Deps) {}

  /** The result's heading and the SQL it compiles to on each engine. */
  async preview(input: QueryInput): Promise<QueryPreview> {
    const db = this.deps.connections.driver(input.connectionId);
    const q = await this.prepare(db, input.query, input.schemas);
    return {
      dialect: db.dialect.name,
      ...headingInfo(q.heading),
      sql: { mysql: plain(compileSelect('mysql', q)), sqlite: plain(compileSelect('sqlite', q)) },
    };
  }

  /** One page of rows, in primary-key order unless `order_by` says otherwise. */
  async fetch(input: QueryFetchInput): Promise<QueryPage> {
    const db = this.deps.connections.driver(input.connectionId);
    let q = await this.prepare(db, input.query, input.schemas);
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
    return { count: await countQuery(db, await this.prepare(db, input.query, input.schemas)) };
  }

  /** DataJoint's fetch1: the only row of the query, or an error. */
  async fetch1(input: QueryInput): Promise<Row> {
    const db = this.deps.connections.driver(input.connectionId);
    return fetchOne(db, await this.prepare(db, input.query, input.schemas), { blobs: this.deps.blobs });
  }

  /** Parses (if text), resolves class names and checks the query against the headings. */
  async prepare(db: DbSession, query: string | QueryNode, schemas?: readonly string[]): Promise<RQuery> {
    const text = typeof query === 'string' ? query : null;
    try {
      let node: QueryNode;
      if (text !== null) {
        // syntax first, with no database access: malformed or hostile text never reaches the server
        parseQueryExpression(text, (path) => ({ schema: '', table: path.join('.') }));
        node = parseQueryExpression(text, classResolver(await listQueryTables(db, schemas)));
      } else {
        node = query as QueryNode;
      }
      const headings = await readHeadings(db, referencedTables(node));
      return resolveQuery(node, (s, t) => headings.get(tableKey(s, t)));
    } catch (e) {
      throw text === null ? e : withLocation(e, text);
    }
  }
}

function headingInfo(h: QueryHeading): Pick<QueryPage, 'attributes' | 'primary_key'> {
  return {
    attributes: h.attributes.map((a) => ({ name: a.name, in_key: a.in_key, datajoint_type: a.datajoint_type, nullable: a.nullable })),
    primary_key: [...h.primary_key],
  };
}

function plain(c: { sql: string; params: readonly unknown[] }): { sql: string; params: unknown[] } {
  return { sql: c.sql, params: [...c.params] };
}
