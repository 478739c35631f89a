import type { PipelineInfo, SchemaInfo, TableInfo } from '../../../shared/api/schemas/pipeline';
import { appError, isAppError } from '../../../shared/errors';
import { dependencyOrder } from '../../../shared/model/graph';
import { isHiddenTable } from '../../../shared/model/naming';
import { toTableInfo } from '../../../shared/model/table-info';
import type { Catalog } from '../../../shared/model/catalog';
import { type Conventions, conventionsOfDatabase, conventionsSigned } from '../../../shared/model/conventions';
import { listSchemas, readCatalog } from '../db/catalog/read-catalog';
import type { DbDriver } from '../db/driver';
import { populateCounts, type KeyHasher } from '../jobs/populate-counts';
import { queueFor, toJobInfo } from '../jobs/queue';
import { v2QueueName } from '../jobs/queue/datajoint2-read';
import type { ConnectionService } from './connection-service';

/** How `~jobs` keys are read: the blob codec and DataJoint's key hash, supplied by the container. */
export interface JobKeyCodec {
  decodeKey(bytes: Buffer): Record<string, unknown> | null;
  hashKey: KeyHasher;
}

interface Deps {
  connections: ConnectionService;
  jobKeys: JobKeyCodec;
  now?: () => number;
  /** The lab's setting (`JOINERY_CONVENTIONS`) for new schemas; unset: the database decides. */
  conventions?: Conventions;
}

type Told = Map<string, Conventions | null>;

// Headings change only through DDL; Joinery's own DDL invalidates at once, other clients' within this time.
const HEADING_TTL_MS = 5000;

/** Reads pipelines: schemas, tables, headings, keys, jobs and populate counts. */
export class PipelineService {
  private readonly cache = new Map<string, { at: number; tables: TableInfo[]; told: Told }>();
  constructor(private readonly deps: Deps) {}

  /** DataJoint's full reading of the named schemas (all when omitted), as `joinery inspect` prints it (`populate: false`: without populate counts). */
  async inspect(input: { connectionId: string; schemas?: string[]; populate?: boolean }): Promise<PipelineInfo> {
    const db = this.deps.connections.driver(input.connectionId);
    const wanted = await this.checkSchemas(db, input.schemas);
    const catalog = await readCatalog(db, wanted);
    const all = this.tablesOf(catalog);
    const known = new Map(all.map((t) => [t.full_name, t]));
    // parents in schemas that were not asked for are still needed for key sources
    const lookup = async (name: string) =>
      known.get(name) ?? (await this.tables(input.connectionId)).find((t) => t.full_name === name);
    const schemas: Record<string, SchemaInfo> = {};
    for (const s of catalog.schemas) {
      try {
        schemas[s.name] = await this.schemaInfo(db, s, all, input.populate === false ? null : lookup);
      } catch (e) {
        // a schema nobody asked for by name, dropped by another client while it was read: leave it out
        if (input.schemas || !isAppError(e) || (e.code !== 'NOT_FOUND' && e.code !== 'DB_NOT_FOUND')) throw e;
      }
    }
    const newSchemas = input.schemas
      ? await this.newSchemaConventions(input.connectionId)
      : this.conventionsFor(toldBy(catalog));
    return { dialect: db.dialect.name, schemas, new_schema_conventions: newSchemas };
  }

  /**
   * The conventions of a schema Joinery creates when the user names none: the lab's setting, else
   * those of the database's existing DataJoint schemas, else 2.x (shared/model/conventions.ts).
   */
  async newSchemaConventions(connectionId: string): Promise<Conventions> {
    if (this.deps.conventions) return this.deps.conventions;
    await this.tables(connectionId);
    return this.conventionsFor(this.cache.get(connectionId)?.told ?? new Map());
  }

  private conventionsFor(told: Told): Conventions {
    return this.deps.conventions ?? conventionsOfDatabase([...told.values()]);
  }

  private async schemaInfo(
    db: DbDriver,
    s: Catalog['schemas'][number],
    all: TableInfo[],
    /** Null: no populate counts. */
    lookup: ((name: string) => Promise<TableInfo | undefined>) | null,
  ): Promise<SchemaInfo> {
    const hidden = s.tables
      .filter((t) => isHiddenTable(t.name))
      .map((t) => t.name)
      .sort();
    const conventions = s.conventions ?? '0.14';
    const tables = dependencyOrder(all.filter((t) => t.schema === s.name));
    const jobRows = await this.readQueue(db, s.name, conventions, new Set(hidden));
    for (const t of tables) {
      if (!lookup || (t.tier !== 'Imported' && t.tier !== 'Computed')) continue;
      const parents = await Promise.all(t.foreign_keys.map((fk) => lookup(fk.parent)));
      const byName = new Map(parents.filter((p): p is TableInfo => !!p).map((p) => [p.full_name, p]));
      const v2 = conventions === '2' && hidden.includes(v2QueueName(t.table_name));
      t.populate = await populateCounts(db, t, (n) => byName.get(n), jobRows, this.deps.jobKeys.hashKey, v2);
    }
    return {
      database: s.name,
      conventions,
      tables,
      hidden_tables: hidden,
      jobs: jobRows.map((r) => toJobInfo(r, this.deps.jobKeys.decodeKey)),
    };
  }

  /** Headings of every table of the connection, parents first (cached briefly). */
  async tables(connectionId: string): Promise<TableInfo[]> {
    const now = this.deps.now?.() ?? Date.now();
    const hit = this.cache.get(connectionId);
    if (hit && now - hit.at < HEADING_TTL_MS) return hit.tables;
    const db = this.deps.connections.driver(connectionId);
    const catalog = await readCatalog(db);
    const tables = dependencyOrder(this.tablesOf(catalog));
    this.cache.set(connectionId, { at: now, tables, told: toldBy(catalog) });
    return tables;
  }

  /** Headings of every table without row counts (uncached; counting every table of a server is slow). */
  async headings(connectionId: string): Promise<TableInfo[]> {
    return (await this.headingsAndConventions(connectionId)).tables;
  }

  /** {@link headings} and every schema's DataJoint conventions, from one catalog read. */
  async headingsAndConventions(
    connectionId: string,
  ): Promise<{ tables: TableInfo[]; conventions: Record<string, Conventions> }> {
    const db = this.deps.connections.driver(connectionId);
    const catalog = await readCatalog(db, undefined, { rowCounts: false });
    const conventions = Object.fromEntries(catalog.schemas.map((s) => [s.name, s.conventions ?? '0.14']));
    return { tables: dependencyOrder(this.tablesOf(catalog)), conventions };
  }

  /** The heading of one table; a clear NOT_FOUND naming the tables that do exist otherwise. */
  async table(connectionId: string, schema: string, table: string): Promise<TableInfo> {
    const tables = await this.tables(connectionId);
    const found = tables.find((t) => t.schema === schema && t.table_name === table);
    if (found) return found;
    const inSchema = tables.filter((t) => t.schema === schema);
    throw appError('NOT_FOUND', `There is no table ${schema}.${table}.`, {
      details: { schema, table },
      hint: inSchema.length
        ? `Tables in ${schema}: ${inSchema.map((t) => t.table_name).join(', ')}.`
        : `There is no schema named ${schema}, or it has no tables.`,
    });
  }

  /** Forgets cached headings after DDL. */
  invalidate(connectionId: string): void {
    this.cache.delete(connectionId);
  }

  private tablesOf(catalog: Catalog): TableInfo[] {
    return catalog.schemas.flatMap((s) =>
      s.tables.filter((t) => !isHiddenTable(t.name)).map((t) => toTableInfo(t, s.conventions)),
    );
  }

  /** The schema's job rows in its own protocol (2.x rows carry the key hash 0.14 would give them). */
  private async readQueue(db: DbDriver, schema: string, conventions: Conventions, hidden: Set<string>) {
    return queueFor(conventions).read(db, schema, hidden);
  }

  private async checkSchemas(db: DbDriver, requested: string[] | undefined): Promise<string[]> {
    const available = await listSchemas(db);
    const wanted = requested ?? available;
    const missing = wanted.filter((s) => !available.includes(s));
    if (missing.length) {
      throw appError('NOT_FOUND', `No schema named ${missing.map((m) => `"${m}"`).join(', ')} in ${db.url}.`, {
        hint: `Schemas here: ${available.join(', ') || '(none)'}.`,
        details: { schemas: missing },
      });
    }
    return wanted;
  }
}

/** What each schema's DataJoint signs tell of its conventions. */
function toldBy(catalog: Catalog): Told {
  return new Map(catalog.schemas.map((s) => [s.name, conventionsSigned(s.tables)]));
}
