import { PlaceholderScreen } from '../../components/placeholder-screen';

/** Placeholder until the jobs screen lands. */
export function JobsScreen() {
  return (
    <PlaceholderScreen
      title="Jobs"
      summary="Pending, running and failed computations of Imported and Computed tables."
      planned={[
        'Pending keys per table, live as upstream rows arrive.',
        'Running jobs with their logs, failed jobs with their error, retry and cancel.',
        'Provenance of every computed row: task version, image, inputs, worker.',
      ]}
      meanwhile={[
        <>
          See reservations and errors with DataJoint Python: <code>schema.jobs</code> (the <code>~jobs</code> table).
        </>,
        <>
          Run computations with DataJoint Python: <code>Table.populate(reserve_jobs=True)</code>; Joinery will honour
          the same <code>~jobs</code> reservations.
        </>,
      ]}
    />
  );
}
