import { useEffect, useMemo, useState } from 'react';
import type { Conventions, Tier } from '../../../shared/api/schemas/pipeline';
import type { PreviewError } from '../../../shared/api/schemas/designer';
import { useApiQuery } from '../../api/hooks';
import { definitionToDraft, draftToText, parseText as parseWith, type Draft, type TextProblem } from './draft';

/** Schema, class name and tier: the fields around the definition. */
export interface DesignerFields {
  schema: string;
  className: string;
  tier: Tier;
  /** Conventions chosen for a new schema (an existing schema keeps its own). */
  conventions: Conventions;
}

/** A problem placed on what it is about: a field, or a line:column of the definition. */
export interface Problem {
  field: 'schema' | 'class_name' | 'tier' | 'definition';
  message: string;
  hint?: string;
  line?: number;
  column?: number;
}

function useDebounced<T>(value: T, ms: number): T {
  const [v, setV] = useState(value);
  useEffect(() => {
    const t = setTimeout(() => setV(value), ms);
    return () => clearTimeout(t);
  }, [value, ms]);
  return v;
}

/**
 * The designer's state: the definition text is the source of truth; the grid shows the last text
 * that parsed and rewrites the text when edited. The core's preview (debounced) adds what needs
 * the database: clashes, unknown parents, what the engine lacks, and the DDL.
 */
export function useDesigner(
  connectionId: string,
  initialFields: DesignerFields,
  initialDraft: Draft,
  check: boolean,
  schemaConventions: Readonly<Record<string, Conventions>> = {},
) {
  const first = useMemo(() => draftToText(initialDraft), [initialDraft]);
  const [fields, setFields] = useState(initialFields);
  const [text, setText] = useState(first.text);
  const [draft, setDraft] = useState(first.draft);
  const isNewSchema = !(fields.schema in schemaConventions);
  const conventions = schemaConventions[fields.schema] ?? fields.conventions;
  const parseText = (t: string) => parseWith(t, undefined, conventions);
  const [textProblem, setTextProblem] = useState<TextProblem | null>(() => parseText(first.text).problem);
  const [touched, setTouched] = useState(false);
  // the same text reads differently in the other conventions (`int32` is 2.x only)
  useEffect(() => {
    setTextProblem(parseWith(text, undefined, conventions).problem);
  }, [conventions]);

  const editGrid = (next: Draft) => {
    const out = draftToText(next);
    setText(out.text);
    setDraft(out.draft);
    setTextProblem(parseText(out.text).problem);
    setTouched(true);
  };
  const editText = (next: string) => {
    setText(next);
    const parsed = parseText(next);
    if (parsed.definition) setDraft(definitionToDraft(parsed.definition));
    setTextProblem(parsed.problem);
    setTouched(true);
  };
  const editFields = (patch: Partial<DesignerFields>) => {
    setFields((f) => ({ ...f, ...patch }));
    setTouched(true);
  };
  const resetText = (next: string) => {
    setText(next);
    const parsed = parseText(next);
    if (parsed.definition) setDraft(definitionToDraft(parsed.definition));
    setTextProblem(parsed.problem);
  };

  const request = useDebounced(
    { schema: fields.schema, class_name: fields.className, tier: fields.tier, definition: text },
    250,
  );
  const preview = useApiQuery(
    'table.preview',
    { connectionId, tables: [request], ...(isNewSchema ? { conventions } : {}) },
    { enabled: check, placeholderData: (prev) => prev, staleTime: 0 },
  );
  const settled =
    request.definition === text &&
    request.class_name === fields.className &&
    request.schema === fields.schema &&
    request.tier === fields.tier;

  // the parser answers at once for the text; the core adds what needs the database (fields too)
  // (only an answer about what is on screen: a stale one would name a class name no longer typed)
  const current = check && settled && !preview.isPlaceholderData;
  const server = current ? (preview.data?.errors ?? []).map(toProblem) : [];
  const problems: Problem[] = textProblem
    ? [
        { field: 'definition', message: textProblem.message, line: textProblem.line, column: textProblem.column },
        ...server.filter((p) => p.field !== 'definition'),
      ]
    : server;

  return {
    fields,
    /** Whose conventions the table is declared in; `isNewSchema`: the user chooses them. */
    conventions,
    isNewSchema,
    text,
    draft,
    touched,
    problems,
    textProblem,
    preview,
    /** True when the preview answered for exactly what is on screen. */
    checked: check && settled && textProblem === null && preview.isSuccess && !preview.isFetching,
    editGrid,
    editText,
    editFields,
    resetText,
  };
}

function toProblem(e: PreviewError): Problem {
  return { field: e.field, message: e.message, hint: e.hint, line: e.line, column: e.column };
}
