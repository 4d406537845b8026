import { Construct } from 'constructs';
import type { IngressRouteProps, IngressRouteSpecRoutesMiddlewares } from '../../imports/traefik-ingressroutes-traefik.io';
import { ManifestObject } from '../constructs/manifest-object';
import { type PolicyRule, policyExceptionAnnotation } from '../core/annotations';
import type { Json } from '../core/json';
import { PropChecker } from '../core/prop-checker';
import type { PropNames } from '../core/prop-names';
import { certNameCovers, isCertResolverName, isDnsSubdomain, isHostname } from '../core/value-rules';

/** One certificate request: a main domain and its subject alternative names. */
export interface TlsDomain {
  /** The certificate's main domain, e.g. `julesfournier.fr`. */
  readonly main: string;
  /**
   * Subject alternative names, e.g. `gazette.julesfournier.fr` or `*.julesfournier.fr`.
   * @default - none
   */
  readonly sans?: string[];
}

/** The prop names of {@link TlsDomain}, to find unknown ones at run time. */
export const TLS_DOMAIN_FIELDS: PropNames<TlsDomain> = { main: 'string', sans: 'string[]?' };

/** A reference to a Traefik Middleware. */
export interface MiddlewareRef {
  /** The Middleware name. */
  readonly name: string;
  /**
   * The Middleware namespace.
   * @default - the namespace of the route
   */
  readonly namespace?: string;
}

/** The prop names of {@link MiddlewareRef}, to find unknown ones at run time. */
const MIDDLEWARE_REF_FIELDS: PropNames<MiddlewareRef> = { name: 'string', namespace: 'string?' };

/** A Service a route sends traffic to. */
export interface ServiceRef {
  /** The Service name. */
  readonly name: string;
  /**
   * Its namespace.
   * @default - the route's namespace
   */
  readonly namespace?: string;
  /** Its port. */
  readonly port: number;
}

/** The prop names of {@link ServiceRef}, to find unknown ones at run time. */
const SERVICE_REF_FIELDS: PropNames<ServiceRef> = { name: 'string', namespace: 'string?', port: 'number' };

/** A further route of the HTTPS IngressRoute. */
export interface ExtraRoute {
  /** The Traefik rule, e.g. ``Host(`a.example.com`) && PathPrefix(`/outpost.goauthentik.io/`)``. */
  readonly match: string;
  /** The Service it sends traffic to. */
  readonly service: ServiceRef;
  /**
   * Middlewares of the route.
   * @default - none
   */
  readonly middlewares?: MiddlewareRef[];
}

/** The prop names of {@link ExtraRoute}, to find unknown ones at run time. */
const EXTRA_ROUTE_FIELDS: PropNames<ExtraRoute> = { match: 'string', service: 'object', middlewares: 'list?' };

/** Props of {@link HttpsRoute}. */
export interface HttpsRouteProps {
  /** Base name of the two IngressRoutes: `<name>-web` and `<name>-websecure`. */
  readonly name: string;
  /** The namespace of the routes (and of the Service they send traffic to). */
  readonly namespace: string;
  /** The hosts routed to the Service, one `Host()` matcher each. */
  readonly hosts: string[];
  /** The Service the HTTPS route sends traffic to. */
  readonly serviceName: string;
  /** The port of that Service. */
  readonly servicePort: number;
  /** The Middleware that redirects the `web` entry point to HTTPS. */
  readonly redirectMiddleware: MiddlewareRef;
  /**
   * Middlewares applied, in order, to HTTPS traffic before it reaches the Service.
   * @default - none
   */
  readonly middlewares?: MiddlewareRef[];
  /**
   * The Traefik ACME certificate resolver that issues the certificate.
   * Ignored (and must not be set) when `tlsSecretName` is set.
   * @default 'letsencrypt'
   */
  readonly certResolver?: string;
  /**
   * An existing Secret of type `kubernetes.io/tls` to serve instead of an ACME certificate.
   * @default - the certificate comes from `certResolver`
   */
  readonly tlsSecretName?: string;
  /**
   * The domains of the certificate (main + SANs); they must cover every host.
   * @default - Traefik asks for a certificate per host
   * @see https://doc.traefik.io/traefik/routing/providers/kubernetes-crd/#kind-ingressroute
   */
  readonly tlsDomains?: TlsDomain[];
  /**
   * Labels of the IngressRoute objects.
   * @default - none
   */
  readonly labels?: Record<string, string>;
  /**
   * More routes on `websecure` (same TLS), e.g. Authentik's outpost path.
   * @default - none
   */
  readonly extraRoutes?: ExtraRoute[];
  /**
   * Rules of the security policy waived for both routes, each with its reason.
   * @default - none
   */
  readonly policyExceptions?: Partial<Record<PolicyRule, string>>;
  /**
   * The ServersTransport (see BackendTls) of a backend that serves HTTPS
   * itself: Traefik then talks HTTPS to it, with that transport.
   * @default - plain HTTP to the Service
   */
  readonly backendTls?: string;
}

/** The prop names of {@link HttpsRouteProps}, to find unknown ones at run time. */
const HTTPS_ROUTE_PROPS_FIELDS: PropNames<HttpsRouteProps> = {
  name: 'string',
  namespace: 'string',
  hosts: 'string[]',
  serviceName: 'string',
  servicePort: 'number',
  redirectMiddleware: 'object',
  middlewares: 'list?',
  certResolver: 'string?',
  tlsSecretName: 'string?',
  tlsDomains: 'list?',
  labels: 'object?',
  extraRoutes: 'list?',
  policyExceptions: 'object?',
  backendTls: 'string?',
};

/**
 * The routing of an app through Traefik: an IngressRoute on the `web` entry
 * point that only redirects to HTTPS, and one on `websecure` that routes every
 * host to the Service over TLS.
 * @see https://doc.traefik.io/traefik/routing/providers/kubernetes-crd/
 */
export class HttpsRoute extends Construct {
  /** The hosts of the route. */
  public readonly hosts: readonly string[];
  /** The `Host()` rule shared by both routes. */
  public readonly match: string;
  /** The certificate resolver, or undefined when a TLS Secret is served. */
  public readonly certResolver?: string;
  /** The IngressRoute on `web` (HTTP, redirect only). */
  public readonly web: ManifestObject;
  /** The IngressRoute on `websecure` (HTTPS). */
  public readonly websecure: ManifestObject;

  constructor(scope: Construct, id: string, props: HttpsRouteProps) {
    super(scope, id);
    this.hosts = [...props.hosts];
    this.certResolver = props.tlsSecretName === undefined ? (props.certResolver ?? 'letsencrypt') : undefined;
    if (!PropChecker.checkedByParent(this)) {
      const checker = new PropChecker(this);
      checker.checkShape('props', props, HTTPS_ROUTE_PROPS_FIELDS, 'HttpsRoute');
      checker.checkShape('props.redirectMiddleware', props.redirectMiddleware, MIDDLEWARE_REF_FIELDS, 'MiddlewareRef');
      checker.checkShapeOfEach('props.middlewares', props.middlewares, MIDDLEWARE_REF_FIELDS, 'MiddlewareRef');
      checker.checkShapeOfEach('props.tlsDomains', props.tlsDomains, TLS_DOMAIN_FIELDS, 'TlsDomain');
      checker.checkShapeOfEach('props.extraRoutes', props.extraRoutes, EXTRA_ROUTE_FIELDS, 'ExtraRoute');
      for (const [i, route] of (props.extraRoutes ?? []).entries()) {
        checker.checkShape(`props.extraRoutes[${i}].service`, route.service, SERVICE_REF_FIELDS, 'ServiceRef');
        checker.checkShapeOfEach(`props.extraRoutes[${i}].middlewares`, route.middlewares, MIDDLEWARE_REF_FIELDS, 'MiddlewareRef');
      }
      checker.throwIfIncomplete();
      checkHttpsRouteProps(checker, props);
      checker.reportProblems();
    }
    this.match = props.hosts.map((h) => `Host(\`${h}\`)`).join(' || ');

    type Spec = Json<IngressRouteProps>['spec'];
    const exceptions = Object.entries(props.policyExceptions ?? {});
    const annotations =
      exceptions.length > 0 ? Object.fromEntries(exceptions.map(([rule, reason]) => [policyExceptionAnnotation(rule as PolicyRule), reason])) : undefined;
    const service = {
      kind: 'Service',
      name: props.serviceName,
      namespace: props.namespace,
      port: props.servicePort,
      ...(props.backendTls ? { scheme: 'https', serversTransport: props.backendTls } : {}),
    } as const;
    const tls: Spec['tls'] = {
      certResolver: this.certResolver,
      secretName: props.tlsSecretName,
      domains: props.tlsDomains?.map((d) => ({ main: d.main, sans: d.sans ? [...d.sans] : undefined })),
    };

    const web: Json<IngressRouteProps> = {
      metadata: { name: `${props.name}-web`, namespace: props.namespace, labels: props.labels, annotations },
      spec: {
        entryPoints: ['web'],
        routes: [
          {
            kind: 'Rule',
            match: this.match,
            middlewares: [middlewareRef(props.redirectMiddleware, props.namespace)],
            services: [{ ...service }],
          },
        ],
      },
    };
    const websecure: Json<IngressRouteProps> = {
      metadata: { name: `${props.name}-websecure`, namespace: props.namespace, labels: props.labels, annotations },
      spec: {
        entryPoints: ['websecure'],
        routes: [
          {
            kind: 'Rule',
            match: this.match,
            middlewares: props.middlewares?.length ? props.middlewares.map((m) => middlewareRef(m, props.namespace)) : undefined,
            services: [{ ...service }],
          },
          ...(props.extraRoutes ?? []).map((r) => ({
            kind: 'Rule' as const,
            match: r.match,
            middlewares: r.middlewares?.length ? r.middlewares.map((m) => middlewareRef(m, props.namespace)) : undefined,
            services: [{ kind: 'Service' as const, name: r.service.name, namespace: r.service.namespace ?? props.namespace, port: r.service.port }],
          })),
        ],
        tls,
      },
    };
    const gvk = { apiVersion: 'traefik.io/v1alpha1', kind: 'IngressRoute' };
    this.web = new ManifestObject(this, 'Web', { ...gvk, ...web });
    this.websecure = new ManifestObject(this, 'WebSecure', { ...gvk, ...websecure });
  }
}

function middlewareRef(ref: MiddlewareRef, namespace: string): Json<IngressRouteSpecRoutesMiddlewares> {
  return { name: ref.name, namespace: ref.namespace ?? namespace };
}

/** Records every problem of HttpsRoute props (each host is reported as `props.host`). */
export function checkHttpsRouteProps(checker: PropChecker, props: HttpsRouteProps): void {
  checker.check(props.hosts.length > 0, 'props.hosts', props.hosts, 'must name at least one host');
  const seen = new Set<string>();
  for (const host of props.hosts) {
    checker.check(
      isHostname(host),
      'props.host',
      host,
      'is not a valid DNS name',
      'use lowercase labels of letters, digits and "-" separated by single dots, e.g. app.example.com',
    );
    checker.check(!seen.has(host), 'props.hosts', host, 'is listed twice');
    seen.add(host);
  }
  checker.port('props.servicePort', props.servicePort);
  if (props.tlsSecretName !== undefined) {
    checker.check(
      props.certResolver === undefined,
      'props.certResolver',
      props.certResolver,
      'cannot be combined with tlsSecretName',
      'keep one: an ACME resolver or an existing TLS Secret',
    );
    checker.check(isDnsSubdomain(props.tlsSecretName), 'props.tlsSecretName', props.tlsSecretName, 'is not a valid Secret name');
  }
  if (props.certResolver !== undefined) {
    checker.check(
      isCertResolverName(props.certResolver),
      'props.certResolver',
      props.certResolver,
      'is not a valid resolver name',
      "use the name declared in Traefik's certificatesResolvers, e.g. letsencrypt",
    );
  }
  if (props.tlsDomains !== undefined) {
    const names = tlsDomainNames(props.tlsDomains);
    for (const [i, d] of props.tlsDomains.entries()) {
      for (const name of [d.main, ...(d.sans ?? [])]) {
        checker.check(
          isHostname(name.startsWith('*.') ? name.slice(2) : name),
          `props.tlsDomains[${i}]`,
          name,
          'is not a valid certificate domain',
          'use a DNS name, or *.domain for a wildcard',
        );
      }
    }
    for (const host of props.hosts) {
      checker.check(
        names.some((n) => certNameCovers(n, host)),
        'props.tlsDomains',
        names,
        `does not cover host "${host}"`,
        `add "${host}" (or a wildcard of its parent domain) to the sans`,
      );
    }
  }
}

/** The names certificate domains cover: each main domain and its SANs. */
export function tlsDomainNames(domains: readonly TlsDomain[]): string[] {
  return domains.flatMap((d) => [d.main, ...(d.sans ?? [])]);
}
