import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The lint rule of eslint.config.js that keeps engine differences in shared/sql/dialects/ and core/db.
const eslint = new ESLint({ cwd: process.cwd() });

async function restrictedSyntax(code: string, filePath: string): Promise<string[]> {
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
    const errors = await restrictedSyntax(code, 'electron/core/jobs/example.ts');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/SqlDialect/);
  });

  it('refuses engine branches in shared/ and the headless host too', async () => {
    expect(await restrictedSyntax(BRANCHES[0]!, 'shared/model/example.ts')).toHaveLength(1);
    expect(await restrictedSyntax(BRANCHES[1]!, 'electron/headless/example.ts')).toHaveLength(1);
  });

  it('allows them in a dialect folder and in core/db, where the drivers live', async () => {
    for (const code of BRANCHES) {
      expect(await restrictedSyntax(code, 'shared/sql/dialects/mysql/example.ts')).toEqual([]);
      expect(await restrictedSyntax(code, 'electron/core/db/example.ts')).toEqual([]);
    }
  });

  it('allows reading the name without branching on it (reports, the API)', async () => {
    const code = `export const summary = (db: { dialect: { name: string } }) => ({ dialect: db.dialect.name });`;
    expect(await restrictedSyntax(code, 'electron/core/services/example.ts')).toEqual([]);
  });
});

describe('lint: hosts reach the core through its API and hooks', () => {
  const reach = `export const f = (core: { services: { jobs: { stop(): void } } }) => core.services.jobs.stop();`;

  it('refuses core.services in the CLI, the web server and Electron main', async () => {
    for (const file of ['electron/headless/commands/example.ts', 'electron/headless/example.ts', 'electron/main/x.ts'])
      expect((await restrictedSyntax(reach, file))[0]).toMatch(/core\.hooks/);
  });

  it('allows it in the core itself (the composition root)', async () => {
    expect(await restrictedSyntax(reach, 'electron/core/example.ts')).toEqual([]);
  });
});
