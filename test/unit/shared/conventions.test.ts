import { describe, expect, it } from 'vitest';
import {
  conventionsOfDatabase,
  conventionsSigned,
  detectConventions,
  parseConventions,
  parseV2Type,
} from '../../../shared/model/conventions';
import { toAttribute } from '../../../shared/model/table-info';

const col = (comment: string) => ({ comment });

describe('detectConventions', () => {
  it('2 when the schema has ~lineage or a ~~<table> queue', () => {
    expect(detectConventions([{ name: '~lineage', columns: [] }])).toBe('2');
    expect(detectConventions([{ name: '~~spike_sorting', columns: [] }])).toBe('2');
  });
  it('0.14 when it has ~jobs or ~log', () => {
    expect(
      detectConventions([
        { name: '~log', columns: [] },
        { name: 'a', columns: [col(':int32:')] },
      ]),
    ).toBe('0.14');
  });
  it('by type markers otherwise: a core type or codec marker is 2, uuid or none is 0.14', () => {
    expect(detectConventions([{ name: 'a', columns: [col(':float64:Hz')] }])).toBe('2');
    expect(detectConventions([{ name: 'a', columns: [col(':<blob>:')] }])).toBe('2');
    expect(detectConventions([{ name: 'a', columns: [col(':uuid:'), col('plain')] }])).toBe('0.14');
    expect(detectConventions([])).toBe('0.14');
  });
});

describe('conventions of new schemas', () => {
  it('a schema tells by its DataJoint signs only; plain tables tell nothing', () => {
    expect(conventionsSigned([{ name: 'mouse', columns: [col('')] }])).toBeNull();
    expect(conventionsSigned([{ name: '~joinery_task', columns: [] }])).toBeNull();
    expect(conventionsSigned([{ name: '~jobs', columns: [] }])).toBe('0.14');
    expect(conventionsSigned([{ name: '~external_raw', columns: [] }])).toBe('0.14');
    expect(conventionsSigned([{ name: 'mouse', columns: [col(':float32:')] }])).toBe('2');
  });
  it("the database's majority; a new database or a tie is DataJoint 2", () => {
    expect(conventionsOfDatabase([])).toBe('2');
    expect(conventionsOfDatabase([null, null])).toBe('2');
    expect(conventionsOfDatabase(['0.14', null])).toBe('0.14');
    expect(conventionsOfDatabase(['0.14', '2'])).toBe('2');
    expect(conventionsOfDatabase(['0.14', '0.14', '2'])).toBe('0.14');
  });
  it('the setting is 0.14 or 2, else an error saying what to set', () => {
    expect(parseConventions('2', 'JOINERY_CONVENTIONS')).toBe('2');
    expect(() => parseConventions('2.3', 'JOINERY_CONVENTIONS')).toThrow(
      'JOINERY_CONVENTIONS is 0.14 or 2 (DataJoint\'s conventions for new schemas), not "2.3".',
    );
  });
});

describe('2.x attribute reading', () => {
  const column = (sqlType: string, comment: string) => ({
    name: 'x',
    sqlType,
    nullable: false,
    default: null,
    comment,
    inKey: false,
    autoIncrement: false,
    jsonChecked: false,
  });
  it('parses codecs and stores', () => {
    expect(parseV2Type('<blob@labstore>')).toEqual({ codec: 'blob', store: 'labstore' });
    expect(parseV2Type('<object@>')).toEqual({ codec: 'object', store: '' });
    expect(parseV2Type('int32')).toEqual({ codec: null, store: null });
  });
  it('an unmarked longblob is raw bytes in 2.x and a blob in 0.14', () => {
    expect(toAttribute(column('longblob', ''), '2').is_blob).toBe(false);
    expect(toAttribute(column('longblob', ''), '0.14').is_blob).toBe(true);
  });
  it('a codec Joinery does not know keeps its name and is read as its column, never guessed', () => {
    const a = toAttribute(column('longblob', ':<zarr>:volumes'), '2');
    expect(a).toMatchObject({ datajoint_type: '<zarr>', codec: 'zarr', is_blob: false, json: false, adapter: null });
    expect(a.comment).toBe('volumes');
  });
});
