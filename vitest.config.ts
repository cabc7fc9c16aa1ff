import { defineConfig } from 'vitest/config';

// Unit tests: no services, no ../shared data required.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/conformance/**', 'node_modules/**'],
    testTimeout: 60_000,
  },
});
