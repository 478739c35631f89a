import type { ConnectionSlice } from './connection-slice';
import type { PipelineSlice } from './pipeline-slice';
import type { SessionSlice } from './session-slice';
import type { UiSlice } from './ui-slice';
import type { WorkbenchSlice } from './workbench-slice';

/** The whole renderer state: one store made of slices (zustand's slices pattern). */
export type AppState = SessionSlice & ConnectionSlice & PipelineSlice & UiSlice & WorkbenchSlice;
