import { describe, expect, it } from 'vitest';
import { engineLabel } from '../../../renderer/lib/engine-label';
import { relativeTime } from '../../../renderer/lib/relative-time';
import { isPageId } from '../../../renderer/stores/ui-slice';

describe('engineLabel', () => {
  it('names the engine and version as users know them', () => {
    expect(engineLabel({ dialect: 'sqlite', serverVersion: 'SQLite 3.53.2' })).toBe('SQLite 3.53.2');
    expect(engineLabel({ dialect: 'sqlite', serverVersion: '3.53.2' })).toBe('SQLite 3.53.2');
    expect(engineLabel({ dialect: 'mysql', serverVersion: '10.11.19-MariaDB-0+deb12u1' })).toBe('MariaDB 10.11.19');
    expect(engineLabel({ dialect: 'mysql', serverVersion: '8.4.0' })).toBe('MySQL 8.4.0');
  });
});

describe('relativeTime', () => {
  const now = Date.parse('2026-11-24T12:00:00Z');
  it('says how long ago, in words', () => {
    expect(relativeTime('2026-11-24T11:59:50Z', now, 'en')).toBe('just now');
    expect(relativeTime('2026-11-24T11:55:00Z', now, 'en')).toBe('5 minutes ago');
    expect(relativeTime('2026-11-23T12:00:00Z', now, 'en')).toBe('yesterday');
    expect(relativeTime('not a date', now, 'en')).toBe('');
  });
});

describe('isPageId', () => {
  it('accepts only the navigation pages', () => {
    expect(isPageId('jobs')).toBe(true);
    expect(isPageId('admin')).toBe(false);
    expect(isPageId('')).toBe(false);
  });
});
