import type { Construct, IConstruct } from 'constructs';
import { HomelabError, type Problem, problemAt } from './problems';
import { type PropNames, propNameProblems } from './prop-names';
import { isPort } from './value-rules';

/**
 * Collects the problems of one construct's props and throws them together,
 * so that a user sees every mistake of an app in one run.
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

  /**
   * Records a problem for each key of `value` that `names` does not list (a
   * misspelled prop, which TypeScript cannot see in JavaScript or in props
   * spread from another object) and for each required one it lacks (then
   * {@link PropChecker.throwIfIncomplete} stops before the checks that read
   * it). Does nothing for a value that is not a plain object (a construct
   * passed as a peer).
   */
  public knownProps<T extends object>(field: string, value: T | undefined, names: PropNames<T>, owner: string): void {
    for (const p of propNameProblems(field, value, names, owner)) {
      this.check(false, p.field, p.value, p.message, p.fix);
      this.incomplete ||= p.missing === true;
    }
  }

  /** {@link PropChecker.knownProps} for each item of a list prop (`field[i]`). */
  public knownPropsOfEach<T extends object>(field: string, list: readonly T[] | undefined, names: PropNames<T>, owner: string): void {
    const items: readonly T[] = Array.isArray(list) ? list : [];
    for (const [i, item] of items.entries()) {
      this.knownProps(`${field}[${i}]`, item, names, owner);
    }
  }

  /**
   * Throws every problem so far when {@link PropChecker.knownProps} found a
   * required prop missing: the checks that read it cannot run.
   */
  public throwIfIncomplete(): void {
    if (this.incomplete) {
      this.throwIfAny();
    }
  }

  /** Throws a HomelabError with every recorded problem, if any. */
  public throwIfAny(): void {
    if (this.problems.length > 0) {
      throw new HomelabError(this.problems);
    }
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
