export { ConnectionScreen } from './connection-screen';
