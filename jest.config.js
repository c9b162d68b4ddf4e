/** One jest run for every workspace. TypeScript is transformed by swc; types are checked by `npm run typecheck`. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/shared', '<rootDir>/backend-client', '<rootDir>/backend', '<rootDir>/dev-stack', '<rootDir>/forge-app', '<rootDir>/outlook-addin', '<rootDir>/local-host', '<rootDir>/infra', '<rootDir>/tools'],
  testMatch: ['**/test/**/*.test.ts'],
  // Forge's bundler takes minutes: CI runs it once, on its own (`npm run test:forge-bundle` in .ci/run).
  testPathIgnorePatterns: ['/node_modules/', ...(process.env.FORGE_BUNDLE_TEST === '1' ? [] : ['/forge-app/test/forge-bundler\\.test\\.ts$'])],
  transform: {
    '^.+\\.(t|j)sx?$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript', tsx: true }, transform: { react: { runtime: 'automatic' } } }, module: { type: 'commonjs' } }],
  },
  // parse5 8 (and its entities dependency) and jose 6 ship ES modules only: let swc turn them into CommonJS.
  transformIgnorePatterns: ['/node_modules/(?!(parse5|entities|jose)/)'],
  testTimeout: 30000,
  // A process left running by a test fails the run by name instead of keeping jest from exiting.
  globalTeardown: '<rootDir>/tools/jest-leftover-processes.js',
  reporters: ['default', '<rootDir>/tools/jest-plain-summary.js'],
};
