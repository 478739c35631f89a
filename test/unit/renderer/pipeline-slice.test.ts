import { describe, expect, it } from 'vitest';
import type { PipelineInfo } from '../../../shared/api/schemas/pipeline';
import { selectSelectedTable } from '../../../renderer/stores/selectors';
import { tableKey } from '../../../renderer/stores/pipeline-slice';
import { pipeline, table } from './fixtures';
import { deferred, failWith, makeStore } from './fake-api';

const lab = pipeline([
  table('lab', '#rig', { class_name: 'Rig', tier: 'Lookup' }),
  table('lab', 'subject', { class_name: 'Subject' }),
]);

describe('pipeline slice', () => {
  it('loads once per connection unless forced', async () => {
    const { store, calls } = makeStore({ 'pipeline.inspect': () => lab });
    await store.getState().loadPipeline('c1');
    await store.getState().loadPipeline('c1');
    expect(calls).toHaveLength(1);
    expect(store.getState().pipeline).toMatchObject({ status: 'ready', connectionId: 'c1', info: lab });
    await store.getState().loadPipeline('c1', { force: true });
    expect(calls).toHaveLength(2);
    expect(calls[0]!.input).toEqual({ connectionId: 'c1' });
  });

  it('selects a table by <schema>.<table_name>, the data-table value', async () => {
    const { store } = makeStore({ 'pipeline.inspect': () => lab });
    await store.getState().loadPipeline('c1');
    store.getState().selectTable(tableKey('lab', '#rig'));
    expect(selectSelectedTable(store.getState())?.class_name).toBe('Rig');
  });

  it('keeps the selection across a refresh while the table exists, and drops it otherwise', async () => {
    let info: PipelineInfo = lab;
    const { store } = makeStore({ 'pipeline.inspect': () => info });
    await store.getState().loadPipeline('c1');
    store.getState().selectTable('lab.subject');
    await store.getState().loadPipeline('c1', { force: true });
    expect(store.getState().pipeline.selected).toBe('lab.subject');
    info = pipeline([table('lab', '#rig')]);
    await store.getState().loadPipeline('c1', { force: true });
    expect(store.getState().pipeline.selected).toBeNull();
  });

  it('ignores an answer that arrives after the user moved to another connection', async () => {
    const slow = deferred<PipelineInfo>();
    const other = pipeline([]);
    const { store } = makeStore({ 'pipeline.inspect': (i) => (i.connectionId === 'old' ? slow.promise : other) });
    const first = store.getState().loadPipeline('old');
    await store.getState().loadPipeline('new');
    slow.resolve(lab);
    await first;
    expect(store.getState().pipeline).toMatchObject({ connectionId: 'new', info: other });
  });

  it('keeps the error to show with a retry', async () => {
    const { store } = makeStore({
      'pipeline.inspect': failWith({ code: 'NOT_CONNECTED', message: 'gone', hint: 'Open it again.' }),
    });
    await store.getState().loadPipeline('c1');
    expect(store.getState().pipeline).toMatchObject({
      status: 'error',
      error: { code: 'NOT_CONNECTED', hint: 'Open it again.' },
    });
  });
});
