export { WorkersScreen } from './workers-screen';
