import type { DeclareTable } from '../../shared/api/schemas/schema';
import type { TableInfo } from '../../shared/api/schemas/pipeline';
import type { CatalogTable } from '../../shared/model/catalog';
import type { Conventions } from '../../shared/model/conventions';
import { planDeclare } from '../../shared/model/declare-plan';
import type { ResolvedTable } from '../../shared/model/definition/heading';
import { toTableInfo } from '../../shared/model/table-info';
import { reportedDefault, serverIndexes } from '../../shared/sql/ddl';

/**
 * The catalog a database would report after declaring `tables`, without a database: for pure
 * planner tests. Row counts come from `rows` (by `schema.table_name`).
 */
export function catalogOf(
  tables: DeclareTable[],
  rows: Record<string, number> = {},
  opts: { conventions?: Conventions; jobMetadata?: boolean } = {},
): TableInfo[] {
  const conventions = opts.conventions ?? '0.14';
  return planDeclare(tables, [], {}, { conventionsOf: () => conventions, jobMetadata: opts.jobMetadata }).tables.map(
    (t) => toTableInfo(catalogTable(t, rows[`${t.schema}.${t.tableName}`] ?? 0), conventions),
  );
}

function catalogTable(t: ResolvedTable, rowCount: number): CatalogTable {
  return {
    schema: t.schema,
    name: t.tableName,
    comment: t.comment,
    columns: t.columns.map((c) => ({
      name: c.name,
      sqlType: c.columnType,
      nullable: c.nullable,
      default: reportedDefault(c),
      comment: c.sqlComment,
      inKey: c.inKey,
      autoIncrement: c.autoIncrement,
      jsonChecked: false,
    })),
    primaryKey: t.primaryKey,
    foreignKeys: t.foreignKeys.map((fk, i) => ({
      name: `${t.tableName}_ibfk_${i + 1}`,
      columns: fk.columns,
      refSchema: fk.refSchema,
      refTable: fk.refTable,
      refColumns: fk.refColumns,
      onUpdate: fk.onUpdate,
      onDelete: fk.onDelete,
    })),
    indexes: serverIndexes(t).map((ix, i) => ({ name: `ix${i}`, columns: ix.columns, unique: ix.unique })),
    rowCount,
  };
}

/** The 4-level pipeline of migration.md, with a secondary-FK sibling, a cross-schema child and a renamed FK. */
export function pipelineTables(lab = 'lab', other = 'other'): DeclareTable[] {
  return [
    {
      schema: lab,
      class_name: 'Subject',
      tier: 'Manual',
      definition: 'subject_id : int\n---\nname : varchar(32)\nweight = null : float\n',
    },
    {
      schema: lab,
      class_name: 'Session',
      tier: 'Manual',
      definition: '-> Subject\nsession_idx : int\n---\nsession_date : date\n',
    },
    {
      schema: lab,
      class_name: 'Scan',
      tier: 'Imported',
      definition: '-> Session\nscan_idx : int\n---\nquality : float\n',
    },
    { schema: lab, class_name: 'Roi', tier: 'Computed', definition: '-> Scan\nroi_idx : int\n---\narea : float\n' },
    {
      schema: lab,
      class_name: 'CageAssignment',
      tier: 'Manual',
      definition: 'cage : int\n---\n-> [nullable] Subject\n',
    },
    {
      schema: lab,
      class_name: 'Pairing',
      tier: 'Manual',
      definition: '-> Subject.proj(partner_id="subject_id")\n---\nnote : varchar(40)\n',
    },
    {
      schema: other,
      class_name: 'Behavior',
      tier: 'Manual',
      definition: `-> ${lab}.Session\ntrial : int\n---\nscore : float\n`,
    },
  ];
}

/** Subject's new definition with `lab` in its primary key. */
export function subjectWithLab(lab = 'lab') {
  return {
    table: `${lab}.Subject`,
    definition: 'lab : varchar(16)\nsubject_id : int\n---\nname : varchar(32)\nweight = null : float\n',
    values: { lab: 'hub' },
  };
}
