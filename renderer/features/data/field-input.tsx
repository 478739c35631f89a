import type { AttributeInfo } from '../../../shared/api/schemas/pipeline';
import { attributeKind, enumValues } from '../../../shared/model/attribute-kind';
import type { RawValue } from './row-values';

interface FieldInputProps {
  attr: AttributeInfo;
  value: RawValue;
  onChange: (v: RawValue) => void;
  error?: string;
  readOnly?: boolean;
}

const PLACEHOLDERS: Partial<Record<ReturnType<typeof attributeKind>, string>> = {
  date: 'YYYY-MM-DD',
  datetime: 'YYYY-MM-DD HH:MM:SS',
  time: 'HH:MM:SS',
  uuid: '123e4567-e89b-12d3-a456-426614174000',
  blob: 'JSON: 3.5, [1, 2, 3], {"a": 1}',
  json: '{"key": "value"}',
  year: '2024',
};

function readFile(file: File): Promise<{ filename: string; base64: string }> {
  return file.arrayBuffer().then((buf) => {
    let s = '';
    const bytes = new Uint8Array(buf);
    for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return { filename: file.name, base64: btoa(s) };
  });
}

function fieldHelp(attr: AttributeInfo): string {
  const parts = [attr.datajoint_type];
  if (attr.in_key) parts.push('primary key');
  if (attr.nullable) parts.push('optional');
  else if (attr.default !== null) parts.push(`default ${attr.default}`);
  return parts.join(' · ');
}

function Control({ attr, value, onChange, readOnly, describedBy }: FieldInputProps & { describedBy: string }) {
  const kind = attributeKind(attr);
  const common = {
    id: `field-${attr.name}`,
    'aria-describedby': describedBy,
    'aria-invalid': describedBy.includes('-error') ? true : undefined,
    disabled: readOnly,
  };
  if (kind === 'attach' || (kind === 'external' && attr.is_attachment)) {
    return (
      <div className="attach-input">
        <input
          {...common}
          type="file"
          className="input"
          onChange={(e) => {
            const f = e.target.files?.[0];
            if (f) void readFile(f).then(onChange);
            else onChange('');
          }}
        />
        {typeof value !== 'string' && <span className="muted small">{value.filename}</span>}
      </div>
    );
  }
  const text = typeof value === 'string' ? value : '';
  if (kind === 'enum') {
    return (
      <select {...common} className="input" value={text} onChange={(e) => onChange(e.target.value)}>
        <option value="">{attr.nullable || attr.default !== null ? '(none)' : 'Choose…'}</option>
        {enumValues(attr.sql_type).map((v) => (
          <option key={v} value={v}>
            {v}
          </option>
        ))}
      </select>
    );
  }
  if (kind === 'blob' || kind === 'json' || (kind === 'string' && /\((\d{3,})\)|text/i.test(attr.sql_type))) {
    return (
      <textarea
        {...common}
        className="input mono"
        rows={kind === 'string' ? 2 : 3}
        value={text}
        placeholder={PLACEHOLDERS[kind]}
        readOnly={readOnly}
        onChange={(e) => onChange(e.target.value)}
      />
    );
  }
  return (
    <input
      {...common}
      className="input"
      inputMode={kind === 'integer' || kind === 'decimal' || kind === 'float' ? 'decimal' : undefined}
      type={kind === 'date' ? 'date' : 'text'}
      value={text}
      placeholder={PLACEHOLDERS[kind]}
      readOnly={readOnly}
      onChange={(e) => onChange(e.target.value)}
    />
  );
}

/** One attribute's field: the widget of its type, its type and comment as help, its error below. */
export function FieldInput(p: FieldInputProps) {
  const helpId = `field-${p.attr.name}-help`;
  const errorId = `field-${p.attr.name}-error`;
  return (
    <div className="field" data-field={p.attr.name}>
      <label htmlFor={`field-${p.attr.name}`} className="field-label">
        {p.attr.name}
        {p.attr.in_key && <span className="key-mark"> (key)</span>}
      </label>
      <Control {...p} describedBy={p.error ? `${errorId} ${helpId}` : helpId} />
      <span id={helpId} className="hint">
        {fieldHelp(p.attr)}
        {p.attr.comment ? ` — ${p.attr.comment}` : ''}
      </span>
      {p.error && (
        <div id={errorId} className="field-error" role="alert">
          {p.attr.name} {p.error}
        </div>
      )}
    </div>
  );
}
