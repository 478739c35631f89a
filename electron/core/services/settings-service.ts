import path from 'node:path';
import type { z } from 'zod';
import {
  type Preferences,
  type SetPreferencesInput,
  type SetStoreInput,
  StoreName,
  StoreSpec,
  type StoreEntry,
  type StoreList,
} from '../../../shared/api/schemas/settings';
import { appError } from '../../../shared/errors';
import type { EventBus } from '../events/event-bus';
import type { LocalSettings } from '../settings/local-settings';

interface Deps {
  settings: LocalSettings;
  events: EventBus;
  /** Stores given by the environment (JOINERY_STORES for the CLI); they override the settings file. */
  storesOverride?: Record<string, z.input<typeof StoreSpec>>;
}

/** This user's client configuration: where external stores live on this machine. */
export class SettingsService {
  private readonly override: Map<string, StoreSpec>;
  constructor(private readonly deps: Deps) {
    this.override = new Map(
      Object.entries(deps.storesOverride ?? {}).map(([name, spec]) => [name, StoreSpec.parse(spec)]),
    );
  }

  /** Every configured store, the environment's first where both name one. */
  stores(): StoreList {
    const fromFile = this.deps.settings.read().stores;
    const entries: StoreEntry[] = [...this.override].map(([name, spec]) => ({ name, ...spec, source: 'environment' }));
    for (const [name, spec] of Object.entries(fromFile))
      if (!this.override.has(name)) entries.push({ name, ...spec, source: 'settings' });
    return { stores: entries.sort((a, b) => a.name.localeCompare(b.name)) };
  }

  /** Sets (or, with a null location, removes) a store in the settings file. */
  setStore(input: z.infer<typeof SetStoreInput>): StoreList {
    if (input.location !== null && !path.isAbsolute(input.location)) {
      throw appError(
        'VALIDATION',
        `The location of store "${input.name}" must be an absolute folder path, got "${input.location}".`,
        { details: { field: 'location' } },
      );
    }
    this.deps.settings.update((s) => {
      const stores = { ...s.stores };
      if (input.location === null) delete stores[input.name];
      else
        stores[input.name] = {
          location: input.location,
          subfolding: input.subfolding ?? stores[input.name]?.subfolding ?? [2, 2],
        };
      return { ...s, stores };
    });
    return this.stores();
  }

  /** Notification and desktop preferences of this user on this machine. */
  preferences(): Preferences {
    return this.deps.settings.read().preferences;
  }

  /** Replaces the parts given, saves, and announces the result (the desktop shell applies `openAtLogin`). */
  setPreferences(input: z.infer<typeof SetPreferencesInput>): Preferences {
    this.deps.settings.update((s) => ({ ...s, preferences: { ...s.preferences, ...input } }));
    const saved = this.preferences();
    this.deps.events.emit('settings.changed', saved);
    return saved;
  }

  /** The store's configuration, or a clear error saying how to configure it. */
  store(name: string): StoreSpec {
    const spec = this.override.get(name) ?? this.deps.settings.read().stores[name];
    if (spec) return spec;
    throw appError(
      'NOT_FOUND',
      `The external store "${name}" is not configured on this machine, so its files cannot be read.`,
      {
        details: { store: name },
        hint: `Set its location in Settings (settings.setStore), or for the CLI set JOINERY_STORES='${name}=/path/to/store'.`,
      },
    );
  }
}

/**
 * JOINERY_STORES: `name=/path[;name2=/path2]`, or JSON `{"name": {"location": "/path", "subfolding": [2, 2]}}`.
 * A malformed value is a VALIDATION error naming the variable.
 */
export function parseStoresEnv(text: string | undefined): Record<string, z.input<typeof StoreSpec>> | undefined {
  if (!text || !text.trim()) return undefined;
  const bad = (why: string) =>
    appError('VALIDATION', `JOINERY_STORES is malformed: ${why}.`, {
      hint: "Use JOINERY_STORES='raw=/path/to/store;other=/path' (or a JSON object).",
    });
  if (text.trim().startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (e) {
      throw bad((e as Error).message);
    }
    const out: Record<string, z.input<typeof StoreSpec>> = {};
    for (const [name, v] of Object.entries(parsed as Record<string, unknown>)) {
      const spec = StoreSpec.safeParse(typeof v === 'string' ? { location: v } : v);
      if (!StoreName.safeParse(name).success || !spec.success) throw bad(`store "${name}"`);
      out[name] = spec.data;
    }
    return out;
  }
  const out: Record<string, z.input<typeof StoreSpec>> = {};
  for (const part of text
    .split(';')
    .map((p) => p.trim())
    .filter(Boolean)) {
    const eq = part.indexOf('=');
    const name = part.slice(0, eq).trim();
    if (eq <= 0 || !StoreName.safeParse(name).success) throw bad(`"${part}" is not name=/path`);
    out[name] = { location: part.slice(eq + 1).trim() };
  }
  return out;
}
