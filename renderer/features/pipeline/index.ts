export { PipelineScreen } from './pipeline-screen';
