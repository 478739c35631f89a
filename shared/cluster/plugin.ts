import type { JobPlan } from '../api/schemas/jobs';
import type { Workflow } from './workflow';

/** One file an exporter writes: text, or documents that the host serialises as YAML. */
export interface ExportedFile {
  /** Suggested file name (`--out` overrides it when there is one file). */
  name: string;
  content: string | { yaml: object[] };
}

/**
 * The plugin point of `joinery export` (the DataJoint roadmap's "callback that hands staged data to a
 * workflow manager"): it receives the workflow built from `jobs.plan` (steps in dependency order,
 * each one `joinery run-job`) and the raw plan, and returns files, or hands them over itself
 * (submits to its manager) and returns none. Every built-in target is such a plugin; a lab's own
 * is a module whose default export has this shape (`joinery export --plugin ./my-manager.mjs`).
 */
export interface WorkflowPlugin {
  name: string;
  summary: string;
  export(input: {
    workflow: Workflow;
    plan: JobPlan;
    options: Record<string, string>;
  }): ExportedFile[] | Promise<ExportedFile[]>;
}
