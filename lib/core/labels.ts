/** The label every object we emit carries, so `kubectl ... -l` can find and prune them. */
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
/** The value of {@link MANAGED_BY_LABEL}. */
export const MANAGED_BY = 'cdk8s-homelab';

/**
 * The labels that select an app's pods: `app.kubernetes.io/name` and
 * `app.kubernetes.io/instance`. They never change for an app, so selectors
 * stay immutable across releases.
 * @see https://kubernetes.io/docs/concepts/overview/working-with-objects/common-labels/
 */
export function selectorLabels(app: string): Record<string, string> {
  return {
    'app.kubernetes.io/name': app,
    'app.kubernetes.io/instance': app,
  };
}

/** The recommended labels of every object of an app: the selector labels plus `managed-by`. */
export function recommendedLabels(app: string): Record<string, string> {
  return { ...selectorLabels(app), [MANAGED_BY_LABEL]: MANAGED_BY };
}

/**
 * A URL or file path as part of an object or volume name: its letters and
 * digits, lowercased, in runs joined by `-` (`/var/Cache` -> `var-cache`);
 * `root` when it has none (`/`).
 */
export function pathSlug(p: string): string {
  return (
    p
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'root'
  );
}
