import { defineConfig } from 'vitest/config';

// Integration tests against real services (a real PostgreSQL: DATABASE_URL, default
// postgresql://postgres@127.0.0.1:5432/postgres, with PostGIS installable). One file at a time:
// they share the server, and some of them stop connections on purpose.
export default defineConfig({
  test: {
    include: ['test/integration/**/*.test.ts'],
    // Read by the tests: outside this config (plain `npm test`) they skip themselves.
    env: { TIDEWATCH_INTEGRATION: '1' },
    fileParallelism: false,
    testTimeout: 180_000,
    hookTimeout: 180_000,
  },
});
