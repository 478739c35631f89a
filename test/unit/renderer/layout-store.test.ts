import { describe, expect, it } from 'vitest';
import { useLayoutStore } from '../../../renderer/stores/layout-store';

describe('layout store: where a designed table was dropped', () => {
  it('hands a pending position to the diagram once', () => {
    const s = useLayoutStore.getState();
    s.setPendingPosition('lab.scan', { x: 120, y: 340 });
    expect(useLayoutStore.getState().pendingPositions).toEqual({ 'lab.scan': { x: 120, y: 340 } });
    expect(useLayoutStore.getState().takePendingPosition('lab.scan')).toEqual({ x: 120, y: 340 });
    expect(useLayoutStore.getState().takePendingPosition('lab.scan')).toBeUndefined();
    expect(useLayoutStore.getState().pendingPositions).toEqual({});
  });
});
