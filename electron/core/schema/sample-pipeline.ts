import type { DeclareTable } from '../../../shared/api/schemas/schema';
import type { z } from 'zod';
import type { TaskSpec } from '../../../shared/api/schemas/task';
import type { Conventions } from '../../../shared/model/conventions';

/**
 * The first-run sample: a small pipeline a new user can look at, browse and populate within a
 * minute. Its Computed table runs the local test image, so a populate exercises the real Docker
 * runner and the container contract (`/joinery/in/key.json` in, `/joinery/out/result.json` out).
 */

/** Image of the sample's task: the lab's local test image (see resources/ and scripts/services.sh). */
export const SAMPLE_IMAGE = 'lab/busybox:1';

/** 2.x spellings of the sample's native types (its core types: `int32`, not `int`). */
const V2_TYPES: Readonly<Record<string, string>> = { int: 'int32', smallint: 'int16', float: 'float32' };

/** The sample's tables, parents first, in DataJoint 0.14's or 2.x's type names. */
export function sampleTables(schema: string, conventions: Conventions = '0.14'): DeclareTable[] {
  const spell = (definition: string) =>
    conventions === '2'
      ? definition.replace(/: (int|smallint|float)\b/g, (_, t: string) => `: ${V2_TYPES[t]}`)
      : definition;
  const t = (class_name: string, tier: DeclareTable['tier'], definition: string): DeclareTable => ({
    schema,
    class_name,
    tier,
    definition: spell(definition),
  });
  return [
    t(
      'Subject',
      'Manual',
      [
        '# An experimental subject',
        'subject_id           : int                          # unique subject number',
        '---',
        'species = "mouse"    : varchar(32)',
        'sex = "U"            : enum("M","F","U")',
        'date_of_birth = null : date',
      ].join('\n'),
    ),
    t(
      'Rig',
      'Lookup',
      ['# A recording rig', 'rig                  : varchar(16)', '---', 'room : varchar(32)'].join('\n'),
    ),
    t(
      'Session',
      'Manual',
      [
        '# A recording session of one subject',
        '-> Subject',
        'session              : smallint                     # session number of the subject',
        '---',
        '-> Rig',
        'session_date         : date',
        'duration_s           : float                        # recording length in seconds',
      ].join('\n'),
    ),
    t(
      'SessionScore',
      'Computed',
      [
        '# A score per session, computed by a container (task: lab/busybox:1)',
        '-> Session',
        '---',
        'score                : int',
        'note                 : varchar(255)',
      ].join('\n'),
    ),
  ];
}

/** Rows of the sample's manual and lookup tables, by class name, parents first. */
export const SAMPLE_ROWS: ReadonlyArray<[string, Record<string, unknown>[]]> = [
  [
    'Subject',
    [
      { subject_id: 1, species: 'mouse', sex: 'F', date_of_birth: '2026-01-12' },
      { subject_id: 2, species: 'mouse', sex: 'M', date_of_birth: '2026-02-03' },
      { subject_id: 3, species: 'rat', sex: 'U', date_of_birth: null },
    ],
  ],
  [
    'Rig',
    [
      { rig: 'rig-a', room: 'B1.04' },
      { rig: 'rig-b', room: 'B1.06' },
    ],
  ],
  [
    'Session',
    [
      { subject_id: 1, session: 1, rig: 'rig-a', session_date: '2026-03-02', duration_s: 1800 },
      { subject_id: 1, session: 2, rig: 'rig-b', session_date: '2026-03-09', duration_s: 2400.5 },
      { subject_id: 2, session: 1, rig: 'rig-a', session_date: '2026-03-03', duration_s: 1200 },
      { subject_id: 3, session: 1, rig: 'rig-b', session_date: '2026-03-05', duration_s: 900 },
    ],
  ],
];

/** Reads a number of `/joinery/in/key.json` by attribute name (busybox has sed, not jq). */
const keyValue = (name: string) => `$(sed -n 's/.*"${name}": *\\([0-9]*\\).*/\\1/p' /joinery/in/key.json)`;

/** The Computed table's task: score = 100 * subject_id + session, written to /joinery/out/result.json. */
export const SAMPLE_TASK: z.input<typeof TaskSpec> = {
  image: SAMPLE_IMAGE,
  command: [
    'sh',
    '-c',
    [
      `sid=${keyValue('subject_id')}`,
      `ses=${keyValue('session')}`,
      'echo "{\\"rows\\":[{\\"score\\":$((sid*100+ses)),\\"note\\":\\"subject $sid, session $ses: computed in lab/busybox:1\\"}]}" > /joinery/out/result.json',
      'echo "scored subject $sid session $ses"',
    ].join('; '),
  ],
  resources: { cpus: 1, memory: '64M' },
  timeout_s: 120,
  description: 'Sample task: reads the key from /joinery/in/key.json and writes a score to /joinery/out/result.json.',
};

/** The class name of the sample's Computed table. */
export const SAMPLE_COMPUTED = 'SessionScore';
