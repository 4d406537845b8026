import type * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import type { IConstruct } from 'constructs';
import { ALLOW_FLOATING_TAG_ANNOTATION, type PolicyRule, policyExceptionAnnotation } from '../../core/annotations';
import type { Json } from '../../core/json';
import { kubernetesVersionOf } from '../../core/kubernetes-version';
import { warnAt } from '../../core/problems';
import { keelAnnotations } from './auto-update';
import { withImageNeeds } from './image-needs';
import { type ResolvedPodSecurity, resolvePodSecurity } from './pod-security';
import { Probe } from './probe';
import type { Volume } from './volume';
import type { ContainerResources, ExtraContainer, NamedPort, SecretKeyRef, WorkloadProps } from './workload';
import { type ResolvedResources, resolveResources } from './workload';

/** How a workload kind uses its pod template. */
export interface PodTemplateOptions {
  /** The container name. */
  readonly name: string;
  /** The labels of the pods. */
  readonly labels: Record<string, string>;
  /** The port the container listens on, if any. */
  readonly port?: number;
  /**
   * The name of that port.
   * @default 'http'
   */
  readonly portName?: string;
  /**
   * More ports of the container, each of its own name.
   * @default - none
   */
  readonly extraPorts?: readonly NamedPort[];
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

/**
 * Renders the pod template of a workload (and its metadata annotations),
 * after its props were checked with `checkWorkloadProps`. Warns about a
 * relaxed Pod Security profile on `scope`.
 */
export function buildWorkload(scope: IConstruct, props: WorkloadProps, options: PodTemplateOptions): BuiltWorkload {
  const mountPaths = (props.mounts ?? []).map((m) => m.mountPath);
  // The lowest port any container of the pod listens on decides whether it needs the unprivileged-port sysctl.
  const ports = [
    ...(options.port === undefined ? [] : [options.port]),
    ...(options.extraPorts ?? []).map((p) => p.port),
    ...[...(props.sidecars ?? []), ...(props.initContainers ?? [])].flatMap((c) => (c.ports ?? []).map((p) => p.port)),
  ];
  const lowest = ports.length > 0 ? Math.min(...ports) : undefined;
  const security = resolvePodSecurity(withImageNeeds(props.security, props.image, mountPaths), lowest);
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
  const annotations = workloadAnnotations(props);
  const { volumes, volumeMounts } = podVolumes(props, security, options);
  // The volumes the extra containers mount, each once beside the pod's own.
  const named = new Set(volumes.map((v) => v.name));
  for (const volume of uniqueVolumes([...(props.sidecars ?? []), ...(props.initContainers ?? [])].flatMap((c) => (c.mounts ?? []).map((m) => m.volume)))) {
    if (!named.has(volume.name)) {
      named.add(volume.name);
      volumes.push(volume.toKube());
    }
  }
  const nodeSelector = { ...props.nodeSelector, ...(props.arch ? { 'kubernetes.io/arch': props.arch } : {}) };
  const template: Json<k8s.PodTemplateSpec> = {
    metadata: { labels: { ...options.labels }, annotations: props.podAnnotations ? { ...props.podAnnotations } : undefined },
    spec: {
      serviceAccountName: props.serviceAccountName,
      automountServiceAccountToken: props.automountServiceAccountToken ?? false,
      securityContext: security.pod,
      hostNetwork: props.hostNetwork || undefined,
      ...hostPid(props.hostPID),
      restartPolicy: options.restartPolicy,
      volumes: volumes.length > 0 ? volumes : undefined,
      imagePullSecrets: props.imagePullSecrets?.map((name) => ({ name })),
      nodeSelector: Object.keys(nodeSelector).length > 0 ? nodeSelector : undefined,
      affinity: props.affinity,
      tolerations: props.tolerations?.map((t) => ({ key: t.key, operator: t.value === undefined ? 'Exists' : 'Equal', value: t.value, effect: t.effect })),
      ...extraContainers(scope, props, security, [container(props, options, security, resources, volumeMounts)]),
      ...options.extra,
    },
  };
  return { annotations: Object.keys(annotations).length > 0 ? annotations : undefined, template, security, resources };
}

/** The annotations of the workload object: floating tags allowed, policy exceptions, Keel. */
function workloadAnnotations(props: WorkloadProps): Record<string, string> {
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
  return annotations;
}

/** The pod's volumes (the writable paths', then the mounted ones, each once) and the container's mounts. */
function podVolumes(
  props: WorkloadProps,
  security: ResolvedPodSecurity,
  options: PodTemplateOptions,
): { volumes: Json<k8s.Volume>[]; volumeMounts: Json<k8s.VolumeMount>[] } {
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
  return { volumes, volumeMounts };
}

/** The workload's one container. */
function container(
  props: WorkloadProps,
  options: PodTemplateOptions,
  security: ResolvedPodSecurity,
  resources: ResolvedResources,
  volumeMounts: Json<k8s.VolumeMount>[],
): Json<k8s.Container> {
  const env = containerEnv(props.env, props.secretEnv);
  const envFrom = [
    ...(props.envFromSecrets ?? []).map((name) => ({ secretRef: { name } })),
    ...(props.envFromConfigMaps ?? []).map((name) => ({ configMapRef: { name } })),
  ];
  const port = options.port;
  const readiness = props.readiness ?? (options.longRunning && port !== undefined ? Probe.tcp() : undefined);
  const liveness = props.liveness ?? (options.longRunning && port !== undefined ? Probe.tcp({ periodSeconds: 20 }) : undefined);
  return {
    name: options.name,
    image: props.image,
    command: props.command ? [...props.command] : undefined,
    args: props.args ? [...props.args] : undefined,
    ports:
      port !== undefined
        ? [
            { name: options.portName ?? 'http', containerPort: port, protocol: 'TCP' },
            ...(options.extraPorts ?? []).map((p) => ({ name: p.name, containerPort: p.port, protocol: p.protocol ?? 'TCP' })),
          ]
        : undefined,
    env: env.length > 0 ? env : undefined,
    envFrom: envFrom.length > 0 ? envFrom : undefined,
    resources: containerResources(resources, props.resources),
    readinessProbe: readiness?.toKube(port ?? 0),
    livenessProbe: liveness?.toKube(port ?? 0),
    startupProbe: props.startup?.toKube(port ?? 0),
    securityContext: security.container,
    volumeMounts: volumeMounts.length > 0 ? volumeMounts : undefined,
  };
}

/**
 * The pod's containers: the app's, then (before Kubernetes 1.29, which
 * lacks native sidecars) its sidecars; and its init containers, then (from
 * 1.29) its sidecars as init containers that keep running.
 */
function extraContainers(
  scope: IConstruct,
  props: WorkloadProps,
  security: ResolvedPodSecurity,
  main: Json<k8s.Container>[],
): { containers: Json<k8s.Container>[]; initContainers?: Json<k8s.Container>[] } {
  const native = Number(kubernetesVersionOf(scope).split('.')[1]) >= 29;
  const sidecars = (props.sidecars ?? []).map((c) => extraContainer(c, security, true));
  const init = [
    ...(props.initContainers ?? []).map((c) => extraContainer(c, security, false)),
    ...(native ? sidecars.map((c) => ({ ...c, restartPolicy: 'Always' })) : []),
  ];
  return { containers: [...main, ...(native ? [] : sidecars)], ...(init.length > 0 ? { initContainers: init } : {}) };
}

/** One extra container, hardened like the app's, with the pod's writable paths and its own mounts. */
function extraContainer(c: ExtraContainer, security: ResolvedPodSecurity, longRunning: boolean): Json<k8s.Container> {
  const env = containerEnv(c.env, c.secretEnv);
  // A TCP probe can only ask a TCP port.
  const port = c.ports?.find((p) => (p.protocol ?? 'TCP') === 'TCP')?.port;
  const probed = longRunning && port !== undefined;
  const mounts = [
    ...security.mounts,
    ...(c.mounts ?? []).map((m) => ({ name: m.volume.name, mountPath: m.mountPath, subPath: m.subPath, readOnly: m.readOnly })),
  ];
  return {
    name: c.name,
    image: c.image,
    command: c.command ? [...c.command] : undefined,
    args: c.args ? [...c.args] : undefined,
    ports: c.ports?.map((p) => ({ name: p.name, containerPort: p.port, protocol: p.protocol ?? 'TCP' })),
    env: env.length > 0 ? env : undefined,
    resources: containerResources(resolveResources(c.resources), c.resources),
    readinessProbe: probed ? Probe.tcp().toKube(port) : undefined,
    livenessProbe: probed ? Probe.tcp({ periodSeconds: 20 }).toKube(port) : undefined,
    securityContext: security.container,
    volumeMounts: mounts.length > 0 ? mounts : undefined,
  };
}

/** A container's environment: the variables read from Secrets first, so plain values can use them (`postgresql://app:$(DB_PASSWORD)@db/app`). */
function containerEnv(env: Record<string, string> | undefined, secretEnv: Record<string, SecretKeyRef> | undefined): Json<k8s.EnvVar>[] {
  return [
    ...Object.entries(secretEnv ?? {}).map(([name, ref]) => ({
      name,
      valueFrom: { secretKeyRef: { name: ref.secret, key: ref.key, optional: ref.optional } },
    })),
    ...Object.entries(env ?? {}).map(([name, value]) => ({ name, value })),
  ];
}

/** A container's requests and limits; the devices of device plugins (extended resources) are requested and limited alike. */
function containerResources(resources: ResolvedResources, given: ContainerResources | undefined): Json<k8s.ResourceRequirements> {
  const devices = Object.fromEntries(Object.entries(given?.devices ?? {}).map(([name, count]) => [name, String(count)]));
  return {
    requests: { cpu: resources.cpuRequest, memory: resources.memoryRequest, ...devices },
    limits: { memory: resources.memoryLimit, ...(resources.cpuLimit !== undefined ? { cpu: resources.cpuLimit } : {}), ...devices },
  };
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
