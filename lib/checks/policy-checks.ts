import { POD_SECURITY_REASON_ANNOTATION, type PolicyRule, policyExceptionAnnotation } from '../core/annotations';
import type { ClusterCheck } from '../core/cluster-check';
import type { HelmValue } from '../core/json';
import type { SynthesizedObject } from '../core/manifest';
import { asList, asObj, containersOf, helmValuesField, helmValuesOf, namespaceOf, type Obj, type PodTemplate, podTemplates } from '../core/manifest-fields';
import { objectProblem, type Problem } from '../core/problems';
import { looksLikeSecretName, secretLikeValues } from '../core/secrets';

/** The namespace label whose Pod Security profile admission enforces. */
const ENFORCE_LABEL = 'pod-security.kubernetes.io/enforce';

/**
 * A violation of `rule` by `o`: an error, or a warning when the object
 * carries the rule's exception annotation.
 */
function violation(o: SynthesizedObject, rule: PolicyRule, field: string, value: unknown, message: string, fix: string): Problem {
  const reason = asObj(o.manifest.metadata.annotations)[policyExceptionAnnotation(rule)];
  if (typeof reason === 'string' && reason.trim() !== '') {
    return { ...objectProblem(o, field, value, `${message} [${rule}], allowed by exception: ${reason}`), warning: 'HL-policy-exception' };
  }
  return objectProblem(o, field, value, `${message} [${rule}]`, fix);
}

/** The profile Pod Security admission enforces in each namespace of the cluster. */
function enforcedProfiles(objects: readonly SynthesizedObject[]): Map<string, string> {
  const profiles = new Map<string, string>();
  for (const o of objects) {
    if (o.manifest.kind === 'Namespace' && o.manifest.metadata.name) {
      const level = asObj(o.manifest.metadata.labels)[ENFORCE_LABEL];
      profiles.set(o.manifest.metadata.name, typeof level === 'string' ? level : 'privileged');
    }
  }
  return profiles;
}

const BASELINE_CAPABILITIES = new Set([
  'AUDIT_WRITE',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'MKNOD',
  'NET_BIND_SERVICE',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_CHROOT',
]);
const SAFE_SYSCTLS = new Set([
  'kernel.shm_rmid_forced',
  'net.ipv4.ip_local_port_range',
  'net.ipv4.ip_unprivileged_port_start',
  'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range',
  'net.ipv4.ip_local_reserved_ports',
]);
const RESTRICTED_VOLUMES = new Set(['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret']);

/**
 * The Pod Security Standards, as Pod Security admission applies them: the
 * `baseline` rules everywhere, and the `restricted` rules in namespaces that
 * enforce `restricted` (every app namespace unless it opted out). Pods in
 * namespaces the cluster does not define are held to `restricted`.
 * @see https://kubernetes.io/docs/concepts/security/pod-security-standards/
 */
export function podSecurityStandards(objects: readonly SynthesizedObject[]): Problem[] {
  const problems: Problem[] = [];
  const profiles = enforcedProfiles(objects);
  for (const o of objects) {
    for (const t of podTemplates(o.manifest)) {
      const profile = profiles.get(namespaceOf(o.manifest)) ?? 'restricted';
      if (profile === 'privileged') {
        continue;
      }
      const restricted = profile === 'restricted';
      const fail: Fail = (field, value, message, fix) =>
        problems.push(violation(o, 'pod-security', field, value, `${message} (Pod Security "${profile}")`, fix));
      const pod = asObj(t.spec.securityContext);
      checkPodLevel(t, pod, restricted, fail);
      for (const { field, container } of containersOf(t, true)) {
        checkContainer(field, container, pod, restricted, fail);
      }
    }
  }
  return problems;
}

/** Reports one violation of a pod template: field, value, what is wrong, the fix. */
type Fail = (field: string, value: unknown, message: string, fix: string) => void;

/** The pod-level rules: host namespaces, volume types, sysctls, seccomp, root. */
function checkPodLevel(t: PodTemplate, pod: Obj, restricted: boolean, fail: Fail): void {
  for (const ns of ['hostNetwork', 'hostPID', 'hostIPC'] as const) {
    if (t.spec[ns] === true) {
      fail(`${t.specField}.${ns}`, true, 'shares a host namespace', `remove ${ns}`);
    }
  }
  for (const [i, v] of asList(t.spec.volumes).entries()) {
    const type = Object.keys(v).find((k) => k !== 'name');
    if (type === 'hostPath') {
      fail(`${t.specField}.volumes[${i}].hostPath`, v.hostPath, 'mounts a host path', 'use a PersistentVolumeClaim or an emptyDir');
    } else if (restricted && type !== undefined && !RESTRICTED_VOLUMES.has(type)) {
      fail(
        `${t.specField}.volumes[${i}].${type}`,
        type,
        'is a volume type the restricted profile does not allow',
        `use one of ${[...RESTRICTED_VOLUMES].join(', ')}`,
      );
    }
  }
  for (const [i, s] of asList(pod.sysctls).entries()) {
    if (!SAFE_SYSCTLS.has(String(s.name))) {
      fail(`${t.specField}.securityContext.sysctls[${i}].name`, s.name, 'is not a safe sysctl', `use only ${[...SAFE_SYSCTLS].join(', ')}`);
    }
  }
  const podSeccomp = asObj(pod.seccompProfile).type;
  if (podSeccomp === 'Unconfined') {
    fail(`${t.specField}.securityContext.seccompProfile.type`, podSeccomp, 'disables seccomp', 'use RuntimeDefault');
  }
  if (restricted && pod.runAsUser === 0) {
    fail(`${t.specField}.securityContext.runAsUser`, 0, 'runs as root', 'use a non-zero uid');
  }
}

/** The container-level rules of both profiles, then those of restricted only. */
function checkContainer(field: string, c: Obj, pod: Obj, restricted: boolean, fail: Fail): void {
  const sc = asObj(c.securityContext);
  const caps = asObj(sc.capabilities);
  const added = Array.isArray(caps.add) ? caps.add.map(String) : [];
  const dropped = Array.isArray(caps.drop) ? caps.drop.map(String) : [];
  if (sc.privileged === true) {
    fail(`${field}.securityContext.privileged`, true, 'is privileged', 'remove privileged');
  }
  for (const [i, p] of asList(c.ports).entries()) {
    if (p.hostPort !== undefined && p.hostPort !== 0) {
      fail(`${field}.ports[${i}].hostPort`, p.hostPort, 'binds a host port', 'expose the port through a Service');
    }
  }
  for (const cap of added) {
    if (restricted ? cap !== 'NET_BIND_SERVICE' : !BASELINE_CAPABILITIES.has(cap)) {
      fail(
        `${field}.securityContext.capabilities.add`,
        cap,
        'adds a capability the profile does not allow',
        restricted ? 'add only NET_BIND_SERVICE' : 'add only default capabilities',
      );
    }
  }
  if (sc.procMount !== undefined && sc.procMount !== 'Default') {
    fail(`${field}.securityContext.procMount`, sc.procMount, 'unmasks /proc', 'remove procMount');
  }
  const seccomp = asObj(sc.seccompProfile).type ?? asObj(pod.seccompProfile).type;
  if (asObj(sc.seccompProfile).type === 'Unconfined') {
    fail(`${field}.securityContext.seccompProfile.type`, 'Unconfined', 'disables seccomp', 'use RuntimeDefault');
  }
  if (restricted) {
    checkRestrictedContainer(field, sc, pod, dropped, seccomp, fail);
  }
}

/** What the restricted profile adds: no escalation, every capability dropped, non-root, seccomp. */
function checkRestrictedContainer(field: string, sc: Obj, pod: Obj, dropped: readonly string[], seccomp: unknown, fail: Fail): void {
  if (sc.allowPrivilegeEscalation !== false) {
    fail(`${field}.securityContext.allowPrivilegeEscalation`, sc.allowPrivilegeEscalation, 'must be false', 'set allowPrivilegeEscalation: false');
  }
  if (!dropped.includes('ALL')) {
    fail(`${field}.securityContext.capabilities.drop`, dropped, 'must include ALL', 'drop ALL capabilities');
  }
  if ((sc.runAsNonRoot ?? pod.runAsNonRoot) !== true) {
    fail(
      `${field}.securityContext.runAsNonRoot`,
      sc.runAsNonRoot ?? pod.runAsNonRoot,
      'must be true (on the pod or the container)',
      'set runAsNonRoot: true and a non-zero runAsUser',
    );
  }
  if (sc.runAsUser === 0) {
    fail(`${field}.securityContext.runAsUser`, 0, 'runs as root', 'use a non-zero uid');
  }
  if (seccomp !== 'RuntimeDefault' && seccomp !== 'Localhost') {
    fail(
      `${field}.securityContext.seccompProfile.type`,
      seccomp,
      'must be RuntimeDefault or Localhost (on the pod or the container)',
      'set seccompProfile: { type: RuntimeDefault }',
    );
  }
}

/**
 * Hardening beyond Pod Security (what kube-score, Polaris and kubesec ask):
 * a read-only root filesystem (in `restricted` namespaces), no service
 * account token, requests and a memory limit, and readiness and liveness
 * probes on long-running containers.
 */
export function workloadHardening(objects: readonly SynthesizedObject[]): Problem[] {
  const problems: Problem[] = [];
  const profiles = enforcedProfiles(objects);
  for (const o of objects) {
    for (const t of podTemplates(o.manifest)) {
      const restricted = (profiles.get(namespaceOf(o.manifest)) ?? 'restricted') === 'restricted';
      // A token only for a ServiceAccount of the app's own, whose rights its RBAC says (not the namespace's default).
      const ownAccount = typeof t.spec.serviceAccountName === 'string' && t.spec.serviceAccountName !== 'default';
      if (t.spec.automountServiceAccountToken !== false && !ownAccount) {
        problems.push(
          violation(
            o,
            'service-account-token',
            `${t.specField}.automountServiceAccountToken`,
            t.spec.automountServiceAccountToken,
            "must be false: the namespace's default ServiceAccount gets no Kubernetes API token",
            'set automountServiceAccountToken: false, or give the app a ServiceAccount of its own (AppStack kubernetesApi)',
          ),
        );
      }
      for (const { field, container: c, init } of containersOf(t, true)) {
        const sc = asObj(c.securityContext);
        if (restricted && sc.readOnlyRootFilesystem !== true) {
          problems.push(
            violation(
              o,
              'read-only-root',
              `${field}.securityContext.readOnlyRootFilesystem`,
              sc.readOnlyRootFilesystem,
              'must be true',
              'set readOnlyRootFilesystem: true and declare the paths the app writes to as writablePaths',
            ),
          );
        }
        const resources = asObj(c.resources);
        const requests = asObj(resources.requests);
        const limits = asObj(resources.limits);
        if (requests.cpu === undefined || requests.memory === undefined || limits.memory === undefined) {
          problems.push(
            violation(
              o,
              'resources',
              `${field}.resources`,
              c.resources,
              'must set cpu and memory requests and a memory limit',
              'set resources (AppStack sets Raspberry Pi sized defaults)',
            ),
          );
        }
        // A container with no port (a worker) serves nothing a default probe could ask: its health is its own to say.
        if (t.longRunning && !init && asList(c.ports).length > 0) {
          for (const probe of ['readinessProbe', 'livenessProbe'] as const) {
            if (c[probe] === undefined) {
              problems.push(violation(o, 'probes', `${field}.${probe}`, undefined, 'is missing', `give the container a ${probe}`));
            }
          }
        }
      }
    }
  }
  return problems;
}

/**
 * Namespaces: each carries its Pod Security labels (so the cluster enforces
 * what we check), and each namespace that runs pods has a default-deny
 * ingress NetworkPolicy.
 */
export function namespaceIsolation(objects: readonly SynthesizedObject[]): Problem[] {
  const problems: Problem[] = [];
  const denied = new Set<string>();
  for (const o of objects) {
    const m = o.manifest;
    if (m.kind === 'NetworkPolicy') {
      const spec = asObj(m.spec);
      const selectsAll = Object.keys(asObj(spec.podSelector)).length === 0;
      const types = Array.isArray(spec.policyTypes) ? spec.policyTypes : ['Ingress'];
      if (selectsAll && types.includes('Ingress') && asList(spec.ingress).length === 0) {
        denied.add(namespaceOf(m));
      }
    }
  }
  const reported = new Set<string>();
  for (const o of objects) {
    const m = o.manifest;
    if (m.kind === 'Namespace') {
      const level = asObj(m.metadata.labels)[ENFORCE_LABEL];
      const reason = asObj(m.metadata.annotations)[POD_SECURITY_REASON_ANNOTATION];
      if (level !== 'restricted' && !((level === 'baseline' || level === 'privileged') && typeof reason === 'string' && reason.trim() !== '')) {
        problems.push(
          violation(
            o,
            'namespace-labels',
            `metadata.labels["${ENFORCE_LABEL}"]`,
            level,
            level === 'baseline' || level === 'privileged'
              ? `relaxes Pod Security without saying why (annotation ${POD_SECURITY_REASON_ANNOTATION})`
              : 'must be "restricted" (or "baseline"/"privileged" with a reason)',
            'label the namespace, as AppNamespace does',
          ),
        );
      }
    }
    const ns = namespaceOf(m);
    if (podTemplates(m).length > 0 && !denied.has(ns) && !reported.has(ns)) {
      reported.add(ns);
      problems.push(
        violation(
          o,
          'network-policy',
          'metadata.namespace',
          ns,
          'runs pods in a namespace without a default-deny ingress NetworkPolicy',
          'add an AppNetworkPolicy to the namespace',
        ),
      );
    }
  }
  return problems;
}

/**
 * No secret value in the output: no Secret with data (create Secrets with
 * kubectl, or commit a SealedSecret), and no plain environment value whose
 * name says it is a secret (reference a Secret instead).
 */
export function secretHygiene(objects: readonly SynthesizedObject[]): Problem[] {
  const problems: Problem[] = [];
  for (const o of objects) {
    const m = o.manifest;
    if (m.kind === 'HelmChart' || m.kind === 'HelmChartConfig' || m.kind === 'HelmRelease') {
      const { values, error } = helmValuesOf(o);
      if (error !== undefined) {
        problems.push(objectProblem(o, 'spec.valuesContent', undefined, `is not valid YAML: ${error}`));
      }
      for (const path of secretLikeValues(values as HelmValue)) {
        problems.push(
          violation(
            o,
            'secret-data',
            `${helmValuesField(m)} ${path}`,
            '(hidden)',
            'holds what looks like a secret value, which would be committed to Git',
            "reference a Secret instead (the chart's existingSecret value, or valuesSecrets)",
          ),
        );
      }
    }
    if (m.kind === 'Secret') {
      for (const field of ['data', 'stringData'] as const) {
        const keys = Object.keys(asObj(m[field]));
        if (keys.length > 0) {
          problems.push(
            violation(
              o,
              'secret-data',
              field,
              keys,
              'holds secret values, which would be committed to Git',
              'create the Secret with kubectl (see the README), or commit an encrypted SealedSecret',
            ),
          );
        }
      }
    }
    for (const t of podTemplates(m)) {
      for (const { field, container: c } of containersOf(t, true)) {
        for (const [i, env] of asList(c.env).entries()) {
          if (typeof env.value === 'string' && env.value !== '' && looksLikeSecretName(String(env.name))) {
            problems.push(
              violation(
                o,
                'secret-env',
                `${field}.env[${i}]`,
                env.name,
                'holds a literal value but its name says it is a secret',
                'read it from a Secret (secretEnv), or waive the rule if it is not one',
              ),
            );
          }
        }
      }
    }
  }
  return problems;
}

/**
 * HTTPS: every route on `websecure` sends its responses through a headers
 * Middleware with HSTS, and every route on `web` redirects to HTTPS.
 */
export function httpsHardening(objects: readonly SynthesizedObject[]): Problem[] {
  const problems: Problem[] = [];
  const middlewares = new Map<string, Obj>();
  for (const o of objects) {
    if (o.manifest.kind === 'Middleware') {
      middlewares.set(`${namespaceOf(o.manifest)}/${o.manifest.metadata.name}`, asObj(o.manifest.spec));
    }
  }
  const has = (o: SynthesizedObject, refs: readonly Obj[], test: (spec: Obj) => boolean) =>
    refs.some((r) => {
      const spec = middlewares.get(`${typeof r.namespace === 'string' ? r.namespace : namespaceOf(o.manifest)}/${String(r.name)}`);
      return spec !== undefined && test(spec);
    });
  for (const o of objects) {
    if (o.manifest.kind !== 'IngressRoute') {
      continue;
    }
    const spec = asObj(o.manifest.spec);
    const entryPoints = Array.isArray(spec.entryPoints) ? spec.entryPoints.map(String) : [];
    for (const [i, route] of asList(spec.routes).entries()) {
      const refs = asList(route.middlewares);
      if (
        entryPoints.includes('websecure') &&
        !has(o, refs, (s) => typeof asObj(s.headers).stsSeconds === 'number' && (asObj(s.headers).stsSeconds as number) > 0)
      ) {
        problems.push(
          violation(
            o,
            'hsts',
            `spec.routes[${i}].middlewares`,
            refs.map((r) => r.name),
            'sends HTTPS responses without HSTS',
            'put a headers Middleware with stsSeconds on the route (AppStack does, by default)',
          ),
        );
      }
      if (entryPoints.includes('web') && !has(o, refs, (s) => asObj(s.redirectScheme).scheme === 'https')) {
        problems.push(
          violation(
            o,
            'http-redirect',
            `spec.routes[${i}].middlewares`,
            refs.map((r) => r.name),
            'serves plain HTTP instead of redirecting to HTTPS',
            'put a redirectScheme https Middleware on the route',
          ),
        );
      }
    }
  }
  return problems;
}

/** Every policy check, in the order they report. */
export const POLICY_CHECKS: readonly ClusterCheck[] = [podSecurityStandards, workloadHardening, namespaceIsolation, secretHygiene, httpsHardening];
