import { afterAll, beforeAll, describe, it } from 'vitest';
import { tableKey } from '../../../electron/core/db/catalog/heading-reader';
import type { QueryNode } from '../../../shared/query/ast';
import type { HeadingLookup } from '../../../shared/query/resolve';
import { checkEverywhere } from '../../support/query-check';
import { type QueryEngines, openQueryEngines } from '../../support/query-engines';
import {
  generatePipeline,
  installPipeline,
  memoryOf,
  type PipelineSpec,
  specHeading,
} from '../../support/query-pipeline';
import { POSTGRES_CASES, type RegressionCase } from './postgres-regression-cases';

/**
 * Failing seeds of the property test, kept as fixed cases: each names the generated pipeline (its
 * seed) and the query tree, with `$` for the schema name. Every case ran differently on some engine
 * (or the evaluator) before its fix; they run on MariaDB, SQLite and PostgreSQL.
 */
const CASES: RegressionCase[] = [
  {
    name: 'aggr over a source without primary key and with no rows returns no rows (SQL would aggregate to one row)',
    pipelineSeed: 13,
    query: {
      kind: 'aggr',
      source: {
        kind: 'top',
        source: {
          kind: 'aggr',
          source: { kind: 'universal', attributes: [] },
          group: {
            kind: 'restrict',
            source: { kind: 'table', schema: '$', table: '#t0' },
            restriction: { kind: 'dict', values: { k2: 'b' } },
          },
          attributes: [],
          named: [
            {
              kind: 'compute',
              name: 'c1',
              expr: { kind: 'aggregate', fn: 'max', arg: { kind: 'attr', name: 'k3' }, distinct: false },
            },
          ],
          keepAllRows: false,
        },
        orderBy: ['c1 DESC'],
        limit: 3,
        offset: 2,
      },
      group: {
        kind: 'aggr',
        source: { kind: 'universal', attributes: ['k3'] },
        group: { kind: 'table', schema: '$', table: '#t0' },
        attributes: [],
        named: [{ kind: 'compute', name: 'c4', expr: { kind: 'aggregate', fn: 'count', arg: null, distinct: false } }],
        keepAllRows: false,
      },
      attributes: [],
      named: [
        {
          kind: 'compute',
          name: 'c7',
          expr: { kind: 'aggregate', fn: 'avg', arg: { kind: 'attr', name: 'k3' }, distinct: false },
        },
        {
          kind: 'compute',
          name: 'c8',
          expr: { kind: 'aggregate', fn: 'count', arg: { kind: 'attr', name: 'k3' }, distinct: true },
        },
      ],
      keepAllRows: true,
    },
  },
  {
    name: 'a computed column of a left-joined group stays NULL for rows keep_all_rows invents (was inlined above the LEFT JOIN)',
    pipelineSeed: 22,
    query: {
      kind: 'aggr',
      source: {
        kind: 'aggr',
        source: {
          kind: 'proj',
          source: {
            kind: 'union',
            left: {
              kind: 'proj',
              source: { kind: 'table', schema: '$', table: '_t3' },
              attributes: [],
              named: [{ kind: 'rename', name: 'c1', attribute: 'n3_3' }],
            },
            right: {
              kind: 'proj',
              source: {
                kind: 'restrict',
                source: { kind: 'table', schema: '$', table: '_t3' },
                restriction: {
                  kind: 'condition',
                  expr: { kind: 'is_null', arg: { kind: 'attr', name: 'u3' }, negated: true },
                },
              },
              attributes: [],
              named: [{ kind: 'rename', name: 'c2', attribute: 'n3_3' }],
            },
          },
          attributes: ['c1'],
          named: [
            { kind: 'rename', name: 'c3', attribute: 'k3' },
            { kind: 'copy', name: 'c4', attribute: 'k3' },
            { kind: 'compute', name: 'c5', expr: { kind: 'unary', op: 'neg', arg: { kind: 'attr', name: 'k3' } } },
          ],
        },
        group: {
          kind: 'proj',
          source: {
            kind: 'aggr',
            source: { kind: 'table', schema: '$', table: '__t1' },
            group: { kind: 'table', schema: '$', table: '_t2' },
            attributes: [],
            named: [
              {
                kind: 'compute',
                name: 'c6',
                expr: {
                  kind: 'binary',
                  op: '-',
                  left: { kind: 'aggregate', fn: 'max', arg: { kind: 'attr', name: 'k3' }, distinct: false },
                  right: { kind: 'aggregate', fn: 'min', arg: { kind: 'attr', name: 'k3' }, distinct: false },
                },
              },
              {
                kind: 'compute',
                name: 'c7',
                expr: { kind: 'aggregate', fn: 'avg', arg: { kind: 'attr', name: 'k3' }, distinct: false },
              },
            ],
            keepAllRows: true,
          },
          attributes: ['c6', 'c7'],
          named: [
            { kind: 'rename', name: 'c8', attribute: 'k2' },
            {
              kind: 'compute',
              name: 'c9',
              expr: {
                kind: 'call',
                fn: 'coalesce',
                args: [
                  { kind: 'attr', name: 'c7' },
                  { kind: 'literal', value: 0 },
                ],
              },
            },
          ],
        },
        attributes: ['c1', 'c5'],
        named: [
          {
            kind: 'compute',
            name: 'c10',
            expr: { kind: 'aggregate', fn: 'max', arg: { kind: 'attr', name: 'c9' }, distinct: false },
          },
          { kind: 'compute', name: 'c11', expr: { kind: 'aggregate', fn: 'count', arg: null, distinct: false } },
        ],
        keepAllRows: true,
      },
      group: {
        kind: 'join',
        left: {
          kind: 'aggr',
          source: { kind: 'universal', attributes: [] },
          group: {
            kind: 'restrict',
            source: { kind: 'table', schema: '$', table: '__t1' },
            restriction: {
              kind: 'or',
              items: [
                {
                  kind: 'condition',
                  expr: {
                    kind: 'binary',
                    op: '<>',
                    left: { kind: 'attr', name: 'k2' },
                    right: { kind: 'literal', value: null },
                  },
                },
              ],
            },
          },
          attributes: [],
          named: [
            { kind: 'compute', name: 'c12', expr: { kind: 'aggregate', fn: 'count', arg: null, distinct: false } },
            {
              kind: 'compute',
              name: 'c13',
              expr: { kind: 'aggregate', fn: 'max', arg: { kind: 'attr', name: 'k2' }, distinct: false },
            },
          ],
          keepAllRows: false,
        },
        right: {
          kind: 'proj',
          source: {
            kind: 'restrict',
            source: { kind: 'universal', attributes: ['k3', 'k4'] },
            restriction: { kind: 'query', query: { kind: 'table', schema: '$', table: 't0' } },
          },
          attributes: [],
          named: [
            { kind: 'copy', name: 'c14', attribute: 'k3' },
            { kind: 'compute', name: 'c15', expr: { kind: 'call', fn: 'year', args: [{ kind: 'attr', name: 'k4' }] } },
          ],
        },
      },
      attributes: ['c10', 'c11'],
      named: [
        {
          kind: 'compute',
          name: 'c16',
          expr: { kind: 'aggregate', fn: 'max', arg: { kind: 'attr', name: 'c14' }, distinct: false },
        },
        {
          kind: 'compute',
          name: 'c17',
          expr: { kind: 'aggregate', fn: 'count', arg: { kind: 'attr', name: 'c15' }, distinct: false },
        },
        {
          kind: 'compute',
          name: 'c18',
          expr: { kind: 'aggregate', fn: 'count', arg: { kind: 'attr', name: 'c13' }, distinct: true },
        },
      ],
      keepAllRows: false,
    },
  },
  {
    name: 'MariaDB split-materialized derived table inside NOT EXISTS (wrong rows without split_materialized=off)',
    pipelineSeed: 25,
    query: {
      kind: 'restrict',
      source: { kind: 'table', schema: '$', table: '__t2' },
      restriction: {
        kind: 'not',
        item: {
          kind: 'query',
          query: {
            kind: 'restrict',
            source: {
              kind: 'restrict',
              source: {
                kind: 'aggr',
                source: { kind: 'table', schema: '$', table: '__t0__p1' },
                group: { kind: 'table', schema: '$', table: '_t3' },
                attributes: [],
                named: [
                  {
                    kind: 'compute',
                    name: 'c1',
                    expr: { kind: 'aggregate', fn: 'count', arg: { kind: 'attr', name: 'k4' }, distinct: true },
                  },
                ],
                keepAllRows: false,
              },
              restriction: { kind: 'query', query: { kind: 'table', schema: '$', table: '__t0__p1' } },
            },
            restriction: {
              kind: 'condition',
              expr: {
                kind: 'binary',
                op: '<=>',
                left: { kind: 'attr', name: 'c1' },
                right: { kind: 'attr', name: 'c1' },
              },
            },
          },
        },
      },
    },
  },
  {
    name: 'min/max of an enum is text: MariaDB kept it an enum in a derived table and sorted the outer ORDER BY by position',
    pipelineSeed: 343568332,
    query: {
      kind: 'restrict',
      source: { kind: 'universal', attributes: ['c6'] },
      restriction: {
        kind: 'query',
        query: {
          kind: 'aggr',
          source: { kind: 'universal', attributes: ['u2'] },
          group: {
            kind: 'restrict',
            source: {
              kind: 'top',
              source: { kind: 'table', schema: '$', table: '__t1__p2' },
              orderBy: ['k4 DESC', 'u2'],
              limit: 4,
              offset: 0,
            },
            restriction: {
              kind: 'query',
              query: {
                kind: 'join',
                left: { kind: 'universal', attributes: ['u2'] },
                right: { kind: 'table', schema: '$', table: '__t1__p2' },
              },
            },
          },
          attributes: [],
          named: [
            {
              kind: 'compute',
              name: 'c6',
              expr: { kind: 'aggregate', fn: 'min', arg: { kind: 'attr', name: 'u2' }, distinct: false },
            },
            {
              kind: 'compute',
              name: 'c7',
              expr: { kind: 'aggregate', fn: 'min', arg: { kind: 'attr', name: 'u2' }, distinct: false },
            },
          ],
          keepAllRows: false,
        },
      },
    },
  },
  {
    name: 'an enum sorts by position after a UNION too (MariaDB turns enums into text in UNION results)',
    pipelineSeed: 5017,
    query: {
      kind: 'top',
      source: {
        kind: 'union',
        left: { kind: 'proj', source: { kind: 'table', schema: '$', table: 't2' }, attributes: [], named: [] },
        right: {
          kind: 'proj',
          source: { kind: 'table', schema: '$', table: 't2' },
          attributes: [],
          named: [{ kind: 'rename', name: 'c3', attribute: 'n6_2' }],
        },
      },
      orderBy: ['c3 DESC'],
      limit: 1,
      offset: 1,
    },
  },
  {
    name: 'coalesce() of an empty keep_all_rows group stays NULL (MariaDB merged the derived table and computed it on the NULL row)',
    pipelineSeed: 327,
    query: {
      kind: 'aggr',
      source: {
        kind: 'join',
        left: { kind: 'universal', attributes: ['k1'] },
        right: {
          kind: 'restrict',
          source: { kind: 'table', schema: '$', table: 't1' },
          restriction: {
            kind: 'condition',
            expr: {
              kind: 'binary',
              op: '>=',
              left: { kind: 'attr', name: 'k1' },
              right: { kind: 'literal', value: 0 },
            },
          },
        },
      },
      group: {
        kind: 'restrict',
        source: {
          kind: 'restrict',
          source: {
            kind: 'proj',
            source: { kind: 'table', schema: '$', table: '_t0' },
            attributes: ['...'],
            named: [
              { kind: 'rename', name: 'c1', attribute: 'u0' },
              { kind: 'copy', name: 'c2', attribute: 'k2' },
              {
                kind: 'compute',
                name: 'c3',
                expr: {
                  kind: 'call',
                  fn: 'coalesce',
                  args: [
                    { kind: 'attr', name: 'k3' },
                    { kind: 'literal', value: 0 },
                  ],
                },
              },
            ],
          },
          restriction: {
            kind: 'condition',
            expr: {
              kind: 'binary',
              op: '<=>',
              left: { kind: 'attr', name: 'k3' },
              right: { kind: 'literal', value: 2 },
            },
          },
        },
        restriction: { kind: 'not', item: { kind: 'query', query: { kind: 'table', schema: '$', table: '_t0' } } },
      },
      attributes: [],
      named: [
        {
          kind: 'compute',
          name: 'c4',
          expr: {
            kind: 'binary',
            op: '-',
            left: { kind: 'aggregate', fn: 'max', arg: { kind: 'attr', name: 'k3' }, distinct: false },
            right: { kind: 'aggregate', fn: 'min', arg: { kind: 'attr', name: 'c3' }, distinct: false },
          },
        },
      ],
      keepAllRows: true,
    },
  },
  ...POSTGRES_CASES,
  {
    name: 'a restriction pushed into a grouped derived table whose join has several k4 columns (MariaDB: "Column \'k4\' in ON is ambiguous")',
    pipelineSeed: 158128742,
    query: {
      kind: 'restrict',
      source: {
        kind: 'aggr',
        source: {
          kind: 'join',
          left: {
            kind: 'aggr',
            source: { kind: 'table', schema: '$', table: '__t1' },
            group: { kind: 'table', schema: '$', table: '__t3' },
            attributes: ['n2'],
            named: [
              { kind: 'compute', name: 'c1', expr: { kind: 'aggregate', fn: 'count', arg: null, distinct: false } },
            ],
            keepAllRows: true,
          },
          right: {
            kind: 'proj',
            source: { kind: 'table', schema: '$', table: '__t3' },
            attributes: ['...'],
            named: [
              { kind: 'copy', name: 'c2', attribute: 'k4' },
              { kind: 'compute', name: 'c3', expr: { kind: 'call', fn: 'year', args: [{ kind: 'attr', name: 'k4' }] } },
            ],
          },
        },
        group: {
          kind: 'restrict',
          source: { kind: 'table', schema: '$', table: '__t3' },
          restriction: {
            kind: 'condition',
            expr: {
              kind: 'unary',
              op: 'not',
              arg: {
                kind: 'binary',
                op: '>=',
                left: { kind: 'attr', name: 'k4' },
                right: { kind: 'literal', value: '2024-01-01' },
              },
            },
          },
        },
        attributes: ['n2', 'c3'],
        named: [
          {
            kind: 'compute',
            name: 'c4',
            expr: { kind: 'aggregate', fn: 'count', arg: { kind: 'attr', name: 'k4' }, distinct: true },
          },
          {
            kind: 'compute',
            name: 'c5',
            expr: { kind: 'aggregate', fn: 'max', arg: { kind: 'attr', name: 'k4' }, distinct: false },
          },
        ],
        keepAllRows: true,
      },
      restriction: {
        kind: 'condition',
        expr: {
          kind: 'binary',
          op: 'or',
          left: {
            kind: 'binary',
            op: 'and',
            left: {
              kind: 'binary',
              op: '<',
              left: { kind: 'attr', name: 'c2' },
              right: { kind: 'literal', value: '2025-06-15' },
            },
            right: {
              kind: 'binary',
              op: '>',
              left: { kind: 'attr', name: 'c4' },
              right: { kind: 'literal', value: -2 },
            },
          },
          right: {
            kind: 'binary',
            op: '<>',
            left: { kind: 'call', fn: 'year', args: [{ kind: 'attr', name: 'k4' }] },
            right: { kind: 'literal', value: 2024 },
          },
        },
      },
    } as QueryNode,
  },
];

describe('query regressions (former property-test failures)', () => {
  let env: QueryEngines;
  const pipelines = new Map<number, PipelineSpec>();

  beforeAll(async () => {
    env = await openQueryEngines('jt_qreg', { postgres: true });
    for (const seed of new Set(CASES.map((c) => c.pipelineSeed))) {
      const p = generatePipeline(seed, env.schemaName(`s${seed}`));
      for (const e of env.engines) await installPipeline(e.db, p);
      pipelines.set(seed, p);
    }
  }, 60_000);

  afterAll(async () => {
    await env?.close();
  });

  it.each(CASES)('$name', async (c) => {
    const p = pipelines.get(c.pipelineSeed)!;
    const headings = new Map(p.tables.map((t) => [tableKey(p.schema, t.table), specHeading(t)]));
    const lookup: HeadingLookup = (s, t) => headings.get(tableKey(s, t));
    const node = JSON.parse(JSON.stringify(c.query).replaceAll('"$"', JSON.stringify(p.schema))) as QueryNode;
    await checkEverywhere(node, lookup, memoryOf(p), env, `pipeline seed ${c.pipelineSeed}`);
  });
});
