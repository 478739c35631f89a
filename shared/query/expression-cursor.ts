import { queryError } from './errors';
import type { PyToken } from './expression-lexer';

/**
 * Token access and call-argument parsing for the query expression parser: `name=value` pairs,
 * positional attribute names, whole numbers and lists of strings, each refused with its position
 * when malformed.
 */

/** One positional call argument: raw tokens, `...`, or (for aggr's first) a parsed operand. */
export interface PyArg<Op = unknown> {
  pos: number;
  tokens: PyToken[];
  ellipsis?: boolean;
  operand?: Op;
}

/** One `name=value` call argument with its raw tokens. */
export interface PyNamed {
  name: string;
  pos: number;
  tokens: PyToken[];
}

/** A cursor over the tokens; the parser extends it with the grammar. */
export abstract class PyCursor<Op> {
  protected i = 0;
  constructor(protected readonly t: PyToken[]) {}

  /** Parses one full operand (used for aggr's first argument). */
  protected abstract expr(): Op;

  protected args(firstIsQuery = false): { positional: PyArg<Op>[]; named: PyNamed[] } {
    const open = this.next();
    const positional: PyArg<Op>[] = [];
    const named: PyNamed[] = [];
    while (!this.isPunct(')')) {
      const start = this.peek();
      if (start.kind === 'name' && this.t[this.i + 1]?.text === '=' && this.t[this.i + 1]?.kind === 'punct') {
        this.i += 2;
        if (named.some((n) => n.name === start.text))
          throw queryError(`The argument ${start.text}= appears twice.`, { pos: start.pos });
        named.push({ name: start.text, pos: start.pos, tokens: this.argTokens() });
      } else if (named.length) {
        throw queryError('Positional arguments must come before named ones (name=...).', { pos: start.pos });
      } else if (firstIsQuery && positional.length === 0) {
        positional.push({ pos: start.pos, tokens: [], operand: this.expr() });
      } else if (this.isPunct('...')) {
        this.next();
        positional.push({ pos: start.pos, tokens: [], ellipsis: true });
      } else {
        positional.push({ pos: start.pos, tokens: this.argTokens() });
      }
      if (!this.isPunct(',')) break;
      this.next();
    }
    this.expectPunct(')', open);
    return { positional, named };
  }

  /** The raw tokens of one simple argument (up to the next top-level comma or parenthesis). */
  protected argTokens(): PyToken[] {
    const out: PyToken[] = [];
    let level = 0;
    for (;;) {
      const tok = this.peek();
      if (tok.kind === 'eof') throw this.unexpected(tok, '")"');
      if (level === 0 && tok.kind === 'punct' && (tok.text === ',' || tok.text === ')')) break;
      if (tok.kind === 'punct' && (tok.text === '[' || tok.text === '(')) level++;
      if (tok.kind === 'punct' && (tok.text === ']' || tok.text === ')')) level--;
      out.push(this.next());
    }
    if (out.length === 0) throw this.unexpected(this.peek(), 'an argument');
    return out;
  }

  protected attrName(a: PyArg<Op>, allowExclude = false): string {
    const toks = a.tokens;
    const exclude = allowExclude && toks.length === 2 && toks[0]!.text === '-' && toks[1]!.kind === 'name';
    if (exclude) return '-' + toks[1]!.text;
    if (toks.length === 1 && (toks[0]!.kind === 'name' || toks[0]!.kind === 'string')) {
      const name = toks[0]!.text.trim();
      if (/^-?\s*[A-Za-z_][A-Za-z0-9_]*$/.test(name) && (allowExclude || !name.startsWith('-')))
        return name.replace(/^-\s*/, '-');
    }
    throw queryError('Expected an attribute name.', {
      pos: a.pos,
      expected: allowExclude ? 'an attribute name, "-name" or ...' : 'an attribute name',
    });
  }

  protected intArg(a: PyArg<Op>, nullable: boolean): number | null {
    const toks = a.tokens;
    if (nullable && toks.length === 1 && toks[0]!.text === 'None') return null;
    if (toks.length === 1 && toks[0]!.kind === 'number' && Number.isSafeInteger(toks[0]!.value)) return toks[0]!.value!;
    throw queryError('Expected a whole number.', {
      pos: a.pos,
      expected: nullable ? 'a whole number or None' : 'a whole number',
    });
  }

  protected stringList(a: PyArg<Op>): string[] {
    const toks = a.tokens;
    const inner = toks[0]?.text === '[' && toks[toks.length - 1]?.text === ']' ? toks.slice(1, -1) : null;
    const strings = inner?.filter((_, k) => k % 2 === 0);
    if (
      !inner ||
      !strings!.every((s) => s.kind === 'string') ||
      !inner.filter((_, k) => k % 2 === 1).every((s) => s.text === ',')
    ) {
      throw queryError('order_by must be a quoted string or a list of quoted strings.', {
        pos: a.pos,
        expected: '"attr DESC" or ["a", "b DESC"]',
      });
    }
    return strings!.map((s) => s.text);
  }

  protected peek(): PyToken {
    return this.t[this.i]!;
  }

  protected next(): PyToken {
    const tok = this.t[this.i]!;
    if (tok.kind !== 'eof') this.i++;
    return tok;
  }

  protected isPunct(p: string): boolean {
    const tok = this.peek();
    return tok.kind === 'punct' && tok.text === p;
  }

  protected expectPunct(p: string, opener: PyToken): void {
    if (this.isPunct(p)) {
      this.next();
      return;
    }
    const tok = this.peek();
    if (tok.kind === 'eof' && opener.kind === 'punct') {
      throw queryError(`Unbalanced "${opener.text}": it is never closed by "${p}".`, { pos: opener.pos, expected: p });
    }
    throw this.unexpected(tok, `"${p}"`);
  }

  protected unexpected(tok: PyToken, expected: string) {
    const found =
      tok.kind === 'eof' ? 'the end of the expression' : tok.kind === 'string' ? 'a quoted string' : `"${tok.text}"`;
    return queryError(`Expected ${expected} but found ${found}.`, { pos: tok.pos, expected });
  }
}
