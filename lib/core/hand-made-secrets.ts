import type { IConstruct } from 'constructs';
import { RootValue } from './root-values';
import { isDnsLabel, isDnsSubdomain } from './value-rules';

/** The Secrets declared made by hand in a construct tree. */
const HAND_MADE = new RootValue<Set<string>>('handMadeSecrets');

/**
 * Declares Secrets you create by hand (`kubectl create secret`), as
 * `namespace/name`, for the whole App `scope` is in: objects may use them
 * although nothing in the output provides them. HomelabApp's
 * `handMadeSecrets` does the same; this serves a plain cdk8s App too, and
 * lets an app's file declare its own.
 */
export function declareHandMadeSecrets(scope: IConstruct, secrets: readonly string[]): void {
  HAND_MADE.set(scope, new Set([...(HAND_MADE.get(scope) ?? []), ...secrets]));
}

/** The Secrets declared made by hand in the tree `scope` is in, sorted. */
export function handMadeSecretsOf(scope: IConstruct): string[] {
  return [...(HAND_MADE.get(scope) ?? [])].sort();
}

/** Whether a declaration reads as `namespace/name` (a DNS label, then a DNS subdomain). */
export function isSecretPath(secret: string): boolean {
  const [namespace, name, extra] = secret.split('/');
  return extra === undefined && name !== undefined && isDnsLabel(namespace) && isDnsSubdomain(name);
}
