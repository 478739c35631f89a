import type { Conventions } from '../../../shared/model/conventions';
import { printDefinition } from '../../../shared/model/definition';
import { parseText } from './draft';
import { diffLines } from './line-diff';

/** The core's canonical layout of a definition, so spacing and quoting differences are not shown as changes. */
export function canonicalText(text: string, conventions: Conventions): string {
  const parsed = parseText(text, undefined, conventions).definition;
  return parsed ? printDefinition(parsed) : text;
}

/** Old vs new definition, line by line; applying is the migration wizard's job. */
export function DefinitionDiff({
  before,
  after,
  conventions,
}: {
  before: string;
  after: string;
  /** The table's schema's: `int32` is a type only in DataJoint 2 conventions. */
  conventions: Conventions;
}) {
  const lines = diffLines(canonicalText(before, conventions), canonicalText(after, conventions));
  const changed = lines.some((l) => l.kind !== 'same');
  return (
    <section className="designer-section" aria-label="Changes to the definition">
      <div className="designer-section-head">
        <h3>Changes</h3>
      </div>
      {changed ? (
        <pre className="code-block designer-diff">
          {lines.map((l, i) => (
            <div key={i} className={`diff-${l.kind}`}>
              <span aria-hidden="true">{l.kind === 'added' ? '+ ' : l.kind === 'removed' ? '- ' : '  '}</span>
              <span className="visually-hidden">{l.kind === 'same' ? '' : `${l.kind}: `}</span>
              {l.text}
            </div>
          ))}
        </pre>
      ) : (
        <p className="faint">No changes yet: edit the grid or the text to see the difference to the declared table.</p>
      )}
      <p className="message message-info" role="note">
        Tables that hold data change through a migration: “Apply with a migration…” shows the plan, a dry run on copies,
        then copies, verifies and swaps the tables, with rollback. Nothing is written here.
      </p>
    </section>
  );
}
