import { AppError } from '../../errors';
import type { SourcePosition } from './ast';

/**
 * Reading one definition line token by token, and the one error shape every definition problem
 * uses: code VALIDATION with `details {line, column, expected, found, table?}` so an editor can
 * put the caret on the spot and the CLI can print `line:column`.
 */

/** Details of a definition error, as found in `AppError.details`. */
export interface DefinitionErrorDetails {
  line: number;
  column: number;
  expected: string;
  found: string;
  table?: string;
}

/** Builds the VALIDATION error for a place in a definition; `why` replaces "expected X, found Y". */
export function definitionError(d: DefinitionErrorDetails, why?: string): AppError {
  const where = `${d.table ? `${d.table}, ` : ''}line ${d.line}, column ${d.column}`;
  const text = why ?? `expected ${d.expected}, found ${d.found}`;
  const details: Record<string, unknown> = { line: d.line, column: d.column, expected: d.expected, found: d.found };
  if (d.table !== undefined) details.table = d.table;
  return new AppError({ code: 'VALIDATION', message: `Definition error at ${where}: ${text}.`, details });
}

const TOKEN = /^(?:[A-Za-z0-9_]+|"[^"]*"?|'[^']*'?|\S)/;

/** A readable name for the token starting at `pos` of `text`. */
export function describeToken(text: string, pos: number): string {
  if (pos >= text.length || text.slice(pos).trim() === '') return 'end of line';
  const rest = text.slice(pos).replace(/^\s+/, '');
  const m = TOKEN.exec(rest);
  return `"${(m ? m[0] : rest[0]!).slice(0, 40)}"`;
}

/** A position in one line of the definition; columns are 1-based, `pos` is a 0-based offset. */
export class LineCursor {
  pos: number;

  constructor(
    readonly text: string,
    readonly line: number,
    start: number,
    readonly table?: string,
  ) {
    this.pos = start;
  }

  /** True when only whitespace (or nothing) is left. */
  atEnd(): boolean {
    return this.text.slice(this.pos).trim() === '';
  }

  skipSpace(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos]!)) this.pos++;
  }

  /** The current position as line/column. */
  here(pos = this.pos): SourcePosition {
    return { line: this.line, column: pos + 1 };
  }

  /** Matches a sticky regex at the current position (after spaces); advances on success. */
  match(re: RegExp): RegExpExecArray | null {
    this.skipSpace();
    const sticky = new RegExp(re.source, re.flags.includes('y') ? re.flags : `${re.flags}y`);
    sticky.lastIndex = this.pos;
    const m = sticky.exec(this.text);
    if (m) this.pos = sticky.lastIndex;
    return m;
  }

  /** Consumes `literal` (after spaces) or returns false. */
  eat(literal: string): boolean {
    this.skipSpace();
    if (!this.text.startsWith(literal, this.pos)) return false;
    this.pos += literal.length;
    return true;
  }

  /** Consumes `literal` or fails saying it was expected. */
  expect(literal: string, expected = `"${literal}"`): void {
    if (!this.eat(literal)) this.fail(expected);
  }

  /** Throws the VALIDATION error for the current (or given) position. */
  fail(expected: string, opts: { at?: number; found?: string; why?: string } = {}): never {
    this.skipSpace();
    const at = opts.at ?? this.pos;
    throw definitionError(
      {
        line: this.line,
        column: at + 1,
        expected,
        found: opts.found ?? describeToken(this.text, at),
        table: this.table,
      },
      opts.why,
    );
  }
}
