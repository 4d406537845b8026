import type { ClusterContext } from '../../core/cluster-check';
import type { SynthesizedObject } from '../../core/manifest';
import { asList, asObj } from '../../core/manifest-fields';
import { objectProblem, type Problem } from '../../core/problems';
import { parseRule } from '../../core/route-rules';
import { traefikSettings } from '../../core/traefik-settings';
import { certNameCovers, isHostname } from '../../core/value-rules';

/**
 * Certificate resolvers: every route's `tls.certResolver` is one the
 * cluster's Traefik configuration declares (or the context lists). Without
 * a Traefik configuration in the output it cannot be checked: synth warns.
 */
export function certResolvers(objects: readonly SynthesizedObject[], context: ClusterContext): Problem[] {
  const problems: Problem[] = [];
  const traefik = traefikSettings(objects);
  const declared = new Set([...traefik.certResolvers, ...(context.certResolvers ?? [])]);
  const warned = new Set<string>();
  for (const o of objects) {
    if (o.manifest.kind !== 'IngressRoute') {
      continue;
    }
    const tls = asObj(asObj(o.manifest.spec).tls);
    const resolver = tls.certResolver;
    if (typeof resolver === 'string' && traefik.challenges[resolver] !== undefined && traefik.challenges[resolver] !== 'dns') {
      problems.push(...wildcardsWithoutDns(o, asList(tls.domains), resolver, traefik.challenges[resolver]));
    }
    if (typeof resolver !== 'string' || declared.has(resolver)) {
      continue;
    }
    if (traefik.present || context.certResolvers !== undefined) {
      problems.push(
        objectProblem(
          o,
          'spec.tls.certResolver',
          resolver,
          'is not a resolver the Traefik configuration declares',
          `declare it in TraefikConfig acme (declared: ${[...declared].join(', ') || 'none'}), or fix the name`,
        ),
      );
    } else if (!warned.has(resolver)) {
      warned.add(resolver);
      problems.push({
        ...objectProblem(
          o,
          'spec.tls.certResolver',
          resolver,
          'cannot be checked: the output has no Traefik configuration (a TraefikConfig, or a traefik chart)',
          'add a TraefikConfig that declares it, or list it in HomelabApp cluster.certResolvers',
        ),
        warning: 'HL-undeclared-cert-resolver',
      });
    }
  }
  return problems;
}

/** Let's Encrypt issues a wildcard certificate only through a DNS-01 challenge. */
function wildcardsWithoutDns(o: SynthesizedObject, domains: readonly Record<string, unknown>[], resolver: string, challenge: string): Problem[] {
  const problems: Problem[] = [];
  for (const [i, d] of domains.entries()) {
    const names: [string, unknown][] = [
      [`spec.tls.domains[${i}].main`, d.main],
      ...(Array.isArray(d.sans) ? d.sans.map((n, j): [string, unknown] => [`spec.tls.domains[${i}].sans[${j}]`, n]) : []),
    ];
    for (const [field, name] of names) {
      if (typeof name === 'string' && name.startsWith('*.')) {
        problems.push(
          objectProblem(
            o,
            field,
            name,
            `is a wildcard, which Let's Encrypt issues only through a DNS-01 challenge, and resolver ${resolver} uses ${challenge}`,
            'use a resolver with dns: { provider, credentialsSecret } in TraefikConfig acme, or list each host instead of the wildcard',
          ),
        );
      }
    }
  }
  return problems;
}

/** A route's certificate domains (main + SANs) must cover every `Host()` of the route. */
export function tlsCoverage(objects: readonly SynthesizedObject[]): Problem[] {
  const problems: Problem[] = [];
  for (const o of objects) {
    if (o.manifest.kind !== 'IngressRoute') {
      continue;
    }
    const spec = asObj(o.manifest.spec);
    const domains = asList(asObj(spec.tls).domains);
    if (domains.length === 0) {
      continue;
    }
    const names = domains.flatMap((d) => [String(d.main ?? ''), ...(Array.isArray(d.sans) ? d.sans.map(String) : [])]);
    for (const [i, route] of asList(spec.routes).entries()) {
      for (const host of parseRule(String(route.match ?? '')).hosts) {
        if (isHostname(host) && !names.some((n) => certNameCovers(n, host))) {
          problems.push(
            objectProblem(
              o,
              `spec.routes[${i}].match`,
              host,
              `is not covered by the TLS domains (${names.join(', ')})`,
              `add "${host}" (or a wildcard of its parent domain) to spec.tls.domains sans`,
            ),
          );
        }
      }
    }
  }
  return problems;
}

/** The cert-manager issuers of the output: ClusterIssuers by name, Issuers by `namespace/name`. */
function issuersOf(objects: readonly SynthesizedObject[]): { cluster: Set<string>; namespaced: Set<string>; httpOnly: Set<string> } {
  const cluster = new Set<string>();
  const namespaced = new Set<string>();
  // The ACME issuers that can only solve HTTP-01 (no DNS-01 solver): no wildcard from them.
  const httpOnly = new Set<string>();
  for (const { manifest: m } of objects) {
    const solvers = asList(asObj(asObj(m.spec).acme).solvers);
    const onlyHttp = solvers.length > 0 && solvers.every((solver) => solver.dns01 === undefined);
    if (m.apiVersion.startsWith('cert-manager.io/') && m.kind === 'ClusterIssuer') {
      cluster.add(String(m.metadata.name));
      if (onlyHttp) {
        httpOnly.add(`ClusterIssuer/${String(m.metadata.name)}`);
      }
    } else if (m.apiVersion.startsWith('cert-manager.io/') && m.kind === 'Issuer') {
      namespaced.add(`${m.metadata.namespace ?? 'default'}/${String(m.metadata.name)}`);
      if (onlyHttp) {
        httpOnly.add(`Issuer/${m.metadata.namespace ?? 'default'}/${String(m.metadata.name)}`);
      }
    }
  }
  return { cluster, namespaced, httpOnly };
}

/** The issuer a Certificate or an Ingress (cert-manager's annotations) names, as [field, kind, name]. */
function issuerRefs(m: SynthesizedObject['manifest']): [string, 'Issuer' | 'ClusterIssuer', string][] {
  if (m.apiVersion.startsWith('cert-manager.io/') && m.kind === 'Certificate') {
    const ref = asObj(asObj(m.spec).issuerRef);
    const group = typeof ref.group === 'string' ? ref.group : 'cert-manager.io';
    if (group !== 'cert-manager.io' || typeof ref.name !== 'string') {
      return []; // an external issuer (another API group): not ours to know
    }
    return [['spec.issuerRef.name', ref.kind === 'ClusterIssuer' ? 'ClusterIssuer' : 'Issuer', ref.name]];
  }
  const annotations = asObj(m.metadata.annotations);
  const refs: [string, 'Issuer' | 'ClusterIssuer', string][] = [];
  for (const [key, kind] of [
    ['cert-manager.io/cluster-issuer', 'ClusterIssuer'],
    ['cert-manager.io/issuer', 'Issuer'],
  ] as const) {
    if (typeof annotations[key] === 'string') {
      refs.push([`metadata.annotations["${key}"]`, kind, annotations[key]]);
    }
  }
  return refs;
}

/** A Certificate's wildcard dnsNames, when its ACME issuer solves HTTP-01 only (Let's Encrypt wants DNS-01 for them). */
function wildcardsFromHttpOnly(o: SynthesizedObject, httpOnly: boolean, issuer: string): Problem[] {
  const dnsNames = asObj(o.manifest.spec).dnsNames;
  if (!httpOnly || o.manifest.kind !== 'Certificate' || !Array.isArray(dnsNames)) {
    return [];
  }
  return dnsNames.flatMap((name, i) =>
    typeof name === 'string' && name.startsWith('*.')
      ? [
          objectProblem(
            o,
            `spec.dnsNames[${i}]`,
            name,
            `is a wildcard, which Let's Encrypt issues only through DNS-01, and issuer ${issuer} solves HTTP-01 only`,
            'give the issuer a dns01 solver (CertIssuer acme.dns01), or list each host instead of the wildcard',
          ),
        ]
      : [],
  );
}

/**
 * cert-manager issuers: each Certificate (and each Ingress's cert-manager
 * annotation) names an Issuer of its namespace or a ClusterIssuer that the
 * output defines. Without any issuer in the output (they are installed
 * another way) it cannot be checked: synth warns.
 */
export function certificateIssuers(objects: readonly SynthesizedObject[]): Problem[] {
  const issuers = issuersOf(objects);
  const anyIssuer = issuers.cluster.size > 0 || issuers.namespaced.size > 0;
  const problems: Problem[] = [];
  const warned = new Set<string>();
  for (const o of objects) {
    const namespace = String(o.manifest.metadata.namespace ?? 'default');
    for (const [field, kind, name] of issuerRefs(o.manifest)) {
      const found = kind === 'ClusterIssuer' ? issuers.cluster.has(name) : issuers.namespaced.has(`${namespace}/${name}`);
      if (found) {
        problems.push(
          ...wildcardsFromHttpOnly(o, issuers.httpOnly.has(kind === 'ClusterIssuer' ? `ClusterIssuer/${name}` : `Issuer/${namespace}/${name}`), name),
        );
        continue;
      }
      const where = kind === 'ClusterIssuer' ? `ClusterIssuer "${name}"` : `Issuer "${name}" in namespace "${namespace}"`;
      if (anyIssuer) {
        const known =
          kind === 'ClusterIssuer'
            ? [...issuers.cluster]
            : [...issuers.namespaced].filter((k) => k.startsWith(`${namespace}/`)).map((k) => k.slice(namespace.length + 1));
        problems.push(
          objectProblem(o, field, name, `names ${where}, which the cluster does not define`, `define it, or use one of: ${known.join(', ') || 'none'}`),
        );
      } else if (!warned.has(`${kind}/${name}`)) {
        warned.add(`${kind}/${name}`);
        problems.push({
          ...objectProblem(
            o,
            field,
            name,
            `names ${where}, which cannot be checked: the output defines no cert-manager issuer`,
            'define the issuer in the output (ClusterIssuer), or ignore this if it is installed another way',
          ),
          warning: 'HL-undeclared-issuer',
        });
      }
    }
  }
  return problems;
}
