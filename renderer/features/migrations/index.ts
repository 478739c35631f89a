export { MigrationsScreen } from './migrations-screen';
