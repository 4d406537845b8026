import { Construct } from 'constructs';
import type { HelmChartConfigProps } from '../../imports/helmchartconfigs-helm.cattle.io';
import type { ManifestObject } from '../constructs/manifest-object';
import type { PortProtocol } from '../constructs/workload/workload';
import { DEFAULT_ALLOW_CROSS_NAMESPACE } from '../core/cluster-check';
import { type ClusterProfile, clusterProfileOf } from '../core/cluster-profile';
import type { HelmValue, Json } from '../core/json';
import { PropChecker } from '../core/prop-checker';
import type { PropNames } from '../core/prop-names';
import { DEFAULT_ENTRY_POINTS, TRAEFIK_CONFIG } from '../core/traefik-settings';
import { isCertResolverName, isCidr, isContainerPortName, isDnsSubdomain, isEmail, isQuantity } from '../core/value-rules';
import { HelmChartRelease } from './helm-chart-release';
import { HelmValuesObject, valuesContent } from './k3s-helm-chart';

/** An ACME certificate resolver of Traefik (Let's Encrypt). */
export interface AcmeResolver {
  /**
   * The resolver name that routes use (`certResolver`).
   * @default 'letsencrypt'
   */
  readonly name?: string;
  /** The account email Let's Encrypt writes to about expiring certificates. */
  readonly email: string;
  /**
   * How Let's Encrypt checks that you own the domain: an HTTP request on
   * port 80 (`http`), a TLS handshake on port 443 (`tls`), or a TXT record
   * Traefik writes at your DNS provider (`dns`, see `dns`): the only way for
   * wildcard certificates and for hosts Let's Encrypt cannot reach (VPN-only).
   * @default - 'dns' when `dns` is given, else 'http'
   * @see https://doc.traefik.io/traefik/https/acme/
   */
  readonly challenge?: 'http' | 'tls' | 'dns';
  /**
   * The DNS provider and its credentials, for the DNS-01 challenge.
   * @default - none (no DNS challenge)
   */
  readonly dns?: DnsChallenge;
  /**
   * Use Let's Encrypt's staging CA (untrusted certificates, generous rate limits).
   * @default false
   */
  readonly staging?: boolean;
  /**
   * Where Traefik keeps the certificates, on the persistent volume.
   * @default '/data/acme.json'
   */
  readonly storage?: string;
}

/** The prop names of {@link AcmeResolver}, to find unknown ones at run time. */
const ACME_RESOLVER_FIELDS: PropNames<AcmeResolver> = {
  name: 'string?',
  email: 'string',
  challenge: 'string?',
  dns: 'object?',
  staging: 'boolean?',
  storage: 'string?',
};

/** The DNS providers of {@link DnsChallenge}, as Traefik (lego) names them. */
export type DnsProvider = 'cloudflare' | 'ovh' | 'gandiv5' | 'route53' | 'rfc2136';

/**
 * The environment variables each DNS provider reads its credentials from:
 * the keys the credentials Secret must hold (lego's names).
 * @see https://go-acme.github.io/lego/dns/
 */
export const DNS_PROVIDER_VARIABLES: Readonly<Record<DnsProvider, readonly string[]>> = {
  cloudflare: ['CF_DNS_API_TOKEN'],
  ovh: ['OVH_ENDPOINT', 'OVH_APPLICATION_KEY', 'OVH_APPLICATION_SECRET', 'OVH_CONSUMER_KEY'],
  gandiv5: ['GANDIV5_PERSONAL_ACCESS_TOKEN'],
  route53: ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_REGION'],
  rfc2136: ['RFC2136_NAMESERVER', 'RFC2136_TSIG_KEY', 'RFC2136_TSIG_SECRET', 'RFC2136_TSIG_ALGORITHM'],
};

/** The DNS-01 challenge of an {@link AcmeResolver}: Traefik writes a TXT record at your DNS provider. */
export interface DnsChallenge {
  /** The DNS provider of the domains. */
  readonly provider: DnsProvider;
  /**
   * The Secret in Traefik's namespace (`kube-system` on K3s) that holds the
   * provider's credentials, one key per variable of DNS_PROVIDER_VARIABLES
   * (e.g. `CF_DNS_API_TOKEN` for Cloudflare). You create it (sealed, or from
   * your secret store): its values never go through cdk8s.
   */
  readonly credentialsSecret: string;
  /**
   * The DNS servers Traefik asks whether the record is visible, e.g. `['1.1.1.1:53']`.
   * @default - the node's resolvers
   */
  readonly resolvers?: string[];
  /**
   * Seconds to wait after writing the record before checking it (slow providers).
   * @default 0
   */
  readonly delayBeforeChecks?: number;
}

/** The prop names of {@link DnsChallenge}, to find unknown ones at run time. */
const DNS_CHALLENGE_FIELDS: PropNames<DnsChallenge> = {
  provider: 'string',
  credentialsSecret: 'string',
  resolvers: 'string[]?',
  delayBeforeChecks: 'number?',
};

/** Props of {@link TraefikConfig}. */
export interface TraefikConfigProps {
  /** The ACME resolvers the routes use (at least the `letsencrypt` one they use by default). */
  readonly acme: AcmeResolver[];
  /**
   * The size of the volume that keeps acme.json across restarts.
   * @default '128Mi'
   */
  readonly persistenceSize?: string;
  /**
   * The storage class of that volume.
   * @default - the cluster profile's (`local-path` on K3s)
   */
  readonly storageClass?: string;
  /**
   * Redirect every request on `web` to `websecure` at the entry point (each
   * AppStack already redirects its own hosts).
   * @default false
   */
  readonly redirectToHttps?: boolean;
  /**
   * Let IngressRoutes reference Services and Middlewares of other namespaces
   * (needed, e.g., for the Authentik outpost route).
   * @default false
   */
  readonly allowCrossNamespace?: boolean;
  /**
   * Let IngressRoutes send traffic to ExternalName Services (a service outside
   * the cluster, such as Proxmox, behind Traefik).
   * @default false (Traefik refuses them)
   */
  readonly allowExternalNameServices?: boolean;
  /**
   * Proxies whose X-Forwarded-* headers Traefik trusts (a load balancer or
   * tunnel in front of the cluster).
   * @default - none
   */
  readonly trustedIPs?: string[];
  /**
   * Keep the client's IP address through K3s's servicelb
   * (`externalTrafficPolicy: Local`), so IP allow lists see real clients.
   * @default true
   */
  readonly preserveClientIp?: boolean;
  /**
   * The version of the Traefik Helm chart to install, where the cluster has
   * no Traefik of its own (a profile with `bundledTraefik: false`: MicroK8s,
   * Talos, kubeadm). K3s installs its own, and this is then an error.
   * @default TRAEFIK_CHART_VERSION (Traefik v3.7, the version of the shipped CRDs)
   */
  readonly chartVersion?: string;
  /**
   * Entry points besides `web` and `websecure`, for the TCP and UDP routes
   * of apps' `ports` (DNS on 53/UDP, DNS over TLS, MQTT): each opens its port
   * on Traefik's LoadBalancer Service.
   * @default - none
   */
  readonly entryPoints?: TraefikEntryPoint[];
}

/** An entry point of Traefik (see TraefikConfig `entryPoints`). */
export interface TraefikEntryPoint {
  /** Its name, which routes give (`dns-udp`). */
  readonly name: string;
  /** The port clients connect to, on Traefik's LoadBalancer Service. */
  readonly port: number;
  /**
   * The protocol.
   * @default 'TCP'
   */
  readonly protocol?: PortProtocol;
  /**
   * The port Traefik listens on in its pod (it runs as non-root, so not below 1024).
   * @default - the port, or 8000 more below 1024 (53 listens on 8053)
   */
  readonly containerPort?: number;
}

/** The prop names of {@link TraefikEntryPoint}, to find unknown ones at run time. */
const TRAEFIK_ENTRY_POINT_FIELDS: PropNames<TraefikEntryPoint> = { name: 'string', port: 'number', protocol: 'string?', containerPort: 'number?' };

/** The ports the Traefik chart itself takes in the pod (web, websecure, traefik, metrics), by entry point. */
const CHART_PORTS: Readonly<Record<string, number>> = { web: 8000, websecure: 8443, traefik: 8080, metrics: 9100 };

/** The port an entry point listens on in Traefik's pod. */
function containerPortOf(e: TraefikEntryPoint): number {
  return e.containerPort ?? (e.port < 1024 ? e.port + 8000 : e.port);
}

/** The Traefik Helm chart TraefikConfig installs where the cluster has no Traefik: v41.3.0, which runs Traefik v3.7.11. */
export const TRAEFIK_CHART_VERSION = '41.3.0';

/** The prop names of {@link TraefikConfigProps}, to find unknown ones at run time. */
const TRAEFIK_CONFIG_PROPS_FIELDS: PropNames<TraefikConfigProps> = {
  acme: 'list',
  persistenceSize: 'string?',
  storageClass: 'string?',
  redirectToHttps: 'boolean?',
  allowCrossNamespace: 'boolean?',
  allowExternalNameServices: 'boolean?',
  trustedIPs: 'string[]?',
  preserveClientIp: 'boolean?',
  chartVersion: 'string?',
  entryPoints: 'list?',
};

/**
 * The configuration of the cluster's Traefik: the ACME resolvers, acme.json
 * kept on a volume, the cross-namespace and forwarded-header policies. On K3s
 * (a profile with `bundledTraefik`), a HelmChartConfig `kube-system/traefik`
 * that configures the Traefik K3s installs; elsewhere the Traefik chart
 * itself, installed into the profile's Traefik namespace the way the profile
 * installs charts (helm-controller or Flux).
 * @see https://docs.k3s.io/helm#customizing-packaged-components-with-helmchartconfig
 */
export class TraefikConfig extends Construct {
  /** The names of the declared certificate resolvers. */
  public readonly certResolvers: readonly string[];
  /** Whether routes may reference other namespaces. */
  public readonly allowCrossNamespace: boolean;
  /** Whether routes may send traffic to ExternalName Services. */
  public readonly allowExternalNameServices: boolean;
  /** The values given to the Traefik chart. */
  public readonly values: Record<string, HelmValue>;
  /** The object that carries the values: the HelmChartConfig on K3s, else the HelmChart or HelmRelease that installs Traefik. */
  public readonly resource: ManifestObject;

  constructor(scope: Construct, id: string, props: TraefikConfigProps) {
    super(scope, id);
    const checker = new PropChecker(this);
    checker.checkShape('props', props, TRAEFIK_CONFIG_PROPS_FIELDS, 'TraefikConfig');
    checker.checkShapeOfEach('props.acme', props.acme, ACME_RESOLVER_FIELDS, 'AcmeResolver');
    checker.checkShapeOfEach('props.entryPoints', props.entryPoints, TRAEFIK_ENTRY_POINT_FIELDS, 'TraefikEntryPoint');
    for (const [i, r] of (Array.isArray(props.acme) ? props.acme : []).entries()) {
      checker.checkShape(`props.acme[${i}].dns`, r?.dns, DNS_CHALLENGE_FIELDS, 'DnsChallenge');
    }
    checker.throwIfIncomplete();
    const profile = clusterProfileOf(this);
    checkProps(checker, props, profile);
    checker.reportProblems();
    this.certResolvers = props.acme.map((r) => r.name ?? 'letsencrypt');
    this.allowCrossNamespace = props.allowCrossNamespace ?? DEFAULT_ALLOW_CROSS_NAMESPACE;
    this.allowExternalNameServices = props.allowExternalNameServices ?? false;

    const resolvers: Record<string, HelmValue> = {};
    for (const r of props.acme) {
      resolvers[r.name ?? 'letsencrypt'] = {
        acme: {
          email: r.email,
          storage: r.storage ?? '/data/acme.json',
          ...challengeValues(r),
          ...(r.staging ? { caServer: 'https://acme-staging-v02.api.letsencrypt.org/directory' } : {}),
        },
      };
    }
    const credentials = dnsCredentials(props.acme);
    const entryPoint = (): Record<string, HelmValue> => (props.trustedIPs?.length ? { forwardedHeaders: { trustedIPs: [...props.trustedIPs] } } : {});
    const web = entryPoint();
    if (props.redirectToHttps) {
      web.redirections = { entryPoint: { to: 'websecure', scheme: 'https', permanent: true } };
    }
    const ports: Record<string, HelmValue> = Object.keys(web).length > 0 ? { web, websecure: entryPoint() } : {};
    for (const e of props.entryPoints ?? []) {
      ports[e.name] = { port: containerPortOf(e), exposedPort: e.port, expose: { default: true }, protocol: e.protocol ?? 'TCP' };
    }
    this.values = {
      certificatesResolvers: resolvers,
      persistence: {
        enabled: true,
        name: 'data',
        path: '/data',
        accessMode: 'ReadWriteOnce',
        size: props.persistenceSize ?? '128Mi',
        storageClass: props.storageClass ?? profile.storageClass,
      },
      ...(Object.keys(ports).length > 0 ? { ports } : {}),
      providers: {
        kubernetesCRD: { allowCrossNamespace: this.allowCrossNamespace, ...(this.allowExternalNameServices ? { allowExternalNameServices: true } : {}) },
      },
      ...((props.preserveClientIp ?? true) ? { service: { spec: { externalTrafficPolicy: 'Local' } } } : {}),
      // The DNS providers' credentials, as references to their Secrets (never values).
      ...(credentials.length > 0 ? { env: credentials } : {}),
    };
    this.resource = profile.bundledTraefik ? this.bundledConfig() : this.chartRelease(profile, props.chartVersion ?? TRAEFIK_CHART_VERSION);
  }

  /** The HelmChartConfig that gives these values to the Traefik K3s installs. */
  private bundledConfig(): ManifestObject {
    const values = valuesContent(this.values);
    const manifest: Json<HelmChartConfigProps> = {
      metadata: { ...TRAEFIK_CONFIG },
      spec: { valuesContent: values.text },
    };
    return new HelmValuesObject(this, 'Resource', { apiVersion: 'helm.cattle.io/v1', kind: 'HelmChartConfig', ...manifest }, values);
  }

  /** The Traefik chart, installed with these values where the profile says Traefik runs. */
  private chartRelease(profile: ClusterProfile, version: string): ManifestObject {
    return new HelmChartRelease(this, 'Chart', {
      name: 'traefik',
      repo: 'https://traefik.github.io/charts',
      chart: 'traefik',
      version,
      targetNamespace: profile.traefik.namespace,
      values: this.values,
    }).resource;
  }
}

/** The challenge values of a resolver (Traefik v3's `httpChallenge`, `tlsChallenge` or `dnsChallenge`). */
function challengeValues(r: AcmeResolver): Record<string, HelmValue> {
  const challenge = r.challenge ?? (r.dns ? 'dns' : 'http');
  if (challenge === 'tls') {
    return { tlsChallenge: {} };
  }
  if (challenge === 'dns' && r.dns) {
    const d = r.dns;
    return {
      dnsChallenge: {
        provider: d.provider,
        ...(d.resolvers?.length ? { resolvers: [...d.resolvers] } : {}),
        ...(d.delayBeforeChecks ? { propagation: { delayBeforeChecks: `${d.delayBeforeChecks}s` } } : {}),
      },
    };
  }
  return { httpChallenge: { entryPoint: 'web' } };
}

/** The environment variables of Traefik's pod that read each DNS provider's credentials from its Secret. */
function dnsCredentials(acme: readonly AcmeResolver[]): HelmValue[] {
  const env = new Map<string, HelmValue>();
  for (const { dns } of acme) {
    for (const variable of dns ? DNS_PROVIDER_VARIABLES[dns.provider] : []) {
      env.set(variable, { name: variable, valueFrom: { secretKeyRef: { name: dns?.credentialsSecret ?? '', key: variable } } });
    }
  }
  return [...env.keys()].sort().map((k) => env.get(k) as HelmValue);
}

/** A DNS challenge: a known provider, a Secret name, resolvers as host:port, one set of credentials per provider. */
function checkDnsChallenge(checker: PropChecker, r: AcmeResolver, i: number, acme: readonly AcmeResolver[], traefikNamespace: string): void {
  const field = `props.acme[${i}]`;
  if (r.challenge === 'dns' && !r.dns) {
    checker.check(
      false,
      `${field}.dns`,
      undefined,
      'is required with challenge: "dns"',
      'give the provider and the credentials Secret, e.g. dns: { provider: "cloudflare", credentialsSecret: "cloudflare-dns" }',
    );
  }
  if (!r.dns) {
    return;
  }
  checker.check(
    r.challenge === undefined || r.challenge === 'dns',
    `${field}.challenge`,
    r.challenge,
    'is not "dns", though dns is given',
    'drop challenge (dns implies it), or drop dns',
  );
  const providers = Object.keys(DNS_PROVIDER_VARIABLES);
  // Unbuildable without a provider we know the variables of.
  if (!checker.requireShape(providers.includes(r.dns.provider), `${field}.dns.provider`, r.dns.provider, `must be one of ${providers.join(', ')}`)) {
    return;
  }
  checker.check(
    isDnsSubdomain(r.dns.credentialsSecret),
    `${field}.dns.credentialsSecret`,
    r.dns.credentialsSecret,
    'is not a valid Secret name',
    `name the Secret in ${traefikNamespace} that holds ${DNS_PROVIDER_VARIABLES[r.dns.provider].join(', ')}`,
  );
  for (const [j, resolver] of (r.dns.resolvers ?? []).entries()) {
    checker.check(
      /^[a-z0-9.:-]+:\d{1,5}$/i.test(resolver),
      `${field}.dns.resolvers[${j}]`,
      resolver,
      'is not a DNS server as host:port',
      'write e.g. 1.1.1.1:53',
    );
  }
  const delay = r.dns.delayBeforeChecks;
  if (delay !== undefined) {
    checker.check(Number.isInteger(delay) && delay >= 0, `${field}.dns.delayBeforeChecks`, delay, 'must be a whole number of seconds, 0 or more');
  }
  const other = acme.find((o) => o !== r && o.dns?.provider === r.dns?.provider && o.dns?.credentialsSecret !== r.dns?.credentialsSecret);
  checker.check(
    other === undefined,
    `${field}.dns.credentialsSecret`,
    r.dns.credentialsSecret,
    `differs from ${other?.dns?.credentialsSecret} of resolver ${other?.name ?? 'letsencrypt'}, with the same provider`,
    'Traefik reads one set of credentials per provider: give both resolvers the same Secret',
  );
}

function checkProps(checker: PropChecker, props: TraefikConfigProps, profile: ClusterProfile): void {
  if (props.chartVersion !== undefined) {
    checker.check(
      !profile.bundledTraefik,
      'props.chartVersion',
      props.chartVersion,
      `is not used: the ${profile.name} profile says the cluster installs its own Traefik, which TraefikConfig only configures`,
      'drop chartVersion, or use a profile with bundledTraefik: false if you install Traefik yourself',
    );
  }
  checker.check(props.acme.length > 0, 'props.acme', props.acme, 'must declare at least one resolver', 'declare the letsencrypt resolver your routes use');
  const names = new Set<string>();
  for (const [i, r] of props.acme.entries()) {
    const name = r.name ?? 'letsencrypt';
    checker.check(isCertResolverName(name), `props.acme[${i}].name`, name, 'is not a valid resolver name');
    checker.check(!names.has(name), `props.acme[${i}].name`, name, 'is declared twice');
    names.add(name);
    checker.check(isEmail(r.email), `props.acme[${i}].email`, r.email, 'is not an email address', "Let's Encrypt writes to it about expiring certificates");
    checkDnsChallenge(checker, r, i, props.acme, profile.traefik.namespace);
    if (r.storage !== undefined) {
      checker.check(
        r.storage.startsWith('/data/'),
        `props.acme[${i}].storage`,
        r.storage,
        'is not on the persistent volume',
        'keep it under /data/, e.g. /data/acme.json',
      );
    }
  }
  if (props.persistenceSize !== undefined) {
    checker.check(isQuantity(props.persistenceSize), 'props.persistenceSize', props.persistenceSize, 'is not a Kubernetes quantity', 'write e.g. 128Mi');
  }
  for (const [i, ip] of (props.trustedIPs ?? []).entries()) {
    checker.check(isCidr(ip), `props.trustedIPs[${i}]`, ip, 'is not an IP address or CIDR range', 'write e.g. 10.0.0.0/8');
  }
  checkEntryPoints(checker, props.entryPoints ?? []);
}

/** Entry points: new names, valid ports, one entry point per port and protocol on the Service and in the pod. */
function checkEntryPoints(checker: PropChecker, entryPoints: readonly TraefikEntryPoint[]): void {
  const names = new Set(Object.keys(CHART_PORTS));
  const exposed = new Map<string, string>(Object.entries(DEFAULT_ENTRY_POINTS).map(([name, e]) => [`${e.port}/${e.protocol}`, name]));
  const inPod = new Map<string, string>(Object.entries(CHART_PORTS).map(([name, port]) => [`${port}/TCP`, name]));
  for (const [i, e] of entryPoints.entries()) {
    const field = `props.entryPoints[${i}]`;
    const protocol = e.protocol ?? 'TCP';
    checker.check(
      isContainerPortName(e.name),
      `${field}.name`,
      e.name,
      "is not a valid entry point name (it names a port of Traefik's pod)",
      'use at most 15 lowercase letters, digits and "-"',
    );
    checker.check(!names.has(e.name), `${field}.name`, e.name, 'is already an entry point of Traefik', 'give it another name');
    names.add(e.name);
    checker.check(['TCP', 'UDP'].includes(protocol), `${field}.protocol`, protocol, 'must be "TCP" or "UDP"');
    checker.port(`${field}.port`, e.port);
    if (e.containerPort !== undefined) {
      checker.check(
        Number.isInteger(e.containerPort) && e.containerPort >= 1024 && e.containerPort <= 65535,
        `${field}.containerPort`,
        e.containerPort,
        'must be from 1024 to 65535 (Traefik runs as non-root)',
      );
    }
    for (const [taken, key, what] of [
      [exposed, `${e.port}/${protocol}`, 'port'],
      [inPod, `${containerPortOf(e)}/${protocol}`, 'containerPort'],
    ] as const) {
      const owner = taken.get(key);
      checker.check(owner === undefined, `${field}.${what}`, key, `is already the ${what} of entry point ${owner}`, `give ${e.name} another ${what}`);
      taken.set(key, e.name);
    }
  }
}
