import type { ReactNode } from 'react';

/** Small line icons drawn inline (no icon fonts or external files: the CSP allows neither). */
function Icon({ children }: { children: ReactNode }) {
  return (
    <svg
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth="1.8"
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      {children}
    </svg>
  );
}

export const PipelineIcon = () => (
  <Icon>
    <rect x="3" y="3.5" width="7" height="5" rx="1.2" />
    <rect x="14" y="3.5" width="7" height="5" rx="1.2" />
    <rect x="8.5" y="15.5" width="7" height="5" rx="1.2" />
    <path d="M6.5 8.5v2.5a2 2 0 0 0 2 2h7a2 2 0 0 0 2-2V8.5M12 13v2.5" />
  </Icon>
);
export const DataIcon = () => (
  <Icon>
    <rect x="3.5" y="4" width="17" height="16" rx="2" />
    <path d="M3.5 9.5h17M3.5 14.8h17M9.5 9.5V20" />
  </Icon>
);
export const JobsIcon = () => (
  <Icon>
    <path d="M10 6.5h10M10 12h10M10 17.5h10" />
    <path d="m3.5 6.5 1.5 1.5 2.5-3M3.5 12l1.5 1.5 2.5-3" />
    <circle cx="5.3" cy="17.5" r="1.6" />
  </Icon>
);
export const WorkersIcon = () => (
  <Icon>
    <rect x="3.5" y="4" width="17" height="6.5" rx="1.5" />
    <rect x="3.5" y="13.5" width="17" height="6.5" rx="1.5" />
    <path d="M7 7.2h.01M7 16.8h.01M11 7.2h6M11 16.8h6" />
  </Icon>
);
export const MigrationsIcon = () => (
  <Icon>
    <path d="M4 7.5h14.5M15 4l3.5 3.5L15 11M20 16.5H5.5M9 13l-3.5 3.5L9 20" />
  </Icon>
);
export const SettingsIcon = () => (
  <Icon>
    <path d="M4 6.5h9M17 6.5h3M4 12h3M11 12h9M4 17.5h11M19 17.5h1" />
    <circle cx="15" cy="6.5" r="2" />
    <circle cx="9" cy="12" r="2" />
    <circle cx="17" cy="17.5" r="2" />
  </Icon>
);

/** Joinery's mark: three joined tables. */
export function BrandMark() {
  return (
    <svg className="brand-mark" viewBox="0 0 32 32" aria-hidden="true" focusable="false">
      <rect width="32" height="32" rx="8" fill="#2d5bd0" />
      <path
        d="M10 11v4.5a2.5 2.5 0 0 0 2.5 2.5h7a2.5 2.5 0 0 0 2.5-2.5V11M16 18v3"
        stroke="#fff"
        strokeWidth="2"
        fill="none"
        strokeLinecap="round"
      />
      <rect x="6.5" y="6.5" width="7" height="5" rx="1.5" fill="#fff" />
      <rect x="18.5" y="6.5" width="7" height="5" rx="1.5" fill="#fff" />
      <rect x="12.5" y="20.5" width="7" height="5" rx="1.5" fill="#cfdcfa" />
    </svg>
  );
}

/** A database file (SQLite). */
export const FileDbIcon = () => (
  <Icon>
    <path d="M14 3.5H7a2 2 0 0 0-2 2v13a2 2 0 0 0 2 2h10a2 2 0 0 0 2-2V8.5z" />
    <path d="M14 3.5v5h5" />
    <ellipse cx="12" cy="12.5" rx="3.5" ry="1.4" />
    <path d="M8.5 12.5v3.6c0 .8 1.6 1.4 3.5 1.4s3.5-.6 3.5-1.4v-3.6" />
  </Icon>
);

/** A database server (MySQL/MariaDB). */
export const ServerDbIcon = () => (
  <Icon>
    <ellipse cx="12" cy="6" rx="7" ry="2.5" />
    <path d="M5 6v6c0 1.4 3.1 2.5 7 2.5s7-1.1 7-2.5V6" />
    <path d="M5 12v6c0 1.4 3.1 2.5 7 2.5s7-1.1 7-2.5v-6" />
  </Icon>
);
