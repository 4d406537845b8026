import type * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import type { Json } from '../../core/json';
import { pathSlug } from '../../core/labels';
import type { PropChecker } from '../../core/prop-checker';
import type { PropNames } from '../../core/prop-names';
import { isDnsLabel } from '../../core/value-rules';
import { WELL_KNOWN_IMAGE_NAMES, type WellKnownImage } from './image-needs';

/**
 * A Pod Security Standards profile: `restricted` (the default), `baseline`
 * for images that must run as root, `privileged` for node agents that need
 * the node's network, processes or folders.
 * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/
 */
export type PodSecurityProfile = 'restricted' | 'baseline' | 'privileged';

/**
 * How an app's pods are locked down. By default they pass the Pod Security
 * Standards `restricted` profile: non-root (uid/gid 10001), no privilege escalation, every
 * capability dropped, the RuntimeDefault seccomp profile and a read-only root
 * filesystem with a writable `/tmp`.
 */
export interface PodSecurity {
  /**
   * The profile the pods must pass (and the namespace enforces). `baseline`
   * is for images that must run as root; it needs a `reason` and synth warns.
   * @default 'restricted'
   */
  readonly profile?: PodSecurityProfile;
  /**
   * Why the app cannot run under `restricted` (required with `baseline`).
   * @default - none
   */
  readonly reason?: string;
  /**
   * The user id the containers run as.
   * @default 10001 (restricted); the image's user (baseline)
   */
  readonly runAsUser?: number;
  /**
   * The primary group id of the containers.
   * @default 10001 (restricted); the image's group (baseline)
   */
  readonly runAsGroup?: number;
  /**
   * The group that owns mounted volumes, so the app can write to them.
   * @default 10001 (restricted); none (baseline)
   */
  readonly fsGroup?: number;
  /**
   * Whether the root filesystem is read-only (writable paths are emptyDirs).
   * @default true (restricted); false (baseline)
   */
  readonly readOnlyRootFilesystem?: boolean;
  /**
   * Paths the app writes to, each mounted as an emptyDir; `/tmp` always is.
   * @default - only /tmp
   */
  readonly writablePaths?: string[];
  /**
   * Linux capabilities to add back after dropping them all (only
   * `NET_BIND_SERVICE` under `restricted`).
   * @default - none
   */
  readonly addCapabilities?: string[];
  /**
   * The well-known image this one is built FROM (e.g. `nginx` for an image
   * `FROM nginx:alpine`): its writable paths and user are added, as they are
   * for that image itself, unless `writablePaths` or `runAsUser` is given.
   * @default - the image's own, when it is well known (WELL_KNOWN_IMAGES)
   */
  readonly like?: WellKnownImage;
}

/** The prop names of {@link PodSecurity}, to find unknown ones at run time. */
export const POD_SECURITY_FIELDS: PropNames<PodSecurity> = {
  profile: 'string?',
  reason: 'string?',
  runAsUser: 'number?',
  runAsGroup: 'number?',
  fsGroup: 'number?',
  readOnlyRootFilesystem: 'boolean?',
  writablePaths: 'string[]?',
  addCapabilities: 'string[]?',
  like: 'string?',
};

/** The securityContexts, volumes and mounts that implement a PodSecurity for one container. */
export interface ResolvedPodSecurity {
  /** The profile the pods pass. */
  readonly profile: PodSecurityProfile;
  /** Why the profile is relaxed, if it is. */
  readonly reason?: string;
  /** The pod's securityContext. */
  readonly pod: Json<k8s.PodSecurityContext>;
  /** The container's securityContext. */
  readonly container: Json<k8s.SecurityContext>;
  /** The emptyDir volumes of the writable paths. */
  readonly volumes: Json<k8s.Volume>[];
  /** Their mounts. */
  readonly mounts: Json<k8s.VolumeMount>[];
}

/**
 * The uid, gid and fsGroup of restricted pods: above 10000, so they match no
 * user of the node (as kube-score asks).
 */
export const DEFAULT_ID = 10001;

/** The sysctl that lets a non-root process listen on ports below 1024 (safe, allowed by every profile). */
export const UNPRIVILEGED_PORT_SYSCTL = 'net.ipv4.ip_unprivileged_port_start';

/** Records every problem of the `security` of a pod on `checker`, under `props.security.*`. */
export function checkPodSecurity(checker: PropChecker, security: PodSecurity = {}): void {
  const profile = security.profile ?? 'restricted';
  const restricted = profile === 'restricted';
  checker.check(
    ['restricted', 'baseline', 'privileged'].includes(profile),
    'props.security.profile',
    profile,
    'must be "restricted", "baseline" or "privileged"',
  );
  if (security.like !== undefined) {
    checker.check(
      WELL_KNOWN_IMAGE_NAMES.includes(security.like),
      'props.security.like',
      security.like,
      `is not a well-known image; use one of ${WELL_KNOWN_IMAGE_NAMES.join(', ')}`,
      'or give writablePaths and runAsUser yourself',
    );
  }
  checker.check(
    restricted || (security.reason ?? '').trim().length > 0,
    'props.security.reason',
    security.reason,
    `is required with the ${profile} profile`,
    'say why the app cannot run under restricted, e.g. "stock nginx image runs as root"',
  );
  for (const [field, id] of [
    ['runAsUser', security.runAsUser],
    ['runAsGroup', security.runAsGroup],
    ['fsGroup', security.fsGroup],
  ] as const) {
    if (id !== undefined) {
      checker.check(Number.isInteger(id) && id >= 0 && id < 2 ** 31, `props.security.${field}`, id, 'must be a whole number from 0 to 2147483647');
    }
  }
  if (restricted && security.runAsUser !== undefined) {
    checker.check(
      security.runAsUser !== 0,
      'props.security.runAsUser',
      0,
      'cannot be root (0) under the restricted profile',
      'use a non-root user id, or the baseline profile with a reason',
    );
  }
  const added = security.addCapabilities ?? [];
  for (const cap of added) {
    checker.check(/^[A-Z_]+$/.test(cap), 'props.security.addCapabilities', cap, 'is not a capability name', 'write it like NET_BIND_SERVICE');
    if (restricted) {
      checker.check(
        cap === 'NET_BIND_SERVICE',
        'props.security.addCapabilities',
        cap,
        'is not allowed under the restricted profile',
        'only NET_BIND_SERVICE may be added; use the baseline profile with a reason for others',
      );
    }
  }

  for (const mountPath of security.writablePaths ?? []) {
    checker.check(
      mountPath.startsWith('/') && !mountPath.includes('..'),
      'props.security.writablePaths',
      mountPath,
      'is not an absolute path',
      'write it like /var/cache/app',
    );
  }
}

/**
 * The security settings of a pod whose lowest port is `port`, once
 * {@link checkPodSecurity} found no problem: the contexts, and an emptyDir
 * volume for `/tmp` and each writable path.
 */
export function resolvePodSecurity(security: PodSecurity = {}, port?: number): ResolvedPodSecurity {
  const profile = security.profile ?? 'restricted';
  const restricted = profile === 'restricted';
  const added = security.addCapabilities ?? [];
  const readOnly = security.readOnlyRootFilesystem ?? restricted;
  const paths = ['/tmp', ...(security.writablePaths ?? []).filter((p) => p !== '/tmp')];
  const volumes: Json<k8s.Volume>[] = [];
  const mounts: Json<k8s.VolumeMount>[] = [];
  const names = new Set<string>();
  for (const mountPath of paths) {
    let name = pathSlug(mountPath).slice(0, 50);
    name = isDnsLabel(name) ? name : 'writable';
    for (let i = 2; names.has(name); i++) {
      name = `${name.replace(/-\d+$/, '')}-${i}`;
    }
    names.add(name);
    volumes.push({ name, emptyDir: {} });
    mounts.push({ name, mountPath });
  }

  const pod: Json<k8s.PodSecurityContext> = {
    runAsNonRoot: restricted ? true : undefined,
    runAsUser: security.runAsUser ?? (restricted ? DEFAULT_ID : undefined),
    runAsGroup: security.runAsGroup ?? (restricted ? DEFAULT_ID : undefined),
    fsGroup: security.fsGroup ?? (restricted ? DEFAULT_ID : undefined),
    seccompProfile: { type: 'RuntimeDefault' },
    sysctls:
      port !== undefined && port < 1024 && (security.runAsUser ?? (restricted ? DEFAULT_ID : 0)) !== 0
        ? [{ name: UNPRIVILEGED_PORT_SYSCTL, value: '0' }]
        : undefined,
  };
  const container: Json<k8s.SecurityContext> = {
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: readOnly,
    capabilities: restricted || added.length > 0 ? { drop: restricted ? ['ALL'] : undefined, add: added.length > 0 ? [...added] : undefined } : undefined,
  };
  return { profile, reason: security.reason, pod, container, volumes, mounts };
}
