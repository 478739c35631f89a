import type { Dialect } from '../../../shared/api/schemas/connection';
import { useState } from 'react';
import { useAppStore } from '../../stores/use-app-store';

const EXAMPLE = `[
  { "schema": "lab", "class_name": "Subject", "tier": "Manual",
    "definition": "subject_id : int\\n---\\nspecies : varchar(32)" }
]`;

/** The `joinery declare` command for this connection, with a button to copy it. */
function DeclareCommand({ connectionUrl }: { connectionUrl: string }) {
  const [copied, setCopied] = useState(false);
  const command = `joinery declare --db ${connectionUrl} --file defs.json`;
  return (
    <div className="command-line">
      <code>{command}</code>
      <button
        type="button"
        className="btn btn-small"
        onClick={() =>
          void navigator.clipboard
            ?.writeText(command)
            .then(() => setCopied(true))
            .catch(() => undefined)
        }
      >
        {copied ? 'Copied' : 'Copy'}
      </button>
    </div>
  );
}

/** A database without tables: Joinery's own ways to a first pipeline (the designer, `joinery declare`). */
export function PipelineEmpty(props: { dialect: Dialect; schemas: string[]; connectionUrl: string }) {
  const openDesigner = useAppStore((s) => s.openDesigner);
  const title = props.schemas.length === 0 ? 'This database has no schemas yet' : 'This database has no tables yet';
  return (
    <section className="card empty-state" aria-labelledby="empty-title">
      <h2 id="empty-title">{title}</h2>
      <p>
        A DataJoint pipeline lives in schemas:{' '}
        {props.dialect === 'mysql'
          ? 'each schema is a MySQL/MariaDB database holding its tables.'
          : props.dialect === 'postgres'
            ? 'each schema is a PostgreSQL schema of the database in the connection URL.'
            : 'in a SQLite file, a schema is the prefix of its table names (lab.subject is the table subject of schema lab).'}{' '}
        {props.schemas.length > 0 && `Schemas here: ${props.schemas.join(', ')}. `}
        Once tables are declared they appear here as a diagram, with their tiers, keys and row counts.
      </p>
      <div className="empty-actions">
        <button
          type="button"
          className="btn btn-primary"
          onClick={() => openDesigner({ mode: 'create', ...(props.schemas[0] ? { schema: props.schemas[0] } : {}) })}
        >
          Design a table
        </button>
      </div>
      <p>Or declare tables from a file of DataJoint definitions with the command line:</p>
      <DeclareCommand connectionUrl={props.connectionUrl} />
      <pre className="code-block">{`defs.json:\n${EXAMPLE}`}</pre>
    </section>
  );
}
