import { groupByEnvironment, type ManifestValidationResult, validateClusters } from '../checks/manifest-validation';
import { resolveKubernetesVersion } from '../core/kubernetes-version';
import type { Manifest } from '../core/manifest';
import { formatProblem, HomelabError } from '../core/problems';
import type { PropNames } from '../core/prop-names';
import { shapeProblems } from '../core/prop-names';

/** The part of the cdk8s CLI's ValidationContext the plugin uses. */
export interface ValidationPluginContext {
  /** The manifest files the CLI synthesized. */
  readonly manifests: readonly string[];
  /** Where violations are reported. */
  readonly report: {
    /** Records one violation. */
    addViolation(violation: {
      ruleName: string;
      recommendation: string;
      fix: string;
      violatingResources: { resourceName: string; locations: string[]; manifestPath: string }[];
    }): void;
    /** Closes the report. */
    submit(status: 'success' | 'failure', metadata?: Record<string, string>): void;
  };
}

/** How many objects bear each name. */
function nameCounts(manifests: Iterable<Manifest>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const m of manifests) {
    const name = String(m.metadata.name ?? '');
    counts.set(name, (counts.get(name) ?? 0) + 1);
  }
  return counts;
}

/**
 * The name the CLI reports a violating object by. It finds the construct
 * path by that name alone, so an object whose name another object shares
 * (a Deployment and its Service) goes by `Kind/name`, which the CLI finds no
 * construct for, rather than by a name that leads it to the other object.
 */
function resourceName(manifest: Manifest | undefined, names: ReadonlyMap<string, number>): string | undefined {
  if (manifest === undefined) {
    return undefined;
  }
  const name = String(manifest.metadata.name ?? '');
  return names.get(name) === 1 ? name : `${manifest.kind}/${name}`;
}

/** Properties of the plugin, from `cdk8s.yaml`. */
export interface HomelabValidationProps {
  /**
   * Whether Traefik allows cross-namespace references.
   * @default false
   */
  readonly allowCrossNamespace?: boolean;
  /**
   * CRD files or folders of the cluster beyond the shipped catalog (relative to the project).
   * @default - the shipped catalog only
   */
  readonly crds?: string[];
  /**
   * The Kubernetes version of the cluster, `1.28` to `1.36`.
   * @default '1.28'
   */
  readonly kubernetesVersion?: string;
  /**
   * Secrets created by hand, as `namespace/name`, which objects may use
   * (HomelabApp writes its own declarations into the output).
   * @default - none
   */
  readonly handMadeSecrets?: string[];
}

/** The prop names of {@link HomelabValidationProps}, to find unknown ones at run time. */
const HOMELAB_VALIDATION_PROPS_FIELDS: PropNames<HomelabValidationProps> = {
  allowCrossNamespace: 'boolean?',
  crds: 'string[]?',
  kubernetesVersion: 'string?',
  handMadeSecrets: 'string[]?',
};

/**
 * A cdk8s CLI validation plugin that runs this project's checks (strict
 * schemas and whole-cluster checks) on what `cdk8s synth` wrote. Declare it
 * in `cdk8s.yaml`:
 *
 * ```yaml
 * validations:
 *   - package: ./node_modules/cdk8s-homelab/build/lib/validation-plugin.js
 *     version: 0.1.0
 *     class: HomelabValidation
 * ```
 * @see https://cdk8s.io/docs/latest/cli/synth/#validation
 */
export class HomelabValidation {
  constructor(private readonly props: HomelabValidationProps = {}) {}

  /** The checks' result; a CRD of `crds` that cannot be read is a problem of cdk8s.yaml. */
  private check(manifests: readonly string[]): ManifestValidationResult {
    try {
      const kubernetesVersion = resolveKubernetesVersion(this.props.kubernetesVersion, { app: '(cluster)', path: 'cdk8s.yaml', field: 'kubernetesVersion' });
      return validateClusters(groupByEnvironment(manifests), {
        cluster: { allowCrossNamespace: this.props.allowCrossNamespace, handMadeSecrets: this.props.handMadeSecrets },
        crds: this.props.crds,
        kubernetesVersion,
      });
    } catch (e) {
      if (!HomelabError.isHomelabError(e)) {
        throw e;
      }
      const problems = e.problems.map((p) => ({ ...p, app: 'cdk8s.yaml', path: 'cdk8s.yaml#validations', field: `properties.${p.field}` }));
      return { objects: 0, files: 0, problems, read: new Map() };
    }
  }

  /** Called by the cdk8s CLI after synth. */
  public validate(context: ValidationPluginContext): void {
    // One cluster per environment folder (dist/prod/..., dist/staging/...), else one cluster.
    const result = this.check(context.manifests);
    // A misspelled property in cdk8s.yaml would silently fall back to its default.
    const misspelled = shapeProblems('properties', this.props, HOMELAB_VALIDATION_PROPS_FIELDS, 'HomelabValidation').map((p) => ({
      ...p,
      app: 'cdk8s.yaml',
      path: 'cdk8s.yaml#validations',
    }));
    const errors = [...misspelled, ...result.problems.filter((p) => !p.warning)];
    const names = nameCounts(result.read.values());
    for (const p of errors) {
      const [manifestPath] = p.path.split('#');
      context.report.addViolation({
        ruleName: p.field,
        recommendation: formatProblem(p),
        fix: p.fix ?? 'see the recommendation',
        violatingResources: [{ resourceName: resourceName(result.read.get(p.path), names) ?? p.app, locations: [p.field], manifestPath }],
      });
    }
    const warnings = result.problems.filter((p) => p.warning).length;
    context.report.submit(errors.length === 0 ? 'success' : 'failure', {
      objects: String(result.objects),
      ...(warnings > 0
        ? {
            warnings: result.problems
              .filter((p) => p.warning)
              .map(formatProblem)
              .join('\n'),
          }
        : {}),
    });
  }
}
