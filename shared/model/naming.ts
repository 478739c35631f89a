import type { Tier } from '../api/schemas/pipeline';

/**
 * DataJoint's naming rules: the tier lives only in the table name's prefix, class names are
 * CamelCase and table names snake_case. Joinery writes and reads exactly these names so that
 * DataJoint Python and Joinery see the same pipeline.
 */

const BASE = '[a-z][a-z0-9]*(?:_[a-z][a-z0-9]*)*';
const TIER_PATTERNS: ReadonlyArray<[Tier, RegExp]> = [
  ['Manual', new RegExp(`^${BASE}$`)],
  ['Lookup', new RegExp(`^#${BASE}$`)],
  ['Computed', new RegExp(`^__${BASE}$`)],
  ['Imported', new RegExp(`^_${BASE}$`)],
  ['Part', new RegExp(`^(?:#|_|__)?${BASE}__${BASE}$`)],
];

/** Prefix of each master tier in table names. */
export const TIER_PREFIX: Readonly<Record<Exclude<Tier, 'Part'>, string>> = {
  Manual: '',
  Lookup: '#',
  Imported: '_',
  Computed: '__',
};

/** The tier encoded in a table name, or null when the name follows no rule (or is hidden). */
export function tierOf(tableName: string): Tier | null {
  for (const [tier, re] of TIER_PATTERNS) if (re.test(tableName)) return tier;
  return null;
}

/** True for DataJoint's and Joinery's hidden tables (`~jobs`, `~log`, `~external_*`, `~joinery_*`). */
export function isHiddenTable(tableName: string): boolean {
  return tableName.startsWith('~');
}

/** The master table name of a part table name, or null. */
export function masterOf(tableName: string): string | null {
  if (tierOf(tableName) !== 'Part') return null;
  const m = /^((?:#|__|_)?[a-z][a-z0-9_]*?)__([a-z][a-z0-9]*(?:_[a-z][a-z0-9]*)*)$/.exec(tableName);
  return m ? m[1]! : null;
}

/** `ROILabel` -> `r_o_i_label`, as DataJoint's from_camel_case. */
export function fromCamelCase(className: string): string {
  return className.replace(/(?<=.)([A-Z])/g, '_$1').toLowerCase();
}

/** `r_o_i_label` -> `ROILabel`, as DataJoint's to_camel_case. */
export function toCamelCase(snake: string): string {
  return snake.replace(/(^|_)([a-zA-Z0-9])/g, (_, _s: string, c: string) => c.toUpperCase());
}

/** Strict CamelCase as DataJoint requires for class names. */
export function isClassName(name: string): boolean {
  return /^[A-Z][A-Za-z0-9]*$/.test(name);
}

/**
 * The class name of a table name: `#ear_tag` -> `EarTag`, `_recording__channel` -> `Recording.Channel`.
 * Hidden tables and names outside the rules keep their name.
 */
export function classNameOf(tableName: string): string {
  const tier = tierOf(tableName);
  if (tier === null) return tableName;
  const bare = (name: string) => toCamelCase(name.replace(/^(#|__|_)/, ''));
  if (tier === 'Part') {
    const master = masterOf(tableName)!;
    return `${bare(master)}.${toCamelCase(tableName.slice(master.length + 2))}`;
  }
  return bare(tableName);
}

/** The table name for a class of a tier; parts need their master's table name. */
export function tableNameOf(className: string, tier: Tier, masterTable?: string): string {
  if (tier === 'Part') {
    if (!masterTable) throw new RangeError(`part table ${className} needs its master`);
    return `${masterTable}__${fromCamelCase(className)}`;
  }
  return TIER_PREFIX[tier] + fromCamelCase(className);
}
