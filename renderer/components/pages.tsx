import type { ComponentType } from 'react';
import type { PageId } from '../stores/ui-slice';
import { DataIcon, JobsIcon, MigrationsIcon, PipelineIcon, SettingsIcon, WorkersIcon } from './icons';

/** One entry of the left navigation. */
export interface PageEntry {
  id: PageId;
  label: string;
  Icon: ComponentType;
  /** The screen is a placeholder so far. */
  isComingSoon: boolean;
}

/** The left navigation, top to bottom (Settings sits apart at the bottom). */
export const PAGES: readonly PageEntry[] = [
  { id: 'pipeline', label: 'Pipeline', Icon: PipelineIcon, isComingSoon: false },
  { id: 'data', label: 'Data', Icon: DataIcon, isComingSoon: false },
  { id: 'jobs', label: 'Jobs', Icon: JobsIcon, isComingSoon: false },
  { id: 'workers', label: 'Workers', Icon: WorkersIcon, isComingSoon: false },
  { id: 'migrations', label: 'Migrations', Icon: MigrationsIcon, isComingSoon: false },
  { id: 'settings', label: 'Settings', Icon: SettingsIcon, isComingSoon: false },
];

/** The address-bar fragment of a page (`#/jobs`): works from file:// and from the web server. */
export function pageHref(id: PageId): string {
  return `#/${id}`;
}
