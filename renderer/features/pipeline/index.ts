export { AffectedDiagram } from './affected-diagram';
export { PipelineScreen } from './pipeline-screen';
