// Types only: the manifests are written as plain JSON (see Json), so the large
// generated module is never loaded at run time.
import type * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import type { IConstruct } from 'constructs';
import { ALLOW_FLOATING_TAG_ANNOTATION, POLICY_RULES, type PolicyRule, policyExceptionAnnotation } from '../../core/annotations';
import type { Json } from '../../core/json';
import { warnAt } from '../../core/problems';
import type { PropChecker } from '../../core/prop-checker';
import { looksLikeSecretName } from '../../core/secrets';
import { floatingImage, isDnsLabel, isDnsSubdomain, isEnvName, isLabelKey, isLabelValue, isQuantity, parseImage, quantityValue } from '../../core/value-rules';
import { type AutoUpdate, checkAutoUpdate, keelAnnotations } from './auto-update';
import { checkPodSecurity, type PodSecurity, type ResolvedPodSecurity, resolvePodSecurity } from './pod-security';
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

/** Where a pod volume comes from. */
type VolumeSource =
  | { readonly kind: 'pvc'; readonly claimName: string }
  | { readonly kind: 'configMap'; readonly configMap: string }
  | { readonly kind: 'secret'; readonly secret: string }
  | { readonly kind: 'emptyDir'; readonly sizeLimit?: string }
  | { readonly kind: 'hostPath'; readonly path: string };

/**
 * A volume of a pod. `hostPath` volumes are only allowed under the
 * `privileged` profile (node agents).
 * @see https://kubernetes.io/docs/concepts/storage/volumes/
 */
export class Volume {
  /** An existing PersistentVolumeClaim of the namespace. */
  public static pvc(name: string, claimName: string): Volume {
    return new Volume(name, { kind: 'pvc', claimName });
  }

  /** A ConfigMap of the namespace, one file per key. */
  public static configMap(name: string, configMap: string): Volume {
    return new Volume(name, { kind: 'configMap', configMap });
  }

  /** A Secret of the namespace, one file per key. */
  public static secret(name: string, secret: string): Volume {
    return new Volume(name, { kind: 'secret', secret });
  }

  /** A scratch folder that lives as long as the pod. */
  public static emptyDir(name: string, sizeLimit?: string): Volume {
    return new Volume(name, { kind: 'emptyDir', sizeLimit });
  }

  /** A folder of the node (node agents only: needs the privileged profile). */
  public static hostPath(name: string, path: string): Volume {
    return new Volume(name, { kind: 'hostPath', path });
  }

  /** The volume's name in the pod. */
  public readonly name: string;
  private readonly source: VolumeSource;

  private constructor(name: string, source: VolumeSource) {
    this.name = name;
    this.source = source;
  }

  /** Whether the volume is a folder of the node. */
  public get isHostPath(): boolean {
    return this.source.kind === 'hostPath';
  }

  /** The PersistentVolumeClaim the volume uses, if any. */
  public get claimName(): string | undefined {
    return this.source.kind === 'pvc' ? this.source.claimName : undefined;
  }

  /** Renders the pod volume. */
  public toKube(): Json<k8s.Volume> {
    const s = this.source;
    switch (s.kind) {
      case 'pvc':
        return { name: this.name, persistentVolumeClaim: { claimName: s.claimName } };
      case 'configMap':
        return { name: this.name, configMap: { name: s.configMap } };
      case 'secret':
        return { name: this.name, secret: { secretName: s.secret } };
      case 'emptyDir':
        return { name: this.name, emptyDir: s.sizeLimit ? { sizeLimit: s.sizeLimit } : {} };
      case 'hostPath':
        return { name: this.name, hostPath: { path: s.path } };
    }
  }

  /** Records problems of the volume's own values. */
  public check(checker: PropChecker, field: string): void {
    checker.check(isDnsLabel(this.name), `${field}.name`, this.name, 'is not a valid volume name', 'use lowercase letters, digits and "-"');
    const s = this.source;
    if (s.kind === 'pvc') {
      checker.check(isDnsSubdomain(s.claimName), `${field}.claimName`, s.claimName, 'is not a valid claim name');
    } else if (s.kind === 'configMap' || s.kind === 'secret') {
      const name = s.kind === 'configMap' ? s.configMap : s.secret;
      checker.check(isDnsSubdomain(name), `${field}.${s.kind}`, name, `is not a valid ${s.kind === 'configMap' ? 'ConfigMap' : 'Secret'} name`);
    } else if (s.kind === 'emptyDir' && s.sizeLimit !== undefined) {
      checker.check(isQuantity(s.sizeLimit), `${field}.sizeLimit`, s.sizeLimit, 'is not a Kubernetes quantity', 'write e.g. 1Gi');
    } else if (s.kind === 'hostPath') {
      checker.check(s.path.startsWith('/'), `${field}.path`, s.path, 'is not an absolute path');
    }
  }
}

/** A volume mounted into the container. */
export interface Mount {
  /** The volume. */
  readonly volume: Volume;
  /** Where it appears in the container. */
  readonly mountPath: string;
  /**
   * A sub-folder of the volume to mount instead of its root.
   * @default - the volume's root
   */
  readonly subPath?: string;
  /**
   * Whether the container may only read it.
   * @default false (true for host paths)
   */
  readonly readOnly?: boolean;
}

/** A taint the pods tolerate (e.g. to run on a control-plane node). */
export interface Toleration {
  /** The taint key, e.g. `node-role.kubernetes.io/control-plane`. */
  readonly key: string;
  /**
   * The taint value to match; without it any value matches.
   * @default - any value (operator Exists)
   */
  readonly value?: string;
  /**
   * The taint effect to tolerate.
   * @default - every effect
   */
  readonly effect?: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}

/** What every workload's pod takes: its container, its security, where it runs. */
export interface WorkloadProps {
  /** The container image, with a tag or digest, e.g. `ghcr.io/julesfrn/gazette:1.4.2`. */
  readonly image: string;
  /**
   * Plain environment variables of the container (never secrets: reference
   * those). A value may use a `secretEnv` variable as `$(NAME)`.
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
   * ConfigMaps whose every key becomes an environment variable.
   * @default - none
   */
  readonly envFromConfigMaps?: string[];
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
   * @default Probe.tcp() on the container port (long-running workloads with a port)
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
   * Node labels the pods must run on (besides `arch`).
   * @default - any node
   */
  readonly nodeSelector?: Record<string, string>;
  /**
   * Node taints the pods tolerate.
   * @default - none
   */
  readonly tolerations?: Toleration[];
  /**
   * Node and pod affinity rules, e.g. prefer nodes with an SSD, or keep away from another app.
   * @default - none
   * @see https://kubernetes.io/docs/concepts/scheduling-eviction/assign-pod-node/#affinity-and-anti-affinity
   */
  readonly affinity?: Json<k8s.Affinity>;
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
  /**
   * Volumes mounted into the container (besides the writable paths of `security`).
   * @default - none
   */
  readonly mounts?: Mount[];
  /**
   * Share the node's network namespace (node agents only: needs the privileged profile).
   * @default false
   */
  readonly hostNetwork?: boolean;
  /**
   * See the node's processes (node agents only: needs the privileged profile).
   * @default false
   */
  readonly hostPID?: boolean;
  /**
   * Annotations of the pod template; a change rolls the pods.
   * @default - none
   */
  readonly podAnnotations?: Record<string, string>;
  /**
   * Rules of the security policy waived for this workload, each with its
   * reason (kept as an annotation; synth warns instead of failing).
   * @default - none
   */
  readonly policyExceptions?: Partial<Record<PolicyRule, string>>;
}

/** How a workload kind uses its pod template. */
export interface PodTemplateOptions {
  /** The container name. */
  readonly name: string;
  /** The labels of the pods. */
  readonly labels: Record<string, string>;
  /** The port the container listens on, if any (named `http`). */
  readonly port?: number;
  /** Whether the pods run for good (probes) or to completion (no default probes). */
  readonly longRunning: boolean;
  /**
   * The pod's restart policy.
   * @default - Kubernetes' default for the kind
   */
  readonly restartPolicy?: 'Always' | 'OnFailure' | 'Never';
  /**
   * Volumes the workload object provides itself, such as a StatefulSet's
   * claim templates: mounted by name, never declared in the pod's volumes.
   * @default - none
   */
  readonly templateVolumes?: readonly string[];
  /**
   * Extra pod spec fields of the kind (affinity, topology spread...).
   * @default - none
   */
  readonly extra?: Partial<Json<k8s.PodSpec>>;
}

/** A rendered workload: its metadata annotations and its pod template. */
export interface BuiltWorkload {
  /** Annotations of the workload object (policy exceptions, Keel, floating tags). */
  readonly annotations?: Record<string, string>;
  /** The pod template. */
  readonly template: Json<k8s.PodTemplateSpec>;
  /** The resolved security settings. */
  readonly security: ResolvedPodSecurity;
  /** The resolved requests and limits. */
  readonly resources: ResolvedResources;
}

/** Requests and limits with their defaults applied. */
export type ResolvedResources = Required<Omit<ContainerResources, 'cpuLimit'>> & Pick<ContainerResources, 'cpuLimit'>;

const ARCHES: readonly Arch[] = ['arm64', 'amd64', 'arm'];

/** The requests and limits of `props`, defaults applied. */
export function resolveResources(resources: ContainerResources = {}): ResolvedResources {
  return {
    cpuRequest: resources.cpuRequest ?? '50m',
    memoryRequest: resources.memoryRequest ?? '64Mi',
    memoryLimit: resources.memoryLimit ?? '256Mi',
    cpuLimit: resources.cpuLimit,
  };
}

/**
 * Renders the pod template of a workload (and its metadata annotations),
 * after its props were checked with `checkWorkloadProps`. Warns about a
 * relaxed Pod Security profile on `scope`.
 */
export function buildWorkload(scope: IConstruct, props: WorkloadProps, options: PodTemplateOptions): BuiltWorkload {
  const security = resolvePodSecurity(props.security, options.port);
  const resources = resolveResources(props.resources);
  if (security.profile !== 'restricted') {
    warnAt(
      scope,
      `HL-${security.profile}-profile`,
      'props.security.profile',
      security.profile,
      `runs under the ${security.profile} Pod Security profile, not restricted (reason: ${security.reason})`,
      security.profile === 'baseline' ? 'move to a non-root image to return to restricted' : 'keep host access to node agents that need it',
    );
  }
  const annotations: Record<string, string> = {};
  if (props.allowFloatingTag) {
    annotations[ALLOW_FLOATING_TAG_ANNOTATION] = 'true';
  }
  for (const [rule, reason] of Object.entries(props.policyExceptions ?? {})) {
    annotations[policyExceptionAnnotation(rule as PolicyRule)] = reason;
  }
  if (props.autoUpdate) {
    Object.assign(annotations, keelAnnotations(props.autoUpdate));
  }
  // Secrets first, so plain values can use them: `postgresql://app:$(DB_PASSWORD)@db:5432/app`.
  const env = [
    ...Object.entries(props.secretEnv ?? {}).map(([name, ref]) => ({
      name,
      valueFrom: { secretKeyRef: { name: ref.secret, key: ref.key, optional: ref.optional } },
    })),
    ...Object.entries(props.env ?? {}).map(([name, value]) => ({ name, value })),
  ];
  const envFrom = [
    ...(props.envFromSecrets ?? []).map((name) => ({ secretRef: { name } })),
    ...(props.envFromConfigMaps ?? []).map((name) => ({ configMapRef: { name } })),
  ];
  const limits: Record<string, string> = { memory: resources.memoryLimit };
  if (resources.cpuLimit !== undefined) {
    limits.cpu = resources.cpuLimit;
  }
  const port = options.port;
  const readiness = props.readiness ?? (options.longRunning && port !== undefined ? Probe.tcp() : undefined);
  const liveness = props.liveness ?? (options.longRunning && port !== undefined ? Probe.tcp({ periodSeconds: 20 }) : undefined);
  const mounts = props.mounts ?? [];
  const provided = new Set(options.templateVolumes);
  const volumes = [...security.volumes, ...uniqueVolumes(mounts.map((m) => m.volume)).map((v) => v.toKube())].filter((v) => !provided.has(v.name));
  const volumeMounts = [
    ...security.mounts,
    ...mounts.map((m) => ({
      name: m.volume.name,
      mountPath: m.mountPath,
      subPath: m.subPath,
      readOnly: m.readOnly ?? (m.volume.isHostPath ? true : undefined),
    })),
  ];
  const nodeSelector = { ...props.nodeSelector, ...(props.arch ? { 'kubernetes.io/arch': props.arch } : {}) };
  const template: Json<k8s.PodTemplateSpec> = {
    metadata: { labels: { ...options.labels }, annotations: props.podAnnotations ? { ...props.podAnnotations } : undefined },
    spec: {
      automountServiceAccountToken: false,
      securityContext: security.pod,
      hostNetwork: props.hostNetwork || undefined,
      ...hostPid(props.hostPID),
      restartPolicy: options.restartPolicy,
      volumes: volumes.length > 0 ? volumes : undefined,
      imagePullSecrets: props.imagePullSecrets?.map((name) => ({ name })),
      nodeSelector: Object.keys(nodeSelector).length > 0 ? nodeSelector : undefined,
      affinity: props.affinity,
      tolerations: props.tolerations?.map((t) => ({ key: t.key, operator: t.value === undefined ? 'Exists' : 'Equal', value: t.value, effect: t.effect })),
      containers: [
        {
          name: options.name,
          image: props.image,
          command: props.command ? [...props.command] : undefined,
          args: props.args ? [...props.args] : undefined,
          ports: port !== undefined ? [{ name: 'http', containerPort: port, protocol: 'TCP' }] : undefined,
          env: env.length > 0 ? env : undefined,
          envFrom: envFrom.length > 0 ? envFrom : undefined,
          resources: { requests: { cpu: resources.cpuRequest, memory: resources.memoryRequest }, limits },
          readinessProbe: readiness?.toKube(port ?? 0),
          livenessProbe: liveness?.toKube(port ?? 0),
          startupProbe: props.startup?.toKube(port ?? 0),
          securityContext: security.container,
          volumeMounts: volumeMounts.length > 0 ? volumeMounts : undefined,
        },
      ],
      ...options.extra,
    },
  };
  return { annotations: Object.keys(annotations).length > 0 ? annotations : undefined, template, security, resources };
}

/** `hostPID`, a field whose generated name (`hostPid`) differs from the JSON one. */
function hostPid(on: boolean | undefined): Record<string, boolean> {
  return on ? { hostPID: true } : {};
}

function uniqueVolumes(volumes: readonly Volume[]): Volume[] {
  const seen = new Set<string>();
  return volumes.filter((v) => {
    const first = !seen.has(v.name);
    seen.add(v.name);
    return first;
  });
}

/**
 * Records every problem of the pod props of a workload (field names as in
 * AppStackProps, so AppStack reports them under its own name).
 */
export function checkWorkloadProps(checker: PropChecker, props: WorkloadProps, port?: number): void {
  const resources = resolveResources(props.resources);
  const image = parseImage(props.image);
  checker.check(
    image !== undefined,
    'props.image',
    props.image,
    'is not a valid image reference',
    'write it as [registry/]repository:tag, e.g. ghcr.io/owner/app:1.2.3',
  );
  const floating = image && props.allowFloatingTag !== true && props.autoUpdate === undefined ? floatingImage(image) : undefined;
  if (floating) {
    checker.check(
      false,
      'props.image',
      props.image,
      floating.message,
      `pin a version (e.g. ${floating.pinned}), turn on autoUpdate, or set allowFloatingTag: true`,
    );
  }
  if (props.autoUpdate) {
    checkAutoUpdate(checker, props.autoUpdate, props.image);
  }
  for (const name of Object.keys(props.env ?? {})) {
    checker.check(
      isEnvName(name),
      `props.env.${name}`,
      name,
      'is not a valid environment variable name',
      'use letters, digits, "_", "-" and ".", not starting with a digit',
    );
    if (props.policyExceptions?.['secret-env'] === undefined && (props.env?.[name] ?? '') !== '') {
      checker.check(
        !looksLikeSecretName(name),
        `props.env.${name}`,
        name,
        'looks like a secret, and plain env values end up in Git',
        `read it from a Secret: secretEnv: { ${name}: { secret: '...', key: '...' } }`,
      );
    }
  }
  for (const [name, ref] of Object.entries(props.secretEnv ?? {})) {
    checker.check(isEnvName(name), `props.secretEnv.${name}`, name, 'is not a valid environment variable name');
    checker.check(props.env?.[name] === undefined, `props.secretEnv.${name}`, name, 'is also set in props.env', 'set it in one place');
    checker.check(isDnsSubdomain(ref.secret), `props.secretEnv.${name}.secret`, ref.secret, 'is not a valid Secret name');
    checker.check(/^[-._a-zA-Z0-9]+$/.test(ref.key), `props.secretEnv.${name}.key`, ref.key, 'is not a valid Secret key');
  }
  for (const [field, list] of [
    ['envFromSecrets', props.envFromSecrets],
    ['envFromConfigMaps', props.envFromConfigMaps],
  ] as const) {
    for (const [i, name] of (list ?? []).entries()) {
      checker.check(isDnsSubdomain(name), `props.${field}[${i}]`, name, `is not a valid ${field === 'envFromSecrets' ? 'Secret' : 'ConfigMap'} name`);
    }
  }
  for (const [rule, reason] of Object.entries(props.policyExceptions ?? {})) {
    checker.check(
      POLICY_RULES.includes(rule as PolicyRule),
      `props.policyExceptions.${rule}`,
      rule,
      `is not a policy rule`,
      `use one of ${POLICY_RULES.join(', ')}`,
    );
    checker.check(typeof reason === 'string' && reason.trim() !== '', `props.policyExceptions.${rule}`, reason, 'needs a reason');
  }
  for (const [field, value] of Object.entries(resources)) {
    if (value !== undefined) {
      checker.check(isQuantity(value), `props.resources.${field}`, value, 'is not a Kubernetes quantity', 'write e.g. "100m" for CPU or "128Mi" for memory');
    }
  }
  const request = quantityValue(resources.memoryRequest);
  const limit = quantityValue(resources.memoryLimit);
  if (request !== undefined && limit !== undefined) {
    checker.check(
      request <= limit,
      'props.resources.memoryRequest',
      resources.memoryRequest,
      `is above memoryLimit ${resources.memoryLimit}`,
      'raise memoryLimit or lower memoryRequest',
    );
  }
  if (resources.cpuLimit !== undefined) {
    const cpuReq = quantityValue(resources.cpuRequest);
    const cpuLim = quantityValue(resources.cpuLimit);
    if (cpuReq !== undefined && cpuLim !== undefined) {
      checker.check(
        cpuReq <= cpuLim,
        'props.resources.cpuRequest',
        resources.cpuRequest,
        `is above cpuLimit ${resources.cpuLimit}`,
        'raise cpuLimit or lower cpuRequest',
      );
    }
  }
  for (const [i, secret] of (props.imagePullSecrets ?? []).entries()) {
    checker.check(isDnsSubdomain(secret), `props.imagePullSecrets[${i}]`, secret, 'is not a valid Secret name');
  }
  if (props.arch !== undefined) {
    checker.check(ARCHES.includes(props.arch), 'props.arch', props.arch, `must be one of ${ARCHES.join(', ')}`);
  }
  for (const [k, v] of Object.entries({ ...props.nodeSelector, ...props.podAnnotations })) {
    checker.check(isLabelKey(k), 'props.nodeSelector', k, 'is not a valid label or annotation key');
    if (props.nodeSelector?.[k] !== undefined) {
      checker.check(isLabelValue(v), `props.nodeSelector["${k}"]`, v, 'is not a valid label value');
    }
  }
  for (const [i, t] of (props.tolerations ?? []).entries()) {
    checker.check(isLabelKey(t.key), `props.tolerations[${i}].key`, t.key, 'is not a valid taint key');
  }
  checkPodSecurity(checker, props.security);
  const security = resolvePodSecurity(props.security, port);
  const privileged = security.profile === 'privileged';
  for (const [field, on] of [
    ['hostNetwork', props.hostNetwork],
    ['hostPID', props.hostPID],
  ] as const) {
    if (on) {
      checker.check(
        privileged,
        `props.${field}`,
        true,
        'needs the privileged profile',
        'set security: { profile: "privileged", reason: "..." } (node agents only)',
      );
    }
  }
  const mountPaths = new Set<string>(security.mounts.map((m) => String(m.mountPath)));
  for (const [i, m] of (props.mounts ?? []).entries()) {
    m.volume.check(checker, `props.mounts[${i}].volume`);
    checker.check(m.mountPath.startsWith('/'), `props.mounts[${i}].mountPath`, m.mountPath, 'is not an absolute path');
    checker.check(!mountPaths.has(m.mountPath), `props.mounts[${i}].mountPath`, m.mountPath, 'is mounted twice');
    mountPaths.add(m.mountPath);
    if (m.volume.isHostPath) {
      checker.check(
        privileged,
        `props.mounts[${i}].volume`,
        m.volume.name,
        'is a host path, which needs the privileged profile',
        'set security: { profile: "privileged", reason: "..." } (node agents only)',
      );
    }
  }
  for (const [field, probe] of [
    ['readiness', props.readiness],
    ['liveness', props.liveness],
    ['startup', props.startup],
  ] as const) {
    if (probe?.port !== undefined) {
      checker.port(`props.${field}.port`, probe.port);
    } else if (probe?.needsPort && port === undefined) {
      checker.check(false, `props.${field}`, probe.kind, 'probes a port, but the workload has none', 'give the probe a port, or use Probe.exec');
    }
  }
}
