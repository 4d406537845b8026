import { Construct } from 'constructs';
import { ManifestObject } from '../constructs/manifest-object';
import { clusterProfileOf } from '../core/cluster-profile';
import { PropChecker } from '../core/prop-checker';
import type { PropNames } from '../core/prop-names';
import { isDnsLabel, isDnsSubdomain, isEmail } from '../core/value-rules';

/** The DNS providers cert-manager solves DNS-01 challenges with itself (others need a webhook). */
export type CertManagerDnsProvider = 'cloudflare' | 'route53' | 'rfc2136';

/** The keys each provider reads from the credentials Secret (cert-manager's usual names). */
export const CERT_MANAGER_DNS_KEYS: Readonly<Record<CertManagerDnsProvider, readonly string[]>> = {
  cloudflare: ['api-token'],
  route53: ['access-key-id', 'secret-access-key'],
  rfc2136: ['tsig-secret'],
};

/** The DNS-01 solver of an ACME {@link CertIssuer}. */
export interface CertManagerDns01 {
  /** The DNS provider of the domains. */
  readonly provider: CertManagerDnsProvider;
  /**
   * The Secret (in cert-manager's namespace for a ClusterIssuer) holding the
   * credentials, with the keys of CERT_MANAGER_DNS_KEYS (`api-token` for Cloudflare).
   */
  readonly credentialsSecret: string;
  /**
   * The AWS region (route53).
   * @default 'us-east-1'
   */
  readonly region?: string;
  /**
   * The DNS server that takes dynamic updates, as host:port (rfc2136).
   * @default - none: required for rfc2136
   */
  readonly nameserver?: string;
  /**
   * The TSIG key name (rfc2136).
   * @default - none: required for rfc2136
   */
  readonly tsigKeyName?: string;
}

/** An ACME account of a {@link CertIssuer} (Let's Encrypt). */
export interface CertManagerAcme {
  /** The account email. */
  readonly email: string;
  /**
   * Use Let's Encrypt's staging CA.
   * @default false
   */
  readonly staging?: boolean;
  /**
   * Solve HTTP-01 through the cluster's ingress controller of this class.
   * @default - DNS-01 when `dns01` is given; else the profile's ingress class where apps are served by Ingress (`public` on MicroK8s), `traefik` elsewhere
   */
  readonly http01IngressClass?: string;
  /**
   * Solve DNS-01 at a DNS provider (wildcards, hosts Let's Encrypt cannot reach).
   * @default - HTTP-01
   */
  readonly dns01?: CertManagerDns01;
}

/** Props of {@link CertIssuer}. */
export interface CertIssuerProps {
  /** The issuer's name, which apps name (`certManager: { issuer }`). */
  readonly name: string;
  /**
   * The namespace of an Issuer; without one it is a ClusterIssuer, which serves every namespace.
   * @default - a ClusterIssuer
   */
  readonly namespace?: string;
  /**
   * Certificates from an ACME CA (Let's Encrypt). Give `acme` or `ca`.
   * @default - none
   */
  readonly acme?: CertManagerAcme;
  /**
   * Certificates signed by your own CA, for hosts only the LAN reaches: the
   * Secret holding the CA's `tls.crt` and `tls.key`. Give `acme` or `ca`.
   * @default - none
   */
  readonly caSecret?: string;
}

const DNS01_FIELDS: PropNames<CertManagerDns01> = {
  provider: 'string',
  credentialsSecret: 'string',
  region: 'string?',
  nameserver: 'string?',
  tsigKeyName: 'string?',
};
const ACME_FIELDS: PropNames<CertManagerAcme> = { email: 'string', staging: 'boolean?', http01IngressClass: 'string?', dns01: 'object?' };
const CERT_ISSUER_PROPS_FIELDS: PropNames<CertIssuerProps> = { name: 'string', namespace: 'string?', acme: 'object?', caSecret: 'string?' };

/**
 * A cert-manager issuer: a ClusterIssuer (or an Issuer of one namespace) that
 * gets certificates from Let's Encrypt (HTTP-01 through the ingress
 * controller, or DNS-01 at Cloudflare, Route 53 or an RFC 2136 server) or
 * signs them with your own CA. Credentials stay in Secrets you create.
 * @see https://cert-manager.io/docs/configuration/
 */
export class CertIssuer extends Construct {
  /** The issuer's name. */
  public readonly name: string;
  /** `ClusterIssuer` or `Issuer`. */
  public readonly kind: 'ClusterIssuer' | 'Issuer';
  /** The cert-manager object. */
  public readonly resource: ManifestObject;

  constructor(scope: Construct, id: string, props: CertIssuerProps) {
    super(scope, id);
    const checker = new PropChecker(this);
    checker.checkShape('props', props, CERT_ISSUER_PROPS_FIELDS, 'CertIssuer');
    checker.checkShape('props.acme', props.acme, ACME_FIELDS, 'CertManagerAcme');
    checker.checkShape('props.acme.dns01', props.acme?.dns01, DNS01_FIELDS, 'CertManagerDns01');
    checker.throwIfIncomplete();
    checkIssuer(checker, props);
    checker.reportProblems();
    this.name = props.name;
    this.kind = props.namespace === undefined ? 'ClusterIssuer' : 'Issuer';
    const profile = clusterProfileOf(this);
    const http01Class = profile.defaultExpose === 'ingress' ? profile.ingressClassName : 'traefik';
    const spec = props.acme ? { acme: acmeSpec(props.name, props.acme, http01Class) } : { ca: { secretName: props.caSecret } };
    this.resource = new ManifestObject(this, 'Resource', {
      apiVersion: 'cert-manager.io/v1',
      kind: this.kind,
      metadata: { name: props.name, namespace: props.namespace },
      spec,
    });
  }
}

function acmeSpec(name: string, acme: CertManagerAcme, http01Class: string): Record<string, unknown> {
  const server = acme.staging ? 'https://acme-staging-v02.api.letsencrypt.org/directory' : 'https://acme-v02.api.letsencrypt.org/directory';
  const solver = acme.dns01 ? { dns01: dns01Solver(acme.dns01) } : { http01: { ingress: { ingressClassName: acme.http01IngressClass ?? http01Class } } };
  return { email: acme.email, server, privateKeySecretRef: { name: `${name}-account-key` }, solvers: [solver] };
}

function dns01Solver(d: CertManagerDns01): Record<string, unknown> {
  const ref = (key: string) => ({ name: d.credentialsSecret, key });
  switch (d.provider) {
    case 'cloudflare':
      return { cloudflare: { apiTokenSecretRef: ref('api-token') } };
    case 'route53':
      return { route53: { region: d.region ?? 'us-east-1', accessKeyIDSecretRef: ref('access-key-id'), secretAccessKeySecretRef: ref('secret-access-key') } };
    case 'rfc2136':
      return { rfc2136: { nameserver: d.nameserver, tsigKeyName: d.tsigKeyName, tsigAlgorithm: 'HMACSHA256', tsigSecretSecretRef: ref('tsig-secret') } };
  }
}

function checkIssuer(checker: PropChecker, props: CertIssuerProps): void {
  checker.check(isDnsSubdomain(props.name), 'props.name', props.name, 'is not a valid issuer name');
  if (props.namespace !== undefined) {
    checker.check(isDnsLabel(props.namespace), 'props.namespace', props.namespace, 'is not a valid namespace name');
  }
  checker.requireShape(
    (props.acme === undefined) !== (props.caSecret === undefined),
    'props.acme',
    props.acme,
    'or caSecret must be given, not both nor neither',
    "give acme: { email, ... } for Let's Encrypt, or caSecret for your own CA",
  );
  if (props.caSecret !== undefined) {
    checker.check(isDnsSubdomain(props.caSecret), 'props.caSecret', props.caSecret, 'is not a valid Secret name');
  }
  const acme = props.acme;
  if (acme === undefined) {
    return;
  }
  checker.check(isEmail(acme.email), 'props.acme.email', acme.email, 'is not an email address');
  checker.check(
    !(acme.dns01 && acme.http01IngressClass),
    'props.acme.http01IngressClass',
    acme.http01IngressClass,
    'cannot be combined with dns01',
    'solve one way: drop one',
  );
  const d = acme.dns01;
  if (d === undefined) {
    return;
  }
  const providers = Object.keys(CERT_MANAGER_DNS_KEYS);
  checker.requireShape(
    providers.includes(d.provider),
    'props.acme.dns01.provider',
    d.provider,
    `must be one of ${providers.join(', ')}`,
    "other providers (OVH, Gandi...) need a cert-manager webhook, or Traefik's own ACME (TraefikConfig dns)",
  );
  checker.check(isDnsSubdomain(d.credentialsSecret), 'props.acme.dns01.credentialsSecret', d.credentialsSecret, 'is not a valid Secret name');
  if (d.provider === 'rfc2136') {
    checker.check(
      d.nameserver !== undefined && /^[a-z0-9.:-]+:\d{1,5}$/i.test(d.nameserver),
      'props.acme.dns01.nameserver',
      d.nameserver,
      'is required as host:port with rfc2136',
      'write e.g. 192.168.1.1:53',
    );
    checker.check(d.tsigKeyName !== undefined && d.tsigKeyName.length > 0, 'props.acme.dns01.tsigKeyName', d.tsigKeyName, 'is required with rfc2136');
  }
}
