import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { AppAutoscaler, type Autoscale, checkAutoscale } from '../constructs/app-autoscaler';
import { type AppConfig, AppConfigMap, CONFIG_CHECKSUM_ANNOTATION, configChecksum } from '../constructs/app-config-map';
import { AppDisruptionBudget } from '../constructs/app-disruption-budget';
import { AppIngress } from '../constructs/app-ingress';
import { AppNamespace } from '../constructs/app-namespace';
import { AppNetworkPolicy, K3S_TRAEFIK, type NetworkPeer } from '../constructs/app-network-policy';
import { AppService } from '../constructs/app-service';
import { AppVolumeClaim, checkVolumeSize, type PersistentVolume } from '../constructs/app-volume-claim';
import { AppCronJob } from '../constructs/workload/app-cron-job';
import { AppDeployment, checkAppDeploymentProps } from '../constructs/workload/app-deployment';
import { AppStatefulSet } from '../constructs/workload/app-stateful-set';
import type { PodSecurity } from '../constructs/workload/pod-security';
import type { Schedule } from '../constructs/workload/schedule';
import { Volume } from '../constructs/workload/volume';
import type { Mount, WorkloadProps } from '../constructs/workload/workload';
import { pathSlug, recommendedLabels, selectorLabels } from '../core/labels';
import { warnAt } from '../core/problems';
import { PropChecker } from '../core/prop-checker';
import { isCidr, isDns1035Label, isDnsLabel, isPathPrefix } from '../core/value-rules';
import { Authentik } from '../platform/authentik';
import type { ConnectionOptions, Database, DatabaseConnection } from '../platform/database';
import { Postgres, type PostgresProps } from '../platform/postgres';
import { Redis, type RedisProps } from '../platform/redis';
import { HomelabApp } from '../synth/homelab-app';
import { AppTcpRoute } from '../traefik/app-tcp-route';
import { ForwardAuth } from '../traefik/forward-auth';
import { HttpsRedirect } from '../traefik/https-redirect';
import { checkHttpsRouteProps, type ExtraRoute, HttpsRoute, type ServiceRef, type TlsDomain } from '../traefik/https-route';
import { checkSourceRange, IpAllowList } from '../traefik/ip-allow-list';
import { checkSecurityHeaders, SecurityHeaders, type SecurityHeadersOptions } from '../traefik/security-headers';
import { StripPrefix } from '../traefik/strip-prefix';

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
 * entry point, `loadBalancer` on a port of every node (K3s servicelb), or
 * `none` (only the apps in `allowFrom`).
 */
export type Exposure = 'https' | 'ingress' | 'tcp' | 'loadBalancer' | 'none';

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

/** Props of {@link AppStack}. */
export interface AppStackProps extends WorkloadProps {
  /** The port the container listens on. */
  readonly port: number;
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
   * How the app is reached.
   * @default 'https'
   */
  readonly expose?: Exposure;
  /**
   * More paths of the app's hosts, e.g. `/api` to a second Service.
   * @default - none
   */
  readonly paths?: RoutePath[];
  /**
   * The ingress class, with `expose: 'ingress'`.
   * @default 'nginx'
   */
  readonly ingressClassName?: string;
  /**
   * The Traefik entry point, hostSNI and TLS passthrough, with `expose: 'tcp'`.
   * @default - required with `expose: 'tcp'`
   */
  readonly tcp?: TcpExposure;
  /**
   * Where the ingress controller runs, for the NetworkPolicy.
   * @default - Traefik in kube-system (ingress-nginx in ingress-nginx with `expose: 'ingress'`)
   */
  readonly ingressController?: NetworkPeer;
  /**
   * Apps (or other pods) allowed to reach this app's port, besides the
   * ingress controller; everything else is denied by the namespace's NetworkPolicy.
   * @default - only the ingress controller
   */
  readonly allowFrom?: (AppStack | NetworkPeer)[];
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
   * The port of the ClusterIP Service (the node port with `loadBalancer`).
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
   * @default - the certificate comes from `certResolver` (`<app>-tls` with `expose: 'ingress'`)
   */
  readonly tlsSecretName?: string;
  /**
   * The certificate's domains (main + SANs); they must cover every host.
   * @default - one certificate per host
   */
  readonly tlsDomains?: TlsDomain[];
}

/**
 * One application of the cluster: its Namespace, NetworkPolicies, Service,
 * workload (Deployment, or StatefulSet), and how it is reached (by default
 * Traefik routes: HTTP redirects, HTTPS serves every host with TLS and
 * security headers). It grows with the app: volumes, config, databases,
 * scheduled tasks, autoscaling. One stack is one Chart, and one file
 * `dist/<id>.k8s.yaml`.
 *
 * Object names are the stack id (`gazette`), never hashed.
 */
export class AppStack extends Chart {
  /** The app name: the stack id. */
  public readonly appName: string;
  /** The hosts the app is served at. */
  public readonly hosts: readonly string[];
  /** How the app is reached. */
  public readonly expose: Exposure;
  /** The namespace the app owns. */
  public readonly appNamespace: AppNamespace;
  /** The app's Deployment (unless stateful). */
  public readonly deployment?: AppDeployment;
  /** The app's StatefulSet (when stateful). */
  public readonly statefulSet?: AppStatefulSet;
  /** The app's Service. */
  public readonly service: AppService;
  /** The NetworkPolicies of the app's namespace. */
  public readonly networkPolicy: AppNetworkPolicy;
  /** The app's PersistentVolumeClaims. */
  public readonly volumeClaims: readonly AppVolumeClaim[];
  /** The app's ConfigMaps. */
  public readonly configMaps: readonly AppConfigMap[];
  /** The app's PostgreSQL, if any. */
  public readonly postgres?: Postgres;
  /** The app's Redis, if any. */
  public readonly redis?: Redis;
  /** The app's scheduled tasks. */
  public readonly cronJobs: readonly AppCronJob[];
  /** The PodDisruptionBudget, with more than one pod. */
  public readonly disruptionBudget?: AppDisruptionBudget;
  /** The HorizontalPodAutoscaler, with `autoscale`. */
  public readonly autoscaler?: AppAutoscaler;
  /** The Middleware that redirects HTTP to HTTPS (`https`). */
  public readonly httpsRedirect?: HttpsRedirect;
  /** The security headers Middleware, unless turned off (`https`). */
  public readonly securityHeaders?: SecurityHeaders;
  /** The IP allow list Middleware, when the app is restricted to some networks. */
  public readonly ipAllowList?: IpAllowList;
  /** The single sign-on Middleware, when the app is behind SSO. */
  public readonly sso?: ForwardAuth;
  /** The Traefik routes (`https`). */
  public readonly route?: HttpsRoute;
  /** The standard Ingress (`ingress`). */
  public readonly ingress?: AppIngress;
  /** The Traefik TCP route (`tcp`). */
  public readonly tcpRoute?: AppTcpRoute;

  constructor(scope: Construct, id: string, props: AppStackProps) {
    super(scope, id, { disableResourceNameHashes: true });
    this.appName = id;
    this.expose = props.expose ?? 'https';
    this.hosts = checkProps(this, id, props);
    const namespace = props.namespace ?? id;
    const labels = recommendedLabels(id);
    const selector = selectorLabels(id);
    const stateful = props.stateful ?? false;

    this.appNamespace = new AppNamespace(this, 'Namespace', {
      name: namespace,
      labels,
      podSecurity: props.security?.profile,
      podSecurityReason: props.security?.reason,
    });
    this.networkPolicy = new AppNetworkPolicy(this, 'NetworkPolicy', {
      namespace,
      podSelector: selector,
      port: props.port,
      ingressController: this.ingressController(props),
      allowFromAnywhere: this.expose === 'loadBalancer',
      allowFrom: props.allowFrom?.map((peer) =>
        peer instanceof AppStack ? { namespace: peer.appNamespace.name, podSelector: selectorLabels(peer.appName), name: peer.appName } : peer,
      ),
      labels,
    });

    // Volumes, config and databases come first: the workload mounts and reads them.
    this.volumeClaims = stateful
      ? []
      : (props.volumes ?? []).map(
          (v) =>
            new AppVolumeClaim(this, `Volume-${v.name}`, {
              name: `${id}-${v.name}`,
              namespace,
              size: v.size,
              storageClass: v.storageClass,
              accessMode: v.accessMode,
              labels,
            }),
        );
    this.configMaps = (props.config ?? []).map(
      (c) =>
        new AppConfigMap(this, `Config-${c.name}`, {
          name: `${id}-${c.name}`,
          namespace,
          data: c.data,
          files: c.files,
          labels,
        }),
    );
    // The app's pods and its scheduled tasks' pods (same name, another instance).
    const client = { name: id, namespace, selector: { 'app.kubernetes.io/name': id } };
    const connections: DatabaseConnection[] = [];
    if (props.postgres) {
      const { connection, ...pg } = props.postgres;
      this.postgres = new Postgres(this, 'Postgres', { ...pg, name: `${id}-postgres`, namespace, labels: { ...pg.labels, 'app.kubernetes.io/part-of': id } });
      this.postgres.allowFrom(client);
      connections.push(this.postgres.connection(connection));
    }
    if (props.redis) {
      const { connection, ...r } = props.redis;
      this.redis = new Redis(this, 'Redis', { ...r, name: `${id}-redis`, namespace, labels: { ...r.labels, 'app.kubernetes.io/part-of': id } });
      this.redis.allowFrom(client);
      connections.push(this.redis.connection(connection));
    }
    for (const { database, connection } of props.databases ?? []) {
      database.allowFrom(client);
      connections.push(database.connection(connection));
    }

    // Created in apply order (Service before the workload), so that cdk8s's
    // own App.synth() writes the same file as HomelabApp.
    this.service = new AppService(this, 'Service', {
      name: id,
      namespace,
      selector,
      targetPort: props.port,
      port: props.servicePort,
      type: this.expose === 'loadBalancer' ? 'LoadBalancer' : undefined,
      labels,
    });
    if (stateful) {
      new AppService(this, 'HeadlessService', {
        name: `${id}-headless`,
        namespace,
        selector,
        targetPort: props.port,
        port: props.port,
        headless: true,
        labels,
      });
    }

    const workload = this.workloadProps(props, connections);
    const replicas = props.autoscale?.minReplicas ?? props.replicas ?? 1;
    const spread = replicas > 1 || (props.autoscale?.maxReplicas ?? 0) > 1;
    if (stateful) {
      this.statefulSet = new AppStatefulSet(this, 'StatefulSet', {
        ...workload,
        name: id,
        namespace,
        serviceName: `${id}-headless`,
        selector,
        labels,
        port: props.port,
        replicas,
        volumeClaims: (props.volumes ?? []).map((v) => ({ ...v })),
      });
    } else {
      this.deployment = new AppDeployment(this, 'Deployment', {
        ...workload,
        name: id,
        namespace,
        port: props.port,
        selector,
        labels,
        replicas,
        autoscaled: props.autoscale !== undefined,
        podSpec: spread ? { topologySpreadConstraints: [topologySpread(selector)] } : undefined,
      });
    }
    if (spread) {
      this.disruptionBudget = new AppDisruptionBudget(this, 'DisruptionBudget', { name: id, namespace, selector, labels });
    }
    if (props.autoscale) {
      this.autoscaler = new AppAutoscaler(this, 'Autoscaler', { ...props.autoscale, name: id, namespace, labels });
    }
    const sharesVolume = (workload.mounts ?? []).some((m) => m.volume.claimName !== undefined);
    this.cronJobs = (props.cronJobs ?? []).map(
      (job) =>
        new AppCronJob(this, `CronJob-${job.name}`, {
          ...workload,
          name: `${id}-${job.name}`,
          namespace,
          schedule: job.schedule,
          timeZone: job.timeZone,
          command: job.command,
          args: undefined,
          readiness: undefined,
          liveness: undefined,
          startup: undefined,
          autoUpdate: undefined,
          security: job.security ?? workload.security,
          // Not the app's instance label: the Service must never send traffic to a task's pod.
          labels: { ...labels, 'app.kubernetes.io/instance': `${id}-${job.name}`, 'app.kubernetes.io/component': job.name },
          // A node-local volume can only be shared on the app's node.
          podSpec: sharesVolume
            ? {
                affinity: {
                  podAffinity: {
                    requiredDuringSchedulingIgnoredDuringExecution: [
                      { labelSelector: { matchLabels: { ...selector } }, topologyKey: 'kubernetes.io/hostname' },
                    ],
                  },
                },
              }
            : undefined,
        }),
    );

    if (this.expose === 'https') {
      this.httpsRedirect = new HttpsRedirect(this, 'HttpsRedirect', { namespace, labels });
      if (props.securityHeaders !== false) {
        this.securityHeaders = new SecurityHeaders(this, 'SecurityHeaders', { ...props.securityHeaders, namespace, labels });
      } else {
        warnAt(
          this,
          'HL-no-security-headers',
          'props.securityHeaders',
          false,
          'sends HTTPS responses without HSTS and the other security headers',
          'drop securityHeaders: false, or tune the headers instead of removing them',
        );
      }
      if (props.ipAllowList) {
        this.ipAllowList = new IpAllowList(this, 'IpAllowList', {
          namespace,
          sourceRange: resolveRanges(this, props.ipAllowList),
          ipStrategyDepth: props.ipStrategyDepth,
          labels,
        });
      }
      const sso = props.sso instanceof Authentik ? { address: props.sso.forwardAuthAddress, outpostService: props.sso.outpostService } : props.sso;
      if (sso) {
        this.sso = new ForwardAuth(this, 'Sso', { namespace, address: sso.address, labels });
      }
      const ref = (m: { name: string } | undefined) => (m ? [{ name: m.name, namespace }] : []);
      const guard = [...ref(this.securityHeaders), ...ref(this.ipAllowList)];
      const middlewares = [...guard, ...ref(this.sso)];
      const extraRoutes: ExtraRoute[] = [];
      for (const [i, p] of (props.paths ?? []).entries()) {
        const strip = p.stripPrefix
          ? new StripPrefix(this, `StripPrefix-${i}`, { name: `strip-${pathSlug(p.prefix)}`, namespace, prefixes: [p.prefix], labels })
          : undefined;
        for (const host of this.hosts) {
          extraRoutes.push({
            match: `Host(\`${host}\`) && PathPrefix(\`${p.prefix}\`)`,
            service: p.service ?? { name: this.service.name, port: this.service.port },
            middlewares: [...middlewares, ...ref(strip)],
          });
        }
      }
      if (sso) {
        // Sign-in callbacks skip SSO, not the headers nor the allow list.
        extraRoutes.push(
          ...this.hosts.map((host) => ({
            match: `Host(\`${host}\`) && PathPrefix(\`${OUTPOST_PATH}\`)`,
            service: sso.outpostService,
            middlewares: guard,
          })),
        );
      }
      this.route = new HttpsRoute(this, 'Route', {
        name: id,
        namespace,
        hosts: [...this.hosts],
        serviceName: this.service.name,
        servicePort: this.service.port,
        redirectMiddleware: { name: this.httpsRedirect.name, namespace },
        middlewares,
        extraRoutes: extraRoutes.length > 0 ? extraRoutes : undefined,
        policyExceptions: this.securityHeaders ? undefined : { hsts: 'securityHeaders: false on the AppStack' },
        certResolver: props.certResolver,
        tlsSecretName: props.tlsSecretName,
        tlsDomains: props.tlsDomains,
        labels,
      });
    } else if (this.expose === 'ingress') {
      this.ingress = new AppIngress(this, 'Ingress', {
        name: id,
        namespace,
        ingressClassName: props.ingressClassName ?? 'nginx',
        hosts: [...this.hosts],
        serviceName: this.service.name,
        servicePort: this.service.port,
        tlsSecretName: props.tlsSecretName,
        labels,
      });
    } else if (this.expose === 'tcp' && props.tcp) {
      this.tcpRoute = new AppTcpRoute(this, 'TcpRoute', {
        name: id,
        namespace,
        serviceName: this.service.name,
        servicePort: this.service.port,
        labels,
        ...props.tcp,
      });
    }
  }

  /** The pods the NetworkPolicy lets in as the ingress controller. */
  private ingressController(props: AppStackProps): NetworkPeer | false {
    switch (this.expose) {
      case 'https':
      case 'tcp':
        return props.ingressController ?? K3S_TRAEFIK;
      case 'ingress':
        return (
          props.ingressController ?? { namespace: 'ingress-nginx', podSelector: { 'app.kubernetes.io/name': 'ingress-nginx' }, name: 'ingress-controller' }
        );
      default:
        return false;
    }
  }

  /** The pod props of the app's workloads: its own, plus volumes, config and database connections. */
  private workloadProps(props: AppStackProps, connections: readonly DatabaseConnection[]): WorkloadProps {
    const id = this.appName;
    const mounts: Mount[] = [...(props.mounts ?? [])];
    if (!(props.stateful ?? false)) {
      for (const v of props.volumes ?? []) {
        mounts.push({ volume: Volume.pvc(v.name, `${id}-${v.name}`), mountPath: v.mountPath });
      }
    }
    for (const c of props.config ?? []) {
      if (c.mountPath) {
        mounts.push({ volume: Volume.configMap(`config-${c.name}`, `${id}-${c.name}`), mountPath: c.mountPath, readOnly: true });
      }
    }
    const envFromConfigMaps = [...(props.envFromConfigMaps ?? []), ...(props.config ?? []).filter((c) => c.asEnv).map((c) => `${id}-${c.name}`)];
    const podAnnotations = { ...props.podAnnotations };
    if (this.configMaps.length > 0) {
      podAnnotations[CONFIG_CHECKSUM_ANNOTATION] = configChecksum(this.configMaps.map((c) => c.data));
    }
    return {
      ...props,
      env: Object.assign({}, ...connections.map((c) => c.env), props.env),
      secretEnv: Object.assign({}, ...connections.map((c) => c.secretEnv), props.secretEnv),
      envFromConfigMaps: envFromConfigMaps.length > 0 ? envFromConfigMaps : undefined,
      mounts: mounts.length > 0 ? mounts : undefined,
      podAnnotations: Object.keys(podAnnotations).length > 0 ? podAnnotations : undefined,
    };
  }
}

/** Spread the pods over nodes when possible (never blocks scheduling). */
function topologySpread(selector: Record<string, string>) {
  return {
    maxSkew: 1,
    topologyKey: 'kubernetes.io/hostname',
    whenUnsatisfiable: 'ScheduleAnyway',
    labelSelector: { matchLabels: { ...selector } },
  };
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
  const expose = props.expose ?? 'https';
  const routed = expose === 'https' || expose === 'ingress';
  checker.check(
    isDns1035Label(id) && id.length <= 53,
    'id',
    id,
    'is not a valid app name',
    'use at most 53 lowercase letters, digits and "-", starting with a letter (it names the Service and the routes)',
  );
  checker.check(
    ['https', 'ingress', 'tcp', 'loadBalancer', 'none'].includes(expose),
    'props.expose',
    expose,
    'must be https, ingress, tcp, loadBalancer or none',
  );
  checker.check(
    props.host === undefined || props.hosts === undefined,
    'props.hosts',
    props.hosts,
    'cannot be combined with props.host',
    'give one host in `host`, or several in `hosts`',
  );
  const hosts = props.host !== undefined ? [props.host] : [...(props.hosts ?? [])];
  if (routed) {
    checker.check(hosts.length > 0, 'props.host', props.host, 'is missing', 'give the host the app is served at, e.g. host: "app.example.com"');
  } else {
    checker.check(hosts.length === 0, 'props.host', props.host ?? props.hosts, `is not used with expose: "${expose}"`, 'drop it');
  }
  // The names come from `id`, checked above; only the user's props are checked here.
  const names = { name: 'app', namespace: 'app', serviceName: 'app', redirectMiddleware: { name: 'app' } };
  checkAppDeploymentProps(checker, { ...props, ...names, selector: {} });
  if (props.servicePort !== undefined) {
    checker.port('props.servicePort', props.servicePort);
  }
  if (routed && hosts.length > 0) {
    checkHttpsRouteProps(checker, { ...props, ...names, hosts, servicePort: 80 });
  }
  if (props.securityHeaders) {
    checker.check(expose === 'https', 'props.securityHeaders', props.securityHeaders, 'only applies to expose: "https"');
    checkSecurityHeaders(checker, props.securityHeaders, 'props.securityHeaders');
  }
  for (const [field, set] of [
    ['sso', props.sso],
    ['ipAllowList', props.ipAllowList],
    ['paths', props.paths],
  ] as const) {
    if (set !== undefined) {
      checker.check(expose === 'https', `props.${field}`, expose, 'only applies to expose: "https" (Traefik middlewares)', 'use expose: "https"');
    }
  }
  if (props.ipAllowList) {
    const networks = HomelabApp.tryOf(stack)?.networks ?? {};
    for (const [i, entry] of props.ipAllowList.entries()) {
      checker.check(
        isCidr(entry) || networks[entry] !== undefined,
        `props.ipAllowList[${i}]`,
        entry,
        'is neither a CIDR range nor a network of the cluster',
        Object.keys(networks).length > 0
          ? `use a CIDR, or one of ${Object.keys(networks).join(', ')}`
          : 'use a CIDR, or declare the network in HomelabApp networks',
      );
    }
    checkSourceRange(checker, resolveRanges(stack, props.ipAllowList), 'props.ipAllowList');
  }
  if (expose === 'tcp') {
    checker.check(
      props.tcp !== undefined,
      'props.tcp',
      props.tcp,
      'is required with expose: "tcp"',
      'give the Traefik entry point, e.g. tcp: { entryPoint: "mqtt" }',
    );
  }
  const prefixes = new Set<string>();
  for (const [i, p] of (props.paths ?? []).entries()) {
    checker.check(isPathPrefix(p.prefix), `props.paths[${i}].prefix`, p.prefix, 'is not a path prefix', 'write e.g. /api');
    checker.check(!prefixes.has(p.prefix), `props.paths[${i}].prefix`, p.prefix, 'is listed twice');
    checker.check(
      p.prefix !== OUTPOST_PATH.replace(/\/$/, '') && p.prefix !== OUTPOST_PATH,
      `props.paths[${i}].prefix`,
      p.prefix,
      'is the sign-in path of SSO',
    );
    prefixes.add(p.prefix);
    if (p.service) {
      checker.check(isDns1035Label(p.service.name), `props.paths[${i}].service.name`, p.service.name, 'is not a valid Service name');
      checker.port(`props.paths[${i}].service.port`, p.service.port);
    }
  }
  const volumeNames = new Set<string>();
  for (const [i, v] of (props.volumes ?? []).entries()) {
    checker.check(
      isDnsLabel(v.name) && v.name.length <= 40,
      `props.volumes[${i}].name`,
      v.name,
      'is not a valid volume name',
      'use a short lowercase name, e.g. data',
    );
    checker.check(!volumeNames.has(v.name), `props.volumes[${i}].name`, v.name, 'is used twice');
    volumeNames.add(v.name);
    checker.check(v.mountPath.startsWith('/'), `props.volumes[${i}].mountPath`, v.mountPath, 'is not an absolute path');
    checkVolumeSize(checker, v, `props.volumes[${i}]`);
  }
  const replicas = props.autoscale?.maxReplicas ?? props.replicas ?? 1;
  const rwo = (props.volumes ?? []).filter(
    (v) => (v.accessMode ?? 'ReadWriteOnce') !== 'ReadWriteMany' && (v.accessMode ?? 'ReadWriteOnce') !== 'ReadOnlyMany',
  );
  if (!(props.stateful ?? false) && replicas > 1 && rwo.length > 0) {
    checker.check(
      false,
      'props.replicas',
      replicas,
      `cannot share the ReadWriteOnce volume "${rwo[0].name}" across pods`,
      'use stateful: true (a volume per pod), a ReadWriteMany volume, or one replica',
    );
  }
  if (props.autoscale) {
    checkAutoscale(checker, props.autoscale, 'props.autoscale');
    checker.check(props.replicas === undefined, 'props.replicas', props.replicas, 'cannot be combined with autoscale', 'set minReplicas instead');
    checker.check(!(props.stateful ?? false), 'props.autoscale', props.autoscale, 'only scales Deployments', 'drop stateful or autoscale');
  }
  const configNames = new Set<string>();
  for (const [i, c] of (props.config ?? []).entries()) {
    checker.check(isDnsLabel(c.name) && c.name.length <= 40, `props.config[${i}].name`, c.name, 'is not a valid config name');
    checker.check(!configNames.has(c.name), `props.config[${i}].name`, c.name, 'is used twice');
    configNames.add(c.name);
    checker.check(
      c.mountPath !== undefined || c.asEnv === true,
      `props.config[${i}]`,
      c.name,
      'is neither mounted nor given as env',
      'set mountPath or asEnv: true',
    );
    if (c.mountPath !== undefined) {
      checker.check(c.mountPath.startsWith('/'), `props.config[${i}].mountPath`, c.mountPath, 'is not an absolute path');
    }
  }
  const jobNames = new Set<string>();
  for (const [i, job] of (props.cronJobs ?? []).entries()) {
    checker.check(
      isDnsLabel(job.name) && `${id}-${job.name}`.length <= 52,
      `props.cronJobs[${i}].name`,
      job.name,
      'is not a valid task name',
      'keep <app>-<name> within 52 lowercase letters, digits and "-"',
    );
    checker.check(!jobNames.has(job.name), `props.cronJobs[${i}].name`, job.name, 'is used twice');
    jobNames.add(job.name);
    const problem = job.schedule.problem();
    checker.check(problem === undefined, `props.cronJobs[${i}].schedule`, job.schedule.expression, problem ?? '', 'write e.g. "*/5 * * * *"');
    checker.check(job.command.length > 0, `props.cronJobs[${i}].command`, job.command, 'must not be empty');
  }
  checker.throwIfAny();
  return hosts;
}
