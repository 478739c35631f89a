import type { Conventions } from '../../shared/api/schemas/pipeline';

/** Which DataJoint version's conventions a schema follows, as a short label (`DataJoint 2`) with the why. */
export function ConventionsLabel({ conventions }: { conventions: Conventions }) {
  const why =
    conventions === '2'
      ? 'DataJoint 2 conventions: type markers on every column, ~lineage, one ~~ job queue per table'
      : 'DataJoint 0.14 conventions: ~jobs and ~log, markers only on special types';
  return (
    <span className="conventions-label" data-conventions={conventions} title={why}>
      DataJoint {conventions}
    </span>
  );
}
