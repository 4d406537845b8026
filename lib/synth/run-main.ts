import { formatProblem, HomelabError } from '../core/problems';

/**
 * Runs a synth entry point (`main.ts`, which may be async): on a HomelabError it prints every
 * problem, one per line, without a stack trace, and exits with status 1.
 * Any other error propagates as usual.
 */
export function runMain(main: () => void | Promise<void>): void {
  const fail = (e: unknown) => {
    if (HomelabError.isHomelabError(e)) {
      process.stderr.write(`synth failed, dist/ left as it was: ${e.problems.length} problem(s)\n`);
      for (const problem of e.problems) {
        process.stderr.write(`${formatProblem(problem)}\n`);
      }
      process.exitCode = 1;
      return;
    }
    throw e;
  };
  try {
    const done = main();
    if (done instanceof Promise) {
      done.catch((e: unknown) => {
        try {
          fail(e);
        } catch (other) {
          process.stderr.write(`${(other as Error).stack ?? String(other)}\n`);
          process.exitCode = 1;
        }
      });
    }
  } catch (e) {
    fail(e);
  }
}
