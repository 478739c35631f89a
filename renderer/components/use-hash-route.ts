import { useEffect } from 'react';
import { isPageId } from '../stores/ui-slice';
import { useAppStore } from '../stores/use-app-store';

const pageOfHash = (hash: string) => hash.replace(/^#\/?/, '');

/**
 * Keeps the current page and the address-bar fragment (`#/jobs`) in step, so links, Back and
 * reload work, from file:// in the desktop app as well as from the web server's single `/`.
 */
export function useHashRoute(): void {
  const page = useAppStore((s) => s.ui.page);
  const navigate = useAppStore((s) => s.navigate);

  useEffect(() => {
    const read = () => {
      const id = pageOfHash(window.location.hash);
      if (isPageId(id)) navigate(id);
    };
    read();
    window.addEventListener('hashchange', read);
    return () => window.removeEventListener('hashchange', read);
  }, [navigate]);

  useEffect(() => {
    if (pageOfHash(window.location.hash) !== page) window.history.replaceState(window.history.state, '', `#/${page}`);
  }, [page]);
}
