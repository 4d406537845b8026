import type { SynthesizedObject } from '../../core/manifest';
import { asList, asObj, asStrings, namespaceOf, type Obj } from '../../core/manifest-fields';
import { objectProblem, type Problem } from '../../core/problems';
import { parseRule } from '../../core/route-rules';
import { certNameCovers, isHostname } from '../../core/value-rules';
import { gatewaysOf } from './gateways';

/** A certificate the cluster issues into a Secret: a cert-manager Certificate, or one an Ingress asks cert-manager for. */
interface IssuedCertificate {
  /** The object that asks for it. */
  readonly object: SynthesizedObject;
  /** Its field that names the Secret. */
  readonly field: string;
  /** How a message names it, e.g. `Certificate blog/blog`. */
  readonly label: string;
  /** The names it covers. */
  readonly names: readonly string[];
}

/** Where a served host's certificate comes from, as a route says it. */
type CertificateSource = { readonly resolver: string } | { readonly secret: string };

/** One host that a route serves over TLS. */
interface ServedHost {
  readonly object: SynthesizedObject;
  /** The route's field that names the host. */
  readonly field: string;
  readonly host: string;
  readonly source: CertificateSource;
}

const CERT_MANAGER_ANNOTATIONS = ['cert-manager.io/cluster-issuer', 'cert-manager.io/issuer'];

/** Every certificate the output issues, by the `namespace/name` of its Secret. */
function issuedCertificates(objects: readonly SynthesizedObject[]): Map<string, IssuedCertificate[]> {
  const issued = new Map<string, IssuedCertificate[]>();
  const add = (secret: string, certificate: IssuedCertificate): void => {
    issued.set(secret, [...(issued.get(secret) ?? []), certificate]);
  };
  for (const o of objects) {
    const m = o.manifest;
    const spec = asObj(m.spec);
    const where = `${namespaceOf(m)}/${String(m.metadata.name)}`;
    if (m.kind === 'Certificate' && m.apiVersion.startsWith('cert-manager.io/') && typeof spec.secretName === 'string') {
      const names = [...(typeof spec.commonName === 'string' ? [spec.commonName] : []), ...asStrings(spec.dnsNames)];
      add(`${namespaceOf(m)}/${spec.secretName}`, { object: o, field: 'spec.secretName', label: `Certificate ${where}`, names });
    }
    const annotations = asObj(m.metadata.annotations);
    if (m.kind === 'Ingress' && CERT_MANAGER_ANNOTATIONS.some((a) => typeof annotations[a] === 'string')) {
      for (const [i, tls] of asList(spec.tls).entries()) {
        if (typeof tls.secretName === 'string') {
          const label = `Ingress ${where} (its cert-manager annotation)`;
          add(`${namespaceOf(m)}/${tls.secretName}`, { object: o, field: `spec.tls[${i}].secretName`, label, names: asStrings(tls.hosts) });
        }
      }
    }
  }
  return issued;
}

/** The hosts of an IngressRoute's routes, with the certificate source its `tls` names. */
function ingressRouteHosts(o: SynthesizedObject, problems: Problem[]): ServedHost[] {
  const spec = asObj(o.manifest.spec);
  if (spec.tls === undefined) {
    return [];
  }
  const tls = asObj(spec.tls);
  const resolver = typeof tls.certResolver === 'string' ? tls.certResolver : undefined;
  const secret = typeof tls.secretName === 'string' ? `${namespaceOf(o.manifest)}/${tls.secretName}` : undefined;
  if (resolver !== undefined && secret !== undefined) {
    problems.push(
      objectProblem(
        o,
        'spec.tls.certResolver',
        resolver,
        `is a second source of the certificate, besides the Secret ${tls.secretName}`,
        'keep one: the resolver (Traefik asks ACME) or secretName (a certificate made elsewhere)',
      ),
    );
  }
  const source: CertificateSource | undefined = secret !== undefined ? { secret } : resolver !== undefined ? { resolver } : undefined;
  if (source === undefined) {
    return []; // Traefik's default certificate (a TLSStore's): not checked here
  }
  return asList(spec.routes).flatMap((route, i) =>
    parseRule(String(route.match ?? '')).hosts.map((host) => ({ object: o, field: `spec.routes[${i}].match`, host, source })),
  );
}

/** The hosts of an Ingress's `tls` entries, each with its Secret. */
function ingressHosts(o: SynthesizedObject): ServedHost[] {
  return asList(asObj(o.manifest.spec).tls).flatMap((tls, i) =>
    typeof tls.secretName === 'string'
      ? asStrings(tls.hosts).map((host, j) => ({
          object: o,
          field: `spec.tls[${i}].hosts[${j}]`,
          host,
          source: { secret: `${namespaceOf(o.manifest)}/${tls.secretName}` },
        }))
      : [],
  );
}

/** The hosts of an HTTPRoute, each with the Secret of the HTTPS listeners it attaches to. */
function httpRouteHosts(o: SynthesizedObject, gateways: ReadonlyMap<string, Obj>): ServedHost[] {
  const spec = asObj(o.manifest.spec);
  const routeNamespace = namespaceOf(o.manifest);
  const secrets = new Set<string>();
  for (const parent of asList(spec.parentRefs)) {
    const gatewayNamespace = String(parent.namespace ?? routeNamespace);
    const listeners = asList(gateways.get(`${gatewayNamespace}/${String(parent.name ?? '')}`)?.listeners);
    for (const listener of listeners.filter((l) => parent.sectionName === undefined || l.name === parent.sectionName)) {
      const ref = asList(asObj(listener.tls).certificateRefs)[0];
      if (listener.protocol === 'HTTPS' && ref !== undefined && (ref.kind ?? 'Secret') === 'Secret') {
        secrets.add(`${String(ref.namespace ?? gatewayNamespace)}/${String(ref.name)}`);
      }
    }
  }
  return [...secrets].flatMap((secret) => asStrings(spec.hostnames).map((host, i) => ({ object: o, field: `spec.hostnames[${i}]`, host, source: { secret } })));
}

/**
 * Every host served over TLS has exactly one source of its certificate:
 * a route takes it from a Traefik resolver or from a Secret, not both; a
 * Secret is written by one certificate only (a Certificate, or the one an
 * Ingress's cert-manager annotation asks for); the certificate in the
 * Secret covers the host; and a host whose route asks a Traefik resolver
 * is not also named by a cert-manager certificate, which would order a
 * second certificate of it. Secrets the output does not issue (made by
 * hand, or sealed) are taken as they are.
 */
export function certificateSources(objects: readonly SynthesizedObject[]): Problem[] {
  const problems: Problem[] = [];
  const issued = issuedCertificates(objects);
  for (const [secret, certificates] of issued) {
    for (const other of certificates.slice(1)) {
      problems.push(
        objectProblem(
          other.object,
          other.field,
          secret,
          `is also the Secret of ${certificates[0].label}: two certificates would overwrite each other`,
          'give each certificate its own Secret, or keep one of them',
        ),
      );
    }
  }
  const gateways = gatewaysOf(objects);
  const byName = new Map<string, IssuedCertificate[]>();
  for (const certificate of [...issued.values()].flat()) {
    for (const name of certificate.names) {
      byName.set(name, [...(byName.get(name) ?? []), certificate]);
    }
  }
  for (const o of objects) {
    const kind = o.manifest.kind;
    const served =
      kind === 'IngressRoute' ? ingressRouteHosts(o, problems) : kind === 'Ingress' ? ingressHosts(o) : kind === 'HTTPRoute' ? httpRouteHosts(o, gateways) : [];
    for (const s of served.filter((h) => isHostname(h.host))) {
      problems.push(...sourceProblems(s, issued, byName));
    }
  }
  return problems;
}

/** The problem of one served host: a Secret whose certificate does not cover it, or a resolver beside a cert-manager certificate. */
function sourceProblems(s: ServedHost, issued: ReadonlyMap<string, IssuedCertificate[]>, byName: ReadonlyMap<string, IssuedCertificate[]>): Problem[] {
  if ('secret' in s.source) {
    const certificate = issued.get(s.source.secret)?.[0];
    if (certificate === undefined || certificate.names.some((n) => certNameCovers(n, s.host))) {
      return [];
    }
    return [
      objectProblem(
        s.object,
        s.field,
        s.host,
        `is served with the certificate in Secret ${s.source.secret}, which ${certificate.label} issues for ${certificate.names.join(', ') || 'no name'} only`,
        `add "${s.host}" (or a wildcard of its parent domain) to that certificate's names`,
      ),
    ];
  }
  const also = byName.get(s.host)?.[0];
  if (also === undefined) {
    return [];
  }
  return [
    objectProblem(
      s.object,
      s.field,
      s.host,
      `gets a certificate from Traefik's resolver ${s.source.resolver}, and ${also.label} issues another one for it: two sources`,
      "serve the host with the cert-manager certificate (AppStack certManager, or tls.secretName) and drop the resolver, or drop the host from the certificate's names",
    ),
  ];
}
