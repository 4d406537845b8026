// Types only: the manifests are written as plain JSON (see Json), so the large
// generated module is never loaded at run time.
import type * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import type { PolicyRule } from '../../core/annotations';
import type { Json } from '../../core/json';
import type { PropNames } from '../../core/prop-names';
import type { AutoUpdate } from './auto-update';
import type { PodSecurity } from './pod-security';
import type { Probe } from './probe';
import type { Volume } from './volume';

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
  /**
   * Devices of device plugins, as extended resources and how many, e.g.
   * `{ 'gpu.intel.com/i915': 1 }` for hardware transcoding or
   * `{ 'nvidia.com/gpu': 1 }`: requested and limited alike, and the pod only
   * runs on a node that has them (no host path, no privilege needed).
   * @default - none
   */
  readonly devices?: Record<string, number>;
}

/** The prop names of {@link ContainerResources}, to find unknown ones at run time. */
export const CONTAINER_RESOURCES_FIELDS: PropNames<ContainerResources> = {
  cpuRequest: 'string?',
  memoryRequest: 'string?',
  memoryLimit: 'string?',
  cpuLimit: 'string?',
  devices: 'object?',
};

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

/** The prop names of {@link SecretKeyRef}, to find unknown ones at run time. */
export const SECRET_KEY_REF_FIELDS: PropNames<SecretKeyRef> = { secret: 'string', key: 'string', optional: 'boolean?' };

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

/** The prop names of {@link Mount}, to find unknown ones at run time. */
export const MOUNT_FIELDS: PropNames<Mount> = { volume: 'object', mountPath: 'string', subPath: 'string?', readOnly: 'boolean?' };

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

/** The prop names of {@link Toleration}, to find unknown ones at run time. */
export const TOLERATION_FIELDS: PropNames<Toleration> = { key: 'string', value: 'string?', effect: 'string?' };

/** A container port of its own name, beside the main one (e.g. `metrics`). */
export interface NamedPort {
  /** The port's name (at most 15 lowercase letters, digits and "-"). */
  readonly name: string;
  /** The port number. */
  readonly port: number;
  /**
   * The protocol: `UDP` for DNS, DLNA discovery, game servers.
   * @default 'TCP'
   */
  readonly protocol?: PortProtocol;
}

/** The protocol of a port. */
export type PortProtocol = 'TCP' | 'UDP';

/** A port and its protocol (a NetworkPolicy lets traffic in by both). */
export interface ProtocolPort {
  /** The port number. */
  readonly port: number;
  /**
   * The protocol.
   * @default 'TCP'
   */
  readonly protocol?: PortProtocol;
}

/** The prop names of {@link NamedPort}, to find unknown ones at run time. */
export const NAMED_PORT_FIELDS: PropNames<NamedPort> = { name: 'string', port: 'number', protocol: 'string?' };

/**
 * A container beside the app's in the same pod (a sidecar) or before it
 * (an init container): hardened like it (same user, read-only root, every
 * capability dropped), with its writable paths and the volumes it mounts.
 */
export interface ExtraContainer {
  /** Its name (unique in the pod). */
  readonly name: string;
  /** Its image, pinned like the app's. */
  readonly image: string;
  /**
   * Replaces the image's ENTRYPOINT.
   * @default - the image's
   */
  readonly command?: string[];
  /**
   * Replaces the image's CMD.
   * @default - the image's
   */
  readonly args?: string[];
  /**
   * Plain environment variables (never secrets).
   * @default - none
   */
  readonly env?: Record<string, string>;
  /**
   * Environment variables read from Secrets.
   * @default - none
   */
  readonly secretEnv?: Record<string, SecretKeyRef>;
  /**
   * Requests and limits.
   * @default - those of the app's container defaults (50m CPU, 64Mi-256Mi memory)
   */
  readonly resources?: ContainerResources;
  /**
   * Volumes it mounts (the pod's volumes are shared: mount the app's to share files).
   * @default - only the pod's writable paths
   */
  readonly mounts?: Mount[];
  /**
   * Ports it listens on (a sidecar), probed by TCP like the app's.
   * @default - none
   */
  readonly ports?: NamedPort[];
}

/** The prop names of {@link ExtraContainer}, to find unknown ones at run time. */
export const EXTRA_CONTAINER_FIELDS: PropNames<ExtraContainer> = {
  name: 'string',
  image: 'string',
  command: 'string[]?',
  args: 'string[]?',
  env: 'object?',
  secretEnv: 'object?',
  resources: 'object?',
  mounts: 'list?',
  ports: 'list?',
};

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
   * The ServiceAccount the pods run as (AppStack's `kubernetesApi` makes one).
   * @default - the namespace's `default`
   */
  readonly serviceAccountName?: string;
  /**
   * Whether the pods get the ServiceAccount's API token (only apps that talk to the Kubernetes API need it).
   * @default false
   */
  readonly automountServiceAccountToken?: boolean;
  /**
   * Containers that run beside the app's for the pod's whole life (a log
   * shipper, a VPN client, a proxy): native sidecars (init containers that
   * keep running) from Kubernetes 1.29, plain containers before.
   * @default - none
   */
  readonly sidecars?: ExtraContainer[];
  /**
   * Containers that run to completion, in order, before the app's starts (migrations, permissions, downloads).
   * @default - none
   */
  readonly initContainers?: ExtraContainer[];
  /**
   * Rules of the security policy waived for this workload, each with its
   * reason (kept as an annotation; synth warns instead of failing).
   * @default - none
   */
  readonly policyExceptions?: Partial<Record<PolicyRule, string>>;
}

/** The prop names of {@link WorkloadProps}, to find unknown ones at run time. */
export const WORKLOAD_PROPS_FIELDS: PropNames<WorkloadProps> = {
  image: 'string',
  env: 'object?',
  secretEnv: 'object?',
  envFromSecrets: 'string[]?',
  envFromConfigMaps: 'string[]?',
  command: 'string[]?',
  args: 'string[]?',
  resources: 'object?',
  imagePullSecrets: 'string[]?',
  readiness: 'object?',
  liveness: 'object?',
  startup: 'object?',
  arch: 'string?',
  nodeSelector: 'object?',
  tolerations: 'list?',
  affinity: 'object?',
  allowFloatingTag: 'boolean?',
  autoUpdate: 'object?',
  security: 'object?',
  mounts: 'list?',
  hostNetwork: 'boolean?',
  hostPID: 'boolean?',
  serviceAccountName: 'string?',
  automountServiceAccountToken: 'boolean?',
  sidecars: 'list?',
  initContainers: 'list?',
  podAnnotations: 'object?',
  policyExceptions: 'object?',
};

/** Requests and limits with their defaults applied. */
export type ResolvedResources = Required<Omit<ContainerResources, 'cpuLimit' | 'devices'>> & Pick<ContainerResources, 'cpuLimit'>;

/** The requests and limits of `props`, defaults applied. */
export function resolveResources(resources: ContainerResources = {}): ResolvedResources {
  return {
    cpuRequest: resources.cpuRequest ?? '50m',
    memoryRequest: resources.memoryRequest ?? '64Mi',
    memoryLimit: resources.memoryLimit ?? '256Mi',
    cpuLimit: resources.cpuLimit,
  };
}
