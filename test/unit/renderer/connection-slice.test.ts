import { describe, expect, it } from 'vitest';
import { selectCurrentConnection, selectShowsConnectionScreen } from '../../../renderer/stores/selectors';
import { summary } from './fixtures';
import { deferred, failWith, makeStore } from './fake-api';

const listOf =
  (ids: string[] = []) =>
  () => ({ open: ids.map((id) => summary(id)), recent: [] });

describe('connection slice', () => {
  it('shows the busy state while connection.open runs, then makes the connection current', async () => {
    const pending = deferred<ReturnType<typeof summary>>();
    const { store, calls } = makeStore({ 'connection.open': () => pending.promise, 'connection.list': listOf(['x']) });
    const done = store.getState().openConnection('sqlite', 'sqlite-open', { url: 'sqlite:/tmp/x.db', mustExist: true });
    expect(store.getState().connections.pending).toEqual({ action: 'sqlite-open', url: 'sqlite:/tmp/x.db' });
    // a second click while busy is ignored
    expect(await store.getState().openConnection('sqlite', 'sqlite-create', { url: 'sqlite:/tmp/y.db' })).toBe(false);
    pending.resolve(summary('x'));
    expect(await done).toBe(true);
    const s = store.getState();
    expect(s.connections.pending).toBeNull();
    expect(s.connections.currentId).toBe('x');
    expect(selectCurrentConnection(s)?.label).toBe('x.db');
    expect(selectShowsConnectionScreen(s)).toBe(false);
    expect(calls[0]).toEqual({ method: 'connection.open', input: { url: 'sqlite:/tmp/x.db', mustExist: true } });
  });

  it('keeps the error for the form that caused it', async () => {
    const error = {
      code: 'DB_NOT_FOUND',
      message: 'There is no SQLite file at /tmp/no.db.',
      hint: 'Check the path.',
      details: { field: 'url' },
    } as const;
    const { store } = makeStore({ 'connection.open': failWith(error) });
    expect(await store.getState().openConnection('sqlite', 'sqlite-open', { url: 'sqlite:/tmp/no.db' })).toBe(false);
    expect(store.getState().connections.error).toEqual({ form: 'sqlite', error });
    expect(store.getState().connections.pending).toBeNull();
    expect(store.getState().connections.currentId).toBeNull();
  });

  it('keeps the probe of a successful test and clears it on the next attempt', async () => {
    const { store } = makeStore({
      'connection.test': (i) => ({ dialect: 'mysql', serverVersion: '10.11.19-MariaDB', url: i.url }),
      'connection.open': failWith({ code: 'DB_AUTH', message: 'refused', details: { field: 'password' } }),
    });
    await store.getState().testConnection({ url: 'mysql://root@db:3306', password: 'pw' });
    expect(store.getState().connections.probe?.serverVersion).toBe('10.11.19-MariaDB');
    await store.getState().openConnection('mysql', 'mysql-connect', { url: 'mysql://root@db:3306', password: 'x' });
    expect(store.getState().connections.probe).toBeNull();
    expect(store.getState().connections.error?.form).toBe('mysql');
  });

  it('closes the current connection and shows the connection screen', async () => {
    const { store, calls } = makeStore({
      'connection.list': listOf(['a']),
      'connection.close': () => ({ done: true }),
    });
    await store.getState().refreshConnections({ adoptOpen: true });
    await store.getState().closeConnection();
    expect(calls.find((c) => c.method === 'connection.close')?.input).toEqual({ connectionId: 'a' });
    expect(store.getState().connections.currentId).toBeNull();
    expect(selectShowsConnectionScreen(store.getState())).toBe(true);
  });

  it('treats closing an already closed connection as done', async () => {
    const { store } = makeStore({
      'connection.list': listOf(['a']),
      'connection.close': failWith({ code: 'NOT_CONNECTED', message: 'No open connection with id a.' }),
    });
    await store.getState().refreshConnections({ adoptOpen: true });
    await store.getState().closeConnection();
    expect(store.getState().connections).toMatchObject({ currentId: null, error: null });
  });

  it('switching keeps the connection open until another one is opened', async () => {
    const { store } = makeStore({ 'connection.list': listOf(['a']), 'connection.open': () => summary('b') });
    await store.getState().refreshConnections({ adoptOpen: true });
    store.getState().startSwitch();
    expect(selectShowsConnectionScreen(store.getState())).toBe(true);
    expect(store.getState().connections.currentId).toBe('a');
    store.getState().cancelSwitch();
    expect(selectShowsConnectionScreen(store.getState())).toBe(false);
    store.getState().startSwitch();
    await store.getState().openConnection('recent', 'recent', { url: 'sqlite:/tmp/b.db' });
    expect(store.getState().connections).toMatchObject({ currentId: 'b', isPicking: false });
  });

  it('notices when the current connection was closed elsewhere, but not its own echo', async () => {
    const { store } = makeStore({ 'connection.list': listOf(['a']) });
    await store.getState().refreshConnections({ adoptOpen: true });
    store.getState().applyOpenConnections([summary('z')]);
    expect(store.getState().connections.currentId).toBeNull();
    expect(store.getState().connections.notice).toMatch(/a\.db was closed/);
  });

  it('does not report its own close as "closed elsewhere"', async () => {
    const closing = deferred<{ done: true }>();
    const { store } = makeStore({ 'connection.list': listOf(['a']), 'connection.close': () => closing.promise });
    await store.getState().refreshConnections({ adoptOpen: true });
    const done = store.getState().closeConnection();
    store.getState().applyOpenConnections([]); // the event arrives before the answer
    closing.resolve({ done: true });
    await done;
    expect(store.getState().connections).toMatchObject({ currentId: null, notice: null });
  });

  it('does not adopt an open connection unless asked (the user closed theirs)', async () => {
    const { store } = makeStore({ 'connection.list': listOf(['a']) });
    await store.getState().refreshConnections();
    expect(store.getState().connections.currentId).toBeNull();
    expect(store.getState().connections.open).toHaveLength(1);
  });

  it('keeps working when the recent list cannot be read', async () => {
    const { store } = makeStore({ 'connection.list': failWith({ code: 'INTERNAL', message: 'disk full' }) });
    await store.getState().refreshConnections();
    expect(store.getState().connections.listError?.message).toBe('disk full');
  });

  it('leaves the connection screen when a page is chosen in the navigation', async () => {
    const { store } = makeStore({ 'connection.list': listOf(['a']) });
    await store.getState().refreshConnections({ adoptOpen: true });
    store.getState().startSwitch();
    store.getState().navigate('pipeline');
    expect(store.getState().connections.isPicking).toBe(false);
    store.getState().navigate('jobs');
    expect(store.getState().ui.page).toBe('jobs');
  });
});
