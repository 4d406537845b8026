import type { IConstruct } from 'constructs';
import { isDnsLabel, isDnsSubdomain } from './value-rules';

/** Where the root of a construct tree keeps the Secrets declared made by hand (a global symbol, the same in every copy of the package). */
const HAND_MADE = Symbol.for('cdk8s-homelab.handMadeSecrets');

/**
 * Declares Secrets you create by hand (`kubectl create secret`), as
 * `namespace/name`, for the whole App `scope` is in: objects may use them
 * although nothing in the output provides them. HomelabApp's
 * `handMadeSecrets` does the same; this serves a plain cdk8s App too, and
 * lets an app's file declare its own.
 */
export function declareHandMadeSecrets(scope: IConstruct, secrets: readonly string[]): void {
  const root = scope.node.root as unknown as Record<symbol, Set<string> | undefined>;
  const set = root[HAND_MADE] ?? new Set<string>();
  for (const secret of secrets) {
    set.add(secret);
  }
  Object.defineProperty(root, HAND_MADE, { value: set, configurable: true });
}

/** The Secrets declared made by hand in the tree `scope` is in, sorted. */
export function handMadeSecretsOf(scope: IConstruct): string[] {
  return [...((scope.node.root as unknown as Record<symbol, Set<string> | undefined>)[HAND_MADE] ?? [])].sort();
}

/** Whether a declaration reads as `namespace/name` (a DNS label, then a DNS subdomain). */
export function isSecretPath(secret: string): boolean {
  const [namespace, name, extra] = secret.split('/');
  return extra === undefined && name !== undefined && isDnsLabel(namespace) && isDnsSubdomain(name);
}
