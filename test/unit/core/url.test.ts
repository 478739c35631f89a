import { describe, expect, it } from 'vitest';
import { formatUrl, parseConnectionUrl, redactUrl } from '../../../electron/core/db/url';
import { AppError } from '../../../shared/errors';

describe('connection URLs', () => {
  it('parses sqlite paths, relative to the working folder', () => {
    expect(parseConnectionUrl('sqlite:/tmp/a.db')).toEqual({ dialect: 'sqlite', path: '/tmp/a.db' });
    expect(parseConnectionUrl('sqlite:data/a.db', '/home/me')).toEqual({
      dialect: 'sqlite',
      path: '/home/me/data/a.db',
    });
    expect(parseConnectionUrl('sqlite:///tmp/a.db')).toEqual({ dialect: 'sqlite', path: '/tmp/a.db' });
    expect(parseConnectionUrl('sqlite::memory:')).toEqual({ dialect: 'sqlite', path: ':memory:' });
  });

  it('parses mysql URLs with defaults and encoded passwords', () => {
    expect(parseConnectionUrl('mysql://root@127.0.0.1:3306')).toEqual({
      dialect: 'mysql',
      host: '127.0.0.1',
      port: 3306,
      user: 'root',
      password: undefined,
    });
    expect(parseConnectionUrl('mysql://lab:p%40ss@db.example.org')).toEqual({
      dialect: 'mysql',
      host: 'db.example.org',
      port: 3306,
      user: 'lab',
      password: 'p@ss',
    });
    expect(formatUrl(parseConnectionUrl('mariadb://u:secret@h:3307'))).toBe('mysql://u@h:3307');
  });

  it.each([
    ['oracle://x', /Unsupported URL scheme "oracle:"/],
    ['/tmp/a.db', /no scheme/],
    ['sqlite:', /no file path/],
    ['mysql://root@host/db', /names a server, not a database/],
    ['mysql://', /malformed|no host/],
  ])('rejects %s with BAD_URL', (url, message) => {
    try {
      parseConnectionUrl(url);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(AppError);
      expect((e as AppError).code).toBe('BAD_URL');
      expect((e as AppError).message).toMatch(message);
      expect((e as AppError).hint).toMatch(/sqlite:<path/);
    }
  });

  it('never shows a password', () => {
    expect(redactUrl('mysql://root:hunter2@h:1')).toBe('mysql://root:***@h:1');
    try {
      parseConnectionUrl('mysql://root:hunter2@h:1/x');
    } catch (e) {
      expect((e as Error).message).not.toContain('hunter2');
    }
  });
});
