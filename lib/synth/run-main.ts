import { formatProblem, HomelabError } from '../core/problems';

/**
 * Prints the report of a failed synth on standard error (a header, then one
 * line per problem, no stack trace) and sets the exit status to 1.
 */
export function reportFailure(e: HomelabError, outdir = 'dist'): void {
  process.stderr.write(`synth failed, ${outdir.replace(/\/*$/, '')}/ left as it was: ${e.problems.length} problem(s)\n`);
  for (const problem of e.problems) {
    process.stderr.write(`${formatProblem(problem)}\n`);
  }
  process.exitCode = 1;
}

/**
 * Runs a synth entry point (`main.ts`, which may be async): on a HomelabError it prints every
 * problem, one per line, without a stack trace, and exits with status 1.
 * Any other error propagates as usual.
 */
export function runMain(main: () => void | Promise<void>): void {
  const fail = (e: unknown) => {
    if (HomelabError.isHomelabError(e)) {
      reportFailure(e);
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
