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
        <div className="policy-grid">
          <fieldset className="policy-group">
            <legend>When</legend>
            <Check label="Pause (take no new jobs)" checked={draft.paused} onChange={(v) => set('paused', v)} />
            <Check
              label="Finish the jobs in hand, then stop"
              checked={draft.finishThenStop}
              onChange={(v) => set('finishThenStop', v)}
            />
            <Check label="Only when I am away" checked={draft.idleOnly} onChange={(v) => set('idleOnly', v)} />
            <TextField
              label="Away for at least (minutes)"
              inputMode="decimal"
              value={draft.idleMinutes}
              disabled={!draft.idleOnly}
              error={fieldError(errors, 'idleMinutes')}
              onChange={(e) => set('idleMinutes', e.target.value)}
            />
            <TextField
              label="Take no job while other programs use more CPU than (%)"
              inputMode="decimal"
              value={draft.maxSystemLoadPercent}
              error={fieldError(errors, 'maxSystemLoadPercent')}
              onChange={(e) => set('maxSystemLoadPercent', e.target.value)}
            />
          </fieldset>
          <fieldset className="policy-group">
            <legend>How much</legend>
            <TextField
              label="CPU share (%)"
              inputMode="decimal"
              value={draft.cpuPercent}
              error={fieldError(errors, 'cpuPercent')}
              onChange={(e) => set('cpuPercent', e.target.value)}
            />
            <TextField
              label="Memory share (%)"
              inputMode="decimal"
              value={draft.memoryPercent}
              error={fieldError(errors, 'memoryPercent')}
              onChange={(e) => set('memoryPercent', e.target.value)}
            />
            <TextField
              label="GPUs (empty: all)"
              inputMode="numeric"
              value={draft.maxGpus}
              error={fieldError(errors, 'maxGpus')}
              onChange={(e) => set('maxGpus', e.target.value)}
            />
          </fieldset>
          <TimeWindows windows={draft.windows} errors={errors} onChange={(w) => set('windows', w)} />
          <fieldset className="policy-group">
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
