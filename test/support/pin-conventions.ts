/**
 * Vitest setup: new schemas follow DataJoint 0.14 unless a test chooses. Without a choice Joinery
 * gives new schemas the conventions of the database's existing DataJoint schemas, and the shared
 * MariaDB server holds other runs' schemas of both generations: the suites written for 0.14 must not
 * depend on that. Tests of the default itself (conventions-default.test.ts) unset it.
 */
process.env.JOINERY_CONVENTIONS ??= '0.14';
