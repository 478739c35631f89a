import type { HardwareProfile } from '../../../shared/api/schemas/worker';
import { DONATION_STATE_LABEL, donationState } from '../../../shared/model/donation-state';
import { useApiMutation, useApiQuery } from '../../api/hooks';
import { BusyButton } from '../../components/busy-button';
import { ErrorMessage } from '../../components/error-message';
import { toErrorData } from '../../lib/app-errors';
import { formatBytes } from './worker-format';

/** This machine: what it has, the donation switch, what it does now and why, and its live use. */
export function ThisMachine({ connectionId }: { connectionId: string }) {
  const probe = useApiQuery('workers.probe', {}, { staleTime: Infinity });
  const status = useApiQuery('workers.status', {});
  const settings = useApiQuery('workers.settings', {});
  const start = useApiMutation('workers.start');
  const stop = useApiMutation('workers.stop');
  const isOn = status.data?.running ?? false;
  // the switch shows the owner's intent at once; the reason line says what the worker does meanwhile
  const isShownOn = start.isPending ? true : stop.isPending ? false : isOn;
  const state = status.data ? donationState(status.data, settings.data?.policy) : null;
  const busy = start.isPending || stop.isPending;
  const toggle = () => {
    start.reset();
    stop.reset();
    if (isOn) stop.mutate({ mode: 'finish' });
    else start.mutate({ connectionId });
  };
  const failure = start.error ?? stop.error;

  return (
    <section className="card worker-card" aria-labelledby="this-machine-title">
      <div className="worker-card-head">
        <div>
          <h2 id="this-machine-title">This machine</h2>
          <p className="muted">{probe.data ? machineLine(probe.data) : 'Probing CPU, memory, GPUs and Docker…'}</p>
        </div>
        <label className="switch">
          <input
            type="checkbox"
            role="switch"
            checked={isShownOn}
            disabled={busy || !status.data}
            onChange={toggle}
            aria-describedby="donation-reason"
          />
          <span className="switch-track" aria-hidden="true" />
          <span>Donate this machine</span>
        </label>
      </div>
      {failure && <ErrorMessage error={toErrorData(failure)} />}
      {status.error && <ErrorMessage error={toErrorData(status.error)} />}
      <p id="donation-reason" className={`donation-reason state-${state ?? 'off'}`} data-donation-state={state ?? ''}>
        <span className="state-pill">
          {start.isPending ? 'Starting' : stop.isPending ? 'Stopping' : state ? DONATION_STATE_LABEL[state] : '…'}
        </span>
        <span>
          {busy
            ? isOn
              ? 'Stopping after the jobs in hand…'
              : 'Registering with the lab…'
            : state === 'off'
              ? 'Not donating this machine. Turn the switch on to run the lab’s jobs here, within the policy below.'
              : status.data?.reason}
        </span>
      </p>
      {isOn && (
        <div className="row-actions">
          <BusyButton
            small
            busy={stop.isPending && stop.variables?.mode === 'release'}
            disabled={busy}
            onClick={() => stop.mutate({ mode: 'release' })}
          >
            Stop now and hand the jobs back
          </BusyButton>
          {settings.data?.donateTo && <span className="faint mono">{settings.data.donateTo}</span>}
        </div>
      )}
      {probe.error && <ErrorMessage error={toErrorData(probe.error)} />}
      {probe.data && <Hardware hw={probe.data} />}
      <LiveUse totalMemory={probe.data?.memoryBytes ?? null} />
      <JobsHere
        connectionId={connectionId}
        workerId={status.data?.workerId ?? null}
        running={status.data?.runningJobs ?? 0}
      />
    </section>
  );
}

function machineLine(hw: HardwareProfile): string {
  return `${hw.hostname} · ${hw.os.distro} ${hw.os.release} (${hw.os.arch})`;
}

function Hardware({ hw }: { hw: HardwareProfile }) {
  return (
    <dl className="facts hardware" aria-label="Hardware">
      <dt>CPU</dt>
      <dd>
        {hw.cpu.model} · {hw.cpu.cores} cores, {hw.cpu.threads} threads
        {hw.cpu.speedGHz ? ` · ${hw.cpu.speedGHz.toFixed(1)} GHz` : ''}
      </dd>
      <dt>Memory</dt>
      <dd>{formatBytes(hw.memoryBytes)}</dd>
      <dt>GPUs</dt>
      <dd>
        {hw.gpus.length === 0
          ? 'None found (nvidia-smi did not list any)'
          : hw.gpus.map((g) => (
              <div key={g.index}>
                {g.index}: {g.model}
                {g.memoryMiB ? ` · ${formatBytes(g.memoryMiB * 1024 * 1024)}` : ''}
                {g.cudaVersion ? ` · CUDA ${g.cudaVersion}` : ''}
              </div>
            ))}
      </dd>
      <dt>Docker</dt>
      <dd>{hw.docker.available ? `Docker ${hw.docker.version ?? ''}` : (hw.docker.problem ?? 'Not available')}</dd>
      <dt>Free disk</dt>
      <dd>{formatBytes(hw.diskFreeBytes)}</dd>
    </dl>
  );
}

function LiveUse({ totalMemory }: { totalMemory: number | null }) {
  const load = useApiQuery('workers.load', {}, { refetchInterval: 3000 });
  if (!load.data) return null;
  const cpu = Math.round(load.data.cpuPercent);
  const usedMemory = totalMemory === null ? null : Math.max(0, totalMemory - load.data.memoryAvailableBytes);
  const memPercent = usedMemory === null || !totalMemory ? 0 : Math.round((100 * usedMemory) / totalMemory);
  return (
    <div className="live-use" aria-label="Live use">
      <Meter label="CPU" value={cpu} text={`${cpu}%`} />
      <Meter label="Memory" value={memPercent} text={usedMemory === null ? '—' : `${formatBytes(usedMemory)} used`} />
      {load.data.idleSeconds !== null && (
        <span className="muted">Owner idle for {Math.round(load.data.idleSeconds / 60)} min</span>
      )}
    </div>
  );
}

function Meter({ label, value, text }: { label: string; value: number; text: string }) {
  return (
    <div className="meter">
      <span className="meter-label">{label}</span>
      <progress max={100} value={value} aria-label={`${label} use`} />
      <span className="meter-text">{text}</span>
    </div>
  );
}

function JobsHere({
  connectionId,
  workerId,
  running,
}: {
  connectionId: string;
  workerId: string | null;
  running: number;
}) {
  const jobs = useApiQuery(
    'jobs.list',
    { connectionId, status: 'running', limit: 200 },
    { enabled: workerId !== null && running > 0 },
  );
  if (workerId === null) return null;
  // a donated worker's leases are named `<worker id>@<host>:<pid>:<loop>`
  const mine = (jobs.data?.jobs ?? []).filter((j) => j.worker.startsWith(`${workerId}@`));
  return (
    <div className="jobs-here">
      <h3>Jobs running here</h3>
      {running === 0 ? (
        <p className="muted">None right now.</p>
      ) : (
        <ul>
          {mine.map((j) => (
            <li key={`${j.full_name}:${j.key_hash}`}>
              <span className="mono">{j.full_name}</span> <span className="mono faint">{JSON.stringify(j.key)}</span>
            </li>
          ))}
          {mine.length < running && <li className="muted">{running - mine.length} more starting…</li>}
        </ul>
      )}
    </div>
  );
}
