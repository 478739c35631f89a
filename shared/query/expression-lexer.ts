import { queryError } from './errors';

/**
 * Tokens of DataJoint's Python query syntax as typed on the command line:
 * `(Subject * Session & 'weight > 20').proj(n='name')`. Strings follow Python's rules (single or
 * double quotes, backslash escapes) and remember where each character came from, so an error
 * inside a quoted condition points at the right column of the whole expression.
 */
export type PyTokenKind = 'name' | 'string' | 'number' | 'punct' | 'eof';

/** One token; `pos` is its offset in the expression text. */
export interface PyToken {
  kind: PyTokenKind;
  text: string;
  pos: number;
  value?: number;
  /** Strings: offset in the expression of each character of `text`, plus one past the end. */
  map?: number[];
}

/** The longest expression accepted (characters). */
export const MAX_EXPRESSION_LENGTH = 200_000;

const PUNCT = ['...', '(', ')', '[', ']', '{', '}', ',', ':', '=', '*', '&', '-', '+', '.'];
const ESCAPES: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  '0': '\0',
  '\\': '\\',
  "'": "'",
  '"': '"',
  a: '\x07',
  b: '\b',
  f: '\f',
  v: '\v',
};
const HEX_ESCAPES: Record<string, number> = { x: 2, u: 4, U: 8 };

/** Splits an expression into tokens; throws a VALIDATION error with the position of the first bad character. */
export function tokenizeExpression(text: string): PyToken[] {
  if (text.length > MAX_EXPRESSION_LENGTH) {
    throw queryError(
      `The expression is ${text.length} characters long; at most ${MAX_EXPRESSION_LENGTH} are accepted.`,
      { pos: MAX_EXPRESSION_LENGTH },
    );
  }
  const out: PyToken[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '"' || c === "'") {
      i = readPyString(text, i, out);
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i, i + 300))!;
      if (m[0].length >= 256) throw queryError('Name too long.', { pos: i });
      out.push({ kind: 'name', text: m[0], pos: i });
      i += m[0].length;
    } else if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(text[i + 1] ?? ''))) {
      const m = /^(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/.exec(text.slice(i, i + 400))!;
      const value = Number(m[0]);
      if (!Number.isFinite(value) || (/^\d+$/.test(m[0]) && !Number.isSafeInteger(value)))
        throw queryError(`The number ${m[0].slice(0, 40)} is too large.`, { pos: i });
      out.push({ kind: 'number', text: m[0], pos: i, value });
      i += m[0].length;
    } else {
      const p = PUNCT.find((x) => text.startsWith(x, i));
      if (!p) {
        const ch = String.fromCodePoint(text.codePointAt(i)!);
        throw queryError(`Unexpected character ${JSON.stringify(ch)} in the query expression.`, {
          pos: i,
          expected: 'a table name, an operator (* & - +), a quoted condition, a dict, a list or parentheses',
          hint: ch === '|' || ch === '~' ? 'Use a list for OR and Not(...) for negation.' : undefined,
        });
      }
      out.push({ kind: 'punct', text: p, pos: i });
      i += p.length;
    }
  }
  out.push({ kind: 'eof', text: '', pos: text.length });
  return out;
}

function readPyString(text: string, start: number, out: PyToken[]): number {
  const quote = text[start]!;
  let s = '';
  const map: number[] = [];
  let i = start + 1;
  while (i < text.length && text[i] !== quote) {
    if (text[i] === '\n') break;
    if (text[i] === '\\' && i + 1 < text.length) {
      const n = text[i + 1]!;
      const hex = HEX_ESCAPES[n];
      if (hex !== undefined) {
        const digits = text.slice(i + 2, i + 2 + hex);
        const code = /^[0-9a-fA-F]+$/.test(digits) && digits.length === hex ? parseInt(digits, 16) : NaN;
        if (!(code <= 0x10ffff))
          throw queryError(`Bad escape \\${n}: it needs ${hex} hexadecimal digits.`, {
            pos: i,
            expected: `${hex} hex digits`,
          });
        const ch = String.fromCodePoint(code);
        for (let k = 0; k < ch.length; k++) map.push(i);
        s += ch;
        i += 2 + hex;
        continue;
      }
      const e = ESCAPES[n];
      // unknown escapes keep their backslash, as in Python ('\%' stays '\%' for LIKE patterns)
      const piece = e ?? '\\' + n;
      for (let k = 0; k < piece.length; k++) map.push(i);
      s += piece;
      i += 2;
      continue;
    }
    map.push(i);
    s += text[i];
    i++;
  }
  if (text[i] !== quote) {
    throw queryError(`Unbalanced quote: the string that starts here has no closing ${quote}.`, {
      pos: start,
      expected: quote,
    });
  }
  map.push(i);
  out.push({ kind: 'string', text: s, pos: start, map });
  return i + 1;
}
