import type { PipelineInfo, SchemaInfo } from '../../../shared/api/schemas/pipeline';
import { appError } from '../../../shared/errors';
import { dependencyOrder } from '../../../shared/model/graph';
import { isHiddenTable } from '../../../shared/model/naming';
import { toTableInfo } from '../../../shared/model/table-info';
import { listSchemas, readCatalog } from '../db/catalog/read-catalog';
import type { ConnectionService } from './connection-service';

interface Deps { connections: ConnectionService }

/** Reads pipelines: schemas, tables, headings, keys. */
export class PipelineService {
  constructor(private readonly deps: Deps) {}

  async inspect(input: { connectionId: string; schemas?: string[] }): Promise<PipelineInfo> {
    const db = this.deps.connections.driver(input.connectionId);
    const available = await listSchemas(db);
    const wanted = input.schemas ?? available;
    const missing = wanted.filter((s) => !available.includes(s));
    if (missing.length) {
      throw appError('NOT_FOUND', `No schema named ${missing.map((m) => `"${m}"`).join(', ')} in ${db.url}.`, {
        hint: `Schemas here: ${available.join(', ') || '(none)'}.`, details: { schemas: missing },
      });
    }
    const catalog = await readCatalog(db, wanted);
    const schemas: Record<string, SchemaInfo> = {};
    for (const s of catalog.schemas) {
      const visible = s.tables.filter((t) => !isHiddenTable(t.name)).map(toTableInfo);
      schemas[s.name] = {
        database: s.name,
        tables: dependencyOrder(visible),
        hidden_tables: s.tables.filter((t) => isHiddenTable(t.name)).map((t) => t.name).sort(),
        jobs: [],
      };
    }
    return { dialect: db.dialect.name, schemas };
  }
}
