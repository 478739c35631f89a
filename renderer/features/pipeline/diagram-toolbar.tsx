import { useReactFlow } from '@xyflow/react';
import type { PipelineInfo } from '../../../shared/api/schemas/pipeline';
import type { TierChoice } from '../../stores/pipeline-slice';
import { useAppStore } from '../../stores/use-app-store';
import { useLayoutMemory } from './layout-store';
import { SchemaMenu } from './schema-menu';

const TIERS: { tier: TierChoice; label: string }[] = [
  { tier: 'Manual', label: 'Manual' },
  { tier: 'Lookup', label: 'Lookup' },
  { tier: 'Imported', label: 'Imported' },
  { tier: 'Computed', label: 'Computed' },
  { tier: 'Part', label: 'Part' },
];

interface Search {
  query: string;
  setQuery(q: string): void;
  next(): void;
  found: string[];
  current: string | null;
}

function SearchBox({ search }: { search: Search }) {
  const n = search.found.length;
  const where = search.current ? search.found.indexOf(search.current) + 1 : 0;
  return (
    <div className="diagram-search">
      <input
        type="search"
        className="input input-small"
        placeholder="Search tables"
        aria-label="Search tables by name"
        value={search.query}
        onChange={(e) => search.setQuery(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') search.next();
          if (e.key === 'Escape') search.setQuery('');
        }}
      />
      {search.query.trim() !== '' && (
        <span className="diagram-search-count" role="status">
          {n === 0 ? 'No table matches' : `${where} of ${n}`}
        </span>
      )}
    </div>
  );
}

function TierFilter() {
  const hidden = useAppStore((s) => s.pipeline.hiddenTiers);
  const toggleTier = useAppStore((s) => s.toggleTier);
  return (
    <div className="tier-filter" role="group" aria-label="Show tiers">
      {TIERS.map(({ tier, label }) => (
        <button
          key={tier}
          type="button"
          className={`chip tier-chip tier-chip-${tier}`}
          aria-pressed={!hidden.includes(tier)}
          title={hidden.includes(tier) ? `Show ${label} tables` : `Hide ${label} tables`}
          onClick={() => toggleTier(tier)}
        >
          {label}
        </button>
      ))}
    </div>
  );
}

/** Search, schema and tier filters, and the layout actions above the diagram. */
export function DiagramToolbar(props: {
  info: PipelineInfo;
  complete: boolean;
  onCatalogWanted(): void;
  connectionUrl: string;
  search: Search;
  layoutKey: string;
  onNewTable(): void;
}) {
  const reset = useLayoutMemory((s) => s.reset);
  const hasMoved = useLayoutMemory((s) => s.moved[props.layoutKey] !== undefined);
  const flow = useReactFlow();
  return (
    <div className="diagram-toolbar" role="toolbar" aria-label="Diagram">
      <SearchBox search={props.search} />
      <SchemaMenu
        info={props.info}
        complete={props.complete}
        onOpen={props.onCatalogWanted}
        connectionUrl={props.connectionUrl}
      />
      <TierFilter />
      <span className="toolbar-gap" />
      <button
        type="button"
        className="btn btn-small"
        disabled={!hasMoved}
        title="Forget the positions you dragged and lay the pipeline out again"
        onClick={() => {
          reset(props.layoutKey);
          requestAnimationFrame(() => void flow.fitView({ padding: 0.12, maxZoom: 1.25 }));
        }}
      >
        Reset layout
      </button>
      <button type="button" className="btn btn-small btn-primary" onClick={props.onNewTable}>
        New table
      </button>
    </div>
  );
}
