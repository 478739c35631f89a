import { PlaceholderScreen } from '../../components/placeholder-screen';

/** Placeholder until the workers screen lands. */
export function WorkersScreen() {
  return (
    <PlaceholderScreen
      title="Workers"
      summary="Machines that lend their CPUs, memory and GPUs to the pipeline’s jobs."
      planned={[
        'Each worker’s hardware, load, and the jobs it runs now.',
        'Policies: donate only when idle, time windows, CPU/RAM/GPU caps, pause, finish-then-stop.',
        'This computer as a worker, with one switch.',
      ]}
      meanwhile={[
        <>
          Run <code>populate()</code> from DataJoint Python on the machines that should compute.
        </>,
        <>
          A headless <code>joinery worker</code> command for servers is planned alongside this screen.
        </>,
      ]}
    />
  );
}
