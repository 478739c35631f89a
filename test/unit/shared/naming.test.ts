import { describe, expect, it } from 'vitest';
import { classNameOf, fromCamelCase, masterOf, tableNameOf, tierOf, toCamelCase } from '../../../shared/model/naming';

describe('DataJoint naming', () => {
  it.each([
    ['subject', 'Manual', 'Subject', null],
    ['#ear_tag', 'Lookup', 'EarTag', null],
    ['_recording', 'Imported', 'Recording', null],
    ['__spike_detection', 'Computed', 'SpikeDetection', null],
    ['session__note', 'Part', 'Session.Note', 'session'],
    ['_recording__channel', 'Part', 'Recording.Channel', '_recording'],
    ['__spike_detection__unit', 'Part', 'SpikeDetection.Unit', '__spike_detection'],
    ['#rig__slot', 'Part', 'Rig.Slot', '#rig'],
  ])('%s is %s, class %s, master %s', (table, tier, cls, master) => {
    expect(tierOf(table)).toBe(tier);
    expect(classNameOf(table)).toBe(cls);
    expect(masterOf(table)).toBe(master);
  });

  it.each(['~jobs', '~external_raw', 'Subject', '1abc', '___x', 'a__', 'a-b'])('%s has no tier', (table) => {
    expect(tierOf(table)).toBeNull();
  });

  it('converts class names as DataJoint does', () => {
    expect(fromCamelCase('ROILabel')).toBe('r_o_i_label');
    expect(toCamelCase('r_o_i_label')).toBe('ROILabel');
    expect(tableNameOf('EEGChannel', 'Part', '_recording')).toBe('_recording__e_e_g_channel');
    expect(tableNameOf('SpikeDetection', 'Computed')).toBe('__spike_detection');
    expect(tableNameOf('Species', 'Lookup')).toBe('#species');
    expect(() => tableNameOf('Unit', 'Part')).toThrow(/master/);
  });
});
