import type { Construct } from 'constructs';
import { HomelabError, type Problem, problemAt } from './problems';
import { isPort } from './value-rules';

/**
 * Collects the problems of one construct's props and throws them together,
 * so that a user sees every mistake of an app in one run.
 */
export class PropChecker {
  private readonly problems: Problem[] = [];

  constructor(private readonly scope: Construct) {}

  /** Records a problem when `ok` is false. Returns `ok`. */
  public check(ok: boolean, field: string, value: unknown, message: string, fix?: string): boolean {
    if (!ok) {
      this.problems.push(problemAt(this.scope, field, value, message, fix));
    }
    return ok;
  }

  /** Records a problem when `value` is not a port number (an integer from 1 to 65535). Returns whether it is one. */
  public port(field: string, value: number): boolean {
    return this.check(isPort(value), field, value, 'must be an integer from 1 to 65535');
  }

  /** Throws a HomelabError with every recorded problem, if any. */
  public throwIfAny(): void {
    if (this.problems.length > 0) {
      throw new HomelabError(this.problems);
    }
  }
}
