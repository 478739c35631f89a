import { useEffect, useMemo, useRef, useState } from 'react';
import type { DiagramGraph } from './graph-model';
import { layoutSignature, quickLayout, toElkGraph, type LayoutResponse, type Point } from './layout';

/** Where the layout stands: drawn at once in rows, then ELK's layered layout once the worker answers. */
export type LayoutStatus = 'arranging' | 'done' | 'failed';

export interface DiagramLayout {
  positions: Record<string, Point>;
  status: LayoutStatus;
  /** Why ELK failed (the quick layout stays). */
  error: string | null;
  /** Changes each time a new layout arrives, so the view can fit it. */
  revision: string;
}

// Layouts already computed in this page, so returning to the diagram draws it at once.
const finished = new Map<string, Record<string, Point>>();

function startWorker(): Worker {
  return new Worker(new URL('./layout.worker.ts', import.meta.url), { type: 'module' });
}

/**
 * Positions for `graph`: a quick layered picture immediately, replaced by ELK's layout computed in a
 * Web Worker (the main thread stays free for 500 tables). Reruns only when nodes or edges change.
 */
export function useDiagramLayout(graph: DiagramGraph): DiagramLayout {
  const signature = useMemo(() => layoutSignature(graph), [graph]);
  // keyed by the signature on purpose: new row counts make a new graph object, not a new layout
  const quick = useMemo(() => quickLayout(graph), [signature]);
  const [result, setResult] = useState<{ signature: string; positions?: Record<string, Point>; error?: string }>();
  const worker = useRef<Worker | null>(null);
  const requestId = useRef(0);

  useEffect(() => () => worker.current?.terminate(), []);

  useEffect(() => {
    if (finished.has(signature) || graph.nodes.length === 0) return;
    const id = ++requestId.current;
    const send = () => {
      let w: Worker;
      try {
        w = worker.current ??= startWorker();
      } catch (e) {
        setResult({ signature, error: e instanceof Error ? e.message : String(e) });
        return;
      }
      w.onmessage = (event: MessageEvent<LayoutResponse>) => {
        const r = event.data;
        if (r.id !== requestId.current) return; // a newer graph was sent since
        if ('error' in r) setResult({ signature, error: r.error });
        else {
          finished.set(signature, r.positions);
          setResult({ signature, positions: r.positions });
        }
      };
      w.onerror = (event) => {
        if (id === requestId.current) setResult({ signature, error: event.message || 'the layout worker stopped' });
      };
      w.postMessage({ id, graph: toElkGraph(graph) });
    };
    // started once the quick picture is painted (two frames): the worker's start (parsing ELK) and
    // its layout would otherwise compete with drawing 500 nodes for the same cores
    let frame = requestAnimationFrame(() => (frame = requestAnimationFrame(send)));
    return () => cancelAnimationFrame(frame);
  }, [signature]);

  const done = graph.nodes.length === 0 ? quick : finished.get(signature);
  if (done) return { positions: done, status: 'done', error: null, revision: `${signature}:elk` };
  const failed = result?.signature === signature && result.error !== undefined ? result.error : null;
  return {
    positions: quick,
    status: failed !== null ? 'failed' : 'arranging',
    error: failed,
    revision: `${signature}:quick`,
  };
}
