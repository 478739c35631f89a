import { useId, type ReactNode } from 'react';
import type { Conventions, Tier } from '../../../shared/api/schemas/pipeline';
import { ConventionsLabel } from '../../components/conventions-label';
import { FieldError } from '../../components/error-message';
import type { DesignerFields, Problem } from './use-designer';

const TIERS: { tier: Tier; what: string }[] = [
  { tier: 'Manual', what: 'Manual: rows entered by people' },
  { tier: 'Lookup', what: 'Lookup: fixed parameters and options' },
  { tier: 'Imported', what: 'Imported: filled by a task from files' },
  { tier: 'Computed', what: 'Computed: filled by a task from upstream rows' },
  { tier: 'Part', what: 'Part: rows that belong to a master row' },
];

function Field({
  label,
  problem,
  children,
  wide,
}: {
  label: string;
  problem?: Problem;
  wide?: boolean;
  children: (id: string, describedBy: string | undefined) => ReactNode;
}) {
  const id = useId();
  return (
    <div className={`field${wide ? ' designer-field-wide' : ''}`}>
      <label htmlFor={id} className="field-label">
        {label}
      </label>
      {children(id, problem ? `${id}-error` : undefined)}
      {problem && (
        <FieldError id={`${id}-error`} error={{ code: 'VALIDATION', message: problem.message, hint: problem.hint }} />
      )}
    </div>
  );
}

/** Schema, class name, tier and table comment, each with its own problem under it. */
export function DesignerFieldsRow({
  fields,
  comment,
  schemas,
  problems,
  locked,
  conventions,
  isNewSchema,
  onFields,
  onComment,
}: {
  fields: DesignerFields;
  comment: string;
  schemas: string[];
  problems: Problem[];
  locked: boolean;
  /** The schema's conventions, and whether the schema is new (then the user picks them). */
  conventions: Conventions;
  isNewSchema: boolean;
  onFields(patch: Partial<DesignerFields>): void;
  onComment(comment: string): void;
}) {
  const of = (field: Problem['field']) => problems.find((p) => p.field === field);
  return (
    <div className="designer-fields">
      <Field label="Schema" problem={of('schema')}>
        {(id, by) => (
          <>
            <input
              id={id}
              className="input mono"
              list={`${id}-schemas`}
              value={fields.schema}
              readOnly={locked}
              aria-invalid={by ? true : undefined}
              aria-describedby={by}
              onChange={(e) => onFields({ schema: e.target.value })}
            />
            <datalist id={`${id}-schemas`}>
              {schemas.map((s) => (
                <option key={s} value={s} />
              ))}
            </datalist>
          </>
        )}
      </Field>
      <Field label="Conventions" problem={undefined}>
        {(id) =>
          isNewSchema && !locked ? (
            <select
              id={id}
              className="input"
              value={fields.conventions}
              onChange={(e) => onFields({ conventions: e.target.value as Conventions })}
            >
              <option value="0.14">DataJoint 0.14</option>
              <option value="2">DataJoint 2</option>
            </select>
          ) : (
            <span id={id} className="designer-conventions" title="An existing schema keeps its conventions">
              <ConventionsLabel conventions={conventions} />
            </span>
          )
        }
      </Field>
      <Field label="Class name" problem={of('class_name')}>
        {(id, by) => (
          <input
            id={id}
            className="input mono"
            value={fields.className}
            placeholder="e.g. SessionScan"
            readOnly={locked}
            aria-invalid={by ? true : undefined}
            aria-describedby={by}
            onChange={(e) => onFields({ className: e.target.value })}
          />
        )}
      </Field>
      <Field label="Tier" problem={of('tier')}>
        {(id, by) => (
          <select
            id={id}
            className={`input designer-tier tier-border-${fields.tier}`}
            value={fields.tier}
            disabled={locked}
            aria-invalid={by ? true : undefined}
            aria-describedby={by}
            onChange={(e) => onFields({ tier: e.target.value as Tier })}
          >
            {TIERS.map((t) => (
              <option key={t.tier} value={t.tier}>
                {t.what}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Table comment" wide>
        {(id) => (
          <input
            id={id}
            className="input"
            value={comment}
            placeholder="What one row of this table is"
            onChange={(e) => onComment(e.target.value)}
          />
        )}
      </Field>
    </div>
  );
}
