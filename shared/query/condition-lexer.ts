import { queryError } from './errors';

/**
 * Tokens of the condition language (`session_date > "2024-01-01" AND rig IN ("A","B")`). The
 * lexer refuses anything that only makes sense as SQL injection (comments, `;`, placeholders),
 * so a condition is either a valid expression or an error with its position.
 */
export type TokenKind = 'number' | 'string' | 'ident' | 'quoted_ident' | 'op' | 'eof';

/** One token; `pos` is its offset in the condition text. */
export interface Token {
  kind: TokenKind;
  /** Identifier / operator text (keywords upper-cased), or the decoded string literal. */
  text: string;
  pos: number;
  /** Numbers: the value. */
  value?: number;
}

/** The longest condition accepted (characters). */
export const MAX_CONDITION_LENGTH = 100_000;

const OPERATORS = [
  '<=>',
  '<=',
  '>=',
  '<>',
  '!=',
  '==',
  '&&',
  '||',
  '(',
  ')',
  ',',
  '+',
  '-',
  '*',
  '/',
  '%',
  '=',
  '<',
  '>',
];
const ESCAPES: Record<string, string> = { '0': '\0', b: '\b', n: '\n', r: '\r', t: '\t', Z: '\x1a' };

/** Splits a condition into tokens; throws a VALIDATION error with the position of the first bad character. */
export function tokenize(text: string): Token[] {
  if (text.length > MAX_CONDITION_LENGTH) {
    throw queryError(`The condition is ${text.length} characters long; at most ${MAX_CONDITION_LENGTH} are accepted.`, {
      pos: MAX_CONDITION_LENGTH,
    });
  }
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const start = i;
    if (c === '-' && text[i + 1] === '-') throw commentError(start);
    if (c === '#' || (c === '/' && text[i + 1] === '*')) throw commentError(start);
    if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(text[i + 1] ?? ''))) {
      i = readNumber(text, i, tokens);
    } else if (c === '"' || c === "'") {
      i = readString(text, i, tokens);
    } else if (c === '`') {
      i = readQuotedIdent(text, i, tokens);
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i, i + 200))!;
      if (m[0].length === 200) throw queryError('Identifier too long.', { pos: start });
      tokens.push({ kind: 'ident', text: m[0], pos: start });
      i += m[0].length;
    } else {
      const op = OPERATORS.find((o) => text.startsWith(o, i));
      if (!op) throw unexpectedChar(text, start);
      tokens.push({ kind: 'op', text: op, pos: start });
      i += op.length;
    }
  }
  tokens.push({ kind: 'eof', text: '', pos: text.length });
  return tokens;
}

function commentError(pos: number) {
  return queryError('Comments (--, #, /* */) are not allowed in a condition.', { pos, expected: 'an expression' });
}

function unexpectedChar(text: string, pos: number) {
  const ch = String.fromCodePoint(text.codePointAt(pos)!);
  const why =
    ch === ';'
      ? 'a condition is one expression; ";" cannot end it or start another statement'
      : ch === '?'
        ? 'placeholders are not part of the condition language; write the value itself'
        : `"${ch}" is not part of the condition language`;
  return queryError(`Unexpected character ${JSON.stringify(ch)}: ${why}.`, {
    pos,
    expected: 'an attribute, a value, an operator or a parenthesis',
  });
}

function readNumber(text: string, i: number, tokens: Token[]): number {
  const m = /^(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/.exec(text.slice(i, i + 400))!;
  const raw = m[0];
  if (/^[A-Za-z_]/.test(text[i + raw.length] ?? '')) {
    throw queryError(`Malformed number "${text.slice(i, i + raw.length + 1)}".`, { pos: i, expected: 'a number' });
  }
  const value = Number(raw);
  if (!Number.isFinite(value) || (/^\d+$/.test(raw) && !Number.isSafeInteger(value))) {
    throw queryError(`The number ${raw.slice(0, 40)} is too large.`, {
      pos: i,
      expected: `a whole number up to ${Number.MAX_SAFE_INTEGER}`,
    });
  }
  tokens.push({ kind: 'number', text: raw, pos: i, value });
  return i + raw.length;
}

/** MySQL's string syntax: '...' or "...", doubled quotes, backslash escapes (`\%` and `\_` keep their backslash). */
function readString(text: string, start: number, tokens: Token[]): number {
  const quote = text[start]!;
  let out = '';
  let i = start + 1;
  for (;;) {
    if (i >= text.length) {
      throw queryError(`Unbalanced quote: the string that starts here has no closing ${quote}.`, {
        pos: start,
        expected: quote,
      });
    }
    const c = text[i]!;
    if (c === '\\') {
      const n = text[i + 1];
      if (n === undefined) {
        i++;
        continue;
      }
      out += n === '%' || n === '_' ? '\\' + n : (ESCAPES[n] ?? n);
      i += 2;
    } else if (c === quote) {
      if (text[i + 1] === quote) {
        out += quote;
        i += 2;
      } else {
        tokens.push({ kind: 'string', text: out, pos: start });
        return i + 1;
      }
    } else {
      out += c;
      i++;
    }
  }
}

function readQuotedIdent(text: string, start: number, tokens: Token[]): number {
  let out = '';
  let i = start + 1;
  for (;;) {
    if (i >= text.length)
      throw queryError('Unbalanced backquote: the name that starts here has no closing `.', {
        pos: start,
        expected: '`',
      });
    if (text[i] === '`') {
      if (text[i + 1] === '`') {
        out += '`';
        i += 2;
        continue;
      }
      if (out.length === 0) throw queryError('Empty name ``.', { pos: start, expected: 'an attribute name' });
      tokens.push({ kind: 'quoted_ident', text: out, pos: start });
      return i + 1;
    }
    out += text[i];
    i++;
  }
}
