import type { ErrorGroup } from '../../../shared/api/schemas/jobs';
import { errorSignature } from '../../../shared/model/error-signature';
import { hiddenTables } from '../db/catalog/hidden-tables';
import type { DbSession } from '../db/driver';
import { readerQueue } from './queue';

type Member = { schema: string; table_name: string; key_hash: string };

// masking is the cost of a call with many failures: remembered across calls, bounded
const SIGNATURES = new Map<string, string>();
const MAX_REMEMBERED = 200_000;

function signatureOf(message: string): string {
  let sig = SIGNATURES.get(message);
  if (sig === undefined) {
    if (SIGNATURES.size >= MAX_REMEMBERED) SIGNATURES.clear();
    SIGNATURES.set(message, (sig = errorSignature(message)));
  }
  return sig;
}

/**
 * The `error` rows of `~jobs` (Joinery's and DataJoint Python's) grouped by error signature,
 * largest group first; with `signature`, that group alone with the key hashes of its jobs, so one
 * fix can be retried (or ignored) in bulk.
 */
export async function readErrorGroups(
  db: DbSession,
  schemas: readonly string[],
  signature?: string,
): Promise<ErrorGroup[]> {
  const groups = new Map<string, { sample: string; members: Member[] }>();
  for (const schema of schemas) {
    const hidden = await hiddenTables(db, schema);
    const rows = await readerQueue(hidden).errors(db, schema, hidden);
    for (const r of rows) {
      const message = String(r.error_message ?? '');
      const sig = signatureOf(message);
      if (signature !== undefined && sig !== signature) continue;
      let g = groups.get(sig);
      if (!g) groups.set(sig, (g = { sample: message, members: [] }));
      g.members.push({ schema, table_name: r.table_name, key_hash: r.key_hash });
    }
  }
  return [...groups.entries()]
    .map(([sig, g]) => toGroup(sig, g.sample, g.members, signature !== undefined))
    .sort((a, b) => b.count - a.count || a.signature.localeCompare(b.signature));
}

function toGroup(signature: string, sample: string, members: Member[], withKeys: boolean): ErrorGroup {
  const byTable = new Map<string, { schema: string; table_name: string; key_hashes: string[] }>();
  for (const m of members) {
    const id = `${m.schema}.${m.table_name}`;
    let t = byTable.get(id);
    if (!t) byTable.set(id, (t = { schema: m.schema, table_name: m.table_name, key_hashes: [] }));
    t.key_hashes.push(m.key_hash);
  }
  return {
    signature,
    count: members.length,
    sample,
    tables: [...byTable.values()].map((t) => ({
      schema: t.schema,
      table_name: t.table_name,
      count: t.key_hashes.length,
      ...(withKeys ? { key_hashes: t.key_hashes } : {}),
    })),
  };
}
