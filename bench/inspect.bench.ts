import type mysql from 'mysql2/promise';
import type { DeclareTable } from '../shared/api/schemas/schema';
import { createTestCore } from '../test/support/core';
import { dropDatabases, MYSQL_URL, rawMysql, uniqueDbName } from '../test/support/mysql';
import { report } from './harness';

/**
 * `pipeline.inspect` of a generated 300-table DataJoint database on MariaDB (3 schemas of 100
 * tables: lookups, manual chains, parts, Imported/Computed tiers with key sources, foreign keys
 * across schemas, some rows), against the raw information_schema queries behind it (tables,
 * columns, foreign keys, indexes, checks) run with mysql2 in the same run. Goal: under 1 s.
 */
const SCHEMAS = 3;
const UNITS = 10; // per schema: 10 lookups + 10 units of 9 tables = 100 tables
const REPEATS = 5;
const CTX = { transport: 'in-process', host: 'cli' } as const;

/** The 100 tables of one schema; schema k > 0 refers to schema k - 1. */
function schemaTables(schema: string, previous: string | null): DeclareTable[] {
  const t = (class_name: string, tier: DeclareTable['tier'], definition: string): DeclareTable => ({
    schema,
    class_name,
    tier,
    definition,
  });
  const out: DeclareTable[] = [];
  for (let i = 0; i < 10; i++)
    out.push(
      t(
        `ParamSet${i}`,
        'Lookup',
        `# parameters ${i}\nparam${i}_id : smallint unsigned\n---\nparams = null : longblob\ndescription = "" : varchar(255)`,
      ),
    );
  for (let u = 0; u < UNITS; u++) {
    const parent = previous ? `\n-> [nullable] ${previous}.Subject${u}.proj(origin${u}_id='subject${u}_id')` : '';
    out.push(
      t(
        `Subject${u}`,
        'Manual',
        `# subjects of unit ${u}\nsubject${u}_id : int unsigned\n---\n-> ParamSet${u % 10}${parent}\nname : varchar(32)\nborn = null : date\nindex (name)`,
      ),
      t(
        `Session${u}`,
        'Manual',
        `-> Subject${u}\nsession_idx : smallint unsigned\n---\nstart : datetime\nnotes = "" : varchar(1000)`,
      ),
      t(`Session${u}.Note`, 'Part', `-> master\nnote_idx : tinyint unsigned\n---\ntext : varchar(255)`),
      t(
        `Recording${u}`,
        'Imported',
        `-> Session${u}\n---\ntrace : longblob\nimported_at = CURRENT_TIMESTAMP : timestamp`,
      ),
      t(`Recording${u}.Channel`, 'Part', `-> master\nchannel : tinyint unsigned\n---\nsignal : longblob`),
      t(`Filtered${u}`, 'Computed', `-> Recording${u}\n-> ParamSet${(u + 1) % 10}\n---\nresult : double`),
      t(`Spikes${u}`, 'Computed', `-> Filtered${u}\n---\ncount : int unsigned`),
      t(`Spikes${u}.Unit`, 'Part', `-> master\nunit_id : int unsigned\n---\namplitude : float`),
      t(`Summary${u}`, 'Computed', `-> Spikes${u}\n---\nscore : double\nmeta = null : json`),
    );
  }
  return out;
}

async function call(core: ReturnType<typeof createTestCore>['core'], method: string, input: object): Promise<unknown> {
  const res = await core.dispatch(method, input, CTX);
  if (!res.ok) throw new Error(`${method}: ${res.error.message}`);
  return res.value;
}

/** Some rows, so that key sources and pending counts have work to do. */
async function fill(
  core: ReturnType<typeof createTestCore>['core'],
  connectionId: string,
  schema: string,
): Promise<void> {
  const ins = (table: string, rows: object[]) =>
    call(core, 'data.insert', { connectionId, schema, table, rows, allowDirectInsert: true });
  for (let i = 0; i < 10; i++)
    await ins(
      `#param_set${i}`,
      Array.from({ length: 3 }, (_, k) => ({ [`param${i}_id`]: k })),
    );
  for (let u = 0; u < UNITS; u++) {
    await ins(
      `subject${u}`,
      Array.from({ length: 20 }, (_, k) => ({ [`subject${u}_id`]: k, [`param${u % 10}_id`]: k % 3, name: `s${k}` })),
    );
    await ins(
      `session${u}`,
      Array.from({ length: 40 }, (_, k) => ({
        [`subject${u}_id`]: k % 20,
        session_idx: Math.floor(k / 20),
        start: '2024-01-01 10:00:00',
      })),
    );
    await ins(
      `_recording${u}`,
      Array.from({ length: 20 }, (_, k) => ({ [`subject${u}_id`]: k, session_idx: 0, trace: [k] })),
    );
  }
}

/** The information_schema queries Joinery's catalog reader issues, raw. */
async function rawCatalog(c: mysql.Connection, schemas: string[]): Promise<number> {
  const inList = schemas.map(() => '?').join(',');
  const queries = [
    `SELECT table_schema, table_name, table_comment FROM information_schema.tables WHERE table_schema IN (${inList}) AND table_type = 'BASE TABLE'`,
    `SELECT table_schema, table_name, column_name, column_type, is_nullable, column_default, column_comment, column_key, extra FROM information_schema.columns WHERE table_schema IN (${inList})`,
    `SELECT k.table_schema, k.table_name, k.constraint_name, k.column_name, k.referenced_table_schema, k.referenced_table_name, k.referenced_column_name, r.update_rule, r.delete_rule
     FROM information_schema.key_column_usage k JOIN information_schema.referential_constraints r
       ON r.constraint_schema = k.constraint_schema AND r.constraint_name = k.constraint_name AND r.table_name = k.table_name
     WHERE k.table_schema IN (${inList}) AND k.referenced_table_name IS NOT NULL`,
    `SELECT table_schema, table_name, index_name, non_unique, column_name, seq_in_index FROM information_schema.statistics WHERE table_schema IN (${inList}) AND index_name <> 'PRIMARY'`,
    `SELECT constraint_schema, table_name, check_clause FROM information_schema.check_constraints WHERE constraint_schema IN (${inList})`,
  ];
  const results = await Promise.all(queries.map((q) => c.query(q, schemas)));
  return results.length;
}

const base = uniqueDbName('jt_bench_insp');
const schemas = Array.from({ length: SCHEMAS }, (_, k) => `${base}_s${k}`);
const { core } = createTestCore();
const raw = await rawMysql();
try {
  const { id } = (await call(core, 'connection.open', { url: MYSQL_URL })) as { id: string };
  const tables = schemas.flatMap((s, k) => schemaTables(s, k > 0 ? schemas[k - 1]! : null));
  await call(core, 'table.declare', { connectionId: id, tables });
  for (const s of schemas) await fill(core, id, s);
  let joinery = Infinity;
  let baseline = Infinity;
  let counted = 0;
  for (let i = 0; i <= REPEATS; i++) {
    let t0 = process.hrtime.bigint();
    const info = (await call(core, 'pipeline.inspect', { connectionId: id, schemas })) as {
      schemas: Record<string, { tables: unknown[] }>;
    };
    const a = Number(process.hrtime.bigint() - t0) / 1e9;
    counted = Object.values(info.schemas).reduce((n, s) => n + s.tables.length, 0);
    t0 = process.hrtime.bigint();
    await rawCatalog(raw, schemas);
    const b = Number(process.hrtime.bigint() - t0) / 1e9;
    if (i > 0) [joinery, baseline] = [Math.min(joinery, a), Math.min(baseline, b)];
  }
  if (counted !== SCHEMAS * (10 + 9 * UNITS)) throw new Error(`inspect saw ${counted} tables`);
  report({
    bench: 'inspect',
    metric: 'inspect_300_tables_ms',
    value: joinery * 1000,
    unit: 'ms',
    baseline: 'the raw information_schema queries of the catalog reader (mysql2, no row counts, key sources or jobs)',
    baseline_value: baseline * 1000,
  });
} finally {
  await core.dispose();
  await raw.end();
  await dropDatabases([...schemas].reverse());
}
