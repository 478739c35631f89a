import { useEffect, type ReactNode } from 'react';
import { useAppStore } from '../stores/use-app-store';
import { AppHeader } from './app-header';
import { BrandMark } from './icons';
import { PAGES } from './pages';
import { SideNav } from './side-nav';
import { useHashRoute } from './use-hash-route';

/** Brand, left navigation, connection header, and the current screen in the main area. */
export function AppShell({ children, title }: { children: ReactNode; title: string }) {
  useHashRoute();
  const page = useAppStore((s) => s.ui.page);
  const pageLabel = PAGES.find((p) => p.id === page)?.label ?? '';

  useEffect(() => {
    document.title = `${title || pageLabel} · Joinery`;
  }, [title, pageLabel]);

  return (
    <div className="shell">
      <div className="brand">
        <BrandMark /> Joinery
      </div>
      <SideNav />
      <AppHeader />
      <main className="main" id="main">
        {children}
      </main>
    </div>
  );
}
