import { createRequire } from 'node:module';
import type Docker from 'dockerode';

/**
 * A Docker client made on first use. Loading dockerode (with its gRPC and SSH stacks) takes about
 * 150 ms, which every command would pay at start though most never run a container.
 */
export function lazyDocker(): Docker {
  let real: Docker | null = null;
  const client = (): Docker => {
    if (!real) {
      // ES modules (the CLI bundle, tests) make a require; the CommonJS Electron bundle has no import.meta.url
      const load = import.meta.url ? createRequire(import.meta.url) : require;
      const DockerClass = load('dockerode') as typeof Docker;
      real = new DockerClass();
    }
    return real;
  };
  return new Proxy({} as Docker, {
    get(_target, prop) {
      const value = Reflect.get(client(), prop) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(client()) : value;
    },
  });
}
