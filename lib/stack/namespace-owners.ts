import type { IConstruct } from 'constructs';
import { RootValue } from '../core/root-values';

/** Who owns a namespace of the App: one app, or a {@link SharedNamespace} its apps share. */
export interface NamespaceOwner {
  /** The app's id, or the shared namespace's. */
  readonly id: string;
  /** Whether the namespace is a SharedNamespace. */
  readonly shared: boolean;
}

/** The owner of each namespace of a construct tree. */
const OWNERS = new RootValue<Map<string, NamespaceOwner>>('namespaceOwners');

/** The owners of the namespaces of the App that `c` is in (kept on its root). */
function ownersOf(c: IConstruct): Map<string, NamespaceOwner> {
  let owners = OWNERS.get(c);
  if (owners === undefined) {
    owners = new Map<string, NamespaceOwner>();
    OWNERS.set(c, owners);
  }
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
