import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { AppDeployment, checkAppDeploymentProps } from './app-deployment';
import { Arch, ContainerResources, SecretKeyRef } from './workload';
import { AppNamespace } from './app-namespace';
import { AppNetworkPolicy, NetworkPeer } from './app-network-policy';
import { AppService } from './app-service';
import { isDns1035Label, isPort } from './checks';
import { PropChecker, warnAt } from './errors';
import { HttpsRedirect } from './https-redirect';
import { HttpsRoute, TlsDomain, checkHttpsRouteProps } from './https-route';
import { recommendedLabels, selectorLabels } from './labels';
import { Authentik } from './authentik';
import { AutoUpdate } from './auto-update';
import { ForwardAuth } from './forward-auth';
import { HomelabApp } from './homelab-app';
import { IpAllowList, checkSourceRange } from './ip-allow-list';
import { PodSecurity } from './pod-security';
import { isCidr } from './traefik-config';
import { PolicyRule } from './policy-checks';
import { Probe } from './probe';
import { SecurityHeaders, SecurityHeadersOptions, checkSecurityHeaders } from './security-headers';

/** A forwardAuth single sign-on server, and the Service that serves its outpost path. */
export interface SsoOptions {
  /** The URL Traefik asks whether a request may pass. */
  readonly address: string;
  /** The Service serving `/outpost.goauthentik.io/` (sign-in callbacks) for the app's hosts. */
  readonly outpostService: { readonly name: string; readonly namespace: string; readonly port: number };
}

/** The path Authentik's outpost serves on every protected host. */
export const OUTPOST_PATH = '/outpost.goauthentik.io/';

/** Props of {@link AppStack}. */
export interface AppStackProps {
  /** The container image, with a tag or digest, e.g. `ghcr.io/julesfrn/gazette:1.4.2`. */
  readonly image: string;
  /** The port the container listens on. */
  readonly port: number;
  /**
   * The host the app is served at. Give `host` or `hosts`, not both.
   * @default - `hosts`
   */
  readonly host?: string;
  /**
   * The hosts the app is served at, when there are several.
   * @default - `[host]`
   */
  readonly hosts?: string[];
  /**
   * The namespace the app owns (created by the stack).
   * @default - the stack id
   */
  readonly namespace?: string;
  /**
   * Number of pods.
   * @default 1
   */
  readonly replicas?: number;
  /**
   * Plain environment variables of the container (never secrets: reference those).
   * @default - none
   */
  readonly env?: Record<string, string>;
  /**
   * Environment variables read from existing Secrets, e.g.
   * `{ DB_PASSWORD: { secret: 'gazette-db', key: 'password' } }`.
   * @default - none
   */
  readonly secretEnv?: Record<string, SecretKeyRef>;
  /**
   * Existing Secrets whose every key becomes an environment variable.
   * @default - none
   */
  readonly envFromSecrets?: string[];
  /**
   * How the pods are locked down; `{ profile: 'baseline', reason: '...' }`
   * relaxes Pod Security for this app only (synth warns).
   * @default - Pod Security `restricted`: uid/gid 10001, no privilege escalation, every capability dropped, read-only root with a writable /tmp
   */
  readonly security?: PodSecurity;
  /**
   * Apps (or other pods) allowed to reach this app's port, besides Traefik;
   * everything else is denied by the namespace's NetworkPolicy.
   * @default - only Traefik
   */
  readonly allowFrom?: (AppStack | NetworkPeer)[];
  /**
   * The security headers of HTTPS responses (HSTS, nosniff, frame deny,
   * referrer policy), or `false` to send none (synth warns).
   * @default - HSTS for a year, nosniff, frame deny, strict-origin-when-cross-origin
   */
  readonly securityHeaders?: SecurityHeadersOptions | false;
  /**
   * Automatic image updates by Keel, e.g. `{ policy: 'minor' }` (Keel must run in the cluster).
   * @default - no automatic updates
   */
  readonly autoUpdate?: AutoUpdate;
  /**
   * Single sign-on in front of the app: an Authentik of the cluster, or any
   * forwardAuth server with the Service that serves its outpost path.
   * @default - no sign-on
   */
  readonly sso?: Authentik | SsoOptions;
  /**
   * Only these clients may reach the app: CIDR ranges, or names of networks
   * declared once in `HomelabApp` `networks` (e.g. `['vpn']`). Checked before
   * sign-on when both are set.
   * @default - every client
   */
  readonly ipAllowList?: string[];
  /**
   * How Traefik finds the client address for `ipAllowList` behind another
   * proxy: the X-Forwarded-For hop, counted from the right.
   * @default - the connection's address
   */
  readonly ipStrategyDepth?: number;
  /**
   * Rules of the security policy waived for this app's workload, each with
   * its reason (synth warns instead of failing).
   * @default - none
   */
  readonly policyExceptions?: Partial<Record<PolicyRule, string>>;
  /**
   * Replaces the image's ENTRYPOINT.
   * @default - the image's entrypoint
   */
  readonly command?: string[];
  /**
   * Replaces the image's CMD.
   * @default - the image's command
   */
  readonly args?: string[];
  /**
   * Requests and limits of the container.
   * @default - cpuRequest 50m, memoryRequest 64Mi, memoryLimit 256Mi, no cpuLimit
   */
  readonly resources?: ContainerResources;
  /**
   * Names of existing registry Secrets used to pull a private image, e.g. `['regcred']`.
   * @default - none (public image)
   */
  readonly imagePullSecrets?: string[];
  /**
   * Readiness probe.
   * @default Probe.tcp() on the container port
   */
  readonly readiness?: Probe;
  /**
   * Liveness probe.
   * @default Probe.tcp({ periodSeconds: 20 }) on the container port
   */
  readonly liveness?: Probe;
  /**
   * Startup probe.
   * @default - none
   */
  readonly startup?: Probe;
  /**
   * Pins the pods to nodes of this CPU architecture (e.g. `arm64` for Raspberry Pis).
   * @default - any node
   */
  readonly arch?: Arch;
  /**
   * Accepts an image without a tag or tagged `latest` (an error otherwise).
   * @default false
   */
  readonly allowFloatingTag?: boolean;
  /**
   * The port of the ClusterIP Service.
   * @default 80
   */
  readonly servicePort?: number;
  /**
   * The Traefik ACME certificate resolver. Not allowed with `tlsSecretName`.
   * @default 'letsencrypt'
   */
  readonly certResolver?: string;
  /**
   * An existing `kubernetes.io/tls` Secret in the app's namespace to serve instead of ACME.
   * @default - the certificate comes from `certResolver`
   */
  readonly tlsSecretName?: string;
  /**
   * The certificate's domains (main + SANs); they must cover every host.
   * @default - one certificate per host
   */
  readonly tlsDomains?: TlsDomain[];
}

/**
 * One application of the cluster: its Namespace, Deployment, ClusterIP
 * Service, an `https-redirect` Middleware and the Traefik routes (HTTP
 * redirects, HTTPS serves every host with TLS). One stack is one Chart, and
 * one file `dist/<id>.k8s.yaml`.
 *
 * Object names are the stack id (`gazette`), never hashed.
 */
export class AppStack extends Chart {
  /** The app name: the stack id. */
  public readonly appName: string;
  /** The hosts the app is served at. */
  public readonly hosts: readonly string[];
  /** The namespace the app owns. */
  public readonly appNamespace: AppNamespace;
  /** The app's Deployment. */
  public readonly deployment: AppDeployment;
  /** The app's ClusterIP Service. */
  public readonly service: AppService;
  /** The NetworkPolicies of the app's namespace. */
  public readonly networkPolicy: AppNetworkPolicy;
  /** The Middleware that redirects HTTP to HTTPS. */
  public readonly httpsRedirect: HttpsRedirect;
  /** The security headers Middleware, unless turned off. */
  public readonly securityHeaders?: SecurityHeaders;
  /** The IP allow list Middleware, when the app is restricted to some networks. */
  public readonly ipAllowList?: IpAllowList;
  /** The single sign-on Middleware, when the app is behind SSO. */
  public readonly sso?: ForwardAuth;
  /** The Traefik routes. */
  public readonly route: HttpsRoute;

  constructor(scope: Construct, id: string, props: AppStackProps) {
    super(scope, id, { disableResourceNameHashes: true });
    this.appName = id;
    this.hosts = checkProps(this, id, props);
    const namespace = props.namespace ?? id;
    const labels = recommendedLabels(id);

    this.appNamespace = new AppNamespace(this, 'Namespace', {
      name: namespace,
      labels,
      podSecurity: props.security?.profile,
      podSecurityReason: props.security?.reason,
    });
    this.networkPolicy = new AppNetworkPolicy(this, 'NetworkPolicy', {
      namespace,
      podSelector: selectorLabels(id),
      port: props.port,
      allowFrom: props.allowFrom?.map((peer) => (peer instanceof AppStack
        ? { namespace: peer.appNamespace.name, podSelector: selectorLabels(peer.appName), name: peer.appName }
        : peer)),
      labels,
    });
    // Created in apply order (Service before Deployment), so that cdk8s's own
    // App.synth() writes the same file as HomelabApp.
    const selector = selectorLabels(id);
    this.service = new AppService(this, 'Service', {
      name: id,
      namespace,
      selector,
      targetPort: props.port,
      port: props.servicePort,
      labels,
    });
    this.deployment = new AppDeployment(this, 'Deployment', {
      name: id,
      namespace,
      image: props.image,
      port: props.port,
      selector,
      labels,
      replicas: props.replicas,
      env: props.env,
      command: props.command,
      args: props.args,
      resources: props.resources,
      imagePullSecrets: props.imagePullSecrets,
      readiness: props.readiness,
      liveness: props.liveness,
      startup: props.startup,
      arch: props.arch,
      allowFloatingTag: props.allowFloatingTag,
      autoUpdate: props.autoUpdate,
      secretEnv: props.secretEnv,
      envFromSecrets: props.envFromSecrets,
      security: props.security,
      policyExceptions: props.policyExceptions,
    });
    this.httpsRedirect = new HttpsRedirect(this, 'HttpsRedirect', { namespace, labels });
    if (props.securityHeaders !== false) {
      this.securityHeaders = new SecurityHeaders(this, 'SecurityHeaders', { ...props.securityHeaders, namespace, labels });
    } else {
      warnAt(this, 'HL-no-security-headers', 'props.securityHeaders', false, 'sends HTTPS responses without HSTS and the other security headers',
        'drop securityHeaders: false, or tune the headers instead of removing them');
    }
    if (props.ipAllowList) {
      this.ipAllowList = new IpAllowList(this, 'IpAllowList', {
        namespace, sourceRange: resolveRanges(this, props.ipAllowList), ipStrategyDepth: props.ipStrategyDepth, labels,
      });
    }
    const sso = props.sso instanceof Authentik
      ? { address: props.sso.forwardAuthAddress, outpostService: props.sso.outpostService }
      : props.sso;
    if (sso) {
      this.sso = new ForwardAuth(this, 'Sso', { namespace, address: sso.address, labels });
    }
    const middlewares = [this.securityHeaders, this.ipAllowList, this.sso]
      .filter((m): m is SecurityHeaders | IpAllowList | ForwardAuth => m !== undefined)
      .map((m) => ({ name: m.name, namespace }));
    this.route = new HttpsRoute(this, 'Route', {
      name: id,
      namespace,
      hosts: [...this.hosts],
      serviceName: this.service.name,
      servicePort: this.service.port,
      redirectMiddleware: { name: this.httpsRedirect.name, namespace },
      middlewares,
      extraRoutes: sso ? this.hosts.map((host) => ({
        match: `Host(\`${host}\`) && PathPrefix(\`${OUTPOST_PATH}\`)`,
        service: sso.outpostService,
        // Sign-in callbacks skip SSO, not the headers nor the allow list.
        middlewares: [this.securityHeaders, this.ipAllowList]
          .filter((m): m is SecurityHeaders | IpAllowList => m !== undefined).map((m) => ({ name: m.name })),
      })) : undefined,
      policyExceptions: this.securityHeaders ? undefined : { hsts: 'securityHeaders: false on the AppStack' },
      certResolver: props.certResolver,
      tlsSecretName: props.tlsSecretName,
      tlsDomains: props.tlsDomains,
      labels,
    });
  }
}

/** CIDR ranges of an allow list whose entries are ranges or network names. */
function resolveRanges(stack: AppStack, entries: readonly string[]): string[] {
  const networks = HomelabApp.tryOf(stack)?.networks ?? {};
  return [...new Set(entries.flatMap((e) => (isCidr(e) ? [e] : [...(networks[e] ?? [])])))];
}

/**
 * Checks every prop before any child is built, so that all mistakes are
 * reported at once and under the stack's own prop names. Returns the hosts.
 */
function checkProps(stack: AppStack, id: string, props: AppStackProps): string[] {
  const checker = new PropChecker(stack);
  checker.check(isDns1035Label(id) && id.length <= 53, 'id', id,
    'is not a valid app name', 'use at most 53 lowercase letters, digits and "-", starting with a letter (it names the Service and the routes)');
  checker.check(props.host === undefined || props.hosts === undefined, 'props.hosts', props.hosts,
    'cannot be combined with props.host', 'give one host in `host`, or several in `hosts`');
  const hosts = props.host !== undefined ? [props.host] : [...(props.hosts ?? [])];
  checker.check(hosts.length > 0, 'props.host', props.host,
    'is missing', 'give the host the app is served at, e.g. host: "app.example.com"');
  // The names come from `id`, checked above; only the user's props are checked here.
  const names = { name: 'app', namespace: 'app', serviceName: 'app', redirectMiddleware: { name: 'app' } };
  checkAppDeploymentProps(checker, { ...props, ...names, selector: {} });
  if (props.servicePort !== undefined) {
    checker.check(isPort(props.servicePort), 'props.servicePort', props.servicePort, 'must be an integer from 1 to 65535');
  }
  if (hosts.length > 0) {
    checkHttpsRouteProps(checker, { ...props, ...names, hosts, servicePort: 80 });
  }
  if (props.securityHeaders) {
    checkSecurityHeaders(checker, props.securityHeaders, 'props.securityHeaders');
  }
  if (props.ipAllowList) {
    const networks = HomelabApp.tryOf(stack)?.networks ?? {};
    for (const [i, entry] of props.ipAllowList.entries()) {
      checker.check(isCidr(entry) || networks[entry] !== undefined, `props.ipAllowList[${i}]`, entry,
        'is neither a CIDR range nor a network of the cluster',
        Object.keys(networks).length > 0 ? `use a CIDR, or one of ${Object.keys(networks).join(', ')}` : 'use a CIDR, or declare the network in HomelabApp networks');
    }
    checkSourceRange(checker, resolveRanges(stack, props.ipAllowList), 'props.ipAllowList');
  }
  checker.throwIfAny();
  return hosts;
}
