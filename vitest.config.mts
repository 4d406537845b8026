import * as path from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    // The library is loaded once per worker, not once per test file (no test
    // keeps state between files), and two workers run at once even on a
    // 2-core machine: the slow tests mostly wait for the commands they start.
    isolate: false,
    maxWorkers: 2,
    reporters: ['default', './test/summary-reporter.ts'],
    // Snapshots live in the top-level __snapshots__/ folder.
    resolveSnapshotPath: (testPath, ext) => path.join(import.meta.dirname, '__snapshots__', `${path.basename(testPath)}${ext}`),
  },
});
