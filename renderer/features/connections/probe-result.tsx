import type { ConnectionProbe } from '../../../shared/api/schemas/connection';
import { engineLabel } from '../../lib/engine-label';

/** The good news of "Test connection": which server answered. */
export function ProbeResult({ probe }: { probe: ConnectionProbe }) {
  return (
    <div className="message message-success" role="status">
      <span className="message-title">The connection works.</span>
      <span>
        {engineLabel(probe)} answered at <span className="mono">{probe.url}</span>.
      </span>
    </div>
  );
}
