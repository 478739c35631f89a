import { useMemo, useState } from 'react';
import { useApiQuery, useLiveWatch } from '../../api/hooks';
import { useTableProgress, type TableProgress } from '../../api/table-progress';
import { ClusterPanel } from './cluster-panel';
import { ErrorGroupsPanel } from './error-groups';
import { SelectionBar } from './job-actions';
import { JobDetail } from './job-detail';
import { JobFiltersBar } from './job-filters';
import { JobsTable } from './jobs-table';
import { useJobsUi, type JobsTab } from './jobs-store';
import { PopulateDialog, type PopulateScope } from './populate-dialog';
import { PopulateRuns } from './populate-runs';
import { ProgressPanel } from './progress-panel';
import { Timeline } from './timeline';
import { WaitingPanel } from './waiting-panel';

const TABS: ReadonlyArray<{ id: JobsTab; label: string }> = [
  { id: 'progress', label: 'Progress' },
  { id: 'jobs', label: 'Jobs' },
  { id: 'timeline', label: 'Timeline' },
];

function JobsView({ connectionId, progress }: { connectionId: string; progress: readonly TableProgress[] }) {
  const openJob = useJobsUi((s) => s.openJob);
  const open = useJobsUi((s) => s.open);
  const selected = useJobsUi((s) => s.selected);
  const setSelected = useJobsUi((s) => s.setSelected);
  const classNames = useMemo(() => new Map(progress.map((t) => [t.key, t.className])), [progress]);
  return (
    <div className="jobs-view">
      <ErrorGroupsPanel connectionId={connectionId} />
      <JobFiltersBar tables={progress} />
      {selected.size > 0 && (
        <SelectionBar connectionId={connectionId} selected={selected} onClear={() => setSelected([])} />
      )}
      <div className={`jobs-split${openJob ? ' has-detail' : ''}`}>
        <JobsTable connectionId={connectionId} classNames={classNames} />
        {openJob && (
          <JobDetail
            key={openJob}
            connectionId={connectionId}
            id={openJob}
            className={classNames.get(openJob.slice(0, openJob.lastIndexOf(':')))}
            onClose={() => open(null)}
          />
        )}
      </div>
    </div>
  );
}

/** The job monitor: progress per table and Populate, work waiting for user input, the jobs themselves, the timeline. */
export function JobsScreen({ connectionId }: { connectionId: string }) {
  useLiveWatch(connectionId);
  const tab = useJobsUi((s) => s.tab);
  const setTab = useJobsUi((s) => s.setTab);
  const progress = useTableProgress(connectionId);
  const pipeline = useApiQuery('pipeline.inspect', { connectionId, populate: false });
  const [dialog, setDialog] = useState<{ scope: PopulateScope; table?: TableProgress } | null>(null);
  const tables = progress.data ? [...progress.data.values()] : [];
  const allTables = pipeline.data ? Object.values(pipeline.data.schemas).flatMap((s) => s.tables) : [];
  const schemas = [...new Set(tables.map((t) => t.schema))];

  return (
    <div className="page jobs-page">
      <div className="page-head">
        <div>
          <h1>Jobs</h1>
          <p>Pending, running and failed computations of Imported and Computed tables, live.</p>
        </div>
      </div>
      <div className="tabs" role="tablist" aria-label="Job monitor">
        {TABS.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            id={`jobs-tab-${t.id}`}
            aria-selected={tab === t.id}
            aria-controls={`jobs-panel-${t.id}`}
            className="tab"
            onClick={() => setTab(t.id)}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`jobs-panel-${tab}`} aria-labelledby={`jobs-tab-${tab}`} className="tab-panel">
        <PopulateRuns connectionId={connectionId} />
        {tab === 'progress' && (
          <>
            <ProgressPanel connectionId={connectionId} onPopulate={(scope, table) => setDialog({ scope, table })} />
            <ClusterPanel connectionId={connectionId} />
            {allTables.length > 0 && <WaitingPanel connectionId={connectionId} tables={allTables} />}
          </>
        )}
        {tab === 'jobs' && <JobsView connectionId={connectionId} progress={tables} />}
        {tab === 'timeline' && <Timeline connectionId={connectionId} schemas={schemas} />}
      </div>
      {dialog && (
        <PopulateDialog
          connectionId={connectionId}
          scope={dialog.scope}
          table={dialog.table}
          onClose={() => setDialog(null)}
        />
      )}
    </div>
  );
}
