import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: process.cwd() });

/** The no-restricted-imports messages ESLint gives `code` as if it were the file at `filePath`. */
async function restricted(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('dependency rules of the renderer (ARCHITECTURE §2)', () => {
  it('a feature cannot reach another feature, by index or internals', async () => {
    expect(
      await restricted('renderer/features/jobs/x.tsx', "import { A } from '../pipeline';\nvoid A;\n"),
    ).toHaveLength(1);
    expect(
      await restricted('renderer/features/jobs/sub/x.tsx', "import { A } from '../../pipeline/diagram';\nvoid A;\n"),
    ).toHaveLength(1);
    expect(
      await restricted('renderer/features/jobs/x.tsx', "import { A } from '../../features/pipeline';\nvoid A;\n"),
    ).toHaveLength(1);
  });

  it('a feature may use its own files and the shared renderer folders', async () => {
    const code =
      "import { A } from './a';\nimport { B } from '../../api/hooks';\nimport { C } from '../../components/c';\nvoid A; void B; void C;\n";
    expect(await restricted('renderer/features/jobs/x.tsx', code)).toEqual([]);
    expect(await restricted('renderer/features/jobs/sub/x.tsx', "import { A } from '../a';\nvoid A;\n")).toEqual([]);
  });

  it('outside features, a feature is reached through its index only', async () => {
    expect(await restricted('renderer/app.tsx', "import { A } from './features/pipeline';\nvoid A;\n")).toEqual([]);
    expect(
      await restricted('renderer/app.tsx', "import { A } from './features/pipeline/pipeline-screen';\nvoid A;\n"),
    ).toHaveLength(1);
  });

  it('only renderer/api picks a transport', async () => {
    const code = "import { createWebTransport } from '../api/web-transport';\nvoid createWebTransport;\n";
    expect(await restricted('renderer/stores/x.ts', code)).toHaveLength(1);
    expect(await restricted('renderer/api/x.ts', "import { A } from './web-transport';\nvoid A;\n")).toEqual([]);
  });
});
