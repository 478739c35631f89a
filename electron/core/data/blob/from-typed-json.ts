import { PyDate, PyDateTime, PyTime } from '../python/datetime';
import { PyComplex, PyDecimal, pyFloat, pyInt, PyUuid } from '../python/values';
import { badJson, floatFromJson, intFromJson } from './json-scalars';
import { arrayAt, build, objectAt, shapeAt, stringAt } from './json-nodes';
import { MatCell, MatStruct, PyDict, PySet, PyTuple, RecArray, type BlobValue } from './model';
import { NdArray } from './model';
import { ndarrayFromJson } from './ndarray-from-json';

const itemsAt = (o: Record<string, unknown>, path: string): BlobValue[] =>
  arrayAt(o.items, `${path}.items`).map((x, i) => fromTypedJson(x, `${path}.items[${i}]`));

/**
 * Reads the typed JSON form back into blob values, validating every node. Why: values edited in
 * the UI or written by a container come back as JSON and must be re-encoded without loss; bad
 * input is a VALIDATION error naming the JSON path.
 */
export function fromTypedJson(json: unknown, path = '$'): BlobValue {
  const o = objectAt(json, path);
  const value = (): unknown => o.value;
  switch (o.type) {
    case 'none':
      return null;
    case 'bool':
      if (typeof o.value !== 'boolean') throw badJson('expected true or false', `${path}.value`);
      return o.value;
    case 'int':
      return pyInt(intFromJson(value(), `${path}.value`));
    case 'float':
      return pyFloat(floatFromJson(value(), `${path}.value`));
    case 'str':
      return stringAt(value(), `${path}.value`);
    case 'bytes': {
      const hex = stringAt(o.hex, `${path}.hex`);
      if (!/^([0-9a-fA-F]{2})*$/.test(hex)) throw badJson('expected an even number of hex digits', `${path}.hex`);
      return Uint8Array.from(Buffer.from(hex, 'hex'));
    }
    case 'complex': {
      const c = objectAt(value(), `${path}.value`);
      return new PyComplex(floatFromJson(c.re, `${path}.value.re`), floatFromJson(c.im, `${path}.value.im`));
    }
    case 'decimal':
      return build(path, () => new PyDecimal(stringAt(value(), `${path}.value`)));
    case 'uuid':
      return build(path, () => PyUuid.parse(stringAt(value(), `${path}.value`)));
    case 'date':
      return build(path, () => PyDate.parse(stringAt(value(), `${path}.value`)));
    case 'time':
      return build(path, () => PyTime.parse(stringAt(value(), `${path}.value`)));
    case 'datetime':
      return build(path, () => PyDateTime.parse(stringAt(value(), `${path}.value`)));
    case 'list':
      return itemsAt(o, path);
    case 'tuple':
      return new PyTuple(itemsAt(o, path));
    case 'set':
      return new PySet(itemsAt(o, path));
    case 'dict':
      return dictFromJson(o, path);
    case 'ndarray':
      return ndarrayFromJson(o, path, fromTypedJson);
    case 'recarray':
      return recarrayFromJson(o, path);
    case 'struct':
      return structFromJson(o, path);
    case 'cell': {
      const shape = shapeAt(o.shape, `${path}.shape`);
      const items = itemsAt(o, path);
      return build(path, () => new MatCell(shape, items));
    }
    default:
      throw badJson(`unknown type ${JSON.stringify(o.type)}`, `${path}.type`);
  }
}

function dictFromJson(o: Record<string, unknown>, path: string): PyDict {
  return new PyDict(
    arrayAt(o.items, `${path}.items`).map((pair, i) => {
      const p = arrayAt(pair, `${path}.items[${i}]`);
      if (p.length !== 2) throw badJson('expected a [key, value] pair', `${path}.items[${i}]`);
      return [fromTypedJson(p[0], `${path}.items[${i}][0]`), fromTypedJson(p[1], `${path}.items[${i}][1]`)];
    }),
  );
}

function recarrayFromJson(o: Record<string, unknown>, path: string): RecArray {
  const fields = objectAt(o.fields, `${path}.fields`);
  const names =
    o.names === undefined
      ? Object.keys(fields)
      : arrayAt(o.names, `${path}.names`).map((n, i) => stringAt(n, `${path}.names[${i}]`));
  const columns = names.map((name) => {
    const at = `${path}.fields[${JSON.stringify(name)}]`;
    if (!Object.hasOwn(fields, name)) throw badJson('missing field', at);
    const col = fromTypedJson(fields[name], at);
    if (!(col instanceof NdArray || col instanceof RecArray))
      throw badJson('a recarray field must be an ndarray or recarray', at);
    return col;
  });
  return build(path, () => new RecArray(names, columns));
}

function structFromJson(o: Record<string, unknown>, path: string): MatStruct {
  const shape = shapeAt(o.shape, `${path}.shape`);
  const fields = arrayAt(o.fields, `${path}.fields`).map((f, i) => stringAt(f, `${path}.fields[${i}]`));
  const values = arrayAt(o.records, `${path}.records`).map((rec, e) => {
    const r = objectAt(rec, `${path}.records[${e}]`);
    return fields.map((f) => {
      const at = `${path}.records[${e}][${JSON.stringify(f)}]`;
      if (!Object.hasOwn(r, f)) throw badJson('missing field', at);
      return fromTypedJson(r[f], at);
    });
  });
  return build(path, () => new MatStruct(shape, fields, values));
}
