/**
 * How the grid shows one value of a fetched row. Values arrive in the core's canonical form
 * (shared/model/value-rules.ts): numbers, decimals and dates as text, blobs in the typed JSON form
 * (`{"type": "ndarray", "dtype": ..., "shape": ..., "values": ...}`), attachments as
 * `{type: "attachment", filename, size, base64}`, json columns as parsed JSON. Query results
 * summarize what they do not decode (attachments, external objects) as `{kind, bytes}`.
 */

const STORED_LABELS: Record<string, string> = {
  attach: 'attachment',
  external: 'in external store',
  blob: 'blob',
  unsupported: 'unsupported type',
};

/** A cell ready to draw: `text` fits one line; `detail` is the full value for the tooltip. */
export type CellView =
  | { kind: 'null'; text: 'NULL' }
  | { kind: 'text' | 'number' | 'json' | 'blob' | 'filepath'; text: string; detail?: string }
  | { kind: 'attachment'; text: string; filename: string; base64: string | null; detail?: string }
  | { kind: 'stored'; text: string; storedKind: string; detail?: string };

/** Arrays with at most this many elements are previewed in the cell. */
export const PREVIEW_ELEMENTS = 12;

const ONE_LINE_MAX = 200;

/** The view of one value; `datajointType` tells blobs (typed JSON) from json columns. */
export function formatCell(value: unknown, datajointType: string): CellView {
  if (value === null || value === undefined) return { kind: 'null', text: 'NULL' };
  if (typeof value === 'number' || typeof value === 'bigint') return { kind: 'number', text: String(value) };
  if (typeof value === 'boolean') return { kind: 'number', text: value ? 'true' : 'false' };
  if (typeof value === 'string') return { kind: 'text', text: oneLine(value), detail: value };
  const o = value as Record<string, unknown>;
  if (o.type === 'attachment' && typeof o.filename === 'string') {
    const base64 = typeof o.base64 === 'string' ? o.base64 : null;
    return {
      kind: 'attachment',
      text: `${o.filename} (${formatBytes(Number(o.size ?? 0))})`,
      filename: o.filename,
      base64,
      detail: typeof o.note === 'string' ? `${o.filename}: ${o.note}` : undefined,
    };
  }
  if (typeof o.kind === 'string' && typeof o.bytes === 'number' && Object.keys(o).length === 2) {
    const label = STORED_LABELS[o.kind] ?? o.kind;
    const isAttach = o.kind === 'attach' || /^attach/i.test(datajointType);
    return {
      kind: 'stored',
      storedKind: isAttach ? 'attach' : o.kind,
      text:
        o.kind === 'external'
          ? `${isAttach ? 'attachment' : datajointType} (${label})`
          : `${label} (${formatBytes(o.bytes)})`,
    };
  }
  if (o.type === 'filepath' && typeof o.path === 'string') {
    return { kind: 'filepath', text: o.path, detail: `${o.path} (${formatBytes(Number(o.size ?? 0))})` };
  }
  if (/blob/i.test(datajointType) && typeof o.type === 'string') {
    return { kind: 'blob', text: summarizeBlob(o), detail: oneLine(JSON.stringify(value), 2000) };
  }
  const json = JSON.stringify(value);
  return { kind: 'json', text: oneLine(json), detail: JSON.stringify(value, null, 2) };
}

/** A typed-JSON blob as DataJoint users think of it: `float64 3×4 [..]`, `dict (2 keys)`, `'text'`. */
export function summarizeBlob(v: Record<string, unknown>): string {
  switch (v.type) {
    case 'ndarray': {
      const shape = Array.isArray(v.shape) ? (v.shape as number[]) : [];
      const head = `${String(v.dtype)} ${shape.length ? shape.join('×') : 'scalar'}`;
      const values = v.values ?? v.iso_values;
      const n = shape.reduce((a, b) => a * b, 1);
      return n <= PREVIEW_ELEMENTS && values !== undefined ? `${head} ${previewValues(values)}` : head;
    }
    case 'recarray':
      return `recarray ${shapeText(v.shape)} (${Object.keys((v.fields as object) ?? {}).join(', ')})`;
    case 'struct':
      return `struct ${shapeText(v.shape)} (${((v.fields as string[]) ?? []).join(', ')})`;
    case 'cell':
      return `cell ${shapeText(v.shape)}`;
    case 'list':
    case 'tuple':
    case 'set':
      return `${v.type} (${countOf(v.items)} items)`;
    case 'dict':
      return `dict (${countOf(v.items)} keys)`;
    case 'none':
      return 'None';
    case 'bytes':
      return `bytes (${formatBytes(String(v.hex ?? '').length / 2)})`;
    case 'str':
      return oneLine(`'${String(v.value)}'`);
    case 'complex': {
      return complexText(v.value as { re: unknown; im: unknown });
    }
    default:
      return `${String(v.type)} ${oneLine(String(v.value ?? ''))}`.trim();
  }
}

function complexText(c: { re: unknown; im: unknown }): string {
  const im = String(c.im);
  return `${String(c.re)}${im.startsWith('-') ? '' : '+'}${im}j`;
}

function shapeText(shape: unknown): string {
  return Array.isArray(shape) ? shape.join('×') : '';
}

function countOf(items: unknown): number {
  return Array.isArray(items) ? items.length : 0;
}

function previewValues(values: unknown): string {
  return oneLine(JSON.stringify(values, (_k, x) => (typeof x === 'object' && x && 're' in x ? complexText(x) : x)));
}

/** Text on one line, cut at `max` characters with an ellipsis. */
export function oneLine(text: string, max = ONE_LINE_MAX): string {
  const flat = text.replace(/\s*\n\s*/g, ' ');
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** `1.5 KiB`, `12 B`. */
export function formatBytes(n: number): string {
  if (!Number.isFinite(n) || n < 1024) return `${Math.max(0, Math.round(n || 0))} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v < 10 ? v.toFixed(1) : Math.round(v)} ${units[i]}`;
}
