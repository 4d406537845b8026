import type { IConstruct } from 'constructs';
import { hasBrand, setBrand } from './brand';
import type { SynthesizedObject } from './manifest';

/**
 * One problem found in the user's intent or in the synthesized cluster.
 *
 * Every problem names where it is (app and construct path), what is wrong
 * (the field and its bad value) and what to do about it.
 */
export interface Problem {
  /** The app (top-level construct id) the problem belongs to. */
  readonly app: string;
  /** The construct path, e.g. `gazette/Deployment`. */
  readonly path: string;
  /** The field at fault, e.g. `props.host` or `spec.routes[0].match`. */
  readonly field: string;
  /** The bad value, as the user gave it. */
  readonly value?: unknown;
  /** What is wrong with it, e.g. `is not a valid DNS name`. */
  readonly message: string;
  /** What to do about it. */
  readonly fix?: string;
  /**
   * Set on a warning: its stable code (e.g. `HL-baseline-profile`), which
   * users can search for. A warning is printed and does not fail synth.
   * @default - an error
   */
  readonly warning?: string;
}

/** Renders a problem on one line, the way every message of the project reads. */
export function formatProblem(p: Problem): string {
  const value = p.value === undefined ? '' : ` ${renderValue(p.value)}`;
  const fix = p.fix ? `; ${p.fix}` : '';
  const prefix = p.warning ? `warning ${p.warning}: ` : '';
  return `${prefix}${p.app}: ${p.field}${value} ${p.message}${fix} (at ${p.path})`;
}

function renderValue(value: unknown): string {
  const text = JSON.stringify(value);
  if (text === undefined) {
    return String(value);
  }
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

/**
 * Thrown for bad props (at construction time) and for every problem a synth
 * finds (all of them at once, in `problems`).
 */
export class HomelabError extends Error {
  /** Whether `x` is a HomelabError, from this copy of cdk8s-homelab or another. */
  public static isHomelabError(x: unknown): x is HomelabError {
    return hasBrand(x, 'HomelabError');
  }

  /** Every problem, in the order found. */
  public readonly problems: readonly Problem[];

  constructor(problems: readonly Problem[]) {
    const lines = problems.map(formatProblem);
    super(lines.length === 1 ? lines[0] : `${lines.length} problems:\n  - ${lines.join('\n  - ')}`);
    setBrand(this, 'HomelabError');
    this.name = 'HomelabError';
    this.problems = problems;
  }
}

/**
 * The app a construct belongs to: the id of its top-level construct (the
 * child of the App), or its own id when it has no parent.
 */
export function appNameOf(c: IConstruct): string {
  const scopes = c.node.scopes;
  // An AppStack in a SharedNamespace is the app, not the namespace around it.
  for (let i = scopes.length - 1; i > 1; i--) {
    if (hasBrand(scopes[i], 'AppStack')) {
      return scopes[i].node.id;
    }
  }
  return (scopes.length > 1 ? scopes[1] : scopes[0]).node.id || '(app)';
}

/** The construct metadata type under which constructs record their warnings. */
export const WARNING_METADATA = 'cdk8s-homelab:warning';

/**
 * Records a warning on a construct: synth prints it (and does not fail).
 * `code` is stable, so users can search for it.
 */
export function warnAt(c: IConstruct, code: string, field: string, value: unknown, message: string, fix?: string): void {
  c.node.addMetadata(WARNING_METADATA, { ...problemAt(c, field, value, message, fix), warning: code });
}

/** Builds a problem of one synthesized object: its field is named `Kind/name field`. */
export function objectProblem(o: SynthesizedObject, field: string, value: unknown, message: string, fix?: string): Problem {
  return { app: o.app, path: o.path, field: `${o.manifest.kind}/${o.manifest.metadata.name ?? '?'} ${field}`, value, message, fix };
}

/** Builds a problem located at the given construct. */
export function problemAt(c: IConstruct, field: string, value: unknown, message: string, fix?: string): Problem {
  return { app: appNameOf(c), path: c.node.path || c.node.id, field, value, message, fix };
}
