import { describe, expect, it } from 'vitest';
import { makeStore } from './fake-api';

describe('pipeline slice (client state of the diagram)', () => {
  it('keeps the selection and view of one connection, and starts fresh for another', () => {
    const { store } = makeStore({});
    const s = () => store.getState();
    s().viewConnection('c1');
    s().selectTable('lab.subject');
    s().showSchemas(['lab']);
    s().toggleTier('Part');
    s().toggleCollapsed('ephys');
    s().viewConnection('c1'); // the same connection again: nothing is lost
    expect(s().pipeline).toMatchObject({
      connectionId: 'c1',
      selected: 'lab.subject',
      schemas: ['lab'],
      hiddenTiers: ['Part'],
      collapsed: ['ephys'],
    });
    s().viewConnection('c2');
    expect(s().pipeline).toEqual({
      connectionId: 'c2',
      selected: null,
      schemas: null,
      hiddenTiers: [],
      collapsed: [],
    });
  });

  it('toggles a tier filter and a collapsed schema off again', () => {
    const { store } = makeStore({});
    const s = () => store.getState();
    s().toggleTier('Computed');
    s().toggleTier('Lookup');
    s().toggleTier('Computed');
    s().toggleCollapsed('lab');
    s().toggleCollapsed('lab');
    expect(s().pipeline.hiddenTiers).toEqual(['Lookup']);
    expect(s().pipeline.collapsed).toEqual([]);
  });

  it('reads no server state: pipeline.inspect is left to TanStack Query', () => {
    const { store, calls } = makeStore({});
    store.getState().viewConnection('c1');
    store.getState().selectTable('lab.subject');
    expect(calls).toEqual([]);
  });
});
