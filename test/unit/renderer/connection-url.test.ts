import { describe, expect, it } from 'vitest';
import {
  checkMysqlFields,
  checkSqlitePath,
  MYSQL_FIELDS,
  mysqlUrl,
  parseMysqlUrl,
  SQLITE_FIELDS,
  sqlitePathOf,
  sqliteUrl,
} from '../../../renderer/features/connections/connection-url';
import { errorField, fieldForError } from '../../../renderer/lib/app-errors';

const fields = (over: Partial<{ host: string; port: string; user: string }> = {}) => ({
  host: 'db.lab.org',
  port: '3306',
  user: 'ada',
  ...over,
});

describe('SQLite URLs', () => {
  it('turns a path into sqlite:<path> and back', () => {
    expect(sqliteUrl('/home/ada/lab.db')).toBe('sqlite:/home/ada/lab.db');
    expect(sqliteUrl('  relative/lab.db ')).toBe('sqlite:relative/lab.db');
    expect(sqliteUrl('sqlite:/already/url.db')).toBe('sqlite:/already/url.db');
    expect(sqlitePathOf('sqlite:/data/joinery.db')).toBe('/data/joinery.db');
    expect(sqlitePathOf('C:\\data\\x.db')).toBe('C:\\data\\x.db');
  });

  it('refuses an empty path, naming the path field', () => {
    expect(checkSqlitePath('  ')?.details?.field).toBe('path');
    expect(checkSqlitePath('sqlite:')?.details?.field).toBe('path');
    expect(checkSqlitePath('/tmp/x.db')).toBeNull();
  });
});

describe('MySQL URLs', () => {
  it('builds mysql://user@host:port and never carries a password', () => {
    expect(mysqlUrl(fields())).toBe('mysql://ada@db.lab.org:3306');
    expect(mysqlUrl(fields({ user: 'a@b:c', port: ' 3307 ' }))).toBe('mysql://a%40b%3Ac@db.lab.org:3307');
    expect(mysqlUrl(fields({ host: '::1' }))).toBe('mysql://ada@[::1]:3306');
    expect(mysqlUrl(fields({ host: '[fe80::1]' }))).toBe('mysql://ada@[fe80::1]:3306');
  });

  it('round-trips through parseMysqlUrl (filling the form from a recent entry)', () => {
    for (const f of [fields(), fields({ user: 'a@b', port: '3310' }), fields({ host: '::1' })]) {
      expect(parseMysqlUrl(mysqlUrl(f))).toEqual(f);
    }
    expect(parseMysqlUrl('mysql://root@127.0.0.1')).toEqual({ host: '127.0.0.1', port: '3306', user: 'root' });
    expect(parseMysqlUrl('sqlite:/x.db')).toBeNull();
    expect(parseMysqlUrl('not a url')).toBeNull();
  });

  it('names the field of each mistake', () => {
    expect(checkMysqlFields(fields())).toBeNull();
    expect(checkMysqlFields(fields({ host: '' }))?.details?.field).toBe('host');
    expect(checkMysqlFields(fields({ host: 'mysql://db' }))?.details?.field).toBe('host');
    expect(checkMysqlFields(fields({ host: 'db:3307' }))?.message).toMatch(/port/);
    expect(checkMysqlFields(fields({ host: '::1' }))).toBeNull();
    expect(checkMysqlFields(fields({ port: '0' }))?.details?.field).toBe('port');
    expect(checkMysqlFields(fields({ port: '70000' }))?.details?.field).toBe('port');
    expect(checkMysqlFields(fields({ port: 'abc' }))?.details?.field).toBe('port');
    expect(checkMysqlFields(fields({ user: ' ' }))?.details?.field).toBe('user');
  });
});

describe('error -> field', () => {
  const err = (field?: unknown) => ({
    code: 'DB_NOT_FOUND' as const,
    message: 'm',
    ...(field === undefined ? {} : { details: { field } }),
  });

  it('reads details.field only when it is a non-empty string', () => {
    expect(errorField(err('url'))).toBe('url');
    expect(errorField(err(''))).toBeNull();
    expect(errorField(err(3))).toBeNull();
    expect(errorField(err())).toBeNull();
    expect(errorField(null)).toBeNull();
  });

  it("puts the core's url errors on the SQLite path field", () => {
    expect(fieldForError(err('url'), SQLITE_FIELDS)).toBe('path');
    expect(fieldForError(err('password'), SQLITE_FIELDS)).toBeNull();
  });

  it('puts MySQL errors on host, port, user or password, and the rest at the form top', () => {
    expect(fieldForError(err('url'), MYSQL_FIELDS)).toBe('host');
    expect(fieldForError(err('host'), MYSQL_FIELDS)).toBe('host');
    expect(fieldForError(err('password'), MYSQL_FIELDS)).toBe('password');
    expect(fieldForError(err('port'), MYSQL_FIELDS)).toBe('port');
    expect(fieldForError(err('schemas'), MYSQL_FIELDS)).toBeNull();
    expect(fieldForError(err('toString'), MYSQL_FIELDS)).toBeNull();
  });
});
