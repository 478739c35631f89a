/**
 * DataJoint's definition language: parse, print, resolve against parent tables. Pure, so the
 * renderer can validate and preview while the user types, and the core declares from the same code.
 */
export type {
  AttributeItem,
  CommentItem,
  DataType,
  DefaultValue,
  DefinitionItem,
  ForeignKeyItem,
  ForeignKeyRef,
  IndexItem,
  SourcePosition,
  TableDefinition,
} from './ast';
export { withoutPositions } from './ast';
export type { DefinitionErrorDetails } from './cursor';
export { formatDefault } from './defaults';
export type {
  ParentHeading,
  ParentKeyAttribute,
  ResolvedColumn,
  ResolvedForeignKey,
  ResolvedIndex,
  ResolvedTable,
} from './heading';
export { parentFromResolved, parentFromTableInfo } from './heading';
export {
  EXTERNAL_TABLE_PREFIX,
  externalTable,
  externalTableDefinition,
  jobsTable,
  jobsTableDefinition,
  LINEAGE_TABLE,
  lineageTable,
  lineageTableDefinition,
  logTable,
  logTableDefinition,
} from './hidden-tables';
export { parseDefinition, type ParseOptions } from './parse';
export { printDefinition } from './print';
export { resolveDefinition } from './resolve';
export type { ResolveContext } from './resolve-state';
export { formatDataType } from './types';
