import { POLICY_RULES, type PolicyRule } from '../../core/annotations';
import type { PropChecker } from '../../core/prop-checker';
import { looksLikeSecretName } from '../../core/secrets';
import {
  floatingImage,
  isContainerPortName,
  isDnsLabel,
  isDnsSubdomain,
  isEnvName,
  isLabelKey,
  isLabelValue,
  isQuantity,
  parseImage,
  quantityValue,
} from '../../core/value-rules';
import { AUTO_UPDATE_FIELDS, checkAutoUpdate } from './auto-update';
import { withImageNeeds } from './image-needs';
import { checkPodSecurity, POD_SECURITY_FIELDS, resolvePodSecurity } from './pod-security';
import type { NamedPort, PortProtocol, WorkloadProps } from './workload';
import {
  type Arch,
  CONTAINER_RESOURCES_FIELDS,
  EXTRA_CONTAINER_FIELDS,
  MOUNT_FIELDS,
  NAMED_PORT_FIELDS,
  resolveResources,
  SECRET_KEY_REF_FIELDS,
  TOLERATION_FIELDS,
} from './workload';

const ARCHES: readonly Arch[] = ['arm64', 'amd64', 'arm'];
const PORT_PROTOCOLS: readonly string[] = ['TCP', 'UDP'] satisfies readonly PortProtocol[];

/**
 * Records every problem of the pod props of a workload (field names as in
 * AppStackProps, so AppStack reports them under its own name).
 */
export function checkWorkloadProps(checker: PropChecker, props: WorkloadProps, port?: number): void {
  checkImage(checker, props);
  checkEnv(checker, props);
  checkPolicyExceptions(checker, props);
  checkResources(checker, props);
  checkPlacement(checker, props);
  checkPodAccess(checker, props, port);
  checkProbes(checker, props, port);
  checkExtraContainers(checker, props);
}

/** Sidecars and init containers: distinct valid names, pinned valid images, valid env, quantities and ports. */
function checkExtraContainers(checker: PropChecker, props: WorkloadProps): void {
  const names = new Set<string>();
  for (const [list, containers] of [
    ['sidecars', props.sidecars],
    ['initContainers', props.initContainers],
  ] as const) {
    for (const [i, c] of (containers ?? []).entries()) {
      const field = `props.${list}[${i}]`;
      checker.check(isDnsLabel(c.name), `${field}.name`, c.name, 'is not a valid container name', 'use lowercase letters, digits and "-"');
      checker.check(!names.has(c.name), `${field}.name`, c.name, 'is used twice', 'give each container its own name');
      names.add(c.name);
      checkImageReference(checker, `${field}.image`, c.image, props.allowFloatingTag === true, 'or set allowFloatingTag: true');
      for (const name of [...Object.keys(c.env ?? {}), ...Object.keys(c.secretEnv ?? {})]) {
        checker.check(isEnvName(name), `${field}.env.${name}`, name, 'is not a valid environment variable name');
      }
      for (const [key, value] of Object.entries(resolveResources(c.resources))) {
        if (value !== undefined) {
          checker.check(isQuantity(value), `${field}.resources.${key}`, value, 'is not a Kubernetes quantity', 'write e.g. "100m" or "128Mi"');
        }
      }
      checkNamedPorts(checker, `${field}.ports`, c.ports, '');
    }
  }
}

/**
 * The option objects of the pod props with a key they do not have (a typo
 * TypeScript cannot see in JavaScript or in a spread object) or without a
 * required one. Each workload, and AppStack, calls it with its own prop names.
 */
export function checkWorkloadPropNames(checker: PropChecker, props: WorkloadProps): void {
  checker.checkShape('props.resources', props.resources, CONTAINER_RESOURCES_FIELDS, 'ContainerResources');
  checker.checkShape('props.security', props.security, POD_SECURITY_FIELDS, 'PodSecurity');
  checker.checkShape('props.autoUpdate', props.autoUpdate, AUTO_UPDATE_FIELDS, 'AutoUpdate');
  checker.checkShapeOfEach('props.mounts', props.mounts, MOUNT_FIELDS, 'Mount');
  for (const [i, m] of (Array.isArray(props.mounts) ? props.mounts : []).entries()) {
    const volume: unknown = m?.volume;
    if (typeof volume === 'object' && volume !== null) {
      checker.requireShape(
        hasMethod(volume, 'check'),
        `props.mounts[${i}].volume`,
        volume,
        'is not a Volume',
        'make it with Volume.pvc, Volume.configMap, Volume.secret, ...',
      );
    }
  }
  for (const field of ['readiness', 'liveness', 'startup'] as const) {
    const probe: unknown = props[field];
    if (typeof probe === 'object' && probe !== null) {
      checker.requireShape(hasMethod(probe, 'toKube'), `props.${field}`, probe, 'is not a Probe', 'make it with Probe.http, Probe.tcp or Probe.exec');
    }
  }
  checker.checkShapeOfEach('props.tolerations', props.tolerations, TOLERATION_FIELDS, 'Toleration');
  for (const list of ['sidecars', 'initContainers'] as const) {
    checker.checkShapeOfEach(`props.${list}`, props[list], EXTRA_CONTAINER_FIELDS, 'ExtraContainer');
    for (const [i, c] of (Array.isArray(props[list]) ? (props[list] ?? []) : []).entries()) {
      checker.checkShape(`props.${list}[${i}].resources`, c?.resources, CONTAINER_RESOURCES_FIELDS, 'ContainerResources');
      checker.checkShapeOfEach(`props.${list}[${i}].mounts`, c?.mounts, MOUNT_FIELDS, 'Mount');
      checker.checkShapeOfEach(`props.${list}[${i}].ports`, c?.ports, NAMED_PORT_FIELDS, 'NamedPort');
    }
  }
  for (const [name, ref] of Object.entries(props.secretEnv ?? {})) {
    checker.checkShape(`props.secretEnv.${name}`, ref, SECRET_KEY_REF_FIELDS, 'SecretKeyRef');
  }
}

/** Whether `x` has the method `name`: an object made by our factories (Probe.http, Volume.pvc), not a plain object of the same look. */
export function hasMethod(x: object, name: string): boolean {
  return typeof (x as Record<string, unknown>)[name] === 'function';
}

/** An image reference of a container: valid, and pinned unless it may float (`howToFloat` says how it could). */
function checkImageReference(checker: PropChecker, field: string, ref: string, mayFloat: boolean, howToFloat: string): void {
  const image = parseImage(ref);
  checker.check(image !== undefined, field, ref, 'is not a valid image reference', 'write it as [registry/]repository:tag, e.g. ghcr.io/owner/app:1.2.3');
  const floating = image && !mayFloat ? floatingImage(image) : undefined;
  if (floating) {
    checker.check(false, field, ref, floating.message, `pin a version (e.g. ${floating.pinned}), ${howToFloat}`);
  }
}

/** The image: a valid reference, pinned unless updated by Keel or allowed to float. */
function checkImage(checker: PropChecker, props: WorkloadProps): void {
  checkImageReference(
    checker,
    'props.image',
    props.image,
    props.allowFloatingTag === true || props.autoUpdate !== undefined,
    'turn on autoUpdate, or set allowFloatingTag: true',
  );
  if (props.autoUpdate) {
    checkAutoUpdate(checker, props.autoUpdate, props.image);
  }
}

/** Environment variables: valid names, no secret in a plain value, each set in one place. */
function checkEnv(checker: PropChecker, props: WorkloadProps): void {
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
}

/** Policy exceptions: known rules, each with a reason. */
function checkPolicyExceptions(checker: PropChecker, props: WorkloadProps): void {
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
}

/** Requests and limits: quantities, requests no higher than limits. */
function checkResources(checker: PropChecker, props: WorkloadProps): void {
  for (const [name, count] of Object.entries(props.resources?.devices ?? {})) {
    checker.check(
      /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?\/[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/.test(name) && !name.startsWith('kubernetes.io/'),
      `props.resources.devices.${name}`,
      name,
      'is not the extended resource of a device plugin',
      "write the plugin's resource name, e.g. gpu.intel.com/i915 or nvidia.com/gpu",
    );
    checker.check(Number.isInteger(count) && count > 0, `props.resources.devices.${name}`, count, 'must be a whole number, 1 or more');
  }
  const resources = resolveResources(props.resources);
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
}

/** Where the pods run: pull secrets, architecture, node selector and annotation keys, tolerations. */
function checkPlacement(checker: PropChecker, props: WorkloadProps): void {
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
}

/** What the pods may reach on their node: the security profile, host network and PID, host paths, mounts. */
function checkPodAccess(checker: PropChecker, props: WorkloadProps, port?: number): void {
  checkPodSecurity(checker, props.security);
  const security = resolvePodSecurity(withImageNeeds(props.security, props.image), port);
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
    checker.absolutePath(`props.mounts[${i}].mountPath`, m.mountPath);
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
}

/** Probes: a port to probe, or an exec probe. */
function checkProbes(checker: PropChecker, props: WorkloadProps, port?: number): void {
  for (const [field, probe] of [
    ['readiness', props.readiness],
    ['liveness', props.liveness],
    ['startup', props.startup],
  ] as const) {
    for (const problem of probe?.problems() ?? []) {
      checker.check(false, `props.${field}.${problem.field}`, problem.value, problem.message, problem.fix);
    }
    if (probe?.port !== undefined) {
      checker.port(`props.${field}.port`, probe.port);
    } else if (probe?.needsPort && port === undefined) {
      checker.check(false, `props.${field}`, probe.kind, 'probes a port, but the workload has none', 'give the probe a port, or use Probe.exec');
    }
  }
}

/** Ports beside the main one (named `mainName`): valid and distinct names, valid numbers, none repeating the main port. */
export function checkNamedPorts(
  checker: PropChecker,
  field: string,
  ports: readonly NamedPort[] | undefined,
  mainName: string,
  mainPort?: number,
  mainProtocol: PortProtocol = 'TCP',
): void {
  const names = new Set([mainName]);
  const main = `${mainPort}/${mainProtocol}`;
  const taken = new Set(mainPort === undefined ? [] : [main]);
  for (const [i, p] of (ports ?? []).entries()) {
    const protocol = p.protocol ?? 'TCP';
    checker.check(PORT_PROTOCOLS.includes(protocol), `${field}[${i}].protocol`, protocol, 'must be "TCP" or "UDP"');
    checker.check(
      isContainerPortName(p.name),
      `${field}[${i}].name`,
      p.name,
      'is not a valid port name',
      'use at most 15 lowercase letters, digits and "-", with a letter',
    );
    checker.check(!names.has(p.name), `${field}[${i}].name`, p.name, 'is used twice', 'give each port its own name');
    names.add(p.name);
    checker.port(`${field}[${i}].port`, p.port);
    const key = `${p.port}/${protocol}`;
    checker.check(
      !taken.has(key),
      `${field}[${i}].port`,
      p.port,
      key === main ? 'is the main port' : `is declared twice for ${protocol}`,
      key === main ? 'drop it: the main port is already declared' : 'declare each port and protocol once',
    );
    taken.add(key);
  }
}
