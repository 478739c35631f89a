import { z } from 'zod';
import type { Expr, NamedAttribute, QueryNode, Restriction } from '../../query/ast';
import { Id } from './common';
import { Dialect } from './connection';

/**
 * Schemas of the query methods. A query arrives either as DataJoint's Python syntax (the text
 * `joinery query` takes) or as the JSON tree of shared/query/ast.ts that the UI builds. Both are
 * untrusted: the tree's shape is checked here, its names and types by the resolver.
 */

const Name = z.string().min(1).max(64);
const Pos = z.number().int().min(0).max(10_000_000).optional();
const Literal = z.union([z.string().max(65_535), z.number().finite(), z.boolean(), z.null()]);

/** A condition-language expression tree. */
export const ExprSchema: z.ZodType<Expr> = z.lazy(() =>
  z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('attr'), name: Name, pos: Pos }),
    z.object({ kind: z.literal('literal'), value: Literal, pos: Pos }),
    z.object({ kind: z.literal('unary'), op: z.enum(['neg', 'not']), arg: ExprSchema, pos: Pos }),
    z.object({
      kind: z.literal('binary'),
      op: z.enum(['and', 'or', '=', '<>', '<', '<=', '>', '>=', '<=>', '+', '-', '*', '/', 'div', '%']),
      left: ExprSchema,
      right: ExprSchema,
      pos: Pos,
    }),
    z.object({
      kind: z.literal('in'),
      arg: ExprSchema,
      items: z.array(ExprSchema).min(1).max(10_000),
      negated: z.boolean(),
      pos: Pos,
    }),
    z.object({
      kind: z.literal('between'),
      arg: ExprSchema,
      low: ExprSchema,
      high: ExprSchema,
      negated: z.boolean(),
      pos: Pos,
    }),
    z.object({ kind: z.literal('like'), arg: ExprSchema, pattern: ExprSchema, negated: z.boolean(), pos: Pos }),
    z.object({ kind: z.literal('is_null'), arg: ExprSchema, negated: z.boolean(), pos: Pos }),
    z.object({ kind: z.literal('call'), fn: Name, args: z.array(ExprSchema).max(32), pos: Pos }),
    z.object({
      kind: z.literal('aggregate'),
      fn: z.enum(['count', 'sum', 'avg', 'min', 'max']),
      arg: ExprSchema.nullable(),
      distinct: z.boolean(),
      pos: Pos,
    }),
  ]),
);

/** A restriction operand tree. */
export const RestrictionSchema: z.ZodType<Restriction> = z.lazy(() =>
  z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('condition'), expr: ExprSchema, pos: Pos }),
    z.object({ kind: z.literal('dict'), values: z.record(Name, Literal), pos: Pos }),
    z.object({ kind: z.literal('query'), query: QueryNodeSchema, pos: Pos }),
    z.object({ kind: z.literal('and'), items: z.array(RestrictionSchema).max(10_000), pos: Pos }),
    z.object({ kind: z.literal('or'), items: z.array(RestrictionSchema).max(10_000), pos: Pos }),
    z.object({ kind: z.literal('not'), item: RestrictionSchema, pos: Pos }),
    z.object({ kind: z.literal('bool'), value: z.boolean(), pos: Pos }),
  ]),
);

const NamedAttributeSchema: z.ZodType<NamedAttribute> = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('rename'), name: Name, attribute: Name, pos: Pos }),
  z.object({ kind: z.literal('copy'), name: Name, attribute: Name, pos: Pos }),
  z.object({ kind: z.literal('compute'), name: Name, expr: ExprSchema, pos: Pos }),
]);

const ProjAttribute = z.string().min(1).max(66);

/** A query tree (shared/query/ast.ts). */
export const QueryNodeSchema: z.ZodType<QueryNode> = z.lazy(() =>
  z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('table'), schema: Name, table: Name, pos: Pos }),
    z.object({ kind: z.literal('universal'), attributes: z.array(Name).max(64), pos: Pos }),
    z.object({ kind: z.literal('restrict'), source: QueryNodeSchema, restriction: RestrictionSchema, pos: Pos }),
    z.object({ kind: z.literal('join'), left: QueryNodeSchema, right: QueryNodeSchema, pos: Pos }),
    z.object({
      kind: z.literal('proj'),
      source: QueryNodeSchema,
      attributes: z.array(ProjAttribute).max(1000),
      named: z.array(NamedAttributeSchema).max(1000),
      pos: Pos,
    }),
    z.object({
      kind: z.literal('aggr'),
      source: QueryNodeSchema,
      group: QueryNodeSchema,
      attributes: z.array(ProjAttribute).max(1000),
      named: z.array(NamedAttributeSchema).max(1000),
      keepAllRows: z.boolean(),
      pos: Pos,
    }),
    z.object({ kind: z.literal('union'), left: QueryNodeSchema, right: QueryNodeSchema, pos: Pos }),
    z.object({
      kind: z.literal('top'),
      source: QueryNodeSchema,
      limit: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).nullable(),
      offset: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER),
      orderBy: z.array(z.string().max(80)).max(64),
      pos: Pos,
    }),
  ]),
);

/** A query: DataJoint's Python syntax (`Subject * Session & 'x > 1'`) or a query tree. */
export const QuerySpec = z.union([z.string().trim().min(1, 'Enter a query expression').max(200_000), QueryNodeSchema]);

const base = {
  connectionId: Id,
  query: QuerySpec,
  /** Schemas whose class names the text may use (all when omitted). */
  schemas: z.array(Name).max(1000).optional(),
};

/** Input of query.preview and query.count. */
export const QueryInput = z.object(base).strict();
export type QueryInput = z.infer<typeof QueryInput>;

/** Input of query.fetch: a page of rows in a stable order (the primary key unless `order_by` says otherwise). */
export const QueryFetchInput = z
  .object({
    ...base,
    offset: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
    /** Rows per page; null for every row. */
    limit: z.number().int().min(0).max(1_000_000).nullable().default(1000),
    /** `attr`, `attr DESC`, `KEY`, `KEY DESC` (DataJoint's order_by). */
    order_by: z.array(z.string().min(1).max(80)).max(64).optional(),
    /** Only the primary key of each row (DataJoint's `fetch('KEY')`). */
    keys_only: z.boolean().optional(),
  })
  .strict();
export type QueryFetchInput = z.infer<typeof QueryFetchInput>;

/** An attribute of a query result. */
export const QueryAttributeInfo = z.object({
  name: z.string(),
  in_key: z.boolean(),
  datajoint_type: z.string(),
  nullable: z.boolean(),
});

/** SQL text with its parameters. */
export const SqlText = z.object({ sql: z.string(), params: z.array(z.unknown()) });

/** Output of query.preview: the result's heading and its SQL on each engine. */
export const QueryPreview = z.object({
  dialect: Dialect,
  attributes: z.array(QueryAttributeInfo),
  primary_key: z.array(z.string()),
  sql: z.object({ mysql: SqlText, sqlite: SqlText, postgres: SqlText }),
});
export type QueryPreview = z.infer<typeof QueryPreview>;

// rows are built by the core from typed values; checking each row again would cost a large fetch
// several percent of its time, so the contract checks the list, not every row
const Rows = z.custom<Record<string, unknown>[]>((v) => Array.isArray(v), 'a list of row objects');

/** Output of query.fetch. */
export const QueryPage = z.object({
  attributes: z.array(QueryAttributeInfo),
  primary_key: z.array(z.string()),
  rows: Rows,
  offset: z.number().int(),
  limit: z.number().int().nullable(),
  has_more: z.boolean(),
});
export type QueryPage = z.infer<typeof QueryPage>;

/** Output of query.count. */
export const QueryCount = z.object({ count: z.number().int().min(0) });
