/** A former property-test failure: the generated pipeline's seed and the query tree, `$` for the schema. */
export interface RegressionCase {
  name: string;
  pipelineSeed: number;
  query: unknown;
}

/** Former property-test failures on PostgreSQL (each ran there differently before its fix). */
export const POSTGRES_CASES: RegressionCase[] = [
  {
    name: 'MAX of a computed comparison (PostgreSQL has no MAX(boolean); a condition is a 0/1 value)',
    pipelineSeed: 12347,
    query: {
      kind: 'aggr',
      source: {
        kind: 'restrict',
        source: {
          kind: 'union',
          left: {
            kind: 'proj',
            source: {
              kind: 'restrict',
              source: { kind: 'table', schema: '$', table: '__t2' },
              restriction: {
                kind: 'condition',
                expr: {
                  kind: 'binary',
                  op: '<>',
                  left: {
                    kind: 'binary',
                    op: '*',
                    left: { kind: 'attr', name: 'n1_2' },
                    right: { kind: 'literal', value: 3 },
                  },
                  right: { kind: 'literal', value: 1 },
                },
              },
            },
            attributes: [],
            named: [],
          },
          right: {
            kind: 'proj',
            source: {
              kind: 'restrict',
              source: { kind: 'table', schema: '$', table: '__t2' },
              restriction: {
                kind: 'condition',
                expr: {
                  kind: 'in',
                  arg: { kind: 'attr', name: 'k3' },
                  items: [
                    { kind: 'literal', value: 0 },
                    { kind: 'literal', value: -2 },
                  ],
                  negated: false,
                },
              },
            },
            attributes: [],
            named: [
              { kind: 'rename', name: 'c3', attribute: 'n1_2' },
              { kind: 'rename', name: 'c4', attribute: 'n4_2' },
              { kind: 'rename', name: 'c5', attribute: 'u2' },
            ],
          },
        },
        restriction: {
          kind: 'condition',
          expr: {
            kind: 'binary',
            op: 'and',
            left: {
              kind: 'binary',
              op: 'and',
              left: {
                kind: 'binary',
                op: '=',
                left: { kind: 'attr', name: 'k3' },
                right: { kind: 'literal', value: 5 },
              },
              right: { kind: 'is_null', arg: { kind: 'attr', name: 'k2' }, negated: false },
            },
            right: {
              kind: 'binary',
              op: '<',
              left: { kind: 'attr', name: 'c5' },
              right: { kind: 'literal', value: 3.75 },
            },
          },
        },
      },
      group: {
        kind: 'aggr',
        source: { kind: 'universal', attributes: ['c6', 'c8'] },
        group: {
          kind: 'proj',
          source: {
            kind: 'aggr',
            source: { kind: 'universal', attributes: ['k2', 'n1_0'] },
            group: { kind: 'table', schema: '$', table: 't0' },
            attributes: [],
            named: [
              {
                kind: 'compute',
                name: 'c6',
                expr: { kind: 'aggregate', fn: 'sum', arg: { kind: 'attr', name: 'n1_0' }, distinct: false },
              },
            ],
            keepAllRows: false,
          },
          attributes: ['...'],
          named: [
            { kind: 'rename', name: 'c7', attribute: 'k2' },
            { kind: 'copy', name: 'c8', attribute: 'c6' },
            {
              kind: 'compute',
              name: 'c9',
              expr: {
                kind: 'binary',
                op: '>',
                left: { kind: 'attr', name: 'n1_0' },
                right: { kind: 'literal', value: 1 },
              },
            },
          ],
        },
        attributes: [],
        named: [
          {
            kind: 'compute',
            name: 'c10',
            expr: { kind: 'aggregate', fn: 'sum', arg: { kind: 'attr', name: 'c8' }, distinct: false },
          },
          {
            kind: 'compute',
            name: 'c11',
            expr: {
              kind: 'binary',
              op: '-',
              left: { kind: 'aggregate', fn: 'max', arg: { kind: 'attr', name: 'c9' }, distinct: false },
              right: { kind: 'aggregate', fn: 'min', arg: { kind: 'attr', name: 'c6' }, distinct: false },
            },
          },
        ],
        keepAllRows: false,
      },
      attributes: ['c5'],
      named: [
        {
          kind: 'compute',
          name: 'c12',
          expr: { kind: 'aggregate', fn: 'count', arg: { kind: 'attr', name: 'c6' }, distinct: false },
        },
        {
          kind: 'compute',
          name: 'c13',
          expr: {
            kind: 'binary',
            op: '-',
            left: { kind: 'aggregate', fn: 'max', arg: { kind: 'attr', name: 'c8' }, distinct: false },
            right: { kind: 'aggregate', fn: 'min', arg: { kind: 'attr', name: 'c11' }, distinct: false },
          },
        },
      ],
      keepAllRows: true,
    },
  },
  {
    name: 'an enum equals a varchar column as text (PostgreSQL has no enum = varchar)',
    pipelineSeed: 12347,
    query: {
      kind: 'restrict',
      source: { kind: 'universal', attributes: ['k1', 'c7'] },
      restriction: {
        kind: 'query',
        query: {
          kind: 'union',
          left: {
            kind: 'proj',
            source: { kind: 'table', schema: '$', table: 't3' },
            attributes: [],
            named: [
              { kind: 'rename', name: 'c5', attribute: 'n6' },
              { kind: 'rename', name: 'c6', attribute: 'n3' },
            ],
          },
          right: {
            kind: 'proj',
            source: {
              kind: 'restrict',
              source: { kind: 'table', schema: '$', table: 't3' },
              restriction: {
                kind: 'condition',
                expr: {
                  kind: 'binary',
                  op: 'and',
                  left: {
                    kind: 'binary',
                    op: '<',
                    left: { kind: 'attr', name: 'n6' },
                    right: { kind: 'literal', value: 'z' },
                  },
                  right: {
                    kind: 'binary',
                    op: '=',
                    left: { kind: 'attr', name: 'n6' },
                    right: { kind: 'attr', name: 'n3' },
                  },
                },
              },
            },
            attributes: [],
            named: [{ kind: 'rename', name: 'c7', attribute: 'n3' }],
          },
        },
      },
    },
  },
  {
    name: 'a grouped expression holding a bound value (GROUP BY k1 / $2 does not match k1 / $5 on PostgreSQL)',
    pipelineSeed: 12348,
    query: {
      kind: 'aggr',
      source: {
        kind: 'restrict',
        source: {
          kind: 'top',
          source: {
            kind: 'restrict',
            source: { kind: 'table', schema: '$', table: '#t1' },
            restriction: {
              kind: 'condition',
              expr: {
                kind: 'binary',
                op: '>',
                left: { kind: 'attr', name: 'k4' },
                right: { kind: 'literal', value: '2025-06-15' },
              },
            },
          },
          orderBy: ['k3'],
          limit: 4,
          offset: 0,
        },
        restriction: { kind: 'or', items: [] },
      },
      group: {
        kind: 'aggr',
        source: { kind: 'universal', attributes: ['k2', 'c3'] },
        group: {
          kind: 'restrict',
          source: {
            kind: 'proj',
            source: { kind: 'table', schema: '$', table: '#t0' },
            attributes: ['n1'],
            named: [
              {
                kind: 'compute',
                name: 'c3',
                expr: {
                  kind: 'binary',
                  op: '/',
                  left: { kind: 'attr', name: 'k1' },
                  right: { kind: 'literal', value: 4 },
                },
              },
            ],
          },
          restriction: {
            kind: 'condition',
            expr: {
              kind: 'binary',
              op: 'or',
              left: {
                kind: 'in',
                arg: { kind: 'attr', name: 'k2' },
                items: [
                  { kind: 'literal', value: 'c' },
                  { kind: 'literal', value: 'ab' },
                ],
                negated: true,
              },
              right: {
                kind: 'in',
                arg: { kind: 'attr', name: 'k2' },
                items: [
                  { kind: 'literal', value: 'a' },
                  { kind: 'literal', value: 'abc' },
                  { kind: 'literal', value: null },
                ],
                negated: false,
              },
            },
          },
        },
        attributes: [],
        named: [
          {
            kind: 'compute',
            name: 'c4',
            expr: { kind: 'aggregate', fn: 'avg', arg: { kind: 'attr', name: 'k1' }, distinct: false },
          },
          {
            kind: 'compute',
            name: 'c5',
            expr: { kind: 'aggregate', fn: 'count', arg: { kind: 'attr', name: 'k2' }, distinct: true },
          },
          {
            kind: 'compute',
            name: 'c6',
            expr: { kind: 'aggregate', fn: 'avg', arg: { kind: 'attr', name: 'k1' }, distinct: false },
          },
        ],
        keepAllRows: false,
      },
      attributes: [],
      named: [
        {
          kind: 'compute',
          name: 'c7',
          expr: { kind: 'aggregate', fn: 'avg', arg: { kind: 'attr', name: 'c3' }, distinct: false },
        },
        {
          kind: 'compute',
          name: 'c8',
          expr: { kind: 'aggregate', fn: 'count', arg: { kind: 'attr', name: 'c4' }, distinct: true },
        },
      ],
      keepAllRows: false,
    },
  },
  {
    name: "substring with bound positions (PostgreSQL's SUBSTR takes integers, not bigints)",
    pipelineSeed: 12352,
    query: {
      kind: 'restrict',
      source: {
        kind: 'restrict',
        source: { kind: 'table', schema: '$', table: '__t1__p2' },
        restriction: { kind: 'condition', expr: { kind: 'is_null', arg: { kind: 'attr', name: 'k4' }, negated: true } },
      },
      restriction: {
        kind: 'condition',
        expr: {
          kind: 'binary',
          op: '=',
          left: {
            kind: 'call',
            fn: 'substring',
            args: [
              { kind: 'attr', name: 'k2' },
              { kind: 'literal', value: 1 },
              { kind: 'literal', value: 1 },
            ],
          },
          right: { kind: 'literal', value: 'a' },
        },
      },
    },
  },
  {
    name: 'aggregation of a key-less source grouped by a constant (PostgreSQL refuses GROUP BY NULL)',
    pipelineSeed: 777,
    query: {
      kind: 'restrict',
      source: {
        kind: 'restrict',
        source: { kind: 'table', schema: '$', table: '__t2__p3' },
        restriction: {
          kind: 'condition',
          expr: {
            kind: 'binary',
            op: '<=',
            left: { kind: 'attr', name: 'k2' },
            right: { kind: 'literal', value: 'a' },
          },
        },
      },
      restriction: {
        kind: 'not',
        item: {
          kind: 'query',
          query: {
            kind: 'aggr',
            source: {
              kind: 'restrict',
              source: {
                kind: 'aggr',
                source: { kind: 'universal', attributes: [] },
                group: { kind: 'table', schema: '$', table: '__t2' },
                attributes: [],
                named: [
                  {
                    kind: 'compute',
                    name: 'c1',
                    expr: { kind: 'aggregate', fn: 'count', arg: { kind: 'attr', name: 'k3' }, distinct: true },
                  },
                  { kind: 'compute', name: 'c2', expr: { kind: 'aggregate', fn: 'count', arg: null, distinct: false } },
                ],
                keepAllRows: false,
              },
              restriction: { kind: 'dict', values: { c1: 3, c2: -2 } },
            },
            group: { kind: 'table', schema: '$', table: '__t2' },
            attributes: [],
            named: [
              { kind: 'compute', name: 'c3', expr: { kind: 'aggregate', fn: 'count', arg: null, distinct: false } },
              { kind: 'compute', name: 'c4', expr: { kind: 'aggregate', fn: 'count', arg: null, distinct: false } },
            ],
            keepAllRows: true,
          },
        },
      },
    },
  },
  {
    name: "concat with a NULL argument is NULL (PostgreSQL's CONCAT skips NULLs)",
    pipelineSeed: 786,
    query: {
      kind: 'join',
      left: { kind: 'universal', attributes: ['k2'] },
      right: {
        kind: 'restrict',
        source: {
          kind: 'proj',
          source: { kind: 'table', schema: '$', table: '_t0__p1' },
          attributes: ['...'],
          named: [
            { kind: 'rename', name: 'c1', attribute: 'n6_1' },
            {
              kind: 'compute',
              name: 'c2',
              expr: {
                kind: 'call',
                fn: 'concat',
                args: [
                  { kind: 'attr', name: 'n6_1' },
                  { kind: 'literal', value: 'z' },
                ],
              },
            },
          ],
        },
        restriction: { kind: 'not', item: { kind: 'query', query: { kind: 'table', schema: '$', table: '_t0__p2' } } },
      },
    },
  },
  {
    name: "coalesce of a decimal and 0 keeps the decimal's scale (0.00, as MySQL shows it)",
    pipelineSeed: 4248,
    query: {
      kind: 'proj',
      source: { kind: 'table', schema: '$', table: 't0' },
      attributes: ['...'],
      named: [
        { kind: 'rename', name: 'c1', attribute: 'n2_0' },
        {
          kind: 'compute',
          name: 'c2',
          expr: {
            kind: 'call',
            fn: 'coalesce',
            args: [
              { kind: 'attr', name: 'n2_0' },
              { kind: 'literal', value: 0 },
            ],
          },
        },
      ],
    },
  },
];
