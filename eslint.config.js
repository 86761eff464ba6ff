// Lint: TypeScript rules plus Nx module boundaries. Each project is tagged in its project.json with
// type:* (what it may depend on) and scope:* (which bounded context it belongs to).
const nx = require('@nx/eslint-plugin');

/** Which project types each project type may import. */
const depConstraints = [
  { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util'] },
  { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: ['type:contracts', 'type:util'] },
  { sourceTag: 'type:domain', onlyDependOnLibsWithTags: ['type:domain', 'type:contracts', 'type:util'] },
  { sourceTag: 'type:adapter', onlyDependOnLibsWithTags: ['type:adapter', 'type:domain', 'type:contracts', 'type:util'] },
  { sourceTag: 'type:service', onlyDependOnLibsWithTags: ['type:adapter', 'type:domain', 'type:contracts', 'type:util'] },
  { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:tooling', 'type:adapter', 'type:domain', 'type:contracts', 'type:util'] },
  {
    sourceTag: 'type:tooling',
    onlyDependOnLibsWithTags: ['type:tooling', 'type:testing', 'type:adapter', 'type:domain', 'type:contracts', 'type:util'],
  },
  /** Shared libraries serve every context, so they know none of them. Tooling (the CLI, the end-to-end tests) may use all. */
  { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
  /** Bounded contexts do not reach into each other's domain code; shared libraries serve all. */
  { sourceTag: 'scope:lineage', onlyDependOnLibsWithTags: ['scope:lineage', 'scope:shared'] },
  { allSourceTags: ['scope:gates', 'type:domain'], onlyDependOnLibsWithTags: ['scope:gates', 'scope:lineage', 'scope:shared'] },
  /** The gate validator folds deployment events with the deployments' placement fold (one rule for what serves where). */
  {
    allSourceTags: ['scope:gates', 'type:service'],
    onlyDependOnLibsWithTags: ['scope:gates', 'scope:deployments', 'scope:lineage', 'scope:shared'],
  },
  { sourceTag: 'scope:deployments', onlyDependOnLibsWithTags: ['scope:deployments', 'scope:gates', 'scope:lineage', 'scope:shared'] },
  {
    sourceTag: 'scope:projections',
    onlyDependOnLibsWithTags: ['scope:projections', 'scope:lineage', 'scope:gates', 'scope:deployments', 'scope:shared'],
  },
];

/** Tests may also use the shared test fixtures (libs/testing). */
const testDepConstraints = depConstraints.map((constraint) =>
  constraint.sourceTag?.startsWith('type:')
    ? { ...constraint, onlyDependOnLibsWithTags: [...constraint.onlyDependOnLibsWithTags, 'type:testing'] }
    : constraint,
);

const boundaries = (constraints) => [
  'error',
  {
    enforceBuildableLibDependency: false,
    banTransitiveDependencies: false,
    checkDynamicDependenciesExceptions: [],
    allow: [],
    depConstraints: constraints,
  },
];

module.exports = [
  { ignores: ['**/node_modules/**', '.local/**', 'dist/**', '.nx/**', 'tmp/**', 'coverage/**'] },
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  /**
   * Prettier (`.prettierrc.json`, checked by `npm run lint`) lays code out at 140 columns but leaves
   * strings, templates and comments as written: this rule holds those to the same width, in the .js
   * files too (which get no other rule).
   */
  { files: ['**/*.ts', '**/*.js'], rules: { 'max-len': ['error', { code: 140, ignoreUrls: true }] } },
  {
    files: ['**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': boundaries(depConstraints),
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-control-regex': 'off',
    },
  },
  {
    files: ['**/*.spec.ts', 'test/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off', '@nx/enforce-module-boundaries': boundaries(testDepConstraints) },
  },
];
