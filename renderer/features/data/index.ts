export { DataScreen } from './data-screen';
