import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { session, shell, type IpcMainInvokeEvent, type WebContents } from 'electron';

/** The renderer's index.html, the only page the window may show. */
export function rendererIndex(appRoot: string): string {
  return path.join(appRoot, 'dist', 'renderer', 'index.html');
}

let trustedPrefix = '';

/** Remembers which file:// folder holds the trusted renderer. */
export function setTrustedRendererRoot(appRoot: string): void {
  trustedPrefix = pathToFileURL(path.join(appRoot, 'dist', 'renderer') + path.sep).href;
}

/** Only the top frame of our own renderer may call the core (GitHub Desktop's trusted-sender check). */
export function isTrustedSender(event: IpcMainInvokeEvent): boolean {
  const frame = event.senderFrame;
  return Boolean(frame && frame === event.sender.mainFrame && trustedPrefix && frame.url.startsWith(trustedPrefix));
}

const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

/** CSP on every response, no permission grants, no navigation away, external links to the browser. */
export function hardenSession(): void {
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } });
  });
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
}

/** Denies in-window navigation and new windows; https links open in the user's browser. */
export function hardenContents(contents: WebContents): void {
  contents.on('will-navigate', (e) => e.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (url.startsWith('https://')) void shell.openExternal(url);
    return { action: 'deny' };
  });
}
