/**
 * Two-sided matching on labels, as HTCondor's Requirements do it in miniature: a task lists
 * constraints (`cuda>=12`, `gpu=H100`, `os!=windows`, or a bare `docker`), a worker advertises
 * labels (`cuda=12.4`, `gpu=NVIDIA H100 80GB HBM3`, `docker`). Versions compare numerically.
 */
export type Labels = Readonly<Record<string, string | true>>;

const CONSTRAINT = /^\s*([A-Za-z][\w.-]*)\s*(?:(>=|<=|!=|=|>|<|~)\s*(.+?))?\s*$/;

/** A parsed constraint; `op` null means "the label must exist". */
export interface LabelConstraint {
  name: string;
  op: '>=' | '<=' | '!=' | '=' | '>' | '<' | '~' | null;
  value: string | null;
}

/** Parses `name`, `name=value`, `name>=1.2`, `name~substring`; null when malformed. */
export function parseConstraint(text: string): LabelConstraint | null {
  const m = CONSTRAINT.exec(text);
  if (!m) return null;
  return { name: m[1]!.toLowerCase(), op: (m[2] as LabelConstraint['op']) ?? null, value: m[3] ?? null };
}

/** Compares dotted versions numerically (12.4 > 12), falling back to text. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split('.');
  const pb = b.split('.');
  if ([...pa, ...pb].every((p) => /^\d+$/.test(p))) {
    for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
      const d = Number(pa[i] ?? 0) - Number(pb[i] ?? 0);
      if (d !== 0) return Math.sign(d);
    }
    return 0;
  }
  return a.localeCompare(b);
}

/** Why `labels` fail `constraint`, or null when they satisfy it. */
export function constraintProblem(constraint: string, labels: Labels): string | null {
  const c = parseConstraint(constraint);
  if (!c) return `the constraint "${constraint}" is malformed`;
  const lower = Object.fromEntries(Object.entries(labels).map(([k, v]) => [k.toLowerCase(), v]));
  const have = lower[c.name];
  if (c.op === null) return have === undefined ? `it has no "${c.name}"` : null;
  if (c.op === '!=')
    return have !== undefined && have !== true && compareVersions(have, c.value!) === 0
      ? `its ${c.name} is ${have}`
      : null;
  if (have === undefined || have === true) return `it has no ${c.name} value (needs ${c.name}${c.op}${c.value})`;
  const cmp = compareVersions(have, c.value!);
  const ok =
    c.op === '='
      ? cmp === 0 || have.toLowerCase() === c.value!.toLowerCase()
      : c.op === '~'
        ? have.toLowerCase().includes(c.value!.toLowerCase())
        : c.op === '>='
          ? cmp >= 0
          : c.op === '<='
            ? cmp <= 0
            : c.op === '>'
              ? cmp > 0
              : cmp < 0;
  return ok ? null : `its ${c.name} is ${have} (needs ${c.name}${c.op}${c.value})`;
}
