import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The lint rule of eslint.config.js that keeps engine differences in shared/sql/dialects/ and core/db.
const eslint = new ESLint({ cwd: process.cwd() });

async function engineErrors(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-syntax').map((m) => m.message);
}

const BRANCHES = [
  `export const verb = (d: { name: string }) => (d.name === 'mysql' ? 'INSERT IGNORE' : 'INSERT OR IGNORE');`,
  `export const f = (dialect: string) => dialect !== 'sqlite';`,
  `export function g(name: string) { switch (name) { case 'postgres': return 1; default: return 0; } }`,
  `export const h = (db: { dialect: { name: 'mysql' | 'sqlite' } }) => ({ mysql: 1, sqlite: 2 })[db.dialect.name];`,
];

describe('lint: no engine names outside the dialect folders', () => {
  it.each(BRANCHES)('refuses %s in core', async (code) => {
    const errors = await engineErrors(code, 'electron/core/jobs/example.ts');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/SqlDialect/);
  });

  it('refuses engine branches in shared/ and the headless host too', async () => {
    expect(await engineErrors(BRANCHES[0]!, 'shared/model/example.ts')).toHaveLength(1);
    expect(await engineErrors(BRANCHES[1]!, 'electron/headless/example.ts')).toHaveLength(1);
  });

  it('allows them in a dialect folder and in core/db, where the drivers live', async () => {
    for (const code of BRANCHES) {
      expect(await engineErrors(code, 'shared/sql/dialects/mysql/example.ts')).toEqual([]);
      expect(await engineErrors(code, 'electron/core/db/example.ts')).toEqual([]);
    }
  });

  it('allows reading the name without branching on it (reports, the API)', async () => {
    const code = `export const summary = (db: { dialect: { name: string } }) => ({ dialect: db.dialect.name });`;
    expect(await engineErrors(code, 'electron/core/services/example.ts')).toEqual([]);
  });
});
