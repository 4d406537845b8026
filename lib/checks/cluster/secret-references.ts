import { HAND_MADE_SECRETS_ANNOTATION, PROVIDES_SECRETS_ANNOTATION } from '../../core/annotations';
import type { ClusterContext } from '../../core/cluster-check';
import type { SynthesizedObject } from '../../core/manifest';
import {
  addAnnotations,
  asList,
  asObj,
  containersOf,
  helmValuesField,
  helmValuesOf,
  installedChartOf,
  namespaceOf,
  type Obj,
  podTemplates,
} from '../../core/manifest-fields';
import { objectProblem, type Problem } from '../../core/problems';

/** Where cert-manager keeps the Secrets of ClusterIssuers (its "cluster resource namespace"). */
export const CERT_MANAGER_NAMESPACE = 'cert-manager';

/** One use of a Secret by an object. */
interface SecretUse {
  readonly object: SynthesizedObject;
  readonly field: string;
  readonly namespace: string;
  readonly name: string;
}

/** What makes a Secret, for messages. */
type Providers = Map<string, string>;

/** The Secrets the output (and the context) provides, `namespace/name` to what provides it. */
function providedSecrets(objects: readonly SynthesizedObject[], context: ClusterContext): Providers {
  const provided: Providers = new Map();
  const add = (namespace: string, name: unknown, by: string): void => {
    if (typeof name === 'string' && name !== '') {
      provided.set(`${namespace}/${name}`, by);
    }
  };
  for (const secret of context.handMadeSecrets ?? []) {
    provided.set(secret, 'made by hand (handMadeSecrets)');
  }
  for (const { manifest: m } of objects) {
    const ns = namespaceOf(m);
    const spec = asObj(m.spec);
    const what = `${m.kind} ${ns}/${String(m.metadata.name)}`;
    if (m.kind === 'SealedSecret') {
      add(ns, asObj(asObj(spec.template).metadata).name ?? m.metadata.name, what);
    } else if (m.kind === 'ExternalSecret') {
      add(ns, asObj(spec.target).name ?? m.metadata.name, what);
    } else if (m.kind === 'Secret') {
      add(ns, m.metadata.name, what);
    } else if (m.kind === 'Certificate' && m.apiVersion.startsWith('cert-manager.io/')) {
      add(ns, spec.secretName, what);
    } else if (m.kind === 'Ingress' && Object.keys(asObj(m.metadata.annotations)).some((a) => a.startsWith('cert-manager.io/'))) {
      for (const tls of asList(spec.tls)) {
        add(ns, tls.secretName, `${what} (cert-manager)`);
      }
    } else if ((m.kind === 'ClusterIssuer' || m.kind === 'Issuer') && m.apiVersion.startsWith('cert-manager.io/')) {
      add(m.kind === 'ClusterIssuer' ? CERT_MANAGER_NAMESPACE : ns, asObj(asObj(spec.acme).privateKeySecretRef).name, what);
    }
    const handMade = asObj(m.metadata.annotations)[HAND_MADE_SECRETS_ANNOTATION];
    for (const name of typeof handMade === 'string' ? handMade.split(',').filter(Boolean) : []) {
      provided.set(name.includes('/') ? name : `${ns}/${name}`, `made by hand (declared on ${what})`);
    }
    const declared = asObj(m.metadata.annotations)[PROVIDES_SECRETS_ANNOTATION];
    for (const secret of typeof declared === 'string' ? declared.split(';').filter(Boolean) : []) {
      provided.set(secret, `${what} (its chart)`);
    }
  }
  return provided;
}

/** The Secrets a pod template uses: image pull secrets, environment, volumes (optional ones left out). */
function podSecretUses(o: SynthesizedObject): SecretUse[] {
  const ns = namespaceOf(o.manifest);
  const uses: SecretUse[] = [];
  const use = (field: string, name: unknown): void => {
    if (typeof name === 'string') {
      uses.push({ object: o, field, namespace: ns, name });
    }
  };
  for (const t of podTemplates(o.manifest)) {
    for (const [i, ref] of asList(t.spec.imagePullSecrets).entries()) {
      use(`${t.specField}.imagePullSecrets[${i}].name`, ref.name);
    }
    for (const { field, container } of containersOf(t)) {
      for (const [i, env] of asList(container.env).entries()) {
        const ref = asObj(asObj(env.valueFrom).secretKeyRef);
        if (ref.optional !== true) {
          use(`${field}.env[${i}].valueFrom.secretKeyRef.name`, ref.name);
        }
      }
      for (const [i, from] of asList(container.envFrom).entries()) {
        const ref = asObj(from.secretRef);
        if (ref.optional !== true) {
          use(`${field}.envFrom[${i}].secretRef.name`, ref.name);
        }
      }
    }
    for (const [i, volume] of asList(t.spec.volumes).entries()) {
      const secret = asObj(volume.secret);
      if (secret.optional !== true) {
        use(`${t.specField}.volumes[${i}].secret.secretName`, secret.secretName);
      }
      for (const [j, source] of asList(asObj(volume.projected).sources).entries()) {
        const projected = asObj(source.secret);
        if (projected.optional !== true) {
          use(`${t.specField}.volumes[${i}].projected.sources[${j}].secret.name`, projected.name);
        }
      }
    }
  }
  return uses;
}

/**
 * The Secrets named in Helm values: `existingSecret` values, and the `name`
 * of `secretRef` / `secretKeyRef` maps (as in `env` and `envFrom` values),
 * in the namespace the chart installs into.
 */
function helmValueSecretUses(o: SynthesizedObject): SecretUse[] {
  const m = o.manifest;
  const target = m.kind === 'HelmChartConfig' ? namespaceOf(m) : installedChartOf(m)?.targetNamespace;
  if (target === undefined) {
    return [];
  }
  const uses: SecretUse[] = [];
  const walk = (value: unknown, at: string): void => {
    if (Array.isArray(value)) {
      for (const [i, v] of value.entries()) {
        walk(v, `${at}[${i}]`);
      }
      return;
    }
    if (value === null || typeof value !== 'object') {
      return;
    }
    for (const [key, v] of Object.entries(value as Obj)) {
      const path = at === '' ? key : `${at}.${key}`;
      if ((key === 'existingSecret' || key === 'existingSecretName') && typeof v === 'string' && v !== '') {
        uses.push({ object: o, field: `${helmValuesField(m)} ${path}`, namespace: target, name: v });
      } else if ((key === 'secretRef' || key === 'secretKeyRef') && typeof asObj(v).name === 'string' && asObj(v).optional !== true) {
        uses.push({ object: o, field: `${helmValuesField(m)} ${path}.name`, namespace: target, name: String(asObj(v).name) });
      } else {
        walk(v, path);
      }
    }
  };
  walk(helmValuesOf(o).values, '');
  return uses;
}

/** The Secrets the other kinds use: TLS of routes and gateways, chart values files, issuers' credentials, Traefik auth middlewares. */
function otherSecretUses(o: SynthesizedObject): SecretUse[] {
  const m = o.manifest;
  const ns = namespaceOf(m);
  const spec = asObj(m.spec);
  const uses: SecretUse[] = [];
  const use = (field: string, name: unknown, namespace = ns): void => {
    if (typeof name === 'string' && name !== '') {
      uses.push({ object: o, field, namespace, name });
    }
  };
  switch (m.kind) {
    case 'IngressRoute':
      use('spec.tls.secretName', asObj(spec.tls).secretName);
      break;
    case 'Ingress':
      for (const [i, tls] of asList(spec.tls).entries()) {
        use(`spec.tls[${i}].secretName`, tls.secretName);
      }
      break;
    case 'Gateway':
      for (const [i, l] of asList(spec.listeners).entries()) {
        for (const [j, ref] of asList(asObj(l.tls).certificateRefs).entries()) {
          if ((ref.kind ?? 'Secret') === 'Secret') {
            use(`spec.listeners[${i}].tls.certificateRefs[${j}].name`, ref.name, String(ref.namespace ?? ns));
          }
        }
      }
      break;
    case 'HelmChart':
      for (const [i, secret] of asList(spec.valuesSecrets).entries()) {
        use(`spec.valuesSecrets[${i}].name`, secret.name);
      }
      break;
    case 'HelmRelease':
      for (const [i, from] of asList(spec.valuesFrom).entries()) {
        if (from.kind === 'Secret' && from.optional !== true) {
          use(`spec.valuesFrom[${i}].name`, from.name);
        }
      }
      break;
    case 'Middleware':
      use('spec.basicAuth.secret', asObj(spec.basicAuth).secret);
      use('spec.digestAuth.secret', asObj(spec.digestAuth).secret);
      break;
    case 'ClusterIssuer':
    case 'Issuer':
      if (m.apiVersion.startsWith('cert-manager.io/')) {
        issuerSecretUses(o, spec, m.kind === 'ClusterIssuer' ? CERT_MANAGER_NAMESPACE : ns, uses);
      }
      break;
  }
  return uses;
}

/** The credentials Secrets of a cert-manager issuer (DNS providers, a CA), its ACME account key left out (cert-manager makes it). */
function issuerSecretUses(o: SynthesizedObject, spec: Obj, namespace: string, uses: SecretUse[]): void {
  const walk = (value: unknown, at: string): void => {
    if (Array.isArray(value)) {
      for (const [i, v] of value.entries()) {
        walk(v, `${at}[${i}]`);
      }
    } else if (value !== null && typeof value === 'object') {
      for (const [key, v] of Object.entries(value as Obj)) {
        if (key.endsWith('SecretRef') && key !== 'privateKeySecretRef' && typeof asObj(v).name === 'string') {
          uses.push({ object: o, field: `${at}.${key}.name`, namespace, name: String(asObj(v).name) });
        } else {
          walk(v, `${at}.${key}`);
        }
      }
    }
  };
  walk(spec, 'spec');
  const ca = asObj(spec.ca).secretName;
  if (typeof ca === 'string') {
    uses.push({ object: o, field: 'spec.ca.secretName', namespace, name: ca });
  }
}

const usesOf = new WeakMap<SynthesizedObject['manifest'], SecretUse[]>();

/** Every Secret an object uses, wherever it names it: found once per manifest (the annotation step and the check both ask). */
function secretUses(o: SynthesizedObject): SecretUse[] {
  let uses = usesOf.get(o.manifest);
  if (uses === undefined) {
    uses = [
      ...podSecretUses(o),
      ...otherSecretUses(o),
      ...(['HelmChart', 'HelmChartConfig', 'HelmRelease'].includes(o.manifest.kind) ? helmValueSecretUses(o) : []),
    ];
    usesOf.set(o.manifest, uses);
  }
  return uses;
}

/**
 * Marks each object that uses Secrets made by hand (`namespace/name`) with
 * HAND_MADE_SECRETS_ANNOTATION, naming them (`namespace/name` when of another
 * namespace than the object's): the output then says what it
 * relies on, and validates on its own (`cdk8s-homelab validate dist/`).
 */
export function annotateHandMadeSecrets(objects: readonly SynthesizedObject[], handMade: readonly string[]): void {
  const declared = new Set(handMade);
  for (const o of objects) {
    const names = [
      ...new Set(
        secretUses(o)
          .filter((u) => declared.has(`${u.namespace}/${u.name}`) && u.namespace === namespaceOf(o.manifest))
          .map((u) => u.name),
      ),
    ].sort();
    if (names.length > 0) {
      addAnnotations(o.manifest, { [HAND_MADE_SECRETS_ANNOTATION]: names.join(',') });
    }
  }
}

/**
 * Every Secret an object uses is provided: by a SealedSecret or an
 * ExternalSecret of its namespace, by cert-manager (a Certificate, an
 * Ingress's annotation, an issuer's account key), by a chart that declares it
 * (`providesSecrets`), or declared as made by hand (HomelabApp
 * `handMadeSecrets`). A Secret taken on trust is a problem that names it.
 */
export function secretReferences(objects: readonly SynthesizedObject[], context: ClusterContext): Problem[] {
  const provided = providedSecrets(objects, context);
  const problems: Problem[] = [];
  for (const o of objects) {
    const uses = [
      ...podSecretUses(o),
      ...otherSecretUses(o),
      ...(['HelmChart', 'HelmChartConfig', 'HelmRelease'].includes(o.manifest.kind) ? helmValueSecretUses(o) : []),
    ];
    for (const u of uses) {
      if (provided.has(`${u.namespace}/${u.name}`)) {
        continue;
      }
      const elsewhere = [...provided.entries()].find(([key]) => key.endsWith(`/${u.name}`));
      problems.push(
        objectProblem(
          u.object,
          u.field,
          u.name,
          elsewhere
            ? `is a Secret of namespace ${u.namespace}, and ${elsewhere[1]} makes it in namespace ${elsewhere[0].split('/')[0]}: a pod reads Secrets of its own namespace only`
            : `is a Secret that nothing provides in namespace ${u.namespace}`,
          `seal it (cdk8s-homelab seal --namespace ${u.namespace} --name ${u.name}, then a SealedSecret), make it an ExternalSecret, or, if you create it by hand, declare it: HomelabApp handMadeSecrets: ['${u.namespace}/${u.name}']`,
        ),
      );
    }
  }
  return problems;
}

/**
 * External Secrets stores: each ExternalSecret reads a ClusterSecretStore,
 * or a SecretStore of its namespace, that the output defines. Without any
 * store in the output (they are set up another way) it cannot be checked:
 * synth warns.
 */
export function secretStores(objects: readonly SynthesizedObject[]): Problem[] {
  const stores = new Set<string>();
  for (const { manifest: m } of objects) {
    if (m.apiVersion.startsWith('external-secrets.io/') && (m.kind === 'ClusterSecretStore' || m.kind === 'SecretStore')) {
      stores.add(
        m.kind === 'ClusterSecretStore' ? `ClusterSecretStore/${String(m.metadata.name)}` : `SecretStore/${namespaceOf(m)}/${String(m.metadata.name)}`,
      );
    }
  }
  const problems: Problem[] = [];
  const warned = new Set<string>();
  for (const o of objects) {
    const m = o.manifest;
    if (m.kind !== 'ExternalSecret' || !m.apiVersion.startsWith('external-secrets.io/')) {
      continue;
    }
    const ref = asObj(asObj(m.spec).secretStoreRef);
    const kind = ref.kind === 'ClusterSecretStore' ? 'ClusterSecretStore' : 'SecretStore';
    const key = kind === 'ClusterSecretStore' ? `ClusterSecretStore/${String(ref.name)}` : `SecretStore/${namespaceOf(m)}/${String(ref.name)}`;
    if (stores.has(key)) {
      continue;
    }
    if (stores.size > 0) {
      problems.push(
        objectProblem(
          o,
          'spec.secretStoreRef.name',
          ref.name,
          `is not a ${kind} of the cluster${kind === 'SecretStore' ? ` in namespace ${namespaceOf(m)}` : ''}`,
          `use one of: ${[...stores].join(', ')}`,
        ),
      );
    } else if (!warned.has(key)) {
      warned.add(key);
      problems.push({
        ...objectProblem(
          o,
          'spec.secretStoreRef.name',
          ref.name,
          `names ${kind} ${String(ref.name)}, which cannot be checked: the output defines no secret store`,
          'define the store in the output, or ignore this if it is set up another way',
        ),
        warning: 'HL-undeclared-secret-store',
      });
    }
  }
  return problems;
}
