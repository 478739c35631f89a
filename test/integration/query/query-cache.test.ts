import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTestCore } from '../../support/core';

const CTX = { transport: 'in-process', host: 'cli' } as const;
const names = (preview: Record<string, unknown>) => (preview.attributes as { name: string }[]).map((a) => a.name);

/** Headings are cached for a moment between queries; Joinery's own DDL is seen at once. */
describe('query catalog cache', () => {
  it('sees a table re-declared through Joinery on the next query', async () => {
    const { core } = createTestCore();
    const call = async (m: string, input: object) => {
      const r = await core.dispatch(m, input, CTX);
      if (!r.ok) throw new Error(r.error.message);
      return r.value as Record<string, unknown>;
    };
    const { id } = await call('connection.open', {
      url: `sqlite:${path.join(mkdtempSync(path.join(os.tmpdir(), 'joinery-qc-')), 'q.db')}`,
    });
    const declare = (definition: string) =>
      call('table.declare', {
        connectionId: id,
        tables: [{ schema: 'lab', class_name: 'Rig', tier: 'Lookup', definition }],
      });
    await declare('rig : varchar(8)\n---\nroom : varchar(8)');
    expect(names(await call('query.preview', { connectionId: id, query: 'Rig' }))).toEqual(['rig', 'room']);
    await call('table.drop', { connectionId: id, schema: 'lab', table: '#rig', confirm: ['lab.#rig'] });
    await declare('rig : varchar(8)\n---\namplifier : varchar(32)');
    expect(names(await call('query.preview', { connectionId: id, query: 'Rig' }))).toEqual(['rig', 'amplifier']);
    await core.dispose();
  });
});
