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
          'cannot be checked: the output has no Traefik configuration (HelmChartConfig kube-system/traefik)',
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
