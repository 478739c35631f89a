/**
 * Integration tests run against the real MariaDB and Docker. A missing service fails the run
 * with a message that says how to start it; JOINERY_SKIP=mysql,docker skips them explicitly
 * (never in CI).
 */
const skipped = new Set(
  (process.env.JOINERY_SKIP ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
);

/** True when the named service was explicitly skipped with JOINERY_SKIP. */
export function isSkipped(service: 'mysql' | 'docker' | 'slurm' | 'postgres'): boolean {
  return skipped.has(service);
}

/** How to start the services on a machine where `npm test` could not do it itself. */
export const START_SERVICES_HINT =
  'Start them with `sudo bash scripts/services.sh` (Debian), or set JOINERY_SKIP=mysql,docker,slurm,postgres to skip those tests.';
