import type { IConstruct } from 'constructs';

/** Who owns a namespace of the App: one app, or a {@link SharedNamespace} its apps share. */
export interface NamespaceOwner {
  /** The app's id, or the shared namespace's. */
  readonly id: string;
  /** Whether the namespace is a SharedNamespace. */
  readonly shared: boolean;
}

/** The owner of each namespace, kept on the App's root (a global symbol, the same in every copy of the package). */
const NAMESPACE_OWNERS = Symbol.for('cdk8s-homelab.namespaceOwners');

/** The owners of the namespaces of the App that `c` is in. */
function ownersOf(c: IConstruct): Map<string, NamespaceOwner> {
  const root = c.node.root as unknown as Record<symbol, Map<string, NamespaceOwner> | undefined>;
  const owners = root[NAMESPACE_OWNERS] ?? new Map<string, NamespaceOwner>();
  root[NAMESPACE_OWNERS] = owners;
  return owners;
}

/**
 * Claims `namespace` for `owner` in the App of `c`: returns the owner it
 * already had (and leaves it), or undefined when the claim took.
 */
export function claimNamespace(c: IConstruct, namespace: string, owner: NamespaceOwner): NamespaceOwner | undefined {
  const owners = ownersOf(c);
  const first = owners.get(namespace);
  if (first === undefined) {
    owners.set(namespace, owner);
  }
  return first;
}
