import type { SqlDialect } from '../../dialect';
import { QueryCompiler } from '../../query-compiler';

/** MySQL/MariaDB's differences from the base query compiler. */
export class MysqlQueryCompiler extends QueryCompiler {
  constructor(dialect: SqlDialect) {
    super(dialect);
  }

  /**
   * MariaDB 10.11 returns wrong rows when it splits a grouped derived table into a LATERAL DERIVED
   * one inside a semijoin (found by the property test); the executable comment turns that
   * optimisation off for the statement on MariaDB only (MySQL ignores `/*M!` comments); likewise
   * derived-table merging where it computes outer-joined columns wrongly, and condition pushdown
   * into grouped derived tables where it mis-resolves shared column names.
   */
  protected override statement(sql: string): string {
    const off = [
      ...(this.groupedDerived ? ['split_materialized=off'] : []),
      // pushing an outer condition into a grouped derived table, MariaDB resolves a column the tables
      // of its FROM share (k4 of a subquery and of a joined table) by bare name: "Column 'k4' in ON
      // is ambiguous" (property test, pipeline seed 158128742)
      ...(this.groupedDerived ? ['condition_pushdown_for_derived=off'] : []),
      // merged into the outer query, a computed column of a LEFT JOINed derived table (coalesce(x, 0))
      // is computed on the NULL row the join invents and gives 0 instead of NULL (also found by the property test)
      ...(this.computedOuterDerived ? ['derived_merge=off'] : []),
    ];
    return off.length ? `/*M!100304 SET STATEMENT optimizer_switch='${off.join(',')}' FOR */ ${sql}` : sql;
  }

  protected override castDouble(sql: string): string {
    return `CAST(${sql} AS DOUBLE)`;
  }

  protected override castSigned(sql: string): string {
    return `CAST(${sql} AS SIGNED)`;
  }

  // MIN/MAX compare enum values as text anyway; the cast makes the result text too, as the heading says
  protected override enumAsText(sql: string): string {
    return `CAST(${sql} AS CHAR)`;
  }

  protected override intDiv(l: string, r: string): string {
    return `(${l} DIV ${r})`;
  }

  protected override nullSafeEq(l: string, r: string): string {
    return `(${l} <=> ${r})`;
  }

  protected override limitClause(limit: number | null, offset: number): string {
    // MySQL has no OFFSET without LIMIT; its documented idiom is the largest unsigned bigint
    return `LIMIT ${limit ?? '18446744073709551615'}${offset > 0 ? ` OFFSET ${offset}` : ''}`;
  }

  protected override call(fn: string, args: string[]): string {
    const name = MYSQL_NAMES[fn] ?? fn.toUpperCase();
    return `${name}(${args.join(', ')})`;
  }
}

const MYSQL_NAMES: Record<string, string> = {
  length: 'CHAR_LENGTH',
  char_length: 'CHAR_LENGTH',
  substr: 'SUBSTRING',
  ceil: 'CEILING',
  day: 'DAYOFMONTH',
};
