import { LabWorkersTable } from './lab-workers-table';
import { PolicyEditor } from './policy-editor';
import { ThisMachine } from './this-machine';

/** This machine as a worker (switch, policy, live use) and every worker of the lab. */
export function WorkersScreen({ connectionId }: { connectionId: string }) {
  return (
    <div className="page workers-page">
      <div className="page-head">
        <div>
          <h1>Workers</h1>
          <p>Machines that lend their CPUs, memory and GPUs to the pipeline’s jobs, this one included.</p>
        </div>
      </div>
      <ThisMachine connectionId={connectionId} />
      <PolicyEditor />
      <LabWorkersTable connectionId={connectionId} />
    </div>
  );
}
