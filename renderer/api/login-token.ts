/** Query parameter of the link `joinery serve` prints (`http://127.0.0.1:<port>/?token=<token>`). */
export const TOKEN_PARAM = 'token';

/** The login token in a page URL and the same URL without it (for the address bar and history). */
export function splitLoginToken(href: string): { token: string | null; cleanUrl: string } {
  const url = new URL(href);
  const token = url.searchParams.get(TOKEN_PARAM);
  url.searchParams.delete(TOKEN_PARAM);
  return { token: token || null, cleanUrl: url.href };
}

/**
 * Reads the token from the address bar and removes it at once (history.replaceState), so it is
 * neither bookmarked, nor left in history, nor shown to anyone looking at the screen.
 */
export function takeLoginToken(location: Location, history: History): string | null {
  const { token, cleanUrl } = splitLoginToken(location.href);
  if (token !== null) history.replaceState(history.state, '', cleanUrl);
  return token;
}
