import { describe, expect, it } from 'vitest';
import { NOT_LOGGED_IN } from '../../../renderer/stores/session-slice';
import { appInfo, summary } from './fixtures';
import { createFakeSession, failWith, makeStore } from './fake-api';

const list = (open = [summary('a')]) => ({ open, recent: [] });

describe('session slice', () => {
  it('logs in with the link token, reads app.info and adopts the open connection', async () => {
    const session = createFakeSession({ token: 'tok' });
    const { store, calls } = makeStore({ 'app.info': () => appInfo, 'connection.list': () => list() }, session);
    await store.getState().boot();
    const s = store.getState();
    expect(session.logins).toEqual(['tok']);
    expect(s.session.status).toBe('ready');
    expect(s.session.appInfo).toEqual(appInfo);
    expect(s.connections.currentId).toBe('a');
    expect(calls.map((c) => c.method)).toEqual(['app.info', 'connection.list']);
  });

  it('asks for the printed link when the token is refused', async () => {
    const session = createFakeSession({ token: 'old', loginOk: false });
    const { store, calls } = makeStore({ 'app.info': () => appInfo }, session);
    await store.getState().boot();
    expect(store.getState().session.status).toBe('login-required');
    expect(store.getState().session.error?.message).toMatch(/login link is not valid/);
    expect(calls).toHaveLength(0);
  });

  it('asks for the printed link when the server answers UNAUTHORIZED', async () => {
    const { store } = makeStore({ 'app.info': failWith({ code: 'UNAUTHORIZED', message: 'Not logged in.' }) });
    await store.getState().boot();
    expect(store.getState().session).toMatchObject({ status: 'login-required', error: NOT_LOGGED_IN });
  });

  it('shows the account form of `--auth mysql`, logs in with it, and logs out', async () => {
    const session = createFakeSession();
    let loggedIn = false;
    const { store } = makeStore(
      {
        'app.info': () => {
          if (!loggedIn) failWith({ code: 'UNAUTHORIZED', message: 'Not logged in.', details: { auth: 'account' } })();
          return appInfo;
        },
        'connection.list': () => list(),
      },
      session,
    );
    await store.getState().boot();
    expect(store.getState().session).toMatchObject({ status: 'login-required', auth: 'account' });
    loggedIn = true;
    expect(await store.getState().loginWithPassword('ann', 'secret')).toBeNull();
    expect(session.logins).toEqual(['user:ann']);
    expect(store.getState().session.status).toBe('ready');
    await store.getState().logout();
    expect(session.logins).toEqual(['user:ann', 'logout']);
    expect(store.getState().session).toMatchObject({ status: 'login-required', auth: 'account' });
  });

  it('reports other start failures and can start again', async () => {
    let fail = true;
    const { store } = makeStore({
      'app.info': () => {
        if (fail) throw new Error('boom');
        return appInfo;
      },
      'connection.list': () => list([]),
    });
    await store.getState().boot();
    expect(store.getState().session.status).toBe('failed');
    expect(store.getState().session.error?.hint).toBeTruthy();
    fail = false;
    await store.getState().boot();
    expect(store.getState().session.status).toBe('ready');
    expect(store.getState().connections.currentId).toBeNull();
  });

  it('boots once even when asked twice (React StrictMode runs effects twice)', async () => {
    const { store, calls } = makeStore({ 'app.info': () => appInfo, 'connection.list': () => list() });
    await Promise.all([store.getState().boot(), store.getState().boot()]);
    expect(calls.filter((c) => c.method === 'app.info')).toHaveLength(1);
  });

  it('switches to the login screen when a later call finds the session gone', async () => {
    const session = createFakeSession();
    const { store } = makeStore({ 'app.info': () => appInfo, 'connection.list': () => list() }, session);
    await store.getState().boot();
    session.fireLoginRequired();
    expect(store.getState().session.status).toBe('login-required');
  });

  it('follows connection.changed events after the start', async () => {
    const { store, emit } = makeStore({ 'app.info': () => appInfo, 'connection.list': () => list() });
    await store.getState().boot();
    emit('connection.changed', { open: [summary('a'), summary('b')] });
    expect(store.getState().connections.open.map((c) => c.id)).toEqual(['a', 'b']);
  });
});
