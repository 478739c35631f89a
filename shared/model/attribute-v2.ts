import type { AttributeInfo } from '../api/schemas/pipeline';
import type { CatalogColumn } from './catalog';
import { parseV2Type } from './conventions';
import { NUMERIC, splitTypeComment, stripDisplayWidth } from './column-type';

/**
 * DataJoint 2.x's reading of a stored column (heading.py of 2.3): the type as declared from the
 * `:type:` marker (`int32`, `<blob@store>`), the native type where there is none (attributes
 * inherited through a foreign key), codecs and stores from `<codec@store>`. An unmarked
 * `longblob` is raw bytes, and a codec Joinery does not know keeps its name and is read as its
 * column (raw bytes or JSON), never guessed.
 */
export function toAttributeV2(c: CatalogColumn): AttributeInfo {
  const { special, comment } = splitTypeComment(c.comment);
  const datajointType = special ?? stripDisplayWidth(c.sqlType);
  const { codec, store } = special ? parseV2Type(special) : { codec: null, store: null };
  const inTableBlob = store === null && (codec === 'blob' || codec === 'attach');
  return {
    name: c.name,
    in_key: c.inKey,
    datajoint_type: datajointType,
    sql_type: c.sqlType,
    nullable: c.nullable,
    default: describeDefaultV2(c, special),
    comment,
    sql_comment: c.comment,
    autoincrement: c.autoIncrement,
    is_blob: inTableBlob,
    // 2.x stores keep JSON metadata in the row, not 0.14's `~external_*` tables: not "external" in 0.14's sense
    is_external: false,
    store,
    is_attachment: codec === 'attach',
    is_filepath: codec === 'filepath',
    uuid: special === 'uuid',
    // store-backed codecs keep their JSON metadata in a json column (longtext on MariaDB)
    json: special === 'json' || /^json$/i.test(c.sqlType) || (codec !== null && store !== null),
    adapter: null,
    hidden: c.name.startsWith('_'),
    codec,
    ...(c.jsonChecked ? { json_text: true as const } : {}),
    ...(c.lineage ? { lineage: c.lineage } : {}),
  };
}

/** As 2.x's describe(): numbers (bool included) bare, everything else quoted, `null` for nullable columns. */
function describeDefaultV2(c: CatalogColumn, special: string | null): string | null {
  if (c.nullable) return 'null';
  if (c.default === null) return null;
  if (NUMERIC.test(c.sqlType) && special !== 'uuid') return c.default;
  return `"${c.default}"`;
}
