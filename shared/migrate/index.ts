/**
 * Schema migration planning (pure): change file + the database's tables -> an ordered plan with
 * SQL for both engines. The executor lives in electron/core/migrate.
 */
export { planMigration, type PlanOptions } from './plan';
export { newMigrationId, oldName, shadowName, triggerName } from './names';
export { copySpec, swapMoves, rollbackMoves, shadowsChildrenFirst, oldTablesChildrenFirst, rollbackSql } from './steps';
export type { MigrationPlan, PlanTable, ColumnSource, CopyJoin, TableRef } from './types';
