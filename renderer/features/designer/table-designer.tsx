import { useMemo, useState } from 'react';
import type { Conventions, PipelineInfo, TableInfo, Tier } from '../../../shared/api/schemas/pipeline';
import { NEW_DATABASE_CONVENTIONS } from '../../../shared/model/conventions';
import { ErrorMessage } from '../../components/error-message';
import { useApiMutation, useApiQuery } from '../../api/hooks';
import { toErrorData } from '../../lib/app-errors';
import { useLayoutStore } from '../../stores/layout-store';
import type { DesignerRequest } from '../../stores/workbench-slice';
import { canonicalText, DefinitionDiff } from './definition-diff';
import { AttributeGrid, ForeignKeyGrid, IndexGrid, type ParentChoice } from './definition-grids';
import { DefinitionText } from './definition-text';
import { DesignerDialog } from './designer-dialog';
import { definitionToDraft, emptyAttribute, emptyForeignKey, parseText, type Draft } from './draft';
import { DesignerFieldsRow } from './designer-fields';
import { CreateFooter, DdlPreview, EditFooter } from './designer-footer';
import { useDesigner, type DesignerFields } from './use-designer';

interface Props {
  connectionId: string;
  request: DesignerRequest;
  onClose(): void;
  /** Called after a table was declared or dropped (screens not on server state can reload). */
  onChanged?(): void;
}

/** The table designer for a request of the workbench: a new table (maybe a child of `parent`), or an edit. */
export function TableDesigner({ connectionId, request, onClose, onChanged }: Props) {
  // retried: on a shared server another client may drop a table while the catalog is read
  const inspect = useApiQuery('pipeline.inspect', { connectionId, populate: false }, { retry: 2 });
  const tables = useMemo(() => Object.values(inspect.data?.schemas ?? {}).flatMap((s) => s.tables), [inspect.data]);
  const title = request.mode === 'edit' ? `Edit ${request.table ?? 'table'}` : 'New table';
  if (!inspect.data)
    return (
      <DesignerDialog title={title} onClose={onClose}>
        {inspect.error ? (
          <ErrorMessage
            error={toErrorData(inspect.error)}
            action={
              <button type="button" className="btn btn-small" onClick={() => void inspect.refetch()}>
                Try again
              </button>
            }
          />
        ) : (
          <p className="loading-line" role="status">
            <span className="spinner" aria-hidden="true" /> Reading the pipeline…
          </p>
        )}
      </DesignerDialog>
    );
  if (request.mode === 'edit') {
    const table = tables.find((t) => t.full_name === request.table);
    if (!table)
      return (
        <DesignerDialog title={title} onClose={onClose}>
          <ErrorMessage
            error={{
              code: 'NOT_FOUND',
              message: `The table ${request.table ?? ''} is not in the pipeline any more.`,
              hint: 'Close the designer; the diagram shows the tables as they are now.',
            }}
          />
        </DesignerDialog>
      );
    return (
      <EditLoader
        connectionId={connectionId}
        table={table}
        tables={tables}
        schemaConventions={conventionsOf(inspect.data)}
        onClose={onClose}
        onChanged={onChanged}
      />
    );
  }
  const schemas = Object.keys(inspect.data.schemas);
  const parent = tables.find((t) => t.full_name === request.parent);
  const schema = request.schema ?? parent?.schema ?? schemas[0] ?? 'lab';
  const draft: Draft = parent
    ? { comment: '', attributes: [], foreignKeys: [emptyForeignKey(refOf(parent, schema), true)], indexes: [] }
    : { comment: '', attributes: [emptyAttribute(true)], foreignKeys: [], indexes: [] };
  return (
    <DesignerDialog title={parent ? `New table under ${parent.class_name}` : 'New table'} onClose={onClose}>
      <DesignerForm
        connectionId={connectionId}
        tables={tables}
        schemas={schemas}
        schemaConventions={conventionsOf(inspect.data)}
        initialFields={{
          schema,
          className: '',
          tier: 'Manual',
          conventions: inspect.data.new_schema_conventions ?? NEW_DATABASE_CONVENTIONS,
        }}
        initialDraft={draft}
        position={request.position}
        onClose={onClose}
        onChanged={onChanged}
      />
    </DesignerDialog>
  );
}

function conventionsOf(info: PipelineInfo): Record<string, Conventions> {
  return Object.fromEntries(Object.values(info.schemas).map((s) => [s.database, s.conventions]));
}

function refOf(t: TableInfo, schema: string): string {
  return t.schema === schema ? t.class_name : `${t.schema}.${t.class_name}`;
}

function EditLoader({
  connectionId,
  table,
  tables,
  onClose,
  onChanged,
  schemaConventions,
}: {
  connectionId: string;
  table: TableInfo;
  tables: TableInfo[];
  schemaConventions: Record<string, Conventions>;
  onClose(): void;
  onChanged?(): void;
}) {
  const conventions = schemaConventions[table.schema] ?? '0.14';
  const describe = useApiQuery('table.describe', { connectionId, schema: table.schema, table: table.table_name });
  const title = `Edit ${table.class_name}`;
  const before = describe.data?.definition;
  const draft = useMemo(() => {
    const parsed = before === undefined ? null : parseText(before, undefined, conventions).definition;
    return parsed ? definitionToDraft(parsed) : null;
  }, [before, conventions]);
  return (
    <DesignerDialog title={title} onClose={onClose}>
      {describe.error && <ErrorMessage error={toErrorData(describe.error)} />}
      {!describe.data && !describe.error && (
        <p className="loading-line" role="status">
          <span className="spinner" aria-hidden="true" /> Reading the definition of {table.class_name}…
        </p>
      )}
      {before !== undefined && draft && (
        <DesignerForm
          connectionId={connectionId}
          tables={tables}
          schemas={[table.schema]}
          initialFields={{
            schema: table.schema,
            className: table.class_name,
            tier: (table.tier ?? 'Manual') as Tier,
            conventions,
          }}
          initialDraft={draft}
          edit={{ table, before }}
          schemaConventions={schemaConventions}
          onClose={onClose}
          onChanged={onChanged}
        />
      )}
    </DesignerDialog>
  );
}

interface FormProps {
  connectionId: string;
  tables: TableInfo[];
  schemas: string[];
  initialFields: DesignerFields;
  initialDraft: Draft;
  position?: { x: number; y: number };
  edit?: { table: TableInfo; before: string };
  /** Conventions of the schemas that exist. */
  schemaConventions: Record<string, Conventions>;
  onClose(): void;
  onChanged?(): void;
}

function DesignerForm({
  connectionId,
  tables,
  schemas,
  initialFields,
  initialDraft,
  position,
  edit,
  schemaConventions,
  onClose,
  onChanged,
}: FormProps) {
  const d = useDesigner(connectionId, initialFields, initialDraft, !edit, schemaConventions);
  const [attempted, setAttempted] = useState(false);
  /** A table of this name appeared (another client) between the check and the create: nothing was written. */
  const [clash, setClash] = useState<string | null>(null);
  const declare = useApiMutation('table.declare');
  const setPendingPosition = useLayoutStore((s) => s.setPendingPosition);
  const shown = d.touched || attempted ? d.problems : [];
  const parents: ParentChoice[] = tables
    .filter((t) => t.full_name !== edit?.table.full_name)
    .map((t) => ({ ref: refOf(t, d.fields.schema), label: `${t.class_name} · ${t.schema} (${t.tier ?? 'no tier'})` }));
  const ddl = d.preview.data?.tables.flatMap((t) => t.ddl) ?? [];
  const canCreate = d.checked && d.problems.length === 0 && !declare.isPending;

  const create = () => {
    setAttempted(true);
    setClash(null);
    if (!canCreate) return;
    declare.mutate(
      {
        connectionId,
        tables: [{ schema: d.fields.schema, class_name: d.fields.className, tier: d.fields.tier, definition: d.text }],
        ...(d.isNewSchema ? { conventions: d.conventions } : {}),
      },
      {
        onSuccess: (out) => {
          if (out.existing.length) {
            setClash(out.existing[0]!);
            return;
          }
          const created = out.declared[0];
          if (created && position) setPendingPosition(created, position);
          onChanged?.();
          onClose();
        },
      },
    );
  };

  return (
    <form
      className="designer-body"
      onSubmit={(e) => {
        e.preventDefault();
        create();
      }}
    >
      <DesignerFieldsRow
        fields={d.fields}
        comment={d.draft.comment}
        schemas={schemas}
        problems={shown}
        locked={!!edit}
        conventions={d.conventions}
        isNewSchema={d.isNewSchema}
        onFields={d.editFields}
        onComment={(comment) => d.editGrid({ ...d.draft, comment })}
      />
      {d.textProblem && (d.touched || attempted) && (
        <p className="message message-info designer-stale">
          The text has a problem at line {d.textProblem.line}; the grid shows the last definition that parsed. Editing
          the grid rewrites the text from it.
        </p>
      )}
      <div className="designer-columns">
        <div className="designer-grids">
          <AttributeGrid
            draft={d.draft}
            onChange={d.editGrid}
            problems={shown}
            parents={parents}
            conventions={d.conventions}
          />
          <ForeignKeyGrid draft={d.draft} onChange={d.editGrid} problems={shown} parents={parents} />
          <IndexGrid draft={d.draft} onChange={d.editGrid} problems={shown} parents={parents} />
        </div>
        <div className="designer-side">
          <DefinitionText text={d.text} onChange={d.editText} problems={shown} />
          {edit ? (
            <DefinitionDiff before={edit.before} after={d.text} conventions={d.conventions} />
          ) : (
            <DdlPreview
              ddl={ddl}
              dialect={d.preview.data?.dialect}
              busy={d.preview.isFetching}
              ready={d.problems.length === 0}
            />
          )}
        </div>
      </div>
      {declare.error && <ErrorMessage error={toErrorData(declare.error)} />}
      {clash && (
        <ErrorMessage
          error={{
            code: 'CONFLICT',
            message: `${clash} already exists (declared meanwhile by another client); nothing was written.`,
            hint: 'Choose another class name, or close the designer and look at that table.',
          }}
        />
      )}
      {edit ? (
        <EditFooter
          connectionId={connectionId}
          table={edit.table}
          definition={d.textProblem ? null : d.text}
          changed={canonicalText(d.text, d.conventions) !== canonicalText(edit.before, d.conventions)}
          onClose={onClose}
          onDropped={() => {
            onChanged?.();
            onClose();
          }}
        />
      ) : (
        <CreateFooter
          status={
            d.problems.length > 0 && (d.touched || attempted)
              ? `${d.problems.length} ${d.problems.length === 1 ? 'problem' : 'problems'} to fix before creating`
              : d.checked
                ? 'Checked against the database: ready to create.'
                : 'Checking…'
          }
          canCreate={canCreate}
          busy={declare.isPending}
          onClose={onClose}
        />
      )}
    </form>
  );
}
