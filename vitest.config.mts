import * as path from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    reporters: ['default', './test/summary-reporter.ts'],
    // Snapshots live in the top-level __snapshots__/ folder.
    resolveSnapshotPath: (testPath, ext) => path.join(import.meta.dirname, '__snapshots__', `${path.basename(testPath)}${ext}`),
  },
});
