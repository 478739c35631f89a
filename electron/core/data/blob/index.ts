/**
 * DataJoint blob codec: decode/encode the `mYm`/`dj0` formats (with ZL123 compression) to and from
 * Joinery's value model, plus the lossless typed JSON form and a plain display form.
 */
export { decodeBlob, type DecodeOptions } from './decode';
export { encodeBlob, type EncodeOptions } from './encode';
export { inspectBlob, unwrapBlob, type BlobInfo, type BlobProtocol, type UnwrapOptions } from './unwrap';
export {
  kindOf,
  MatCell,
  MatStruct,
  PyDict,
  PySet,
  PyTuple,
  RecArray,
  type BlobInput,
  type BlobKind,
  type BlobValue,
} from './model';
export { charText, hasDtype, NdArray, type DataOf } from './model';
export { DATETIME_UNITS, NUMERIC_DTYPES, type DatetimeUnit, type Dtype, type NumericDtype } from './dtypes';
export { datetime64Iso, NAT } from './datetime64';
export { toTypedJson } from './to-typed-json';
export { fromTypedJson } from './from-typed-json';
export type { JsonComplex, JsonFloat, JsonNested, TypedJson } from './typed-json-types';
export { toPlain, type PlainValue } from './plain';
export { zlibCompress } from './zlib/deflate';
export { PyDate, PyDateTime, PyTime, PyTimedelta } from '../python/datetime';
export { PyComplex, PyDecimal, PyFloat, PyUuid } from '../python/values';
