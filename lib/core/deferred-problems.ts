import type { IConstruct } from 'constructs';
import { hasBrand, setBrand } from './brand';
import { HomelabError, type Problem } from './problems';

/**
 * Problems of a construct's props, kept on the construct until synth, so that
 * one run reports the problems of every app and of the whole cluster together
 * (an app with a bad image does not hide two others on the same host).
 *
 * A construct whose props have problems records them here and still builds
 * its objects, from the values it was given: they are never written, since
 * synth fails. Its children do not report what it reported (see
 * {@link recordProblems}).
 */
const DEFERRED = Symbol.for('cdk8s-homelab.deferredProblems');

/**
 * Whether problems found under `scope` are thrown where they are found: when
 * its App asked for it (HomelabApp `failFast`), or when the construct has no
 * App above it to report them at synth.
 */
export function failsFast(scope: IConstruct): boolean {
  const root = scope.node.root;
  return hasBrand(root, 'FailFast') || !isApp(root);
}

/** Marks an App whose constructs throw their problems where they are found. */
export function setFailFast(app: IConstruct): void {
  setBrand(app, 'FailFast');
}

/**
 * Records the problems of `scope`'s props, to be reported at synth, unless an
 * ancestor has recorded its own (the children of a construct that reported a
 * problem would only repeat it in other words).
 */
export function recordProblems(scope: IConstruct, problems: readonly Problem[]): void {
  if (scope.node.scopes.some((s) => s !== scope && deferredOf(s).length > 0)) {
    return;
  }
  Object.defineProperty(scope, DEFERRED, { value: [...deferredOf(scope), ...problems], configurable: true });
  const root = scope.node.root;
  if (!hasBrand(root, 'HomelabApp') && !hasBrand(root, 'DeferredReport')) {
    // A plain cdk8s App: its synth runs the validations of its constructs.
    setBrand(root, 'DeferredReport');
    root.node.addValidation({
      validate: () => {
        // The whole-cluster validation, when registered, reports them with its own.
        if (hasBrand(root, 'ClusterValidation')) {
          return [];
        }
        const problems = deferredProblems(root);
        if (problems.length > 0) {
          throw new HomelabError(problems);
        }
        return [];
      },
    });
  }
}

/** The problems recorded on one construct. */
function deferredOf(c: IConstruct): readonly Problem[] {
  return (c as unknown as Record<symbol, readonly Problem[] | undefined>)[DEFERRED] ?? [];
}

/** Every problem recorded in the tree of `root`, in construction order. */
export function deferredProblems(root: IConstruct): Problem[] {
  return root.node.findAll().flatMap(deferredOf);
}

/** The problems recorded on `c` itself (for a walk of the tree that visits every construct anyway). */
export function problemsRecordedOn(c: IConstruct): readonly Problem[] {
  return deferredOf(c);
}

/** Whether the root of a tree is a cdk8s App (which synthesizes; cdk8s has no App.isApp, so by its shape). */
function isApp(root: IConstruct): boolean {
  const app = root as unknown as { synth?: unknown; outdir?: unknown };
  return typeof app.synth === 'function' && typeof app.outdir === 'string';
}
