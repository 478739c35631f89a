import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classResolver } from '../../../../shared/query/class-resolver';
import { parseQueryExpression } from '../../../../shared/query/expression-parser';
import { resolveQuery } from '../../../../shared/query/resolve';
import type { QueryHeading } from '../../../../shared/query/types';
import { compileCount, compileSelect } from '../../../../shared/sql/dialects/query';
import { likePattern } from '../../../../shared/sql/expr-compiler';
import { LAB, labLookup } from '../../../support/query-lab';

const resolver = classResolver(
  LAB.filter((t) => t.schema === 'lab').map((t) => ({ schema: t.schema, table_name: t.table })),
);
const lookup = labLookup();
const q = (text: string) => resolveQuery(parseQueryExpression(text, resolver), lookup);

/** Kysely-style: the expected SQL of each dialect side by side. */
function expectSql(text: string, expected: { mysql: [string, unknown[]]; sqlite: [string, unknown[]] }) {
  const r = q(text);
  for (const d of ['mysql', 'sqlite'] as const) {
    const c = compileSelect(d, r);
    expect([c.sql, c.params], d).toEqual(expected[d]);
  }
}

describe('query compiler', () => {
  it('restricts a table with bound values (MySQL backticks, SQLite "schema.table")', () => {
    expectSql(`Session & 'rig = "A" AND session_date > "2024-01-01"'`, {
      mysql: [
        'SELECT `t1`.`subject_id` AS `subject_id`, `t1`.`session_idx` AS `session_idx`, `t1`.`session_date` AS `session_date`, `t1`.`rig` AS `rig`, `t1`.`start_time` AS `start_time`, `t1`.`operator` AS `operator` FROM `lab`.`session` AS `t1` WHERE ((`t1`.`rig` = ?) AND (`t1`.`session_date` > ?)) ORDER BY `t1`.`subject_id`, `t1`.`session_idx`',
        ['A', '2024-01-01'],
      ],
      sqlite: [
        'SELECT "t1"."subject_id" AS "subject_id", "t1"."session_idx" AS "session_idx", "t1"."session_date" AS "session_date", "t1"."rig" AS "rig", "t1"."start_time" AS "start_time", "t1"."operator" AS "operator" FROM "lab.session" AS "t1" WHERE (("t1"."rig" = ?) AND ("t1"."session_date" > ?)) ORDER BY "t1"."subject_id", "t1"."session_idx"',
        ['A', '2024-01-01'],
      ],
    });
  });

  it('joins on namesakes and antijoins with NOT EXISTS', () => {
    expectSql('Subject.proj() * Species.proj() - Session', {
      mysql: [
        'SELECT `t1`.`subject_id` AS `subject_id`, `t2`.`species` AS `species` FROM `lab`.`subject` AS `t1` INNER JOIN `lab`.`#species` AS `t2` ON 1 = 1 WHERE (NOT EXISTS (SELECT 1 FROM `lab`.`session` AS `t3` WHERE `t3`.`subject_id` = `t1`.`subject_id`)) ORDER BY `t1`.`subject_id`, `t2`.`species`',
        [],
      ],
      sqlite: [
        'SELECT "t1"."subject_id" AS "subject_id", "t2"."species" AS "species" FROM "lab.subject" AS "t1" INNER JOIN "lab.#species" AS "t2" ON 1 = 1 WHERE (NOT EXISTS (SELECT 1 FROM "lab.session" AS "t3" WHERE "t3"."subject_id" = "t1"."subject_id")) ORDER BY "t1"."subject_id", "t2"."species"',
        [],
      ],
    });
  });

  it('differs between dialects only where the engines do', () => {
    const r = q(
      "Session.proj(a='session_idx / 2', b='session_idx DIV 2', c='subject_id - session_idx', y='year(session_date)', s='concat(rig, \"x\")', e='operator <=> NULL', l='length(rig)') & Top(2, 'a', 1)",
    );
    const my = compileSelect('mysql', r).sql;
    const lite = compileSelect('sqlite', r).sql;
    expect(my).toContain('(CAST(`t1`.`session_idx` AS DOUBLE) / ?)');
    expect(lite).toContain('(CAST("t1"."session_idx" AS REAL) / ?)');
    expect(my).toContain('(CAST(`t1`.`session_idx` AS SIGNED) DIV ?)');
    expect(lite).toContain('(CAST("t1"."session_idx" AS INTEGER) / CAST(? AS INTEGER))');
    expect(my).toContain('(`t1`.`subject_id` - CAST(`t1`.`session_idx` AS SIGNED))');
    expect(my).toContain('YEAR(`t1`.`session_date`)');
    expect(lite).toContain(`CAST(strftime('%Y', "t1"."session_date") AS INTEGER)`);
    expect(my).toContain('CONCAT(`t1`.`rig`, ?)');
    expect(lite).toContain('("t1"."rig" || ?)');
    expect(my).toContain('(`t1`.`operator` <=> NULL)');
    expect(lite).toContain('("t1"."operator" IS NULL)');
    expect(my).toContain('CHAR_LENGTH(`t1`.`rig`)');
    expect(my).toContain('LIMIT 2 OFFSET 1');
    expect(lite).toContain('LIMIT 2 OFFSET 1');
    expect(compileSelect('mysql', q('Session'), { offset: 5 }).sql).toContain('LIMIT 18446744073709551615 OFFSET 5');
    expect(compileSelect('sqlite', q('Session'), { offset: 5 }).sql).toContain('LIMIT -1 OFFSET 5');
  });

  it('wraps grouped queries and keeps all rows with a LEFT JOIN', () => {
    const r = q("Subject.aggr(Session & 'rig = \"A\"', n='count(session_idx)', keep_all_rows=True) & 'n > 0'");
    const lite = compileSelect('sqlite', r);
    expect(lite.sql).toBe(
      'SELECT "q4"."subject_id" AS "subject_id", "q4"."n" AS "n" FROM (SELECT "t1"."subject_id" AS "subject_id", COUNT("q3"."session_idx") AS "n" FROM "lab.subject" AS "t1" LEFT JOIN (SELECT "t2"."subject_id" AS "subject_id", "t2"."session_idx" AS "session_idx", "t2"."session_date" AS "session_date", "t2"."rig" AS "rig", "t2"."start_time" AS "start_time", "t2"."operator" AS "operator" FROM "lab.session" AS "t2" WHERE ("t2"."rig" = ?)) AS "q3" ON "t1"."subject_id" = "q3"."subject_id" GROUP BY "t1"."subject_id") AS "q4" WHERE ("q4"."n" > ?) ORDER BY "q4"."subject_id"',
    );
    expect(lite.params).toEqual(['A', 0]);
    expect(compileSelect('mysql', r).sql).toMatch(
      /^\/\*M!100304 SET STATEMENT optimizer_switch='split_materialized=off,condition_pushdown_for_derived=off' FOR \*\/ SELECT/,
    );
    expect(compileCount('sqlite', q('Session')).sql).toBe('SELECT COUNT(*) AS "n" FROM "lab.session" AS "t1"');
  });

  it('rewrites LIKE patterns to one escape character both engines share', () => {
    expect(likePattern('a\\%b!c_')).toBe('a!%b!!c_');
    expect(likePattern('\\\\x')).toBe('\\x');
    const c = compileSelect('mysql', q(`Subject & 'notes LIKE "100\\\\%%"'`));
    expect(c.sql).toContain("LIKE ? ESCAPE '!'");
    expect(c.params).toEqual(['100!%%']);
  });

  it('binds uuids as typed values for the driver', () => {
    const c = compileSelect('mysql', q(`Analysis & {"run_id": "00000000-0000-4000-8000-000000000001"}`));
    expect(c.params).toEqual([{ uuid: '00000000-0000-4000-8000-000000000001' }]);
  });

  it('never puts user text into the SQL: every literal is a parameter', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), fc.string({ minLength: 1, maxLength: 40 }), (a, b) => {
        const text = `Subject & {"notes": ${JSON.stringify(a)}} & ${JSON.stringify(`notes <> ${sqlString(b)}`)}`;
        for (const d of ['mysql', 'sqlite'] as const) {
          const c = compileSelect(d, q(text));
          expect(c.params).toEqual([a, b]);
          expect(c.sql.match(/\?/g)?.length).toBe(2);
          expect(c.sql).not.toContain('\u0000');
        }
      }),
      { numRuns: 500 },
    );
  });

  it('quotes hostile identifiers that come from a heading', () => {
    const nasty = 'x`y"z; DROP TABLE t; --';
    const h: QueryHeading = {
      attributes: [
        {
          name: nasty,
          in_key: true,
          nullable: false,
          datajoint_type: 'int',
          sql_type: 'int',
          uuid: false,
          is_blob: false,
          is_external: false,
          is_attachment: false,
          json: false,
          adapter: null,
        },
      ],
      primary_key: [nasty],
    };
    const r = resolveQuery({ kind: 'table', schema: 's', table: 't' }, () => h);
    expect(compileSelect('mysql', r).sql).toContain('`x``y"z; DROP TABLE t; --`');
    expect(compileSelect('sqlite', r).sql).toContain('"x`y""z; DROP TABLE t; --"');
  });
});

function sqlString(s: string): string {
  return "'" + s.replaceAll('\\', '\\\\').replaceAll("'", "''") + "'";
}
