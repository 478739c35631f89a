import { checkIdentifier } from '../../dialect';

/** A MySQL identifier in backticks; throws on names no identifier may hold. */
export function quoteMysql(name: string): string {
  checkIdentifier(name);
  return '`' + name.replaceAll('`', '``') + '`';
}

/** `` `schema`.`table` ``: a MySQL schema is a database. */
export function qualifyMysql(schema: string, table: string): string {
  return `${quoteMysql(schema)}.${quoteMysql(table)}`;
}

/**
 * The database that holds Joinery's lab-wide state on MySQL (workers span schemas). Its name
 * starts with `~` like DataJoint's hidden tables, so neither Joinery nor a reader of DataJoint
 * schemas mistakes it for a pipeline schema.
 */
export const GLOBAL_SCHEMA = '~joinery';
