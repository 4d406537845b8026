import type { Construct, IConstruct } from 'constructs';
import { failsFast, recordProblems } from './deferred-problems';
import { HomelabError, type Problem, problemAt } from './problems';
import { type PropNames, shapeProblems } from './prop-names';
import { isPort } from './value-rules';

/**
 * Collects the problems of one construct's props and reports them together,
 * at synth with those of every other app and of the whole cluster (or at
 * once: see {@link PropChecker.reportProblems}), so that a user sees every
 * mistake in one run.
 */
export class PropChecker {
  /**
   * Declares that `parent` has checked the props of its children `childIds`
   * before creating them (under its own prop names, all at once, as AppStack
   * does): those children do not check them a second time.
   */
  public static declareChecked(parent: IConstruct, childIds: readonly string[]): void {
    const checked = checkedChildrenOf(parent) ?? new Set<string>();
    for (const id of childIds) {
      checked.add(id);
    }
    Object.defineProperty(parent, CHECKED_CHILDREN, { value: checked, configurable: true });
  }

  /** Whether the parent of `construct` has already checked its props (see {@link PropChecker.declareChecked}). */
  public static checkedByParent(construct: IConstruct): boolean {
    const parent = construct.node.scope;
    return parent !== undefined && (checkedChildrenOf(parent)?.has(construct.node.id) ?? false);
  }

  private readonly problems: Problem[] = [];
  private incomplete = false;

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

  /** Records a problem when `path` is not an absolute path (in a container or on a node). Returns whether it is one. */
  public absolutePath(field: string, path: string): boolean {
    return this.check(path.startsWith('/'), field, path, 'is not an absolute path', `write it from the root, e.g. /${path.replace(/^[./]+/, '')}`);
  }

  /**
   * Checks the shape of a props object against its table of prop names, as
   * TypeScript cannot in JavaScript or in props spread from an object of
   * another shape: records a problem for each key that `names` does not list
   * (a misspelled prop: the fix names the closest known one), and for each
   * required prop it lacks or prop of the wrong kind (then
   * {@link PropChecker.throwIfIncomplete} stops before the checks that would
   * read it). Does nothing for a value that is not a plain object (a
   * construct passed as a peer).
   */
  public checkShape<T extends object>(field: string, value: T | undefined, names: PropNames<T>, owner: string): void {
    for (const p of shapeProblems(field, value, names, owner)) {
      this.check(false, p.field, p.value, p.message, p.fix);
      this.incomplete ||= p.missing === true;
    }
  }

  /** {@link PropChecker.checkShape} for each item of a list prop (`field[i]`), which must be an object. */
  public checkShapeOfEach<T extends object>(field: string, list: readonly T[] | undefined, names: PropNames<T>, owner: string): void {
    const items: readonly T[] = Array.isArray(list) ? list : [];
    for (const [i, item] of items.entries()) {
      if (this.requireShape(typeof item === 'object' && item !== null && !Array.isArray(item), `${field}[${i}]`, item, `must be an object (a ${owner})`)) {
        this.checkShape(`${field}[${i}]`, item, names, owner);
      }
    }
  }

  /**
   * {@link PropChecker.check} for a value the construct cannot be built from
   * (a string where an object must be): {@link PropChecker.throwIfIncomplete}
   * then stops before the checks that would read it.
   */
  public requireShape(ok: boolean, field: string, value: unknown, message: string, fix?: string): boolean {
    this.incomplete ||= !ok;
    return this.check(ok, field, value, message, fix);
  }

  /**
   * Throws every problem so far when {@link PropChecker.checkShape} found a
   * required prop missing: the checks that read it cannot run, nor can the
   * construct build its objects.
   */
  public throwIfIncomplete(): void {
    if (this.incomplete) {
      this.reportProblems();
    }
  }

  /**
   * Reports every problem found, if any: records them to be reported at synth
   * with every other problem of the App (the construct then builds its objects
   * anyway; they are never written), or throws them as a HomelabError when a
   * required prop is missing, when the App fails fast, or when there is no App.
   */
  public reportProblems(): void {
    if (this.problems.length === 0) {
      return;
    }
    if (this.incomplete || failsFast(this.scope)) {
      throw new HomelabError(this.problems);
    }
    recordProblems(this.scope, this.problems);
  }
}

/** Where a parent keeps the ids of the children whose props it checked (a global symbol, the same in every copy of the package). */
const CHECKED_CHILDREN = Symbol.for('cdk8s-homelab.checkedChildren');

function checkedChildrenOf(parent: IConstruct): Set<string> | undefined {
  return (parent as unknown as Record<symbol, Set<string> | undefined>)[CHECKED_CHILDREN];
}

/**
 * `scope`, when it has no child `id` yet (for the constructor of an app, as
 * `super(freeScope(scope, id, 'app'), id)`): two apps of one id are a user's
 * mistake, reported as a problem, not as the constructs library's error.
 */
export function freeScope<T extends IConstruct>(scope: T, id: string, what: string): T {
  const taken = scope.node.tryFindChild(id);
  if (taken !== undefined) {
    throw new HomelabError([
      {
        app: id,
        path: taken.node.path,
        field: 'id',
        value: id,
        message: `is already the id of another ${what} in this App`,
        fix: 'give each one its own id (it names its namespace, objects and file)',
      },
    ]);
  }
  return scope;
}
