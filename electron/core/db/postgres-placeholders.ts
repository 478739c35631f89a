/**
 * The core writes `?` for every bound value (as MySQL and SQLite take them); PostgreSQL numbers
 * them `$1, $2, ...`. The translation is done once here, in the driver, rather than by each SQL
 * writer, so every statement the core shares between engines runs unchanged. `?` inside string
 * literals ('...', E'...'), quoted identifiers ("..."), dollar-quoted bodies ($tag$...$tag$) and
 * comments is left alone.
 */
export function numberPlaceholders(sql: string): string {
  if (!sql.includes('?')) return sql;
  let out = '';
  let n = 0;
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    const skip = skipQuoted(sql, i);
    if (skip > i) {
      out += sql.slice(i, skip);
      i = skip;
    } else if (c === '?') {
      out += `$${++n}`;
      i++;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/** The index after the quoted part that starts at `i`, or `i` when none starts there. */
function skipQuoted(sql: string, i: number): number {
  const c = sql[i]!;
  if (c === "'" || c === '"') return closeQuote(sql, i + 1, c, c === "'" && /[eE]/.test(sql[i - 1] ?? ''));
  if (c === '-' && sql[i + 1] === '-') {
    const end = sql.indexOf('\n', i);
    return end < 0 ? sql.length : end + 1;
  }
  if (c === '/' && sql[i + 1] === '*') {
    const end = sql.indexOf('*/', i + 2);
    return end < 0 ? sql.length : end + 2;
  }
  if (c === '$') {
    const tag = /^\$(?:[A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(i))?.[0];
    // `$1` is a numbered parameter, not a dollar quote
    if (tag) {
      const end = sql.indexOf(tag, i + tag.length);
      return end < 0 ? sql.length : end + tag.length;
    }
  }
  return i;
}

/** Past the closing quote; a doubled quote stays inside, as does a backslash-escaped one in E'...'. */
function closeQuote(sql: string, from: number, quote: string, backslashes: boolean): number {
  let j = from;
  while (j < sql.length) {
    const ch = sql[j]!;
    if (backslashes && ch === '\\') j += 2;
    else if (ch === quote && sql[j + 1] === quote) j += 2;
    else if (ch === quote) return j + 1;
    else j++;
  }
  return j;
}
