import type { Autoscale } from '../constructs/app-autoscaler';
import type { CertManagerIssuer } from '../constructs/app-certificate';
import type { AppConfig } from '../constructs/app-config-map';
import type { NetworkPeer } from '../constructs/app-network-policy';
import type { RbacRule } from '../constructs/app-service-account';
import type { PersistentVolume } from '../constructs/app-volume-claim';
import type { PodSecurity } from '../constructs/workload/pod-security';
import type { Schedule } from '../constructs/workload/schedule';
import type { PortProtocol, WorkloadProps } from '../constructs/workload/workload';
import type { GatewayRef } from '../core/cluster-profile';
import type { Authentik } from '../platform/authentik';
import type { ConnectionOptions, Database } from '../platform/database';
import type { PostgresProps } from '../platform/postgres';
import type { RedisProps } from '../platform/redis';
import type { ServiceRef, TlsDomain } from '../traefik/https-route';
import type { SecurityHeadersOptions } from '../traefik/security-headers';

export type { CertManagerIssuer } from '../constructs/app-certificate';
export type { GatewayRef } from '../core/cluster-profile';

/** A forwardAuth single sign-on server, and the Service that serves its outpost path. */
export interface SsoOptions {
  /** The URL Traefik asks whether a request may pass. */
  readonly address: string;
  /** The Service serving `/outpost.goauthentik.io/` (sign-in callbacks) for the app's hosts. */
  readonly outpostService: ServiceRef;
}

/** A database elsewhere that the app uses. */
export interface DatabaseUse {
  /** The database. */
  readonly database: Database;
  /**
   * How the app reads the connection.
   * @default - the database's own variable names
   */
  readonly connection?: ConnectionOptions;
}

/** How a TCP app is reached through Traefik. */
export interface TcpExposure {
  /** The Traefik entry point the traffic arrives on (declared in the Traefik configuration). */
  readonly entryPoint: string;
  /**
   * The TLS server name to route on; `*` takes every connection of the entry point.
   * @default '*'
   */
  readonly hostSNI?: string;
  /**
   * Pass TLS through to the app untouched.
   * @default false
   */
  readonly passthrough?: boolean;
}

/** The path Authentik's outpost serves on every protected host. */
export const OUTPOST_PATH = '/outpost.goauthentik.io/';

/**
 * How the app is reached: `https` through Traefik (IngressRoutes), `ingress`
 * through a standard Ingress (other controllers), `tcp` through a Traefik TCP
 * entry point, `loadBalancer` on a port of every node (K3s servicelb), `nodePort` on a
 * high port of every node (a NodePort Service), or `none` (only the apps in `allowFrom`).
 */
export type Exposure = 'https' | 'ingress' | 'gateway' | 'tcp' | 'loadBalancer' | 'nodePort' | 'none';

/** A path of the app's hosts sent to a Service (the app's own unless said). */
export interface RoutePath {
  /** The path prefix, e.g. `/api`. */
  readonly prefix: string;
  /**
   * Remove the prefix before the request reaches the Service.
   * @default false
   */
  readonly stripPrefix?: boolean;
  /**
   * The Service (in the app's namespace) that serves the path.
   * @default - the app's Service
   */
  readonly service?: ServiceRef;
}

/** A scheduled task of the app, run with the app's image, env, config and volumes. */
export interface AppCronJobSpec {
  /** The task's name: the CronJob is `<app>-<name>`. */
  readonly name: string;
  /** When it runs. */
  readonly schedule: Schedule;
  /** The command it runs. */
  readonly command: string[];
  /**
   * The IANA time zone of the schedule.
   * @default - UTC
   */
  readonly timeZone?: string;
  /**
   * How the task's pod is locked down, when it differs from the app's (e.g.
   * the user a maintenance script must run as).
   * @default - the app's
   */
  readonly security?: PodSecurity;
}

/** A database of the app, in its namespace, wired into its environment. */
export interface AppPostgres extends Omit<PostgresProps, 'name' | 'namespace'> {
  /**
   * How the app reads the connection.
   * @default - POSTGRES_HOST, POSTGRES_PORT, POSTGRES_DB, POSTGRES_USER, POSTGRES_PASSWORD, POSTGRES_URL
   */
  readonly connection?: ConnectionOptions;
}

/** A Redis of the app, in its namespace, wired into its environment. */
export interface AppRedis extends Omit<RedisProps, 'name' | 'namespace'> {
  /**
   * How the app reads the connection.
   * @default - REDIS_HOST, REDIS_PORT, REDIS_PASSWORD, REDIS_URL
   */
  readonly connection?: ConnectionOptions;
}

/** A namespace, by name. */
export interface NamespaceRef {
  /** The namespace's name. */
  readonly name: string;
}

/** An app of the cluster that another app lets in: an `AppStack` is one. */
export interface AppPeer {
  /** The app name, which selects its pods. */
  readonly appName: string;
  /** The namespace the app owns. */
  readonly appNamespace: NamespaceRef;
}

/** What every AppStack takes, however it is reached. */
export interface AppStackCommonProps extends WorkloadProps {
  /** The port the container listens on. */
  readonly port: number;
  /**
   * The namespace the app owns (created by the stack).
   * @default - the stack id
   */
  readonly namespace?: string;
  /**
   * Number of pods. With more than one, pods spread over nodes and a
   * PodDisruptionBudget keeps one up during node drains.
   * @default 1
   */
  readonly replicas?: number;
  /**
   * Horizontal autoscaling on CPU (replaces `replicas`).
   * @default - a fixed number of pods
   */
  readonly autoscale?: Autoscale;
  /**
   * Persistent volumes, each a PersistentVolumeClaim `<app>-<name>` (or, with
   * `stateful`, a volume per pod). A Deployment with a ReadWriteOnce volume
   * uses the Recreate strategy.
   * @default - none
   */
  readonly volumes?: PersistentVolume[];
  /**
   * Run a StatefulSet (stable pod names, a volume per pod) instead of a Deployment.
   * @default false
   */
  readonly stateful?: boolean;
  /**
   * ConfigMaps `<app>-<name>` from literals and files, mounted or as env.
   * Their checksum is on the pod template, so a config change rolls the pods.
   * @default - none
   */
  readonly config?: AppConfig[];
  /**
   * A PostgreSQL for the app, in its namespace, wired into its env and let through its NetworkPolicy.
   * @default - none
   */
  readonly postgres?: AppPostgres;
  /**
   * A Redis for the app, in its namespace, wired into its env and let through its NetworkPolicy.
   * @default - none
   */
  readonly redis?: AppRedis;
  /**
   * Databases elsewhere the app uses: their env and NetworkPolicy (their
   * password Secret must also exist in the app's namespace).
   * @default - none
   */
  readonly databases?: DatabaseUse[];
  /**
   * Scheduled tasks run with the app's image, env, config and volumes (on
   * the app's node when they share a volume).
   * @default - none
   */
  readonly cronJobs?: AppCronJobSpec[];
  /**
   * Apps (or other pods) allowed to reach this app's port, besides the
   * ingress controller; everything else is denied by the namespace's NetworkPolicy.
   * @default - only the ingress controller
   */
  readonly allowFrom?: (AppPeer | NetworkPeer)[];
  /**
   * Prometheus metrics the app serves on its port: a Prometheus Operator
   * `ServiceMonitor` for its Service, and a NetworkPolicy that lets the
   * scraper in.
   * @default - no metrics scraped
   */
  readonly metrics?: AppMetrics;
  /**
   * What the app may do with the Kubernetes API: it gets a ServiceAccount of
   * its own (named after it), its token mounted, a Role bound to it with
   * `rules` and a ClusterRole with `clusterRules`.
   * @default - no API access: the namespace's default ServiceAccount, no token mounted
   */
  readonly kubernetesApi?: KubernetesApiAccess;
  /**
   * The port of the app's Service (with `loadBalancer`, the port clients reach on its address).
   * @default 80, or the app's `port` with `expose: 'loadBalancer'`
   */
  readonly servicePort?: number;
  /**
   * More ports of the app's container, each on its Service under the same
   * number and name, TCP or UDP, and reached its own way: from the apps of
   * `allowFrom` (`cluster`), from any client on the LoadBalancer Service
   * `<app>-lb` (`loadBalancer`: Pi-hole's DNS on 53/UDP and 53/TCP), or
   * through a Traefik entry point (`{ entryPoint }`: an IngressRouteTCP or
   * IngressRouteUDP `<app>-<name>`).
   * @default - none: the app's `port` only
   */
  readonly ports?: AppPort[];
}

/** How one of an app's `ports` is reached. */
export type PortExposure = 'cluster' | 'loadBalancer' | EntryPointExposure;

/** A port reached through a Traefik entry point (declared in the Traefik configuration, e.g. TraefikConfig `entryPoints`). */
export interface EntryPointExposure {
  /** The entry point's name. */
  readonly entryPoint: string;
}

/** A port of an app besides its own `port` (see AppStack `ports`). */
export interface AppPort {
  /** The port's name, on the container and the Service (at most 15 lowercase letters, digits and "-"). */
  readonly name: string;
  /** The port the container listens on, and the Service's. */
  readonly port: number;
  /**
   * The protocol.
   * @default 'TCP'
   */
  readonly protocol?: PortProtocol;
  /**
   * How it is reached.
   * @default 'cluster'
   */
  readonly expose?: PortExposure;
  /**
   * The MetalLB pool or address of the `<app>-lb` Service, for `loadBalancer` ports.
   * @default - one the load balancer picks
   */
  readonly loadBalancer?: LoadBalancerAddress;
}

/** Leaves out the options of HTTPS routes (Traefik middlewares, extra paths, ACME), for the other exposures. */
export interface WithoutHttpsOptions {
  /** Only with `expose: 'https'`. */
  readonly paths?: never;
  /** Only with `expose: 'https'`. */
  readonly securityHeaders?: never;
  /** Only with `expose: 'https'`. */
  readonly sso?: never;
  /** Only with `expose: 'https'`. */
  readonly ipAllowList?: never;
  /** Only with `expose: 'https'`. */
  readonly ipStrategyDepth?: never;
  /** Only with `expose: 'https'`. */
  readonly certResolver?: never;
  /** Only with `expose: 'https'`. */
  readonly tlsDomains?: never;
}

/** Leaves out hosts and their certificate, for the exposures that route no host name. */
export interface WithoutHosts {
  /** Only with `expose: 'https'` or `'ingress'`. */
  readonly host?: never;
  /** Only with `expose: 'https'` or `'ingress'`. */
  readonly hosts?: never;
  /** Only with `expose: 'https'` or `'ingress'`. */
  readonly tlsSecretName?: never;
  /** Only with `expose: 'https'` or `'ingress'`. */
  readonly certManager?: never;
}

/** What an app may do with the Kubernetes API (see AppStack `kubernetesApi`). */
export interface KubernetesApiAccess {
  /**
   * What it may do in its namespace.
   * @default - nothing
   */
  readonly rules?: RbacRule[];
  /**
   * What it may do in every namespace.
   * @default - nothing
   */
  readonly clusterRules?: RbacRule[];
}

/** How Prometheus scrapes an app's metrics (see AppStack `metrics`). */
export interface AppMetrics {
  /**
   * The port the metrics are served on, when it is not the app's own: the
   * container and the Service get a second port, named `metrics`.
   * @default - the app's port
   */
  readonly port?: number;
  /**
   * The path of the metrics.
   * @default '/metrics'
   */
  readonly path?: string;
  /**
   * How often Prometheus scrapes them, as a duration (`30s`, `1m`).
   * @default '30s'
   */
  readonly interval?: string;
  /**
   * Where Prometheus runs, for the NetworkPolicy that lets it in.
   * @default { namespace: 'monitoring', name: 'prometheus' } (any pod of the monitoring namespace)
   */
  readonly scraper?: NetworkPeer;
}

/** Leaves out the Gateway API gateway, for the exposures that do not route through one. */
export interface WithoutGateway {
  /** Only with `expose: 'gateway'`. */
  readonly gateway?: never;
}

/** Leaves out the address of a LoadBalancer Service, and the node port. */
export interface WithoutLoadBalancer {
  /** Only with `expose: 'loadBalancer'`. */
  readonly loadBalancer?: never;
  /** Only with `expose: 'nodePort'` or `'loadBalancer'`. */
  readonly nodePort?: never;
}

/** Leaves out the options of the other ways in: an ingress class, a TCP entry point. */
export interface WithoutIngressClass {
  /** Only with `expose: 'ingress'`. */
  readonly ingressClassName?: never;
}

/** Leaves out the TCP entry point, for the exposures that are not `tcp`. */
export interface WithoutTcp {
  /** Only with `expose: 'tcp'`. */
  readonly tcp?: never;
}

/** Leaves out the ingress controller, for the exposures with none in front (`loadBalancer`, `none`). */
export interface WithoutIngressController {
  /** Only with `expose: 'https'`, `'ingress'` or `'tcp'`. */
  readonly ingressController?: never;
}

/** Props of an AppStack served over HTTPS through Traefik (the default): hosts, TLS, middlewares, extra paths. */
export interface HttpsAppProps extends AppStackCommonProps, WithoutIngressClass, WithoutTcp, WithoutLoadBalancer, WithoutGateway {
  /**
   * How the app is reached: HTTPS through Traefik IngressRoutes.
   * @default - the cluster profile's (`https` on K3s, `ingress` on MicroK8s)
   */
  readonly expose?: 'https';
  /**
   * The host the app is served at. Give `host` or `hosts`, not both (none for `tcp`, `loadBalancer`, `none`).
   * @default - `hosts`
   */
  readonly host?: string;
  /**
   * The hosts the app is served at, when there are several.
   * @default - `[host]`
   */
  readonly hosts?: string[];
  /**
   * More paths of the app's hosts, e.g. `/api` to a second Service.
   * @default - none
   */
  readonly paths?: RoutePath[];
  /**
   * Where the ingress controller runs, for the NetworkPolicy.
   * @default - Traefik in kube-system (ingress-nginx in ingress-nginx with `expose: 'ingress'`)
   */
  readonly ingressController?: NetworkPeer;
  /**
   * The security headers of HTTPS responses (HSTS, nosniff, frame deny,
   * referrer policy), or `false` to send none (synth warns).
   * @default - HSTS for a year, nosniff, frame deny, strict-origin-when-cross-origin
   */
  readonly securityHeaders?: SecurityHeadersOptions | false;
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
   * The Traefik ACME certificate resolver. Not allowed with `tlsSecretName`.
   * @default 'letsencrypt'
   */
  readonly certResolver?: string;
  /**
   * An existing `kubernetes.io/tls` Secret in the app's namespace to serve instead of ACME.
   * @default - the certificate comes from `certResolver` (`<app>-tls` with `expose: 'ingress'`)
   */
  readonly tlsSecretName?: string;
  /**
   * Serve a certificate cert-manager issues instead of Traefik's ACME: a
   * `Certificate` `<app>` for the hosts (or `tlsDomains`) into the Secret
   * `<app>-tls`. Not allowed with `certResolver` or `tlsSecretName`.
   * @default - Traefik's ACME (`certResolver`)
   */
  readonly certManager?: CertManagerIssuer;
  /**
   * The certificate's domains (main + SANs); they must cover every host.
   * @default - one certificate per host
   */
  readonly tlsDomains?: TlsDomain[];
}

/** Props of an AppStack served through a standard Ingress (another ingress controller). */
export interface IngressAppProps extends AppStackCommonProps, Omit<WithoutHttpsOptions, 'ipAllowList'>, WithoutTcp, WithoutLoadBalancer, WithoutGateway {
  /** How the app is reached. */
  readonly expose: 'ingress';
  /**
   * The host the app is served at. Give `host` or `hosts`, not both (none for `tcp`, `loadBalancer`, `none`).
   * @default - `hosts`
   */
  readonly host?: string;
  /**
   * The hosts the app is served at, when there are several.
   * @default - `[host]`
   */
  readonly hosts?: string[];
  /**
   * The ingress class, with `expose: 'ingress'`.
   * @default - the cluster profile's (`nginx` on K3s, `public` on MicroK8s)
   */
  readonly ingressClassName?: string;
  /**
   * Networks (CIDR ranges, or names of the App's `networks`) the only clients
   * allowed, as the NGINX ingress controller's
   * `nginx.ingress.kubernetes.io/whitelist-source-range` annotation: an NGINX
   * ingress class only (`nginx`, or MicroK8s's `public`).
   * @default - every client
   */
  readonly ipAllowList?: string[];
  /**
   * Where the ingress controller runs, for the NetworkPolicy.
   * @default - Traefik in kube-system (ingress-nginx in ingress-nginx with `expose: 'ingress'`)
   */
  readonly ingressController?: NetworkPeer;
  /**
   * An existing `kubernetes.io/tls` Secret in the app's namespace to serve instead of ACME.
   * @default - the certificate comes from `certResolver` (`<app>-tls` with `expose: 'ingress'`)
   */
  readonly tlsSecretName?: string;
  /**
   * A certificate cert-manager issues for the hosts into `<app>-tls`.
   * @default - none: the Secret `<app>-tls` (or `tlsSecretName`) is made another way
   */
  readonly certManager?: CertManagerIssuer;
}

/** Props of an AppStack routed by HTTPRoutes (Gateway API) attached to a Gateway. */
export interface GatewayAppProps
  extends AppStackCommonProps,
    Omit<WithoutHttpsOptions, 'securityHeaders'>,
    WithoutIngressClass,
    WithoutTcp,
    WithoutLoadBalancer {
  /** How the app is reached. */
  readonly expose: 'gateway';
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
   * The Gateway the routes attach to (its HTTPS listener holds the certificate).
   * @default - the cluster profile's `gateway` (required without one)
   */
  readonly gateway?: GatewayRef;
  /**
   * The security headers of the app's HTTPS responses (a `ResponseHeaderModifier`
   * filter of its HTTPRoute), or `false` for none.
   * @default - HSTS for a year, X-Frame-Options DENY, nosniff, a strict referrer policy
   */
  readonly securityHeaders?: SecurityHeadersOptions | false;
  /**
   * Where the gateway's pods run, for the NetworkPolicy.
   * @default - Traefik in kube-system (K3s's, which serves the Gateway API when enabled)
   */
  readonly ingressController?: NetworkPeer;
  /** The Secret of the certificate lives on the Gateway's listener. */
  readonly tlsSecretName?: never;
  /** The certificate lives on the Gateway's listener. */
  readonly certManager?: never;
}

/** Props of an AppStack reached through a Traefik TCP entry point. */
export interface TcpAppProps extends AppStackCommonProps, WithoutHttpsOptions, WithoutHosts, WithoutIngressClass, WithoutLoadBalancer, WithoutGateway {
  /** How the app is reached. */
  readonly expose: 'tcp';
  /**
   * The Traefik entry point, hostSNI and TLS passthrough, with `expose: 'tcp'`.
   * @default - required with `expose: 'tcp'`
   */
  readonly tcp: TcpExposure;
  /**
   * Where the ingress controller runs, for the NetworkPolicy.
   * @default - Traefik in kube-system (ingress-nginx in ingress-nginx with `expose: 'ingress'`)
   */
  readonly ingressController?: NetworkPeer;
}

/** Props of an AppStack reached on a port of every node (K3s servicelb), not through Traefik. */
export interface LoadBalancerAppProps
  extends AppStackCommonProps,
    WithoutHttpsOptions,
    WithoutHosts,
    WithoutIngressClass,
    WithoutTcp,
    WithoutIngressController,
    WithoutGateway {
  /** How the app is reached. */
  readonly expose: 'loadBalancer';
  /**
   * Which address the Service gets from MetalLB (a cluster that runs it, see
   * MetalLbPool): a named pool, a fixed address, or both.
   * @default - any address of a pool that assigns automatically (or K3s's servicelb: the nodes' addresses)
   */
  readonly loadBalancer?: LoadBalancerAddress;
  /**
   * The node port of the Service, from 30000 to 32767.
   * @default - one Kubernetes picks
   */
  readonly nodePort?: number;
}

/** Props of an AppStack reached on a high port of every node (a NodePort Service), e.g. for a LAN-only service without a load balancer. */
export interface NodePortAppProps
  extends AppStackCommonProps,
    WithoutHttpsOptions,
    WithoutHosts,
    WithoutIngressClass,
    WithoutTcp,
    WithoutIngressController,
    WithoutGateway {
  /** How the app is reached. */
  readonly expose: 'nodePort';
  /**
   * The node port, from 30000 to 32767 (every node listens on it).
   * @default - one Kubernetes picks
   */
  readonly nodePort?: number;
  /** Only with `expose: 'loadBalancer'`. */
  readonly loadBalancer?: never;
}

/** The address a LoadBalancer Service asks MetalLB for. */
export interface LoadBalancerAddress {
  /**
   * The MetalLB address pool to take it from.
   * @default - any pool that assigns automatically
   */
  readonly pool?: string;
  /**
   * A fixed address (it must be in the pool).
   * @default - the next free one
   */
  readonly address?: string;
}

/** Props of an AppStack that only the apps in `allowFrom` reach. */
export interface InternalAppProps
  extends Omit<AppStackCommonProps, 'port'>,
    WithoutHttpsOptions,
    WithoutHosts,
    WithoutIngressClass,
    WithoutTcp,
    WithoutIngressController,
    WithoutLoadBalancer,
    WithoutGateway {
  /** How the app is reached. */
  readonly expose: 'none';
  /**
   * The port the container listens on, for the apps of `allowFrom`.
   * @default - none: a worker (a queue consumer, a bot) that serves nothing: no Service, no probes by default, every connection to it refused
   */
  readonly port?: number;
}

/**
 * Props of `AppStack`: what every app takes, and what its way of being reached
 * (`expose`) takes. An option of another way (`sso` with `expose: 'tcp'`,
 * `tcp` without it) does not type-check; synth also refuses it at run time.
 */
export type AppStackProps = HttpsAppProps | IngressAppProps | GatewayAppProps | TcpAppProps | LoadBalancerAppProps | NodePortAppProps | InternalAppProps;
