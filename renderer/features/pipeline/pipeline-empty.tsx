import type { Dialect } from '../../../shared/api/schemas/connection';
/** A database without schemas: say what a schema is and how one comes to exist. */
export function PipelineEmpty({ dialect }: { dialect: Dialect }) {
  return (
    <section className="card empty-state" aria-labelledby="empty-title">
      <h2 id="empty-title">This database has no schemas yet</h2>
      <p>
        A DataJoint pipeline lives in schemas:{' '}
        {dialect === 'mysql'
          ? 'each schema is a MySQL/MariaDB database holding its tables.'
          : dialect === 'postgres'
            ? 'each schema is a PostgreSQL schema of the database in the connection URL.'
            : 'in a SQLite file, a schema is the prefix of its table names (lab.subject is the table subject of schema lab).'}{' '}
        Once tables are declared, they appear here with their tiers, keys and row counts.
      </p>
      <p>Designing tables in Joinery is coming. Meanwhile, declare them with DataJoint Python, for example:</p>
      <pre className="code-block">
        {
          'schema = dj.schema("lab")\n\n@schema\nclass Subject(dj.Manual):\n    definition = """\n    subject_id : int\n    ---\n    species : varchar(32)\n    """'
        }
      </pre>
    </section>
  );
}
