import { HomelabError } from './errors';

/**
 * Runs a synth entry point (`main.ts`): on a HomelabError it prints every
 * problem, one per line, without a stack trace, and exits with status 1.
 * Any other error propagates as usual.
 */
export function runMain(main: () => void): void {
  try {
    main();
  } catch (e) {
    if (e instanceof HomelabError) {
      process.stderr.write(`synth failed, dist/ left as it was: ${e.problems.length} problem(s)\n`);
      for (const line of e.message.split('\n')) {
        process.stderr.write(`${line}\n`);
      }
      process.exitCode = 1;
      return;
    }
    throw e;
  }
}
