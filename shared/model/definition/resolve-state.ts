import { appError } from '../../errors';
import { stripDisplayWidth } from '../table-info';
import type { ForeignKeyItem, ForeignKeyRef, SourcePosition } from './ast';
import { definitionError } from './cursor';
import { storedType } from './sql-types';
import type { Conventions } from '../conventions';
import { splitTypeComment } from '../column-type';
import {
  columnTypeOf,
  type ParentHeading,
  type ResolvedColumn,
  type ResolvedTable,
  typeOfStoredColumn,
} from './heading';

/** The context and bookkeeping shared by the steps of `resolveDefinition`. */

/** What the resolver needs to know beyond the definition. */
export interface ResolveContext {
  /** Schema (database) the table is declared in. */
  schema: string;
  /** The table's name in the database (`#species`, `_recording__channel`). */
  tableName: string;
  /** Finds a parent by the name written after `->`; `master` is looked up as {@link master}. */
  lookup(ref: ForeignKeyRef): ParentHeading | undefined;
  /** Class name of the master, for `-> master` in a part table. */
  master?: string;
  /** The attribute type an adapter stores (DataJoint's `attribute_type`), for `<adapter>` types. */
  adapterType?(adapter: string): string | undefined;
  /** Named in error messages; defaults to `schema.tableName`. */
  table?: string;
  /** Whose conventions the table follows (default 0.14): 2.x marks every column and adds `_singleton`. */
  conventions?: Conventions;
  /** 2.x only: add the hidden `_job_*` metadata columns (jobs.add_job_metadata; Imported/Computed tables). */
  jobMetadata?: boolean;
}

/** The state shared by the resolution steps. */
export interface ResolveState {
  ctx: ResolveContext;
  table: ResolvedTable;
  byName: Map<string, ResolvedColumn>;
  /** Line of the item that declared each column, for messages. */
  lineOf: Map<string, number>;
}

/** Throws VALIDATION at `pos` of the definition being resolved. */
export function fail(
  st: ResolveState,
  pos: SourcePosition | undefined,
  expected: string,
  found: string,
  why: string,
): never {
  throw definitionError(
    {
      line: pos?.line ?? 1,
      column: pos?.column ?? 1,
      expected,
      found,
      table: st.ctx.table ?? `${st.ctx.schema}.${st.ctx.tableName}`,
    },
    why,
  );
}

/** Appends a column and keeps the lookups in step. */
export function pushColumn(st: ResolveState, col: ResolvedColumn, line: number): void {
  st.table.columns.push(col);
  st.byName.set(col.name, col);
  st.lineOf.set(col.name, line);
  if (col.inKey) st.table.primaryKey.push(col.name);
}

/** The column a parent's key attribute becomes in the child. */
export function inheritedColumn(
  name: string,
  parentSqlType: string,
  parentComment: string,
  fk: ForeignKeyItem,
  fkIndex: number,
  conventions: Conventions = '0.14',
): ResolvedColumn {
  const { type, special } = typeOfStoredColumn(parentSqlType, parentComment);
  const columnType = columnTypeOf(type);
  // SQL-only types are written as the parent reports them; anything else in its canonical form
  const sqlType = type.kind === 'sql' ? safeSqlType(parentSqlType) : storedType(type).sqlType;
  const comment = splitTypeComment(parentComment).comment;
  // 2.x copies the parent's SQL type but not its core-type marker; only `:uuid:` survives (fixture facts)
  const marker = conventions === '2' ? (special === 'uuid' ? 'uuid' : null) : special;
  return {
    name,
    type,
    datajointType: marker ?? stripDisplayWidth(columnType),
    sqlType,
    columnType,
    nullable: fk.nullable,
    default: null,
    comment,
    sqlComment: conventions === '2' ? (marker ? `:${marker}:${comment}` : comment) : parentComment,
    inKey: fk.inKey,
    autoIncrement: false,
    store: null,
    fromForeignKey: fkIndex,
  };
}

/** A parent's SQL-only type goes into DDL text, so it must look like a type and nothing more. */
function safeSqlType(sqlType: string): string {
  if (!/^[a-z]+(?:\s*\(\s*\d+(?:\s*,\s*\d+)?\s*\))?(?:\s+(?:unsigned|zerofill|signed))*$/i.test(sqlType.trim())) {
    throw appError(
      'UNSUPPORTED',
      `A parent attribute has the SQL type ${JSON.stringify(sqlType)}, which Joinery cannot copy into a foreign key.`,
    );
  }
  return sqlType.trim();
}
