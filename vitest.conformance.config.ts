import { defineConfig } from 'vitest/config';

// Conformance against gpsd and the shared vectors: needs AIS_DATA_DIR (default ../shared/data)
// and, for the gpsdecode cross-run, Debian's gpsd-clients.
export default defineConfig({
  test: {
    include: ['test/conformance/**/*.test.ts'],
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
});
