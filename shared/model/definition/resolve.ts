import { stripDisplayWidth } from '../table-info';
import type { AttributeItem, DataType, IndexItem, TableDefinition } from './ast';
import type { ResolvedColumn, ResolvedTable } from './heading';
import { resolveForeignKey } from './resolve-foreign-key';
import { fail, pushColumn, type ResolveContext, type ResolveState } from './resolve-state';
import { storedType } from './sql-types';
import { dataTypeFromText, formatDataType } from './types';
import { isAutoIncrement, keyTypeProblem } from './validate';
import { addCodecStore, addV2HiddenColumns } from './resolve-v2';

/**
 * Definition + parents -> heading, following DataJoint's declare (declare.py prepare_declare,
 * compile_attribute, compile_foreign_key): special types are substituted and marked in the
 * comment, foreign keys copy the parent's key attributes where the `->` stands (shared when
 * already present, renamed by proj, nullable without NOT NULL, in the key above `---`).
 */

/** Longest column comment MySQL accepts. */
const MAX_COLUMN_COMMENT = 1024;
const MAX_ADAPTER_DEPTH = 8;

/** Resolves a parsed definition into the heading to declare; throws VALIDATION on unknown parents and conflicts. */
export function resolveDefinition(def: TableDefinition, ctx: ResolveContext): ResolvedTable {
  const table: ResolvedTable = {
    schema: ctx.schema,
    tableName: ctx.tableName,
    comment: def.comment,
    columns: [],
    primaryKey: [],
    foreignKeys: [],
    indexes: [],
    stores: [],
    ...(ctx.conventions === '2' ? { conventions: '2' as const } : {}),
  };
  const st: ResolveState = { ctx, table, byName: new Map(), lineOf: new Map() };
  if (ctx.tableName.length > 64)
    fail(
      st,
      { line: 1, column: 1 },
      'a table name of at most 64 characters',
      ctx.tableName,
      'the table name is too long',
    );
  for (const item of def.items) {
    if (item.kind === 'attribute') addAttribute(st, item);
    else if (item.kind === 'foreign_key') resolveForeignKey(st, item);
    else if (item.kind === 'index')
      st.table.indexes.push({ columns: [...item.attributes], unique: item.unique, origin: 'index' });
  }
  for (const item of def.items) if (item.kind === 'index') checkIndex(st, item);
  if (ctx.conventions === '2') addV2HiddenColumns(st);
  else if (ctx.jobMetadata)
    fail(
      st,
      { line: 1, column: 1 },
      'a DataJoint 2 table',
      'a DataJoint 0.14 table',
      'the _job_* metadata columns are a DataJoint 2 convention',
    );
  return table;
}

function addAttribute(st: ResolveState, item: AttributeItem): void {
  const line = item.at?.line ?? 1;
  if (st.byName.has(item.name)) {
    fail(
      st,
      item.at,
      'a new attribute name',
      `"${item.name}"`,
      `"${item.name}" already comes from the foreign key on line ${st.lineOf.get(item.name)}`,
    );
  }
  const { type, special } = substituteAdapter(st, item);
  if (item.inKey) {
    const problem = keyTypeProblem(type);
    if (problem) fail(st, item.typeAt, 'a type allowed in the primary key', `"${formatDataType(item.type)}"`, problem);
  }
  const stored = storedType(type);
  // 2.x: the type as declared (core types and codecs); native SQL types carry no marker
  const marker = st.ctx.conventions === '2' ? (item.marker ?? null) : (special ?? stored.special);
  const sqlComment = marker ? `:${marker}:${item.comment}` : item.comment;
  if (sqlComment.length > MAX_COLUMN_COMMENT) {
    fail(
      st,
      item.at,
      `a comment of at most ${MAX_COLUMN_COMMENT - (sqlComment.length - item.comment.length)} characters`,
      `${item.comment.length} characters`,
      'the comment is too long',
    );
  }
  const col: ResolvedColumn = {
    name: item.name,
    type,
    datajointType: marker ?? stripDisplayWidth(stored.columnType),
    sqlType: stored.sqlType,
    columnType: stored.columnType,
    nullable: item.default?.kind === 'null',
    default: item.default,
    comment: item.comment,
    sqlComment,
    inKey: item.inKey,
    autoIncrement: isAutoIncrement(type),
    store: stored.store,
    fromForeignKey: null,
  };
  pushColumn(st, col, line);
  if (st.ctx.conventions === '2') addCodecStore(st, item.marker);
  else if (stored.store) addExternal(st, col);
  if (type.kind === 'serial') st.table.indexes.push({ columns: [col.name], unique: true, origin: 'serial' });
}

/** `<adapter>` -> the adapter's type (adapters may name adapters, as in DataJoint), plus the marker. */
function substituteAdapter(st: ResolveState, item: AttributeItem): { type: DataType; special: string | null } {
  let type = item.type;
  if (type.kind !== 'adapted') return { type, special: null };
  const special = `<${type.adapter}>`;
  for (let depth = 0; type.kind === 'adapted'; depth++) {
    const text = depth < MAX_ADAPTER_DEPTH ? st.ctx.adapterType?.(type.adapter) : undefined;
    if (text === undefined) {
      fail(
        st,
        item.typeAt,
        'a known adapter',
        `"<${type.adapter}>"`,
        depth < MAX_ADAPTER_DEPTH
          ? `no adapter named "${type.adapter}" is known`
          : 'adapters refer to each other in a loop',
      );
    }
    type = dataTypeFromText(text);
  }
  return { type, special };
}

function addExternal(st: ResolveState, col: ResolvedColumn): void {
  const store = col.store!;
  st.table.foreignKeys.push({
    kind: 'external',
    columns: [col.name],
    refSchema: st.ctx.schema,
    refTable: `~external_${store}`,
    refColumns: ['hash'],
    onUpdate: 'RESTRICT',
    onDelete: 'RESTRICT',
    nullable: col.nullable,
    unique: false,
    primary: col.inKey,
  });
  if (!st.table.stores.includes(store)) st.table.stores.push(store);
}

const UNINDEXABLE: ReadonlySet<DataType['kind']> = new Set(['json', 'text']);

function checkIndex(st: ResolveState, item: IndexItem): void {
  item.attributes.forEach((name, i) => {
    const col = st.byName.get(name);
    const pos = item.attributesAt?.[i] ?? item.at;
    if (!col)
      fail(
        st,
        pos,
        'an attribute of this table',
        `"${name}"`,
        `the index names "${name}", which is not an attribute of this table`,
      );
    const t = col.type;
    if (UNINDEXABLE.has(t.kind) || (t.kind === 'blob' && !t.store) || (t.kind === 'attach' && !t.store)) {
      fail(
        st,
        pos,
        'an attribute that can be indexed',
        `"${name}"`,
        `"${name}" is ${formatDataType(t)}, which MySQL cannot index without a prefix length`,
      );
    }
  });
}
