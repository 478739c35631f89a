import type { AppInfo } from '../../../shared/api/schemas/app';
import type { CoreConfig, PlatformServices } from '../config';

/** Facts about the running core. */
export class AppService {
  constructor(private readonly deps: { config: CoreConfig; platform: PlatformServices }) {}

  info(): AppInfo {
    const { config, platform } = this.deps;
    return {
      name: 'Joinery',
      version: config.version,
      host: config.host,
      platform: process.platform,
      nodeVersion: process.versions.node,
      dataDir: config.dataDir,
      defaultDbUrl: config.defaultDbUrl,
      capabilities: { nativeDialogs: platform.nativeDialogs, secretStore: platform.secrets.kind },
    };
  }
}
