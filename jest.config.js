// One runner for every level. Projects split tests by how much real infrastructure they need:
// unit (pure code, no servers), integration (*.int.spec.ts: real Kafka, Postgres, S3) and
// e2e (test/e2e: the services as processes against the real stack).
const { readFileSync } = require('node:fs');

const swcConfig = {
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2022',
  },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
};

const { compilerOptions } = JSON.parse(readFileSync(`${__dirname}/tsconfig.base.json`, 'utf8'));
const moduleNameMapper = Object.fromEntries(
  Object.entries(compilerOptions.paths).map(([alias, [target]]) => [`^${alias}$`, `<rootDir>/${target}`]),
);

const shared = {
  rootDir: __dirname,
  transform: { '^.+\\.ts$': ['@swc/jest', swcConfig] },
  moduleNameMapper,
  testEnvironment: 'node',
  modulePathIgnorePatterns: ['<rootDir>/.local/', '<rootDir>/dist/'],
  setupFiles: ['<rootDir>/test/jest/quiet-sdk.js'],
};

module.exports = {
  projects: [
    {
      ...shared,
      displayName: 'unit',
      testMatch: ['<rootDir>/{libs,services,deploy,tools}/**/*.spec.ts', '<rootDir>/test/{bench,chaos}/**/*.spec.ts'],
      testPathIgnorePatterns: ['\\.int\\.spec\\.ts$', '\\.e2e\\.spec\\.ts$', '/node_modules/'],
    },
    {
      ...shared,
      displayName: 'integration',
      testMatch: ['<rootDir>/{libs,services,deploy,tools}/**/*.int.spec.ts'],
      setupFilesAfterEnv: ['<rootDir>/test/jest/integration-timeout.js'],
    },
    {
      ...shared,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/{e2e,chaos}/**/*.e2e.spec.ts'],
      setupFilesAfterEnv: ['<rootDir>/test/jest/integration-timeout.js'],
    },
  ],
};
