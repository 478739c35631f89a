import { useEffect, useState } from 'react';
import type { DonationPolicy } from '../../../shared/api/schemas/worker';
import { useApiMutation, useApiQuery } from '../../api/hooks';
import { BusyButton } from '../../components/busy-button';
import { ErrorMessage } from '../../components/error-message';
import { TextField } from '../../components/text-field';
import { toErrorData } from '../../lib/app-errors';
import { fromDraft, TASK_CLASSES, toDraft, toggleRefused, type PolicyDraft, type PolicyErrors } from './policy-draft';
import { TimeWindows } from './time-windows';

const fieldError = (errors: PolicyErrors, field: string) =>
  errors[field] ? { code: 'VALIDATION' as const, message: errors[field]! } : null;

/** The owner's policy: when this machine works, how much of it, and what it refuses. Saved on this machine. */
export function PolicyEditor() {
  const settings = useApiQuery('workers.settings', {});
  const save = useApiMutation('workers.setPolicy');
  const [draft, setDraft] = useState<PolicyDraft | null>(null);
  /** The saved policy the draft started from. */
  const [base, setBase] = useState<string | null>(null);
  const [errors, setErrors] = useState<PolicyErrors>({});
  const [savedAt, setSavedAt] = useState<number | null>(null);
  const saved = settings.data?.policy;
  useEffect(() => {
    if (!saved) return;
    const savedText = JSON.stringify(saved);
    // follow changes made elsewhere (the tray's pause, another window) unless the owner is editing
    const untouched = draft === null || JSON.stringify(fromDraft(draft).policy) === base;
    if (savedText !== base && untouched) {
      setDraft(toDraft(saved));
      setBase(savedText);
    }
  }, [saved, draft, base]);

  if (settings.error) return <ErrorMessage error={toErrorData(settings.error)} />;
  if (!draft || !saved) return null;
  const set = <K extends keyof PolicyDraft>(key: K, value: PolicyDraft[K]) => {
    setSavedAt(null);
    setDraft({ ...draft, [key]: value });
  };
  const fieldProps = { draft, errors, set };
  const isDirty = JSON.stringify(fromDraft(draft).policy) !== JSON.stringify(saved);
  const submit = () => {
    const result = fromDraft(draft);
    setErrors(result.errors ?? {});
    if (result.policy)
      save.mutate(
        { policy: result.policy },
        {
          onSuccess: (s) => {
            setDraft(toDraft(s.policy));
            setBase(JSON.stringify(s.policy));
            setSavedAt(Date.now());
          },
        },
      );
  };

  return (
    <section className="card worker-card" aria-labelledby="policy-title">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <div className="worker-card-head">
          <div>
            <h2 id="policy-title">Owner policy</h2>
            <p className="muted">When this machine takes jobs and how much of it they may use. Kept on this machine.</p>
          </div>
          <div className="row-actions">
            {savedAt && !isDirty && (
              <span className="saved-note" role="status">
                Saved
              </span>
            )}
            <BusyButton
              type="submit"
              variant="primary"
              small
              busy={save.isPending}
              busyText="Saving…"
              disabled={!isDirty}
            >
              Save policy
            </BusyButton>
          </div>
        </div>
        {save.error && <ErrorMessage error={toErrorData(save.error)} />}
        {errors.form && <ErrorMessage error={{ code: 'VALIDATION', message: errors.form }} />}
        <div className="field-groups">
          <fieldset className="field-group">
            <legend>When</legend>
            <Check label="Pause (take no new jobs)" checked={draft.paused} onChange={(v) => set('paused', v)} />
            <Check
              label="Finish the jobs in hand, then stop"
              checked={draft.finishThenStop}
              onChange={(v) => set('finishThenStop', v)}
            />
            <Check label="Only when I am away" checked={draft.idleOnly} onChange={(v) => set('idleOnly', v)} />
            <NumberField
              field="idleMinutes"
              label="Away for at least (minutes)"
              disabled={!draft.idleOnly}
              {...fieldProps}
            />
            <NumberField
              field="maxSystemLoadPercent"
              label="Take no job while other programs use more CPU than (%)"
              {...fieldProps}
            />
          </fieldset>
          <fieldset className="field-group">
            <legend>How much</legend>
            <NumberField field="cpuPercent" label="CPU share (%)" {...fieldProps} />
            <NumberField field="memoryPercent" label="Memory share (%)" {...fieldProps} />
            <NumberField field="maxGpus" label="GPUs (empty: all)" numeric {...fieldProps} />
          </fieldset>
          <TimeWindows windows={draft.windows} errors={errors} onChange={(w) => set('windows', w)} />
          <fieldset className="field-group">
            <legend>Refuse tasks that need</legend>
            {TASK_CLASSES.map((c) => (
              <Check
                key={c.label}
                label={c.text}
                checked={draft.refuseLabels.includes(c.label)}
                onChange={(v) => set('refuseLabels', toggleRefused(draft.refuseLabels, c.label, v))}
              />
            ))}
            <OwnerReturn value={draft.onOwnerReturn} onChange={(v) => set('onOwnerReturn', v)} />
          </fieldset>
        </div>
      </form>
    </section>
  );
}

type TextKey = 'idleMinutes' | 'maxSystemLoadPercent' | 'cpuPercent' | 'memoryPercent' | 'maxGpus';

/** One number of the policy, typed as text so a half-typed value stays until Save checks it. */
function NumberField(props: {
  field: TextKey;
  label: string;
  numeric?: boolean;
  disabled?: boolean;
  draft: PolicyDraft;
  errors: PolicyErrors;
  set(key: TextKey, value: string): void;
}) {
  const { field, draft } = props;
  return (
    <TextField
      label={props.label}
      inputMode={props.numeric ? 'numeric' : 'decimal'}
      value={draft[field]}
      disabled={props.disabled}
      error={fieldError(props.errors, field)}
      onChange={(e) => props.set(field, e.target.value)}
    />
  );
}

function Check({ label, checked, onChange }: { label: string; checked: boolean; onChange(v: boolean): void }) {
  return (
    <label className="checkbox">
      <input type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked)} />
      <span>{label}</span>
    </label>
  );
}

function OwnerReturn({
  value,
  onChange,
}: {
  value: DonationPolicy['onOwnerReturn'];
  onChange(v: DonationPolicy['onOwnerReturn']): void;
}) {
  return (
    <div role="radiogroup" aria-label="When I come back" className="owner-return">
      <span className="field-label">When I come back</span>
      <label className="checkbox">
        <input type="radio" checked={value === 'suspend'} onChange={() => onChange('suspend')} />
        <span>Pause the running jobs</span>
      </label>
      <label className="checkbox">
        <input type="radio" checked={value === 'requeue'} onChange={() => onChange('requeue')} />
        <span>Stop them and give them back (no retry spent)</span>
      </label>
    </div>
  );
}
