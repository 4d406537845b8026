import type { SynthesizedObject } from './manifest';
import type { Problem } from './problems';

/** What the checks need to know of the cluster beyond the objects themselves. */
export interface ClusterContext {
  /**
   * Whether Traefik lets an IngressRoute reference Services and Middlewares of
   * other namespaces (`providers.kubernetesCRD.allowCrossNamespace`).
   * @default false (Traefik's default, {@link DEFAULT_ALLOW_CROSS_NAMESPACE})
   */
  readonly allowCrossNamespace?: boolean;
  /**
   * Certificate resolvers declared outside the synthesized output (the
   * TraefikConfig of the cluster declares its own).
   * @default - only those of a TraefikConfig in the output
   */
  readonly certResolvers?: string[];
}

/**
 * A check run over the whole synthesized cluster before anything is written;
 * it returns every problem it finds.
 */
export type ClusterCheck = (objects: readonly SynthesizedObject[], context: ClusterContext) => Problem[];

/** Traefik's default for `providers.kubernetesCRD.allowCrossNamespace`: a route reaches only its own namespace. */
export const DEFAULT_ALLOW_CROSS_NAMESPACE = false;

/** A ClusterContext with its defaults filled in. */
export function resolveClusterContext(context: ClusterContext = {}): ClusterContext {
  return { ...context, allowCrossNamespace: context.allowCrossNamespace ?? DEFAULT_ALLOW_CROSS_NAMESPACE };
}
