/** Reading stored column types and `:type:` comments, shared by the 0.14 and 2.x readers. */

/** Column types whose defaults DataJoint prints bare. */
export const NUMERIC = /^(tiny|small|medium|big)?int|^integer|^decimal|^numeric|^float|^double|^real|^bool|^serial/i;
export const BLOB = /^(tiny|medium|long)?blob$/i;

/** Splits `:uuid:comment` into the special type and the user's comment. */
export function splitTypeComment(comment: string): { special: string | null; comment: string } {
  const m = /^:([^:]+):(.*)$/s.exec(comment);
  return m ? { special: m[1]!, comment: m[2]! } : { special: null, comment };
}

/** `int(10) unsigned` -> `int unsigned`; DataJoint drops integer display widths. */
export function stripDisplayWidth(sqlType: string): string {
  return sqlType.replace(/^((?:tiny|small|medium|big)?int)\(\d+\)/i, '$1');
}
