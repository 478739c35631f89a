import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { appError } from '../../../shared/errors';
import type { WorkflowPlugin } from '../../../shared/cluster/plugin';

/** Loads a lab's exporter module (its default export, or `plugin`) and checks its shape. */
export async function loadPlugin(modulePath: string): Promise<WorkflowPlugin> {
  const url = pathToFileURL(path.resolve(modulePath)).href;
  let mod: { default?: unknown; plugin?: unknown };
  try {
    mod = (await import(url)) as typeof mod;
  } catch (e) {
    throw appError('VALIDATION', `Cannot load the export plugin ${modulePath}: ${(e as Error).message}`, {
      hint: 'Give a JavaScript module (.mjs/.js) whose default export is { name, summary, export(input) }.',
    });
  }
  const p = (mod.default ?? mod.plugin) as Partial<WorkflowPlugin> | undefined;
  if (!p || typeof p.export !== 'function' || typeof p.name !== 'string') {
    throw appError('VALIDATION', `${modulePath} does not export a workflow plugin.`, {
      hint: 'Its default export must be an object with a name (string) and an export(input) function.',
    });
  }
  return { summary: '', ...p } as WorkflowPlugin;
}
