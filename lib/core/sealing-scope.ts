/** The scopes of Bitnami sealed secrets, and the names they bind a value to (no Node.js API: the package's types need none). */

/**
 * How far a sealed value may travel, as the Bitnami sealed-secrets controller
 * reads it: `strict` (only this name in this namespace), `namespace-wide`
 * (any name in this namespace) or `cluster-wide` (anywhere).
 */
export type SealingScope = 'strict' | 'namespace-wide' | 'cluster-wide';

/** Every sealing scope. */
export const SEALING_SCOPES: readonly SealingScope[] = ['strict', 'namespace-wide', 'cluster-wide'];

/** The annotation that says a SealedSecret is not strict, by scope. */
export const SEALING_SCOPE_ANNOTATIONS: Readonly<Record<Exclude<SealingScope, 'strict'>, string>> = {
  'namespace-wide': 'sealedsecrets.bitnami.com/namespace-wide',
  'cluster-wide': 'sealedsecrets.bitnami.com/cluster-wide',
};

/** The scope annotations of a SealedSecret (and of the Secret it makes). */
export function scopeAnnotations(scope: SealingScope): Record<string, string> {
  return scope === 'strict' ? {} : { [SEALING_SCOPE_ANNOTATIONS[scope]]: 'true' };
}

/**
 * The OAEP label a value is sealed with: it binds the value to where it may be
 * unsealed (`<namespace>/<name>`, `<namespace>`, or nothing).
 */
export function sealingLabel(scope: SealingScope, namespace: string, name: string): string {
  return scope === 'cluster-wide' ? '' : scope === 'namespace-wide' ? namespace : `${namespace}/${name}`;
}

/** Whether a name is a valid key of a Secret's data. */
export function isSecretKey(key: string): boolean {
  return key.length > 0 && key.length <= 253 && /^[-._a-zA-Z0-9]+$/.test(key) && key !== '.' && key !== '..';
}
