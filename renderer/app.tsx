import { useEffect } from 'react';
import { queryClient } from './api/server-state';
import { AppShell } from './components/app-shell';
import { BootScreen, LoginRequiredScreen, StartFailedScreen } from './components/session-screens';
import { ConnectionScreen } from './features/connections';
import { DataScreen } from './features/data';
import { DesignerHost, SampleOffer } from './features/designer';
import { JobsScreen } from './features/jobs';
import { MigrationsScreen } from './features/migrations';
import { NotificationCenter } from './features/notifications';
import { AffectedDiagram, PipelineScreen } from './features/pipeline';
import { SettingsScreen } from './features/settings';
import { WorkersScreen } from './features/workers';
import type { PageId } from './stores/ui-slice';
import { useAppStore } from './stores/use-app-store';

/** The Pipeline page: the pipeline screen with the designer's entry points (New table, first-run sample). */
function PipelinePage({ connectionId }: { connectionId: string }) {
  // the core's pipeline.changed event refreshes the diagram too; this covers a missed event
  const reload = () => void queryClient.invalidateQueries({ predicate: (q) => q.queryKey[0] === 'pipeline.inspect' });
  return (
    <>
      <SampleOffer connectionId={connectionId} onCreated={reload} />
      <PipelineScreen connectionId={connectionId} />
      <DesignerHost connectionId={connectionId} onChanged={reload} />
    </>
  );
}

/** The screen of a page; only Settings works without an open database. */
function PageContent({ page, connectionId }: { page: PageId; connectionId: string | null }) {
  if (page === 'settings') return <SettingsScreen />;
  if (connectionId === null) return <ConnectionScreen />;
  switch (page) {
    case 'pipeline':
      return <PipelinePage connectionId={connectionId} />;
    case 'data':
      return <DataScreen connectionId={connectionId} />;
    case 'jobs':
      return <JobsScreen connectionId={connectionId} />;
    case 'workers':
      return <WorkersScreen connectionId={connectionId} />;
    case 'migrations':
      return <MigrationsScreen connectionId={connectionId} diagram={<AffectedDiagram connectionId={connectionId} />} />;
  }
}

function Workspace() {
  const page = useAppStore((s) => s.ui.page);
  const currentId = useAppStore((s) => s.connections.currentId);
  const isPicking = useAppStore((s) => s.connections.isPicking);
  const showConnect = isPicking || (currentId === null && page !== 'settings');
  return (
    <>
      <AppShell title={showConnect ? 'Open a database' : ''}>
        {isPicking ? <ConnectionScreen /> : <PageContent page={page} connectionId={currentId} />}
      </AppShell>
      <NotificationCenter connectionId={currentId} />
    </>
  );
}

/** Start-up and login states first; then the shell. */
export function App() {
  const status = useAppStore((s) => s.session.status);
  const error = useAppStore((s) => s.session.error);
  const boot = useAppStore((s) => s.boot);
  useEffect(() => {
    void boot();
  }, [boot]);

  if (status === 'login-required') return <LoginRequiredScreen error={error} />;
  if (status === 'failed' && error) return <StartFailedScreen error={error} />;
  if (status !== 'ready') return <BootScreen />;
  return <Workspace />;
}
