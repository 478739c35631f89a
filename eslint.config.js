// Lint rules, including the dependency rules of ARCHITECTURE §2 as errors.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const NODE_BUILTINS = [
  'node:*',
  'fs',
  'path',
  'os',
  'crypto',
  'child_process',
  'http',
  'https',
  'net',
  'url',
  'util',
  'stream',
  'events',
  'zlib',
  'worker_threads',
];
const ENGINE_LIBS = ['mysql2', 'mysql2/*', 'better-sqlite3', 'pg'];
const NO_ENUMS = { selector: 'TSEnumDeclaration', message: 'Use a union of string literals.' };

// Engines differ only in shared/sql/dialects/<engine>/ and electron/core/db: elsewhere code reads
// the dialect's data and methods (SqlDialect), so a new engine is a new folder, not new branches.
const ENGINE = '/^(mysql|mariadb|sqlite|postgres|postgresql|pg)$/i';
const ENGINE_MESSAGE =
  'Do not branch on the engine outside shared/sql/dialects/ and electron/core/db: add a field or method to SqlDialect (shared/sql/dialect.ts).';
const NO_ENGINE_BRANCHES = [
  { selector: `BinaryExpression[operator=/^[!=]==?$/] > Literal[value=${ENGINE}]`, message: ENGINE_MESSAGE },
  { selector: `SwitchCase > Literal.test[value=${ENGINE}]`, message: ENGINE_MESSAGE },
  {
    selector:
      "MemberExpression[computed=true] > MemberExpression.property[property.name='name'][object.name='dialect']",
    message: ENGINE_MESSAGE,
  },
  {
    selector:
      "MemberExpression[computed=true] > MemberExpression.property[property.name='name'][object.property.name='dialect']",
    message: ENGINE_MESSAGE,
  },
];

// Hosts reach the core through its API (createClient(inProcess(core, host)) or a transport) and
// the explicit host hooks (core.hooks), never through its services.
const NO_SERVICES = {
  selector: "MemberExpression[property.name='services']",
  message: 'Hosts call the core through its API (callOrThrow / createClient(inProcess(core, host))) or core.hooks.',
};

const RENDERER_REASON =
  'renderer reaches the core only through renderer/api/client.ts (no transports, no electron/, no node:*), and other features only through their index.ts.';
const FEATURE_REASON =
  'A feature never imports another feature; share through api/, stores/, components/, lib/ or shared/.';
// outside features, a feature is reached through its index only: features/pipeline, never features/pipeline/x
const FEATURE_INTERNALS = '(^|/)features/[^/]+/(?!index$)[^/]+';
const TRANSPORTS = '(^|/)api/(web-transport|ipc-transport|event-socket|login-token|envelopes)$';

/** The renderer's rule: no electron/node/engines, no transports (except in api/), plus `regexes`. */
const rendererRule = (reason, regexes, forbidTransports = true) =>
  restrict(reason, {
    modules: ['electron', ...NODE_BUILTINS, ...ENGINE_LIBS],
    regexes: ['(^|/)electron(/|$)', ...(forbidTransports ? [TRANSPORTS] : []), ...regexes],
  });

/** A no-restricted-imports rule from forbidden module names and path patterns (with a reason). */
const restrict = (reason, { modules = [], regexes = [] }) => [
  'error',
  {
    patterns: [
      ...(modules.length ? [{ group: modules, message: reason }] : []),
      ...regexes.map((regex) => ({ regex, message: reason })),
    ],
  },
];

export default tseslint.config(
  {
    ignores: [
      '**/*.tmp.ts',
      'dist/**',
      'node_modules/**',
      '.tsbuild/**',
      'test-results/**',
      'playwright-report/**',
      'release/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-restricted-syntax': ['error', NO_ENUMS],
    },
  },
  {
    files: ['electron/**/*.ts', 'shared/**/*.ts'],
    ignores: ['electron/core/db/**', 'shared/sql/dialects/**'],
    rules: { 'no-restricted-syntax': ['error', NO_ENUMS, ...NO_ENGINE_BRANCHES] },
  },
  {
    files: ['electron/headless/**/*.ts', 'electron/main/**/*.ts'],
    rules: { 'no-restricted-syntax': ['error', NO_ENUMS, ...NO_ENGINE_BRANCHES, NO_SERVICES] },
  },
  {
    files: ['shared/**/*.ts'],
    languageOptions: { globals: {} },
    rules: {
      'no-restricted-imports': restrict('shared/ is pure TypeScript: it imports only shared/ and zod.', {
        regexes: ['^(?!zod$|\\.{1,2}/)', '(^|/)(electron|renderer|test|bench)(/|$)'],
      }),
    },
  },
  {
    files: ['electron/core/**/*.ts'],
    ignores: ['electron/core/db/**'],
    rules: {
      'no-restricted-imports': restrict(
        'core never imports electron, main, headless or renderer; engine libraries live in core/db.',
        {
          modules: ['electron', ...ENGINE_LIBS],
          regexes: ['(^|/)(main|headless|preload|renderer)(/|$)'],
        },
      ),
    },
  },
  {
    files: ['electron/core/db/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict('core never imports electron, main, headless or renderer.', {
        modules: ['electron'],
        regexes: ['(^|/)(main|headless|preload|renderer)(/|$)'],
      }),
    },
  },
  {
    files: ['electron/headless/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict('headless never imports electron, main or renderer.', {
        modules: ['electron', ...ENGINE_LIBS],
        regexes: ['(^|/)(main|preload|renderer)(/|$)'],
      }),
    },
  },
  {
    files: ['electron/main/**/*.ts', 'electron/preload/**/*.ts'],
    rules: {
      'no-restricted-imports': restrict('main and preload are glue: no renderer, no headless, no engine libraries.', {
        modules: ENGINE_LIBS,
        regexes: ['(^|/)(renderer|headless)(/|$)'],
      }),
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: { 'no-restricted-imports': rendererRule(RENDERER_REASON, [FEATURE_INTERNALS]) },
  },
  {
    // the transports are picked once, in renderer/api/client.ts
    files: ['renderer/api/**/*.{ts,tsx}'],
    rules: { 'no-restricted-imports': rendererRule(RENDERER_REASON, [FEATURE_INTERNALS], false) },
  },
  {
    files: ['renderer/features/*/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': rendererRule(FEATURE_REASON, [
        '(^|/)features/', // a feature reaches another feature by no path at all
        '^\\.\\./(?!\\.)', // features/x/file -> ../y (checked for depth 1 below)
      ]),
    },
  },
  {
    files: ['renderer/features/*/*/**/*.{ts,tsx}'],
    rules: { 'no-restricted-imports': rendererRule(FEATURE_REASON, ['(^|/)features/', '^\\.\\./\\.\\./(?!\\.)']) },
  },
  {
    files: ['renderer/features/*/*/*/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': rendererRule(FEATURE_REASON, ['(^|/)features/', '^\\.\\./\\.\\./\\.\\./(?!\\.)']),
    },
  },
);
