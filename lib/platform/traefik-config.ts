import { Construct } from 'constructs';
import type { HelmChartConfigProps } from '../../imports/helmchartconfigs-helm.cattle.io';
import type { ManifestObject } from '../constructs/manifest-object';
import { DEFAULT_ALLOW_CROSS_NAMESPACE } from '../core/cluster-check';
import type { HelmValue, Json } from '../core/json';
import { PropChecker } from '../core/prop-checker';
import type { PropNames } from '../core/prop-names';
import { TRAEFIK_CONFIG } from '../core/traefik-settings';
import { isCertResolverName, isCidr, isQuantity } from '../core/value-rules';
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
   * port 80 (`http`), or a TLS handshake on port 443 (`tls`).
   * @default 'http'
   * @see https://doc.traefik.io/traefik/https/acme/
   */
  readonly challenge?: 'http' | 'tls';
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
const ACME_RESOLVER_FIELDS: PropNames<AcmeResolver> = { name: 'string?', email: 'string', challenge: 'string?', staging: 'boolean?', storage: 'string?' };

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
   * @default 'local-path' (K3s's default)
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
}

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
};

/**
 * The configuration of the Traefik that K3s installs: a HelmChartConfig
 * `kube-system/traefik` that declares the ACME resolvers, keeps acme.json on
 * a volume, and sets the cross-namespace and forwarded-header policies.
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
  /** The HelmChartConfig object. */
  public readonly resource: ManifestObject;

  constructor(scope: Construct, id: string, props: TraefikConfigProps) {
    super(scope, id);
    const checker = new PropChecker(this);
    checker.checkShape('props', props, TRAEFIK_CONFIG_PROPS_FIELDS, 'TraefikConfig');
    checker.checkShapeOfEach('props.acme', props.acme, ACME_RESOLVER_FIELDS, 'AcmeResolver');
    checker.throwIfIncomplete();
    checkProps(checker, props);
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
          ...(r.challenge === 'tls' ? { tlsChallenge: {} } : { httpChallenge: { entryPoint: 'web' } }),
          ...(r.staging ? { caServer: 'https://acme-staging-v02.api.letsencrypt.org/directory' } : {}),
        },
      };
    }
    const entryPoint = (): Record<string, HelmValue> => (props.trustedIPs?.length ? { forwardedHeaders: { trustedIPs: [...props.trustedIPs] } } : {});
    const web = entryPoint();
    if (props.redirectToHttps) {
      web.redirections = { entryPoint: { to: 'websecure', scheme: 'https', permanent: true } };
    }
    this.values = {
      certificatesResolvers: resolvers,
      persistence: {
        enabled: true,
        name: 'data',
        path: '/data',
        accessMode: 'ReadWriteOnce',
        size: props.persistenceSize ?? '128Mi',
        storageClass: props.storageClass ?? 'local-path',
      },
      ...(Object.keys(web).length > 0 ? { ports: { web, websecure: entryPoint() } } : {}),
      providers: {
        kubernetesCRD: { allowCrossNamespace: this.allowCrossNamespace, ...(this.allowExternalNameServices ? { allowExternalNameServices: true } : {}) },
      },
      ...((props.preserveClientIp ?? true) ? { service: { spec: { externalTrafficPolicy: 'Local' } } } : {}),
    };
    const values = valuesContent(this.values);
    const manifest: Json<HelmChartConfigProps> = {
      metadata: { ...TRAEFIK_CONFIG },
      spec: { valuesContent: values.text },
    };
    this.resource = new HelmValuesObject(this, 'Resource', { apiVersion: 'helm.cattle.io/v1', kind: 'HelmChartConfig', ...manifest }, values);
  }
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function checkProps(checker: PropChecker, props: TraefikConfigProps): void {
  checker.check(props.acme.length > 0, 'props.acme', props.acme, 'must declare at least one resolver', 'declare the letsencrypt resolver your routes use');
  const names = new Set<string>();
  for (const [i, r] of props.acme.entries()) {
    const name = r.name ?? 'letsencrypt';
    checker.check(isCertResolverName(name), `props.acme[${i}].name`, name, 'is not a valid resolver name');
    checker.check(!names.has(name), `props.acme[${i}].name`, name, 'is declared twice');
    names.add(name);
    checker.check(EMAIL.test(r.email), `props.acme[${i}].email`, r.email, 'is not an email address', "Let's Encrypt writes to it about expiring certificates");
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
}
