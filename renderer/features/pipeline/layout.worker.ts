// The diagram's layout, off the main thread: ELK's layered algorithm on the graph the page sends.
import ELK from 'elkjs/lib/elk.bundled.js';
import { positionsOf, type LayoutRequest, type LayoutResponse } from './layout';

const elk = new ELK();

async function layout(request: LayoutRequest): Promise<LayoutResponse> {
  try {
    const laidOut = await elk.layout(request.graph);
    return { id: request.id, positions: positionsOf({ children: laidOut.children ?? [] }) };
  } catch (e) {
    return { id: request.id, error: e instanceof Error ? e.message : String(e) };
  }
}

// Assigned (not added) on purpose: elk.bundled.js, loaded in a worker, installs its own
// self.onmessage for ELK's worker protocol; this one replaces it.
self.onmessage = (event: MessageEvent<LayoutRequest>) => {
  void layout(event.data).then((response) => self.postMessage(response));
};
