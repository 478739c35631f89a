import { describe, expect, it } from 'vitest';
import { makeStore } from './fake-api';

describe('workbench slice (hand-offs between screens)', () => {
  it("hands the designer's edit to the migration wizard: one entry per table, the Migrations page shown", () => {
    const { store } = makeStore({});
    const s = () => store.getState();
    s().openDesigner({ mode: 'edit', table: 'lab.subject' });
    s().openMigration({ table: 'lab.subject', definition: 'a : int\n' });
    expect(s().workbench.designer).toBeNull();
    expect(s().ui.page).toBe('migrations');
    s().setMigrationDraft([{ ...s().workbench.migrationDraft[0]!, values: { lab: 'hub' } }]);
    s().openMigration({ table: 'lab.session', definition: 'b : int\n' });
    // editing the same table again replaces its entry (values typed for the old text no longer apply)
    s().openMigration({ table: 'lab.subject', definition: 'c : int\n' });
    expect(s().workbench.migrationDraft).toEqual([
      { table: 'lab.session', definition: 'b : int\n', values: {}, renames: {} },
      { table: 'lab.subject', definition: 'c : int\n', values: {}, renames: {} },
    ]);
  });

  it('holds the tables the diagram highlights', () => {
    const { store } = makeStore({});
    store.getState().highlightTables(['lab.subject', 'lab.session']);
    expect(store.getState().workbench.highlight).toEqual(['lab.subject', 'lab.session']);
    expect(store.getState().workbench.highlightNote).toBeNull();
    store.getState().highlightTables(['lab.subject'], { note: 'why', badges: { 'lab.subject': '+2 jobs' } });
    expect(store.getState().workbench).toMatchObject({
      highlightNote: 'why',
      highlightBadges: { 'lab.subject': '+2 jobs' },
    });
    store.getState().highlightTables([]);
    expect(store.getState().workbench).toMatchObject({ highlight: [], highlightNote: null, highlightBadges: {} });
  });
});
