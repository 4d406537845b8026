import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { AppAutoscaler } from '../constructs/app-autoscaler';
import { AppCertificate } from '../constructs/app-certificate';
import { AppConfigMap, CONFIG_CHECKSUM_ANNOTATION, configChecksum } from '../constructs/app-config-map';
import { AppDisruptionBudget } from '../constructs/app-disruption-budget';
import { AppIngress } from '../constructs/app-ingress';
import { AppNamespace } from '../constructs/app-namespace';
import { AppNetworkPolicy, type NetworkPeer } from '../constructs/app-network-policy';
import { AppService } from '../constructs/app-service';
import { AppServiceAccount } from '../constructs/app-service-account';
import { AppServiceMonitor } from '../constructs/app-service-monitor';
import { type AccessMode, AppVolumeClaim } from '../constructs/app-volume-claim';
import { AppCronJob } from '../constructs/workload/app-cron-job';
import { AppDeployment } from '../constructs/workload/app-deployment';
import { AppStatefulSet } from '../constructs/workload/app-stateful-set';
import { Volume } from '../constructs/workload/volume';
import { type Mount, type NamedPort, type ProtocolPort, WORKLOAD_PROPS_FIELDS, type WorkloadProps } from '../constructs/workload/workload';
import { METALLB_ADDRESS_ANNOTATION, METALLB_POOL_ANNOTATION, NGINX_ALLOW_LIST_ANNOTATION } from '../core/annotations';
import { hasBrand, setBrand } from '../core/brand';
import { clusterProfileOf } from '../core/cluster-profile';
import { pathSlug, recommendedLabels, selectorLabels } from '../core/labels';
import { HomelabError, problemAt, warnAt } from '../core/problems';
import { freeScope, PropChecker } from '../core/prop-checker';
import { pickProps } from '../core/prop-names';
import type { DatabaseConnection } from '../platform/database';
import { Postgres } from '../platform/postgres';
import { Redis } from '../platform/redis';
import { checkClusterOnSynth } from '../synth/cluster-validation';
import { AppTcpRoute } from '../traefik/app-tcp-route';
import { AppUdpRoute } from '../traefik/app-udp-route';
import { ForwardAuth } from '../traefik/forward-auth';
import { GatewayRoute } from '../traefik/gateway-route';
import { HttpsRedirect } from '../traefik/https-redirect';
import { type ExtraRoute, HttpsRoute, tlsDomainNames } from '../traefik/https-route';
import { IpAllowList } from '../traefik/ip-allow-list';
import { SecurityHeaders, type SecurityHeadersOptions } from '../traefik/security-headers';
import { StripPrefix } from '../traefik/strip-prefix';
import { checkAppStackProps, resolveRanges } from './app-stack-checks';
import type {
  AppMetrics,
  AppPort,
  AppStackProps,
  CertManagerIssuer,
  Exposure,
  GatewayRef,
  KubernetesApiAccess,
  LoadBalancerAddress,
  SsoOptions,
  TcpExposure,
} from './app-stack-props';
import { SharedNamespace } from './shared-namespace';
import { outpostRoutes, ssoServerOf } from './sso-routes';

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
  /** Whether `x` is an AppStack, from this copy of cdk8s-homelab or another. */
  public static isAppStack(x: unknown): x is AppStack {
    return hasBrand(x, 'AppStack');
  }

  /** The app name: the stack id. */
  public readonly appName: string;
  /** The hosts the app is served at. */
  public readonly hosts: readonly string[];
  /** How the app is reached. */
  public readonly expose: Exposure;
  /** The namespace the app owns (or shares, in a SharedNamespace). */
  public readonly appNamespace: AppNamespace;
  /** The SharedNamespace the app is in, if any. */
  public readonly sharedNamespace?: SharedNamespace;
  /** The app's Deployment (unless stateful). */
  public readonly deployment?: AppDeployment;
  /** The app's StatefulSet (when stateful). */
  public readonly statefulSet?: AppStatefulSet;
  /** The app's Service (none for a worker without a port). */
  public readonly service?: AppService;
  /** The LoadBalancer Service `<app>-lb` of its `loadBalancer` ports, if any (with `expose: 'loadBalancer'` they are on `service`). */
  public readonly loadBalancerService?: AppService;
  /** The Traefik routes of its ports reached through an entry point (IngressRouteTCP, IngressRouteUDP). */
  public readonly portRoutes: readonly (AppTcpRoute | AppUdpRoute)[];
  /** The port the app serves (its own, or for a worker its metrics port), if any. */
  public readonly port?: number;
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
  /** The cert-manager Certificate, with `certManager`. */
  public readonly certificate?: AppCertificate;
  /** The Gateway API HTTPRoutes (`gateway`): the app's on HTTPS, and the redirect on HTTP. */
  public readonly gatewayRoute?: GatewayRoute;
  /** The app's own ServiceAccount, with `kubernetesApi`. */
  public readonly serviceAccount?: AppServiceAccount;
  /** The Prometheus Operator ServiceMonitor, with `metrics`. */
  public readonly serviceMonitor?: AppServiceMonitor;

  constructor(scope: Construct, id: string, props: AppStackProps) {
    super(freeScope(scope, id, 'app'), id, { disableResourceNameHashes: true });
    setBrand(this, 'AppStack');
    checkClusterOnSynth(this);
    this.appName = id;
    this.sharedNamespace = SharedNamespace.isSharedNamespace(scope) ? scope : undefined;
    this.expose = props.expose ?? clusterProfileOf(this).defaultExpose;
    this.hosts = checkAppStackProps(this, id, props, this.sharedNamespace);
    checkSharedMounts(this, props, this.sharedNamespace?.name ?? props.namespace ?? id);
    this.port = props.port ?? props.metrics?.port;
    // Checked above, under the stack's prop names: these children do not check them again.
    PropChecker.declareChecked(this, checkedChildren(props));
    const namespace = this.sharedNamespace?.name ?? props.namespace ?? id;
    const labels = recommendedLabels(id);
    const selector = selectorLabels(id);
    const stateful = props.stateful ?? false;
    const app: AppNames = { id, namespace, labels, selector };

    this.appNamespace = this.addNamespace(app, props);
    this.networkPolicy = this.addNetworkPolicy(app, props);
    // Volumes, config and databases come first: the workload mounts and reads them.
    this.volumeClaims = stateful ? [] : this.addVolumeClaims(app, props);
    this.configMaps = this.addConfigMaps(app, props);
    const databases = this.addDatabases(app, props);
    this.postgres = databases.postgres;
    this.redis = databases.redis;
    this.service = this.port === undefined ? undefined : this.addServices(app, props, this.port);
    this.loadBalancerService = this.addLoadBalancerService(app, props);
    this.serviceAccount = props.kubernetesApi ? this.addServiceAccount(app, props.kubernetesApi) : undefined;
    const workload = this.workloadProps(props, databases.connections);
    const workloads = this.addWorkload(app, props, workload);
    this.deployment = workloads.deployment;
    this.statefulSet = workloads.statefulSet;
    this.disruptionBudget = workloads.disruptionBudget;
    this.autoscaler = workloads.autoscaler;
    this.cronJobs = this.addCronJobs(app, props, workload);

    const certManager = this.certificateIssuer(props);
    this.certificate = certManager ? this.addCertificate(app, certManager, props) : undefined;
    this.serviceMonitor = props.metrics ? this.addServiceMonitor(app, props.metrics) : undefined;
    this.portRoutes = this.addPortRoutes(app, props);
    if (this.expose === 'https') {
      const middlewares = this.addMiddlewares(app, props);
      this.httpsRedirect = middlewares.httpsRedirect;
      this.securityHeaders = middlewares.securityHeaders;
      this.ipAllowList = middlewares.ipAllowList;
      this.sso = middlewares.sso;
      this.route = this.addHttpsRoute(app, props, middlewares);
    } else if (this.expose === 'ingress') {
      this.ingress = this.addIngress(app, props);
    } else if (this.expose === 'gateway') {
      // In a SharedNamespace, an app that sets no headers of its own sends the namespace's (as on Traefik routes).
      const headers = props.securityHeaders ?? this.sharedNamespace?.securityHeaderOptions;
      this.gatewayRoute = this.addGatewayRoute(app, props.gateway ?? clusterProfileOf(this).gateway, headers);
    } else if (this.expose === 'tcp' && props.tcp) {
      this.tcpRoute = this.addTcpRoute(app, props.tcp);
    }
  }

  /** The Traefik TCP route of an app reached through a TCP entry point (`tcp`). */
  private addTcpRoute({ id, namespace, labels }: AppNames, tcp: TcpExposure): AppTcpRoute {
    return new AppTcpRoute(this, 'TcpRoute', { name: id, namespace, serviceName: this.routed().name, servicePort: this.routed().port, labels, ...tcp });
  }

  /**
   * The app's persistent volume `name` (its claim `<app>-<name>`), for
   * another app of its namespace (a SharedNamespace) to mount in `mounts`.
   * A ReadWriteOnce claim is on one node: the other app's pods are then
   * scheduled on the node of this app's pods.
   */
  public volume(name: string): Volume {
    const claim = this.volumeClaims.find((c) => c.name === `${this.appName}-${name}`);
    if (claim === undefined) {
      const stateful = this.statefulSet !== undefined;
      throw new HomelabError([
        {
          ...problemAt(this, 'volume()', name, stateful ? 'is a volume per pod of a StatefulSet, which no other app can mount' : 'is not a volume of the app'),
          fix: stateful
            ? 'share a volume of a Deployment, or an AppVolumeClaim of its own'
            : `use one of ${this.volumeClaims.map((c) => c.name.slice(this.appName.length + 1)).join(', ') || '(none: the app has no volumes)'}`,
        },
      ]);
    }
    const volume = Volume.pvc(name, claim.name);
    SHARED_CLAIMS.set(volume, { app: this.appName, namespace: claim.namespace, selector: selectorLabels(this.appName), accessMode: claim.accessMode });
    return volume;
  }

  /** The PersistentVolumeClaims of the app's volumes (a Deployment's; a StatefulSet has claim templates). */
  private addVolumeClaims({ id, namespace, labels }: AppNames, props: AppStackProps): AppVolumeClaim[] {
    return (props.volumes ?? []).map(
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
  }

  /** The app's ConfigMaps. */
  private addConfigMaps({ id, namespace, labels }: AppNames, props: AppStackProps): AppConfigMap[] {
    return (props.config ?? []).map(
      (c) =>
        new AppConfigMap(this, `Config-${c.name}`, {
          name: `${id}-${c.name}`,
          namespace,
          data: c.data,
          files: c.files,
          labels,
        }),
    );
  }

  /** The app's own PostgreSQL and Redis, and the connections of every database it uses. */
  private addDatabases({ id, namespace }: AppNames, props: AppStackProps): AppDatabases {
    let postgres: Postgres | undefined;
    let redis: Redis | undefined;
    // The app's pods and its scheduled tasks' pods (same name, another instance).
    const client = { name: id, namespace, selector: { 'app.kubernetes.io/name': id } };
    const connections: DatabaseConnection[] = [];
    if (props.postgres) {
      const { connection, ...pg } = props.postgres;
      postgres = new Postgres(this, 'Postgres', { ...pg, name: `${id}-postgres`, namespace, labels: { ...pg.labels, 'app.kubernetes.io/part-of': id } });
      postgres.allowFrom(client);
      connections.push(postgres.connection(connection));
    }
    if (props.redis) {
      const { connection, ...r } = props.redis;
      redis = new Redis(this, 'Redis', { ...r, name: `${id}-redis`, namespace, labels: { ...r.labels, 'app.kubernetes.io/part-of': id } });
      redis.allowFrom(client);
      connections.push(redis.connection(connection));
    }
    for (const { database, connection } of props.databases ?? []) {
      database.allowFrom(client);
      connections.push(database.connection(connection));
    }
    return { postgres, redis, connections };
  }

  /** The app's Service (and a headless one for a StatefulSet). */
  private addServices({ id, namespace, labels, selector }: AppNames, props: AppStackProps, port: number): AppService {
    // Created in apply order (Service before the workload), so that cdk8s's
    // own App.synth() writes the same file as HomelabApp.
    const service = new AppService(this, 'Service', {
      name: id,
      namespace,
      selector,
      targetPort: port,
      // A LoadBalancer takes its port on the network (on every node with ServiceLB): the app's own, not 80, which Traefik holds.
      port: props.servicePort ?? (this.expose === 'loadBalancer' ? port : undefined),
      type: this.expose === 'loadBalancer' ? 'LoadBalancer' : this.expose === 'nodePort' ? 'NodePort' : undefined,
      nodePort: props.nodePort,
      annotations: metalLbAnnotations(props.loadBalancer),
      extraPorts: this.extraPorts(props),
      labels,
    });
    if (props.stateful ?? false) {
      new AppService(this, 'HeadlessService', {
        name: `${id}-headless`,
        namespace,
        selector,
        targetPort: port,
        port,
        headless: true,
        labels,
      });
    }
    return service;
  }

  /** The LoadBalancer Service of the `loadBalancer` ports, unless the app's own Service is one. */
  private addLoadBalancerService({ id, namespace, labels, selector }: AppNames, props: AppStackProps): AppService | undefined {
    const ports = (props.ports ?? []).filter((p) => p.expose === 'loadBalancer');
    if (this.expose === 'loadBalancer' || ports.length === 0) {
      return undefined;
    }
    const [first, ...rest] = ports;
    return new AppService(this, 'LoadBalancerService', {
      name: `${id}-lb`,
      namespace,
      selector,
      type: 'LoadBalancer',
      targetPort: first.port,
      port: first.port,
      portName: first.name,
      protocol: first.protocol,
      extraPorts: rest.map(namedPort),
      annotations: metalLbAnnotations(first.loadBalancer),
      labels,
    });
  }

  /** The Traefik routes of the ports reached through an entry point: TCP or UDP, to the app's Service. */
  private addPortRoutes({ id, namespace, labels }: AppNames, props: AppStackProps): (AppTcpRoute | AppUdpRoute)[] {
    return (props.ports ?? []).flatMap((p) => {
      if (typeof p.expose !== 'object') {
        return [];
      }
      const route = { name: `${id}-${p.name}`, namespace, entryPoint: p.expose.entryPoint, serviceName: this.routed().name, servicePort: p.port, labels };
      return [p.protocol === 'UDP' ? new AppUdpRoute(this, `Route-${p.name}`, route) : new AppTcpRoute(this, `Route-${p.name}`, route)];
    });
  }

  /** The workload (Deployment or StatefulSet), with its disruption budget and autoscaler. */
  private addWorkload({ id, namespace, labels, selector }: AppNames, props: AppStackProps, workload: WorkloadProps): AppWorkloads {
    const out: { -readonly [K in keyof AppWorkloads]: AppWorkloads[K] } = {};
    const replicas = props.autoscale?.minReplicas ?? props.replicas ?? 1;
    const spread = replicas > 1 || (props.autoscale?.maxReplicas ?? 0) > 1;
    if (props.stateful ?? false) {
      out.statefulSet = new AppStatefulSet(this, 'StatefulSet', {
        ...workload,
        name: id,
        namespace,
        serviceName: `${id}-headless`,
        selector,
        labels,
        port: this.port,
        extraPorts: this.extraPorts(props),
        replicas,
        volumeClaims: (props.volumes ?? []).map((v) => ({ ...v })),
      });
    } else {
      out.deployment = new AppDeployment(this, 'Deployment', {
        ...workload,
        name: id,
        namespace,
        port: this.port,
        extraPorts: this.extraPorts(props),
        selector,
        labels,
        replicas,
        autoscaled: props.autoscale !== undefined,
        podSpec: spread ? { topologySpreadConstraints: [topologySpread(selector)] } : undefined,
      });
    }
    if (spread) {
      out.disruptionBudget = new AppDisruptionBudget(this, 'DisruptionBudget', { name: id, namespace, selector, labels });
    }
    if (props.autoscale) {
      out.autoscaler = new AppAutoscaler(this, 'Autoscaler', { ...props.autoscale, name: id, namespace, labels });
    }
    return out;
  }

  /** The app's scheduled tasks. */
  private addCronJobs({ id, namespace, labels, selector }: AppNames, props: AppStackProps, workload: WorkloadProps): AppCronJob[] {
    const sharesVolume = (workload.mounts ?? []).some((m) => m.volume.claimName !== undefined);
    return (props.cronJobs ?? []).map(
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
                    requiredDuringSchedulingIgnoredDuringExecution: [onNodeOf(selector)],
                  },
                },
              }
            : undefined,
        }),
    );
  }

  /** The Traefik middlewares of HTTPS routes: the redirect, security headers, IP allow list, sign-on. */
  private addMiddlewares({ namespace, labels }: AppNames, props: AppStackProps): AppMiddlewares {
    const shared = this.sharedNamespace;
    const httpsRedirect = shared ? shared.httpsRedirect() : new HttpsRedirect(this, 'HttpsRedirect', { namespace, labels });
    let securityHeaders: SecurityHeaders | undefined;
    if (shared && props.securityHeaders === undefined) {
      securityHeaders = shared.securityHeaders();
    } else if (props.securityHeaders !== false) {
      securityHeaders = new SecurityHeaders(this, 'SecurityHeaders', {
        ...props.securityHeaders,
        name: this.ownName('security-headers'),
        namespace,
        labels,
      });
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
    const ipAllowList = props.ipAllowList
      ? new IpAllowList(this, 'IpAllowList', {
          name: this.ownName('ip-allow-list'),
          namespace,
          sourceRange: resolveRanges(this, props.ipAllowList),
          ipStrategyDepth: props.ipStrategyDepth,
          labels,
        })
      : undefined;
    const ssoServer = props.sso ? ssoServerOf(props.sso) : undefined;
    const sso = ssoServer ? new ForwardAuth(this, 'Sso', { name: this.ownName('sso'), namespace, address: ssoServer.address, labels }) : undefined;
    return { httpsRedirect, securityHeaders, ipAllowList, sso, ssoServer };
  }

  /** The Traefik routes of every host: HTTP redirects, HTTPS through the middlewares, extra paths and the SSO sign-in path. */
  private addHttpsRoute({ id, namespace, labels }: AppNames, props: AppStackProps, m: AppMiddlewares): HttpsRoute {
    const ref = (x: { name: string } | undefined) => (x ? [{ name: x.name, namespace }] : []);
    const guard = [...ref(m.securityHeaders), ...ref(m.ipAllowList)];
    const middlewares = [...guard, ...ref(m.sso)];
    const extraRoutes: ExtraRoute[] = [];
    for (const [i, p] of (props.paths ?? []).entries()) {
      const strip = p.stripPrefix
        ? new StripPrefix(this, `StripPrefix-${i}`, { name: this.ownName(`strip-${pathSlug(p.prefix)}`), namespace, prefixes: [p.prefix], labels })
        : undefined;
      for (const host of this.hosts) {
        extraRoutes.push({
          match: `Host(\`${host}\`) && PathPrefix(\`${p.prefix}\`)`,
          service: p.service ?? { name: this.routed().name, port: this.routed().port },
          middlewares: [...middlewares, ...ref(strip)],
        });
      }
    }
    const { ssoServer } = m;
    if (ssoServer) {
      // Sign-in callbacks skip SSO, not the headers nor the allow list.
      extraRoutes.push(...outpostRoutes(this.hosts, ssoServer, guard));
    }
    return new HttpsRoute(this, 'Route', {
      name: id,
      namespace,
      hosts: [...this.hosts],
      serviceName: this.routed().name,
      servicePort: this.routed().port,
      redirectMiddleware: { name: m.httpsRedirect.name, namespace },
      middlewares,
      extraRoutes: extraRoutes.length > 0 ? extraRoutes : undefined,
      policyExceptions: m.securityHeaders ? undefined : { hsts: 'securityHeaders: false on the AppStack' },
      certResolver: props.certResolver,
      tlsSecretName: this.certificate ? `${id}-tls` : props.tlsSecretName,
      tlsDomains: props.tlsDomains,
      labels,
    });
  }

  /** The HTTPRoutes of a Gateway API gateway (see GatewayRoute). */
  private addGatewayRoute(
    { id, namespace, labels }: AppNames,
    gateway: GatewayRef | undefined,
    securityHeaders: SecurityHeadersOptions | false | undefined,
  ): GatewayRoute | undefined {
    if (gateway === undefined) {
      return undefined; // reported by the checks (props.gateway is required)
    }
    return new GatewayRoute(this, 'GatewayRoute', {
      name: id,
      namespace,
      hosts: [...this.hosts],
      serviceName: this.routed().name,
      servicePort: this.routed().port,
      gatewayName: gateway.name,
      gatewayNamespace: gateway.namespace,
      httpsListener: gateway.httpsListener,
      httpListener: gateway.httpListener,
      securityHeaders,
      labels,
    });
  }

  /** The Prometheus Operator ServiceMonitor that scrapes the app's Service. */
  private addServiceMonitor({ id, namespace, labels, selector }: AppNames, metrics: AppMetrics): AppServiceMonitor {
    return new AppServiceMonitor(this, 'ServiceMonitor', {
      name: id,
      namespace,
      labels,
      selector,
      port: metricsPort(metrics, this.routed().targetPort) === undefined ? this.routed().portName : 'metrics',
      path: metrics.path,
      interval: metrics.interval,
    });
  }

  /**
   * The issuer of the app's cert-manager certificate: its own `certManager`,
   * else the profile's, for a routed app that names no other certificate source.
   */
  private certificateIssuer(props: AppStackProps): CertManagerIssuer | undefined {
    const ownSource = props.certResolver !== undefined || props.tlsSecretName !== undefined;
    const profileIssuer = (this.expose === 'https' || this.expose === 'ingress') && this.hosts.length > 0 && !ownSource;
    return props.certManager ?? (profileIssuer ? clusterProfileOf(this).certManager : undefined);
  }

  /** The cert-manager Certificate of the app's hosts (or TLS domains), into the Secret `<app>-tls`. */
  private addCertificate({ id, namespace, labels }: AppNames, cert: CertManagerIssuer, props: AppStackProps): AppCertificate {
    return new AppCertificate(this, 'Certificate', {
      name: id,
      namespace,
      labels,
      dnsNames: props.tlsDomains ? tlsDomainNames(props.tlsDomains) : [...this.hosts],
      secretName: `${id}-tls`,
      issuer: cert.issuer,
      issuerKind: cert.kind,
    });
  }

  /** The standard Ingress of every host (other ingress controllers). */
  private addIngress({ id, namespace, labels }: AppNames, props: AppStackProps): AppIngress {
    return new AppIngress(this, 'Ingress', {
      name: id,
      namespace,
      ingressClassName: props.ingressClassName ?? clusterProfileOf(this).ingressClassName,
      hosts: [...this.hosts],
      serviceName: this.routed().name,
      servicePort: this.routed().port,
      tlsSecretName: this.certificate?.secretName ?? props.tlsSecretName,
      annotations: props.ipAllowList ? { [NGINX_ALLOW_LIST_ANNOTATION]: resolveRanges(this, props.ipAllowList).join(',') } : undefined,
      labels,
    });
  }

  /** The namespace the app owns, with its Pod Security profile. */
  private addNamespace({ namespace, labels }: AppNames, props: AppStackProps): AppNamespace {
    if (this.sharedNamespace) {
      return this.sharedNamespace.appNamespace;
    }
    return new AppNamespace(this, 'Namespace', {
      name: namespace,
      labels,
      podSecurity: props.security?.profile,
      podSecurityReason: props.security?.reason,
    });
  }

  /** The NetworkPolicies of the namespace: deny by default, let in the ingress controller and the allowed apps. */
  private addNetworkPolicy({ namespace, labels, selector }: AppNames, props: AppStackProps): AppNetworkPolicy {
    const ports = policyPorts(props);
    const peerPorts = this.port !== undefined && ports.cluster.length > 0 ? [this.port, ...ports.cluster] : undefined;
    const openMain = (this.expose === 'loadBalancer' || this.expose === 'nodePort') && this.port !== undefined;
    const anywhere = [...(openMain ? [this.port] : []), ...ports.loadBalancer];
    return new AppNetworkPolicy(this, 'NetworkPolicy', {
      namespace,
      namePrefix: this.sharedNamespace ? `${this.appName}-` : undefined,
      denyAll: this.sharedNamespace === undefined,
      podSelector: selector,
      port: this.port,
      ingressController: this.portController(props, ports.entryPoint),
      allowFromAnywhere: anywhere.length > 0 ? anywhere : false,
      allowFrom: [
        ...(props.allowFrom ?? []).map((peer) =>
          'appName' in peer
            ? { namespace: peer.appNamespace.name, podSelector: selectorLabels(peer.appName), name: peer.appName, ports: peerPorts }
            : { ...peer, ports: peer.ports ?? peerPorts },
        ),
        ...(props.metrics && this.port !== undefined ? [this.scraper(props.metrics, this.port)] : []),
      ],
      labels,
    });
  }

  /** The app's own ServiceAccount, with the rights `kubernetesApi` gives it. */
  private addServiceAccount({ id, namespace, labels }: AppNames, access: KubernetesApiAccess): AppServiceAccount {
    return new AppServiceAccount(this, 'ServiceAccount', { name: id, namespace, labels, ...access });
  }

  /**
   * The name of an object the app would otherwise share its namespace's name
   * for: the name itself in the app's own namespace, `<app>-<name>` in a SharedNamespace.
   */
  private ownName(name: string): string {
    return this.sharedNamespace ? `${this.appName}-${name}` : name;
  }

  /** The app's Service, which every way in and the metrics need (the checks make sure the app has a port then). */
  private routed(): AppService {
    if (this.service === undefined) {
      throw new Error(`AppStack ${this.appName} has no Service: a way in needs a port`);
    }
    return this.service;
  }

  /** Prometheus, let in on the metrics port (the app's, unless `metrics.port` names another). */
  private scraper(metrics: AppMetrics, appPort: number): NetworkPeer {
    const scraper = metrics.scraper ?? DEFAULT_SCRAPER;
    const port = metricsPort(metrics, appPort);
    return port === undefined || scraper.ports !== undefined ? scraper : { ...scraper, ports: [port] };
  }

  /** The container and Service ports besides the app's: the metrics port, when it is another, and its `ports`. */
  private extraPorts(props: AppStackProps): NamedPort[] | undefined {
    const port = props.metrics && this.port !== undefined ? metricsPort(props.metrics, this.port) : undefined;
    const ports = [...(port === undefined ? [] : [{ name: 'metrics', port }]), ...(props.ports ?? []).map(namedPort)];
    return ports.length > 0 ? ports : undefined;
  }

  /**
   * The ingress controller as the NetworkPolicy lets it in: on the app's
   * port when it routes to it, and on the ports of entry-point routes (then
   * Traefik, even for an app it does not serve otherwise).
   */
  private portController(props: AppStackProps, entryPointPorts: readonly ProtocolPort[]): NetworkPeer | false {
    const controller = this.port === undefined ? false : this.ingressController(props);
    if (entryPointPorts.length === 0) {
      return controller;
    }
    const traefik = controller || props.ingressController || clusterProfileOf(this).traefik;
    return { ...traefik, ports: [...(controller && this.port !== undefined ? [this.port] : []), ...entryPointPorts] };
  }

  /** The pods the NetworkPolicy lets in as the ingress controller. */
  private ingressController(props: AppStackProps): NetworkPeer | false {
    switch (this.expose) {
      case 'https':
      case 'gateway':
      case 'tcp':
        return props.ingressController ?? clusterProfileOf(this).traefik;
      case 'ingress':
        return props.ingressController ?? clusterProfileOf(this).ingressController;
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
      ...pickProps<WorkloadProps>(props, WORKLOAD_PROPS_FIELDS),
      ...(this.serviceAccount ? { serviceAccountName: this.serviceAccount.name, automountServiceAccountToken: true } : {}),
      env: Object.assign({}, ...connections.map((c) => c.env), props.env),
      secretEnv: Object.assign({}, ...connections.map((c) => c.secretEnv), props.secretEnv),
      envFromConfigMaps: envFromConfigMaps.length > 0 ? envFromConfigMaps : undefined,
      mounts: mounts.length > 0 ? mounts : undefined,
      podAnnotations: Object.keys(podAnnotations).length > 0 ? podAnnotations : undefined,
      affinity: withSharedClaimNodes(props.affinity, props.mounts ?? []),
    };
  }
}

/** The annotations by which a LoadBalancer Service asks MetalLB (v0.13 on) for a pool or an address. */
function metalLbAnnotations(address: LoadBalancerAddress | undefined): Record<string, string> | undefined {
  const annotations: Record<string, string> = {};
  if (address?.pool !== undefined) {
    annotations[METALLB_POOL_ANNOTATION] = address.pool;
  }
  if (address?.address !== undefined) {
    annotations[METALLB_ADDRESS_ANNOTATION] = address.address;
  }
  return Object.keys(annotations).length > 0 ? annotations : undefined;
}

/** Where Prometheus runs unless an app says otherwise: the monitoring namespace (kube-prometheus-stack's usual one). */
const DEFAULT_SCRAPER: NetworkPeer = Object.freeze({ namespace: 'monitoring', name: 'prometheus' });

/** A required podAffinity term: on the node of the pods `selector` selects (where a node-local volume is). */
function onNodeOf(selector: Record<string, string>) {
  return { labelSelector: { matchLabels: { ...selector } }, topologyKey: 'kubernetes.io/hostname' };
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

/** The names and labels every child of an AppStack shares. */
interface AppNames {
  readonly id: string;
  readonly namespace: string;
  readonly labels: Record<string, string>;
  readonly selector: Record<string, string>;
}

/** What {@link AppStack} builds for its databases. */
interface AppDatabases {
  readonly postgres?: Postgres;
  readonly redis?: Redis;
  readonly connections: DatabaseConnection[];
}

/** What {@link AppStack} builds for its workload. */
interface AppWorkloads {
  readonly deployment?: AppDeployment;
  readonly statefulSet?: AppStatefulSet;
  readonly disruptionBudget?: AppDisruptionBudget;
  readonly autoscaler?: AppAutoscaler;
}

/** The middlewares of an AppStack's HTTPS routes, and the sign-on server behind `sso`. */
interface AppMiddlewares {
  readonly httpsRedirect: HttpsRedirect;
  readonly securityHeaders?: SecurityHeaders;
  readonly ipAllowList?: IpAllowList;
  readonly sso?: ForwardAuth;
  readonly ssoServer?: SsoOptions;
}

/** Where a volume of another app (see {@link AppStack.volume}) comes from: its app, namespace, pods and access mode. */
interface SharedClaim {
  readonly app: string;
  readonly namespace: string;
  readonly selector: Record<string, string>;
  readonly accessMode: AccessMode;
}

/** The volumes AppStack.volume gave out, and whose claim they are. */
const SHARED_CLAIMS = new WeakMap<Volume, SharedClaim>();

/** Another app's volumes can only be mounted in its namespace, and one ReadWriteOncePod claim by one pod. */
function checkSharedMounts(stack: AppStack, props: AppStackProps, namespace: string): void {
  const checker = new PropChecker(stack);
  for (const [i, m] of (props.mounts ?? []).entries()) {
    const shared = SHARED_CLAIMS.get(m.volume);
    if (shared === undefined) {
      continue;
    }
    checker.check(
      shared.namespace === namespace,
      `props.mounts[${i}].volume`,
      m.volume.name,
      `is a volume of app ${shared.app} in namespace ${shared.namespace}, and a pod can only mount claims of its own namespace (${namespace})`,
      `create both apps in one SharedNamespace, or give the app a volume of its own`,
    );
    checker.check(
      shared.accessMode !== 'ReadWriteOncePod',
      `props.mounts[${i}].volume`,
      m.volume.name,
      `is a ReadWriteOncePod volume of app ${shared.app}: only one pod may mount it`,
      'give the volume accessMode ReadWriteOnce (pods of one node) or ReadWriteMany',
    );
  }
  checker.reportProblems();
}

/**
 * The app's affinity, plus: on the node of the pods of each app whose
 * ReadWriteOnce volume it mounts (such a volume is attached to one node).
 */
function withSharedClaimNodes(affinity: AppStackProps['affinity'], mounts: readonly Mount[]): AppStackProps['affinity'] {
  const terms = mounts.flatMap((m) => {
    const shared = SHARED_CLAIMS.get(m.volume);
    return shared?.accessMode === 'ReadWriteOnce' ? [onNodeOf(shared.selector)] : [];
  });
  if (terms.length === 0) {
    return affinity;
  }
  const required = affinity?.podAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? [];
  return { ...affinity, podAffinity: { ...affinity?.podAffinity, requiredDuringSchedulingIgnoredDuringExecution: [...required, ...terms] } };
}

/** The ids of the children whose props AppStack checks itself, under its own prop names. */
function checkedChildren(props: AppStackProps): string[] {
  return [
    'Deployment',
    'StatefulSet',
    'Route',
    'SecurityHeaders',
    'IpAllowList',
    'Autoscaler',
    'Certificate',
    'ServiceMonitor',
    'GatewayRoute',
    'ServiceAccount',
    'LoadBalancerService',
    ...(props.volumes ?? []).map((v) => `Volume-${v.name}`),
    ...(props.ports ?? []).map((p) => `Route-${p.name}`),
  ];
}

/** A port of `ports` as the container and Service declare it. */
function namedPort(p: AppPort): NamedPort {
  return p.protocol === undefined ? { name: p.name, port: p.port } : { name: p.name, port: p.port, protocol: p.protocol };
}

/** The app's `ports` by who may reach them: the apps of allowFrom, any client, or Traefik through an entry point. */
function policyPorts(props: AppStackProps): { cluster: ProtocolPort[]; loadBalancer: ProtocolPort[]; entryPoint: ProtocolPort[] } {
  const out = { cluster: [] as ProtocolPort[], loadBalancer: [] as ProtocolPort[], entryPoint: [] as ProtocolPort[] };
  for (const p of props.ports ?? []) {
    const how = p.expose ?? 'cluster';
    out[typeof how === 'object' ? 'entryPoint' : how].push({ port: p.port, protocol: p.protocol ?? 'TCP' });
  }
  return out;
}

/** The metrics port when it is not the app's own port, else undefined. */
function metricsPort(metrics: AppMetrics, appPort: number): number | undefined {
  return metrics.port !== undefined && metrics.port !== appPort ? metrics.port : undefined;
}
