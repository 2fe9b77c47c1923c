import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // CLI tests run the built bin/logscan.js: build dist/ once before any test.
    globalSetup: ['test/globalSetup.ts'],
    testTimeout: 60000,
  },
});
