import type { Construct } from 'constructs';
import { PROVIDES_SECRETS_ANNOTATION, PROVIDES_SERVICES_ANNOTATION } from '../core/annotations';
import type { HelmValue } from '../core/json';
import type { ProvidedService } from '../core/manifest-fields';
import { PropChecker } from '../core/prop-checker';
import type { PropNames } from '../core/prop-names';
import { secretLikeValues } from '../core/secrets';
import { isDnsLabel, isDnsSubdomain, isGoDuration, isPort } from '../core/value-rules';

/** A Secret whose keys hold values files of a chart. */
export interface ValuesSecret {
  /** The Secret's name (in the namespace of the HelmChart or HelmRelease). */
  readonly name: string;
  /**
   * The keys to use, each a values file.
   * @default - every key with helm-controller; `values.yaml` with Flux
   */
  readonly keys?: string[];
}

/** The prop names of {@link ValuesSecret}, to find unknown ones at run time. */
export const VALUES_SECRET_FIELDS: PropNames<ValuesSecret> = { name: 'string', keys: 'string[]?' };

/** Props of a Helm chart installed in the cluster, whichever controller installs it ({@link HelmChartRelease}). */
export interface HelmChartReleaseProps {
  /** The release name (also the name of the HelmChart, or of the HelmRelease and its HelmRepository). */
  readonly name: string;
  /** The chart repository: an `https://` URL, or an `oci://` reference. */
  readonly repo: string;
  /** The chart name in the repository. */
  readonly chart: string;
  /** The exact chart version, e.g. `1.0.5` (no ranges: installs must be reproducible). */
  readonly version: string;
  /**
   * The namespace the chart installs into.
   * @default - the release name
   */
  readonly targetNamespace?: string;
  /**
   * Whether the controller creates the target namespace.
   * @default true
   */
  readonly createNamespace?: boolean;
  /**
   * The namespace of the controller's objects.
   * @default - the cluster profile's (`kube-system` for helm-controller, `flux-system` for Flux)
   */
  readonly namespace?: string;
  /**
   * Chart values, with sorted keys. Never put secrets here: reference them
   * (`valuesSecrets`, or the chart's existingSecret values).
   * @default - the chart's defaults
   */
  readonly values?: Record<string, HelmValue>;
  /**
   * Existing Secrets (in the namespace of the controller's objects) whose keys hold values files.
   * @default - none
   */
  readonly valuesSecrets?: ValuesSecret[];
  /**
   * How long Helm may take, e.g. `10m`.
   * @default - the controller's default (5m)
   */
  readonly timeout?: string;
  /**
   * Services the chart creates, which routes of the cluster may reference.
   * @default - none
   */
  readonly provides?: ProvidedService[];
  /**
   * Secrets the chart creates, by name (in its target namespace) or as
   * `namespace/name`, which objects of the cluster may then use.
   * @default - none
   */
  readonly providesSecrets?: string[];
  /**
   * Labels of the controller's objects.
   * @default - only `app.kubernetes.io/managed-by: cdk8s-homelab`, which every object gets
   */
  readonly labels?: Record<string, string>;
}

/** The prop names of {@link HelmChartReleaseProps}, to find unknown ones at run time. */
export const HELM_CHART_RELEASE_PROPS_FIELDS: PropNames<HelmChartReleaseProps> = {
  name: 'string',
  repo: 'string',
  chart: 'string',
  version: 'string',
  targetNamespace: 'string?',
  createNamespace: 'boolean?',
  namespace: 'string?',
  values: 'object?',
  valuesSecrets: 'list?',
  timeout: 'string?',
  provides: 'list?',
  providesSecrets: 'string[]?',
  labels: 'object?',
};

const SEMVER = /^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;

/** The PROVIDES_SERVICES_ANNOTATION value of a chart installing into `targetNamespace`, or undefined when it provides none. */
export function providesAnnotation(provides: readonly ProvidedService[] | undefined, targetNamespace: string): string | undefined {
  const list = (provides ?? []).map((s) => `${s.namespace ?? targetNamespace}/${s.name}:${s.ports.join(',')}`).join(';');
  return list === '' ? undefined : list;
}

/** The PROVIDES_SECRETS_ANNOTATION value of a chart installing into `targetNamespace`, or undefined when it makes none. */
export function providesSecretsAnnotation(secrets: readonly string[] | undefined, targetNamespace: string): string | undefined {
  const list = (secrets ?? []).map((s) => (s.includes('/') ? s : `${targetNamespace}/${s}`)).join(';');
  return list === '' ? undefined : list;
}

/** The annotations of the controller's object: the Services and Secrets the chart provides, or undefined. */
export function chartAnnotations(props: HelmChartReleaseProps, targetNamespace: string): Record<string, string> | undefined {
  const services = providesAnnotation(props.provides, targetNamespace);
  const secrets = providesSecretsAnnotation(props.providesSecrets, targetNamespace);
  if (services === undefined && secrets === undefined) {
    return undefined;
  }
  return { ...(services ? { [PROVIDES_SERVICES_ANNOTATION]: services } : {}), ...(secrets ? { [PROVIDES_SECRETS_ANNOTATION]: secrets } : {}) };
}

/**
 * A checker of the props of a chart construct (`owner` names it in the
 * messages) that has checked their names (throwing when one it needs is
 * missing) and every chart prop; the caller adds its own, then reports.
 */
export function chartPropChecker<P extends HelmChartReleaseProps>(scope: Construct, props: P, names: PropNames<P>, owner: string): PropChecker {
  const checker = new PropChecker(scope);
  checker.checkShape('props', props, names, owner);
  checker.checkShapeOfEach('props.valuesSecrets', props.valuesSecrets, VALUES_SECRET_FIELDS, 'ValuesSecret');
  checker.throwIfIncomplete();
  checkChartProps(checker, props, props.targetNamespace ?? props.name);
  return checker;
}

/** Records every problem of the props of a chart installing into `targetNamespace`. */
export function checkChartProps(checker: PropChecker, props: HelmChartReleaseProps, targetNamespace: string): void {
  checker.check(isDnsLabel(props.name), 'props.name', props.name, 'is not a valid release name', 'use lowercase letters, digits and "-"');
  checker.check(
    /^(https:\/\/|oci:\/\/)[^\s]+$/.test(props.repo),
    'props.repo',
    props.repo,
    'is not a chart repository',
    'use an https:// repository URL or an oci:// reference',
  );
  checker.check(/^[a-z0-9]([-a-z0-9_.]*[a-z0-9])?$/i.test(props.chart), 'props.chart', props.chart, 'is not a chart name');
  checker.check(
    SEMVER.test(props.version),
    'props.version',
    props.version,
    'is not an exact version',
    'pin one version, e.g. "1.0.5", so every install is the same',
  );
  checker.check(isDnsLabel(targetNamespace), 'props.targetNamespace', targetNamespace, 'is not a valid namespace name');
  if (props.namespace !== undefined) {
    checker.check(isDnsLabel(props.namespace), 'props.namespace', props.namespace, 'is not a valid namespace name');
  }
  if (props.timeout !== undefined) {
    checker.check(isGoDuration(props.timeout), 'props.timeout', props.timeout, 'is not a duration', 'write e.g. 10m or 90s');
  }
  for (const p of secretLikeValues(props.values ?? {})) {
    checker.check(
      false,
      `props.values.${p}`,
      '(hidden)',
      'looks like a secret, and values end up in Git',
      "reference a Secret (the chart's existingSecret value, or valuesSecrets)",
    );
  }
  for (const [i, s] of (props.valuesSecrets ?? []).entries()) {
    checker.check(isDnsSubdomain(s.name), `props.valuesSecrets[${i}].name`, s.name, 'is not a valid Secret name');
  }
  for (const [i, secret] of (props.providesSecrets ?? []).entries()) {
    const [ns, name] = secret.includes('/') ? secret.split('/', 2) : [targetNamespace, secret];
    checker.check(
      isDnsLabel(ns) && isDnsSubdomain(name) && secret.split('/').length <= 2,
      `props.providesSecrets[${i}]`,
      secret,
      'is not a Secret name nor namespace/name',
    );
  }
  for (const [i, svc] of (props.provides ?? []).entries()) {
    checker.check(isDnsLabel(svc.name), `props.provides[${i}].name`, svc.name, 'is not a valid Service name');
    checker.check(
      svc.ports.length > 0 && svc.ports.every((p) => (typeof p === 'number' ? isPort(p) : /^[a-z0-9-]{1,15}$/.test(p))),
      `props.provides[${i}].ports`,
      svc.ports,
      'must list port numbers (1-65535) or port names',
    );
  }
}
