import { PlaceholderScreen } from '../../components/placeholder-screen';

/** Placeholder until the migration wizard lands. */
export function MigrationsScreen() {
  return (
    <PlaceholderScreen
      title="Migrations"
      summary="Change table definitions that already hold data, safely."
      planned={[
        'A plan from the definition change, with the SQL it will run.',
        'Shadow copies, verification (row counts, checksums, orphans) and one atomic swap.',
        'Rollback until you discard the old tables.',
      ]}
      meanwhile={[
        <>
          Back up the database first (<code>mysqldump</code>, or a copy of the SQLite file).
        </>,
        <>
          Use DataJoint Python’s <code>Table.alter()</code> for secondary attributes; other changes need a manual copy.
        </>,
      ]}
    />
  );
}
