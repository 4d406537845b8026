import type { IConstruct } from 'constructs';

/**
 * A setting of a whole construct tree, kept on its root under a global
 * symbol (`cdk8s-homelab.<name>`, the same in every copy of the package, so a
 * library built on another copy reads it too): the cluster profile, the
 * Kubernetes version, the Secrets made by hand, the owners of namespaces...
 */
export class RootValue<T> {
  private readonly symbol: symbol;

  constructor(name: string) {
    this.symbol = Symbol.for(`cdk8s-homelab.${name}`);
  }

  /** The value of the tree `scope` is in, if set. */
  public get(scope: IConstruct): T | undefined {
    return (scope.node.root as unknown as Record<symbol, T | undefined>)[this.symbol];
  }

  /** Sets the value of the tree `scope` is in (replacing the one before). */
  public set(scope: IConstruct, value: T): void {
    Object.defineProperty(scope.node.root, this.symbol, { value, configurable: true });
  }
}
