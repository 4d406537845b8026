import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { AppCertificate } from '../constructs/app-certificate';
import { AppNamespace } from '../constructs/app-namespace';
import { AppNetworkPolicy } from '../constructs/app-network-policy';
import { ExternalService } from '../constructs/external-service';
import { hasBrand, setBrand } from '../core/brand';
import { clusterProfileOf } from '../core/cluster-profile';
import { recommendedLabels } from '../core/labels';
import { warnAt } from '../core/problems';
import { freeScope, PropChecker } from '../core/prop-checker';
import type { PropNames } from '../core/prop-names';
import { isDns1035Label } from '../core/value-rules';
import type { Authentik } from '../platform/authentik';
import { BackendTls, type SkipVerification } from '../traefik/backend-tls';
import { ForwardAuth } from '../traefik/forward-auth';
import { HttpsRedirect } from '../traefik/https-redirect';
import { HttpsRoute, type MiddlewareRef } from '../traefik/https-route';
import { IpAllowList } from '../traefik/ip-allow-list';
import { SECURITY_HEADERS_OPTIONS_FIELDS, SecurityHeaders, type SecurityHeadersOptions } from '../traefik/security-headers';
import { checkIpAllowList, resolveRanges } from './app-stack-checks';
import type { SsoOptions } from './app-stack-props';
import { claimNamespace } from './namespace-owners';
import { outpostRoutes, ssoServerOf } from './sso-routes';

/** How Traefik trusts the HTTPS of a service outside the cluster (see ExternalApp `backendTls`). */
export interface ExternalTls {
  /**
   * A Secret of the app's namespace with the CA that signed the service's certificate.
   * @default - none: give `insecureSkipVerify` instead
   */
  readonly caSecret?: string;
  /**
   * The host name the service's certificate is for.
   * @default - the Service's
   */
  readonly serverName?: string;
  /**
   * Not verifying its certificate (a self-signed one that cannot be replaced), with the reason.
   * @default - verified against `caSecret`
   */
  readonly insecureSkipVerify?: SkipVerification;
}

/** Props of {@link ExternalApp}. */
export interface ExternalAppProps {
  /** Where the service runs: an IP address, or a DNS name the cluster resolves. */
  readonly address: string;
  /** The port it serves on. */
  readonly port: number;
  /**
   * The host it is served at.
   * @default - none: give `hosts`
   */
  readonly host?: string;
  /**
   * Every host it is served at.
   * @default - `[host]`
   */
  readonly hosts?: string[];
  /**
   * HTTPS to the service (its own certificate): how Traefik trusts it.
   * @default - plain HTTP to the service
   */
  readonly backendTls?: ExternalTls;
  /**
   * Single sign-on in front of it: an Authentik of the cluster, or a forwardAuth server.
   * @default - none
   */
  readonly sso?: Authentik | SsoOptions;
  /**
   * The networks (CIDR ranges or names of HomelabApp `networks`) that may reach it.
   * @default - any client
   */
  readonly ipAllowList?: string[];
  /**
   * The security headers of its responses, or `false` to send none (warned).
   * @default - HSTS for a year, nosniff, frame deny, strict-origin-when-cross-origin
   */
  readonly securityHeaders?: SecurityHeadersOptions | false;
  /**
   * The Traefik ACME resolver of its certificate.
   * @default - the cluster profile's cert-manager issuer if it has one, else 'letsencrypt'
   */
  readonly certResolver?: string;
}

/** The prop names of {@link ExternalAppProps}, to find unknown ones at run time. */
const EXTERNAL_APP_PROPS_FIELDS: PropNames<ExternalAppProps> = {
  address: 'string',
  port: 'number',
  host: 'string?',
  hosts: 'string[]?',
  backendTls: 'object?',
  sso: 'object?',
  ipAllowList: 'string[]?',
  securityHeaders: 'any?',
  certResolver: 'string?',
};

/** The prop names of {@link ExternalTls}, to find unknown ones at run time. */
const EXTERNAL_TLS_FIELDS: PropNames<ExternalTls> = { caSecret: 'string?', serverName: 'string?', insecureSkipVerify: 'object?' };

/**
 * A service outside the cluster (a hypervisor's or a NAS's web UI, Proxmox,
 * a printer) served at a host of the cluster like an app: its own namespace,
 * a Service and EndpointSlice (or ExternalName) for it, HTTPS with a
 * certificate, security headers, an IP allow list and single sign-on in
 * front, HTTPS to it when it serves its own certificate. One file,
 * `dist/<id>.k8s.yaml`, like an AppStack's.
 */
export class ExternalApp extends Chart {
  /** Whether `x` is an ExternalApp, from this copy of cdk8s-homelab or another. */
  public static isExternalApp(x: unknown): x is ExternalApp {
    return hasBrand(x, 'ExternalApp');
  }

  /** The app name: the id (its namespace, Service and routes). */
  public readonly appName: string;
  /** The hosts it is served at. */
  public readonly hosts: readonly string[];
  /** The Service in front of it. */
  public readonly service: ExternalService;
  /** The ServersTransport, with `backendTls`. */
  public readonly backendTls?: BackendTls;
  /** The single sign-on Middleware, with `sso`. */
  public readonly sso?: ForwardAuth;
  /** The Traefik routes. */
  public readonly route: HttpsRoute;

  constructor(scope: Construct, id: string, props: ExternalAppProps) {
    super(freeScope(scope, id, 'app'), id, { disableResourceNameHashes: true });
    setBrand(this, 'ExternalApp');
    const checker = new PropChecker(this);
    checker.checkShape('props', props, EXTERNAL_APP_PROPS_FIELDS, 'ExternalApp');
    checker.checkShape('props.backendTls', props.backendTls, EXTERNAL_TLS_FIELDS, 'ExternalTls');
    checker.checkShape('props.securityHeaders', props.securityHeaders || undefined, SECURITY_HEADERS_OPTIONS_FIELDS, 'SecurityHeadersOptions');
    checker.throwIfIncomplete();
    checker.check(
      isDns1035Label(id) && id.length <= 53,
      'id',
      id,
      'is not a valid app name',
      'use at most 53 lowercase letters, digits and "-", starting with a letter',
    );
    const hosts = props.hosts ?? (props.host === undefined ? [] : [props.host]);
    checker.check(hosts.length > 0, 'props.host', undefined, 'is required', 'give the host it is served at (or hosts)');
    checker.check(props.host === undefined || props.hosts === undefined, 'props.hosts', props.hosts, 'cannot be combined with host', 'give one of them');
    const owner = claimNamespace(this, id, { id, shared: false });
    checker.check(
      owner === undefined,
      'id',
      id,
      `is already the namespace of ${owner?.shared ? 'SharedNamespace' : 'app'} ${owner?.id}`,
      'give the app another id',
    );
    if (props.ipAllowList) {
      checkIpAllowList(checker, this, props.ipAllowList, undefined);
    }
    checker.reportProblems();
    this.appName = id;
    this.hosts = hosts;
    const labels = recommendedLabels(id);
    const namespace = new AppNamespace(this, 'Namespace', { name: id, labels }).name;
    new AppNetworkPolicy(this, 'NetworkPolicy', { namespace, podSelector: {}, ingressController: false, labels });
    this.service = new ExternalService(this, 'Service', { name: id, namespace, address: props.address, port: props.port, labels });
    if (props.backendTls) {
      this.backendTls = new BackendTls(this, 'BackendTls', { ...props.backendTls, name: id, namespace });
    }
    const guard = this.addGuard(namespace, labels, props);
    const ssoServer = props.sso ? ssoServerOf(props.sso) : undefined;
    this.sso = ssoServer ? new ForwardAuth(this, 'Sso', { namespace, address: ssoServer.address, labels }) : undefined;
    const certificate = this.addCertificate(namespace, labels, props);
    this.route = new HttpsRoute(this, 'Route', {
      name: id,
      namespace,
      hosts: [...hosts],
      serviceName: this.service.name,
      servicePort: this.service.port,
      redirectMiddleware: { name: new HttpsRedirect(this, 'HttpsRedirect', { namespace, labels }).name, namespace },
      middlewares: [...guard, ...(this.sso ? [{ name: this.sso.name, namespace }] : [])],
      extraRoutes: ssoServer ? outpostRoutes(hosts, ssoServer, guard) : undefined,
      policyExceptions: props.securityHeaders === false ? { hsts: 'securityHeaders: false on the ExternalApp' } : undefined,
      certResolver: certificate ? undefined : (props.certResolver ?? 'letsencrypt'),
      tlsSecretName: certificate?.secretName,
      backendTls: this.backendTls?.name,
      labels,
    });
  }

  /** The middlewares every request passes, sign-in callbacks included: the security headers and the IP allow list. */
  private addGuard(namespace: string, labels: Record<string, string>, props: ExternalAppProps): MiddlewareRef[] {
    const guard: MiddlewareRef[] = [];
    if (props.securityHeaders === false) {
      warnAt(this, 'HL-no-security-headers', 'props.securityHeaders', false, 'sends HTTPS responses without HSTS and the other security headers');
    } else {
      guard.push({ name: new SecurityHeaders(this, 'SecurityHeaders', { ...props.securityHeaders, namespace, labels }).name, namespace });
    }
    if (props.ipAllowList) {
      const list = new IpAllowList(this, 'IpAllowList', { namespace, sourceRange: resolveRanges(this, props.ipAllowList), labels });
      guard.push({ name: list.name, namespace });
    }
    return guard;
  }

  /** The cert-manager Certificate of the hosts, when the profile names an issuer and the app no resolver. */
  private addCertificate(namespace: string, labels: Record<string, string>, props: ExternalAppProps): AppCertificate | undefined {
    const issuer = props.certResolver === undefined ? clusterProfileOf(this).certManager : undefined;
    if (issuer === undefined) {
      return undefined;
    }
    return new AppCertificate(this, 'Certificate', {
      name: this.appName,
      namespace,
      labels,
      dnsNames: [...this.hosts],
      secretName: `${this.appName}-tls`,
      issuer: issuer.issuer,
      issuerKind: issuer.kind,
    });
  }
}
