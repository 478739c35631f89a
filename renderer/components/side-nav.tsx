import { useAppStore } from '../stores/use-app-store';
import { PAGES, pageHref, type PageEntry } from './pages';

function NavLink({ page, isCurrent }: { page: PageEntry; isCurrent: boolean }) {
  const navigate = useAppStore((s) => s.navigate);
  // the fragment changes too (history, reload); the store is told at once, also when it stays the same
  return (
    <a
      className="nav-link"
      href={pageHref(page.id)}
      aria-current={isCurrent ? 'page' : undefined}
      onClick={() => navigate(page.id)}
    >
      <page.Icon />
      <span>{page.label}</span>
      {page.isComingSoon && (
        <span className="nav-soon" aria-hidden="true">
          soon
        </span>
      )}
    </a>
  );
}

/** The left navigation; links change the address-bar fragment, which drives the current page. */
export function SideNav() {
  const current = useAppStore((s) => s.ui.page);
  const version = useAppStore((s) => s.session.appInfo?.version);
  const main = PAGES.filter((p) => p.id !== 'settings');
  const settings = PAGES.find((p) => p.id === 'settings')!;
  return (
    <nav className="side-nav" aria-label="Main">
      <ul className="nav-list">
        {main.map((p) => (
          <li key={p.id}>
            <NavLink page={p} isCurrent={p.id === current} />
          </li>
        ))}
      </ul>
      <div>
        <ul className="nav-list">
          <li>
            <NavLink page={settings} isCurrent={current === 'settings'} />
          </li>
        </ul>
        {version && <p className="nav-footer">Joinery {version}</p>}
      </div>
    </nav>
  );
}
