import type { PipelineInfo } from '../../../shared/api/schemas/pipeline';
import { ConventionsLabel } from '../../components/conventions-label';
import { useAppStore } from '../../stores/use-app-store';
import { useShowSchemas } from './use-diagram';

/** Which schemas the diagram shows, and which of them are collapsed to one node. */
export function SchemaMenu(props: { info: PipelineInfo; complete: boolean; onOpen(): void; connectionUrl: string }) {
  const { info, complete, connectionUrl } = props;
  const all = Object.values(info.schemas).map((s) => s.database);
  const chosen = useAppStore((s) => s.pipeline.schemas);
  const collapsed = useAppStore((s) => s.pipeline.collapsed);
  const showSchemas = useShowSchemas(connectionUrl);
  const toggleCollapsed = useAppStore((s) => s.toggleCollapsed);
  const shown = chosen ?? all;
  const toggleShown = (schema: string) => {
    const next = shown.includes(schema) ? shown.filter((x) => x !== schema) : [...shown, schema];
    showSchemas(next.length === all.length ? null : all.filter((x) => next.includes(x)));
  };
  const label =
    chosen === null
      ? `All ${all.length} schemas`
      : complete
        ? `${shown.length} of ${all.length} schemas`
        : `${shown.length} chosen ${shown.length === 1 ? 'schema' : 'schemas'}`;
  return (
    <details className="schema-menu" onToggle={(e) => e.currentTarget.open && props.onOpen()}>
      <summary className="btn btn-small">{label}</summary>
      <div className="schema-menu-body" role="group" aria-label="Schemas">
        <div className="schema-menu-actions">
          <button type="button" className="btn btn-small" onClick={() => showSchemas(null)} disabled={chosen === null}>
            Show all
          </button>
          <button
            type="button"
            className="btn btn-small"
            onClick={() => showSchemas([])}
            disabled={shown.length === 0 || !complete}
          >
            Show none
          </button>
        </div>
        {!complete && (
          <p className="faint" role="status">
            Reading the other schemas…
          </p>
        )}
        <ul>
          {Object.values(info.schemas).map((s) => (
            <li key={s.database}>
              <label>
                <input type="checkbox" checked={shown.includes(s.database)} onChange={() => toggleShown(s.database)} />{' '}
                {s.database} <span className="faint">({s.tables.length})</span>{' '}
                <ConventionsLabel conventions={s.conventions} />
              </label>
              <button
                type="button"
                className="btn btn-small btn-ghost"
                aria-pressed={collapsed.includes(s.database)}
                aria-label={`Collapse ${s.database}`}
                disabled={!shown.includes(s.database)}
                onClick={() => toggleCollapsed(s.database)}
              >
                Collapse
              </button>
            </li>
          ))}
        </ul>
      </div>
    </details>
  );
}
