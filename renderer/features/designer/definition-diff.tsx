import { printDefinition } from '../../../shared/model/definition';
import { parseText } from './draft';
import { diffLines } from './line-diff';

/** The core's canonical layout of a definition, so spacing and quoting differences are not shown as changes. */
function canonical(text: string): string {
  const parsed = parseText(text).definition;
  return parsed ? printDefinition(parsed) : text;
}

/** Old vs new definition, line by line; applying waits for schema migrations (said, not faked). */
export function DefinitionDiff({ before, after }: { before: string; after: string }) {
  const lines = diffLines(canonical(before), canonical(after));
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
        Applying edits to existing tables comes with schema migrations (copy, verify, swap, with rollback). Until then
        this view shows what would change; nothing is applied.
      </p>
    </section>
  );
}
