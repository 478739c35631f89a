import type { AppInfo } from '../../../shared/api/schemas/app';
import type { ConnectionSummary } from '../../../shared/api/schemas/connection';
import type { AttributeInfo, PipelineInfo, TableInfo } from '../../../shared/api/schemas/pipeline';

export const appInfo: AppInfo = {
  name: 'Joinery',
  version: '0.1.0',
  host: 'web',
  platform: 'linux',
  nodeVersion: '20.20.2',
  dataDir: '/data',
  defaultDbUrl: 'sqlite:/data/joinery.db',
  capabilities: { nativeDialogs: false, secretStore: 'memory' },
};

export const summary = (id: string, url = `sqlite:/tmp/${id}.db`): ConnectionSummary => ({
  id,
  dialect: 'sqlite',
  url,
  label: `${id}.db`,
  serverVersion: 'SQLite 3.53.2',
  openedAt: '2026-11-24T10:00:00.000Z',
});

const attribute = (name: string, inKey: boolean): AttributeInfo => ({
  name,
  in_key: inKey,
  datajoint_type: 'int',
  sql_type: 'int',
  nullable: false,
  default: null,
  comment: '',
  sql_comment: '',
  autoincrement: false,
  is_blob: false,
  is_external: false,
  store: null,
  is_attachment: false,
  is_filepath: false,
  uuid: false,
  json: false,
  adapter: null,
  hidden: false,
});

export const table = (schema: string, tableName: string, over: Partial<TableInfo> = {}): TableInfo => ({
  full_name: `${schema}.${tableName}`,
  schema,
  table_name: tableName,
  class_name: tableName,
  tier: 'Manual',
  master: null,
  table_comment: '',
  primary_key: ['id'],
  secondary_attributes: [],
  hidden_attributes: [],
  attributes: [attribute('id', true)],
  foreign_keys: [],
  indexes: [],
  row_count: 0,
  ...over,
});

export const pipeline = (tables: TableInfo[]): PipelineInfo => ({
  dialect: 'sqlite',
  schemas: { lab: { database: 'lab', conventions: '0.14', tables, hidden_tables: [], jobs: [] } },
});
