// Types only: the manifests are written as plain JSON (see Json), so the large
// generated module is never loaded at run time.
import type * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { Construct } from 'constructs';
import { isDnsSubdomain, isEnvName, isPort, isQuantity, parseImage, quantityValue } from './checks';
import { AutoUpdate, keelAnnotations } from './auto-update';
import { ALLOW_FLOATING_TAG_ANNOTATION } from './cluster-checks';
import { PropChecker, warnAt } from './errors';
import { Json } from './json';
import { ManifestObject } from './manifest-object';
import { PodSecurity, ResolvedPodSecurity, resolvePodSecurity } from './pod-security';
import { POLICY_RULES, PolicyRule, looksLikeSecretName, policyExceptionAnnotation } from './policy-checks';
import { Probe } from './probe';

/** A CPU architecture of cluster nodes (the `kubernetes.io/arch` node label). */
export type Arch = 'arm64' | 'amd64' | 'arm';

/**
 * Requests and limits of the app's container. The defaults fit a Raspberry Pi
 * node: a small request so many apps share a node, and a memory limit so one
 * leaking app cannot take the node down.
 * @see https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/
 */
export interface ContainerResources {
  /**
   * CPU the scheduler reserves for the container.
   * @default '50m'
   */
  readonly cpuRequest?: string;
  /**
   * Memory the scheduler reserves for the container.
   * @default '64Mi'
   */
  readonly memoryRequest?: string;
  /**
   * Memory above which the container is killed (OOMKilled).
   * @default '256Mi'
   */
  readonly memoryLimit?: string;
  /**
   * CPU above which the container is throttled.
   * @default - no CPU limit: throttling hurts latency more than it protects a small cluster
   */
  readonly cpuLimit?: string;
}

/** A key of an existing Secret, read into an environment variable. */
export interface SecretKeyRef {
  /** The Secret's name (in the app's namespace). */
  readonly secret: string;
  /** The key in the Secret. */
  readonly key: string;
  /**
   * Whether the pod may start without the Secret or key.
   * @default false
   */
  readonly optional?: boolean;
}

/** Props of {@link AppDeployment}. */
export interface AppDeploymentProps {
  /** The Deployment name, also the container name. */
  readonly name: string;
  /** The namespace of the Deployment. */
  readonly namespace: string;
  /** The container image, with a tag or digest, e.g. `ghcr.io/julesfrn/gazette:1.4.2`. */
  readonly image: string;
  /** The port the container listens on; named `http`. */
  readonly port: number;
  /** The labels that select the pods; put on the pod template and in `spec.selector`. */
  readonly selector: Record<string, string>;
  /**
   * Labels of the Deployment object and its pod template (in addition to the selector labels).
   * @default - the selector labels only
   */
  readonly labels?: Record<string, string>;
  /**
   * Number of pods.
   * @default 1
   */
  readonly replicas?: number;
  /**
   * Plain environment variables of the container (never secrets: reference those).
   * @default - none
   */
  readonly env?: Record<string, string>;
  /**
   * Environment variables read from existing Secrets, e.g.
   * `{ DB_PASSWORD: { secret: 'gazette-db', key: 'password' } }`.
   * @default - none
   */
  readonly secretEnv?: Record<string, SecretKeyRef>;
  /**
   * Existing Secrets whose every key becomes an environment variable.
   * @default - none
   */
  readonly envFromSecrets?: string[];
  /**
   * Rules of the security policy waived for this workload, each with its
   * reason (kept as an annotation; synth warns instead of failing).
   * @default - none
   */
  readonly policyExceptions?: Partial<Record<PolicyRule, string>>;
  /**
   * Replaces the image's ENTRYPOINT.
   * @default - the image's entrypoint
   */
  readonly command?: string[];
  /**
   * Replaces the image's CMD.
   * @default - the image's command
   */
  readonly args?: string[];
  /**
   * Requests and limits of the container.
   * @default - cpuRequest 50m, memoryRequest 64Mi, memoryLimit 256Mi, no cpuLimit
   */
  readonly resources?: ContainerResources;
  /**
   * Names of existing Secrets of type `kubernetes.io/dockerconfigjson` used to pull the image.
   * @default - none (public image)
   */
  readonly imagePullSecrets?: string[];
  /**
   * Readiness probe: the Service sends traffic only to ready pods.
   * @default Probe.tcp() on the container port
   */
  readonly readiness?: Probe;
  /**
   * Liveness probe: Kubernetes restarts a container that fails it.
   * @default Probe.tcp({ periodSeconds: 20 }) on the container port: slower than readiness, so a busy app is taken out of the Service before it is restarted
   */
  readonly liveness?: Probe;
  /**
   * Startup probe, for slow starters: the other probes wait until it succeeds.
   * @default - none
   */
  readonly startup?: Probe;
  /**
   * Pins the pods to nodes of this CPU architecture (e.g. `arm64` for Raspberry Pis).
   * @default - any node
   */
  readonly arch?: Arch;
  /**
   * Accepts an image without a tag or tagged `latest`. Such an image changes
   * under the cluster's feet, so it is an error unless you say it is intended.
   * @default false
   */
  readonly allowFloatingTag?: boolean;
  /**
   * Automatic image updates by Keel (which must run in the cluster).
   * @default - no automatic updates
   */
  readonly autoUpdate?: AutoUpdate;
  /**
   * How the pods are locked down.
   * @default - the Pod Security Standards `restricted` profile, uid/gid 10001, read-only root with a writable /tmp
   */
  readonly security?: PodSecurity;
}

const ARCHES: readonly Arch[] = ['arm64', 'amd64', 'arm'];

/**
 * The Deployment of a long-running app: one container, one port.
 * @see https://kubernetes.io/docs/concepts/workloads/controllers/deployment/
 */
export class AppDeployment extends Construct {
  /** The Deployment name (also the container name). */
  public readonly name: string;
  /** The namespace of the Deployment. */
  public readonly namespace: string;
  /** The container port. */
  public readonly port: number;
  /** The number of pods. */
  public readonly replicas: number;
  /** The labels of the pod template that select the pods. */
  public readonly selector: Record<string, string>;
  /** The resolved requests and limits. */
  public readonly resources: Required<Omit<ContainerResources, 'cpuLimit'>> & Pick<ContainerResources, 'cpuLimit'>;
  /** The resolved security settings of the pods. */
  public readonly security: ResolvedPodSecurity;
  /** The Kubernetes object. */
  public readonly resource: ManifestObject;

  constructor(scope: Construct, id: string, props: AppDeploymentProps) {
    super(scope, id);
    this.name = props.name;
    this.namespace = props.namespace;
    this.port = props.port;
    this.replicas = props.replicas ?? 1;
    this.selector = { ...props.selector };
    this.resources = {
      cpuRequest: props.resources?.cpuRequest ?? '50m',
      memoryRequest: props.resources?.memoryRequest ?? '64Mi',
      memoryLimit: props.resources?.memoryLimit ?? '256Mi',
      cpuLimit: props.resources?.cpuLimit,
    };
    const checker = new PropChecker(this);
    checkAppDeploymentProps(checker, props);
    checker.throwIfAny();
    this.security = resolvePodSecurity(checker, props.security, props.port);
    if (this.security.profile === 'baseline') {
      warnAt(this, 'HL-baseline-profile', 'props.security.profile', 'baseline',
        `runs under the baseline Pod Security profile, not restricted (reason: ${this.security.reason})`,
        'move to a non-root image to return to restricted');
    }

    const readiness = props.readiness ?? Probe.tcp();
    const liveness = props.liveness ?? Probe.tcp({ periodSeconds: 20 });
    const labels = { ...props.labels, ...this.selector };
    const limits: Record<string, string> = { memory: this.resources.memoryLimit };
    if (this.resources.cpuLimit !== undefined) {
      limits.cpu = this.resources.cpuLimit;
    }

    const annotations: Record<string, string> = {};
    if (props.allowFloatingTag) {
      annotations[ALLOW_FLOATING_TAG_ANNOTATION] = 'true';
    }
    for (const [rule, reason] of Object.entries(props.policyExceptions ?? {})) {
      annotations[policyExceptionAnnotation(rule as PolicyRule)] = reason;
    }
    if (props.autoUpdate) {
      Object.assign(annotations, keelAnnotations(checker, props.autoUpdate, props.image));
    }
    const env = [
      ...Object.entries(props.env ?? {}).map(([name, value]) => ({ name, value })),
      ...Object.entries(props.secretEnv ?? {}).map(([name, ref]) => ({
        name, valueFrom: { secretKeyRef: { name: ref.secret, key: ref.key, optional: ref.optional } },
      })),
    ];
    const manifest: Json<k8s.KubeDeploymentProps> = {
      metadata: { name: props.name, namespace: props.namespace, labels, annotations: Object.keys(annotations).length > 0 ? annotations : undefined },
      spec: {
        replicas: this.replicas,
        selector: { matchLabels: { ...this.selector } },
        template: {
          metadata: { labels },
          spec: {
            automountServiceAccountToken: false,
            securityContext: this.security.pod,
            volumes: this.security.volumes,
            imagePullSecrets: props.imagePullSecrets?.map((name) => ({ name })),
            nodeSelector: props.arch ? { 'kubernetes.io/arch': props.arch } : undefined,
            containers: [{
              name: props.name,
              image: props.image,
              command: props.command ? [...props.command] : undefined,
              args: props.args ? [...props.args] : undefined,
              ports: [{ name: 'http', containerPort: props.port, protocol: 'TCP' }],
              env: env.length > 0 ? env : undefined,
              envFrom: props.envFromSecrets?.map((name) => ({ secretRef: { name } })),
              resources: {
                requests: { cpu: this.resources.cpuRequest, memory: this.resources.memoryRequest },
                limits,
              },
              readinessProbe: readiness.toKube(props.port),
              livenessProbe: liveness.toKube(props.port),
              startupProbe: props.startup?.toKube(props.port),
              securityContext: this.security.container,
              volumeMounts: this.security.mounts,
            }],
          },
        },
      },
    };
    this.resource = new ManifestObject(this, 'Resource', { apiVersion: 'apps/v1', kind: 'Deployment', ...manifest });
  }
}

/**
 * Records every problem of AppDeployment props (field names as in
 * AppStackProps too, so AppStack reports them under its own name).
 */
export function checkAppDeploymentProps(checker: PropChecker, props: AppDeploymentProps): void {
  const replicas = props.replicas ?? 1;
  const resources: ContainerResources = {
    cpuRequest: props.resources?.cpuRequest ?? '50m',
    memoryRequest: props.resources?.memoryRequest ?? '64Mi',
    memoryLimit: props.resources?.memoryLimit ?? '256Mi',
    cpuLimit: props.resources?.cpuLimit,
  };
  checker.check(isDnsSubdomain(props.name), 'props.name', props.name,
    'is not a valid Deployment name', 'use lowercase letters, digits, "-" and "."');
  const image = parseImage(props.image);
  if (checker.check(image !== undefined, 'props.image', props.image,
    'is not a valid image reference', 'write it as [registry/]repository:tag, e.g. ghcr.io/owner/app:1.2.3') && image) {
    checker.check(image.digest !== undefined || (image.tag !== undefined && image.tag !== 'latest') || props.allowFloatingTag === true
      || props.autoUpdate !== undefined,
      'props.image', props.image, image.tag === undefined ? 'has no tag, so it means "latest"' : 'is tagged "latest"',
      `pin a version (e.g. ${image.registry ? `${image.registry}/` : ''}${image.repository}:1.2.3), turn on autoUpdate, or set allowFloatingTag: true`);
  }
  if (props.autoUpdate) {
    keelAnnotations(checker, props.autoUpdate, props.image);
  }
  checker.check(isPort(props.port), 'props.port', props.port, 'must be an integer from 1 to 65535');
  checker.check(Number.isInteger(replicas) && replicas >= 0, 'props.replicas', replicas, 'must be a whole number, 0 or more');
  for (const name of Object.keys(props.env ?? {})) {
    checker.check(isEnvName(name), `props.env.${name}`, name,
      'is not a valid environment variable name', 'use letters, digits, "_", "-" and ".", not starting with a digit');
    if (props.policyExceptions?.['secret-env'] === undefined && (props.env?.[name] ?? '') !== '') {
      checker.check(!looksLikeSecretName(name), `props.env.${name}`, name,
        'looks like a secret, and plain env values end up in Git', `read it from a Secret: secretEnv: { ${name}: { secret: '...', key: '...' } }`);
    }
  }
  for (const [name, ref] of Object.entries(props.secretEnv ?? {})) {
    checker.check(isEnvName(name), `props.secretEnv.${name}`, name, 'is not a valid environment variable name');
    checker.check(props.env?.[name] === undefined, `props.secretEnv.${name}`, name, 'is also set in props.env', 'set it in one place');
    checker.check(isDnsSubdomain(ref.secret), `props.secretEnv.${name}.secret`, ref.secret, 'is not a valid Secret name');
    checker.check(/^[-._a-zA-Z0-9]+$/.test(ref.key), `props.secretEnv.${name}.key`, ref.key, 'is not a valid Secret key');
  }
  for (const [i, secret] of (props.envFromSecrets ?? []).entries()) {
    checker.check(isDnsSubdomain(secret), `props.envFromSecrets[${i}]`, secret, 'is not a valid Secret name');
  }
  for (const [rule, reason] of Object.entries(props.policyExceptions ?? {})) {
    checker.check(POLICY_RULES.includes(rule as PolicyRule), `props.policyExceptions.${rule}`, rule, `is not a policy rule`, `use one of ${POLICY_RULES.join(', ')}`);
    checker.check(typeof reason === 'string' && reason.trim() !== '', `props.policyExceptions.${rule}`, reason, 'needs a reason');
  }
  for (const [field, value] of Object.entries(resources)) {
    if (value !== undefined) {
      checker.check(isQuantity(value), `props.resources.${field}`, value,
        'is not a Kubernetes quantity', 'write e.g. "100m" for CPU or "128Mi" for memory');
    }
  }
  const request = quantityValue(resources.memoryRequest ?? '');
  const limit = quantityValue(resources.memoryLimit ?? '');
  if (request !== undefined && limit !== undefined) {
    checker.check(request <= limit, 'props.resources.memoryRequest', resources.memoryRequest,
      `is above memoryLimit ${resources.memoryLimit}`, 'raise memoryLimit or lower memoryRequest');
  }
  if (resources.cpuLimit !== undefined) {
    const cpuReq = quantityValue(resources.cpuRequest ?? '');
    const cpuLim = quantityValue(resources.cpuLimit);
    if (cpuReq !== undefined && cpuLim !== undefined) {
      checker.check(cpuReq <= cpuLim, 'props.resources.cpuRequest', resources.cpuRequest,
        `is above cpuLimit ${resources.cpuLimit}`, 'raise cpuLimit or lower cpuRequest');
    }
  }
  for (const [i, secret] of (props.imagePullSecrets ?? []).entries()) {
    checker.check(isDnsSubdomain(secret), `props.imagePullSecrets[${i}]`, secret, 'is not a valid Secret name');
  }
  if (props.arch !== undefined) {
    checker.check(ARCHES.includes(props.arch), 'props.arch', props.arch, `must be one of ${ARCHES.join(', ')}`);
  }
  resolvePodSecurity(checker, props.security, props.port);
  for (const [field, probe] of [['readiness', props.readiness], ['liveness', props.liveness], ['startup', props.startup]] as const) {
    if (probe?.port !== undefined) {
      checker.check(isPort(probe.port), `props.${field}.port`, probe.port, 'must be an integer from 1 to 65535');
    }
  }
}
