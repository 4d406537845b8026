import type { Construct } from 'constructs';
import { AUTOSCALE_FIELDS, checkAutoscale } from '../constructs/app-autoscaler';
import { CERT_MANAGER_ISSUER_FIELDS, checkCertManagerIssuer } from '../constructs/app-certificate';
import { APP_CONFIG_FIELDS } from '../constructs/app-config-map';
import { NETWORK_PEER_FIELDS } from '../constructs/app-network-policy';
import { checkRbacRules, RBAC_RULE_FIELDS } from '../constructs/app-service-account';
import { checkVolumeSize, PERSISTENT_VOLUME_FIELDS } from '../constructs/app-volume-claim';
import { checkAppDeploymentProps } from '../constructs/workload/app-deployment';
import { type PodSecurityProfile, resolvePodSecurity } from '../constructs/workload/pod-security';
import { givenScheduleProblem, isTimeZone } from '../constructs/workload/schedule';
import { checkWorkloadPropNames } from '../constructs/workload/workload-checks';
import { NGINX_INGRESS_CLASSES } from '../core/annotations';
import { type ClusterProfile, clusterProfileOf, GATEWAY_REF_FIELDS } from '../core/cluster-profile';
import { PropChecker } from '../core/prop-checker';
import { omitProps, type PropNames } from '../core/prop-names';
import { isCidr, isDns1035Label, isDnsLabel, isDnsSubdomain, isPathPrefix, isPrometheusDuration } from '../core/value-rules';
import { Authentik } from '../platform/authentik';
import { CONNECTION_OPTIONS_FIELDS, DATABASE_PROPS_FIELDS } from '../platform/database';
import { POSTGRES_PROPS_FIELDS } from '../platform/postgres';
import { HomelabApp } from '../synth/homelab-app';
import { checkHttpsRouteProps, TLS_DOMAIN_FIELDS } from '../traefik/https-route';
import { checkSourceRange } from '../traefik/ip-allow-list';
import { checkSecurityHeaders, SECURITY_HEADERS_OPTIONS_FIELDS } from '../traefik/security-headers';
import { checkAppPortNames, checkAppPorts, checkLoadBalancer, LOAD_BALANCER_ADDRESS_FIELDS } from './app-port-checks';
import {
  type AppCronJobSpec,
  type AppMetrics,
  type AppPeer,
  type AppPostgres,
  type AppRedis,
  type AppStackProps,
  type CertManagerIssuer,
  type DatabaseUse,
  type Exposure,
  type KubernetesApiAccess,
  OUTPOST_PATH,
  type RoutePath,
  type SsoOptions,
  type TcpExposure,
} from './app-stack-props';
import { claimNamespace } from './namespace-owners';

/** CIDR ranges of an allow list whose entries are ranges or network names. */
export function resolveRanges(stack: Construct, entries: readonly string[]): string[] {
  const networks = HomelabApp.tryOf(stack)?.networks ?? {};
  return [...new Set(entries.flatMap((e) => (isCidr(e) ? [e] : [...(networks[e] ?? [])])))];
}

/** The prop names of {@link SsoOptions}, to find unknown ones at run time. */
const SSO_OPTIONS_FIELDS: PropNames<SsoOptions> = { address: 'string', outpostService: 'object' };

/** The prop names of {@link DatabaseUse}, to find unknown ones at run time. */
const DATABASE_USE_FIELDS: PropNames<DatabaseUse> = { database: 'object', connection: 'object?' };

/** The prop names of {@link TcpExposure}, to find unknown ones at run time. */
const TCP_EXPOSURE_FIELDS: PropNames<TcpExposure> = { entryPoint: 'string', hostSNI: 'string?', passthrough: 'boolean?' };

/** The prop names of {@link RoutePath}, to find unknown ones at run time. */
const ROUTE_PATH_FIELDS: PropNames<RoutePath> = { prefix: 'string', stripPrefix: 'boolean?', service: 'object?' };

/** The prop names of {@link AppCronJobSpec}, to find unknown ones at run time. */
const APP_CRON_JOB_SPEC_FIELDS: PropNames<AppCronJobSpec> = {
  name: 'string',
  schedule: 'object',
  command: 'string[]',
  timeZone: 'string?',
  security: 'object?',
};

/** The prop names of {@link AppPostgres}, to find unknown ones at run time. */
const APP_POSTGRES_FIELDS: PropNames<AppPostgres> = { ...omitProps(POSTGRES_PROPS_FIELDS, 'name', 'namespace'), connection: 'object?' };

/** The prop names of {@link AppRedis}, to find unknown ones at run time. */
const APP_REDIS_FIELDS: PropNames<AppRedis> = { ...omitProps(DATABASE_PROPS_FIELDS, 'name', 'namespace'), connection: 'object?' };

/** The prop names of {@link AppPeer}, to find unknown ones at run time. */
const APP_PEER_FIELDS: PropNames<AppPeer> = { appName: 'string', appNamespace: 'object' };

const KUBERNETES_API_ACCESS_FIELDS: PropNames<KubernetesApiAccess> = { rules: 'list?', clusterRules: 'list?' };
const APP_METRICS_FIELDS: PropNames<AppMetrics> = { port: 'number?', path: 'string?', interval: 'string?', scraper: 'object?' };

/** Every prop of AppStack, of every exposure: a name a caller may pass. */
const APP_STACK_PROPS_FIELDS: PropNames<AppStackProps> = {
  affinity: 'object?',
  allowFloatingTag: 'boolean?',
  allowFrom: 'list?',
  arch: 'string?',
  args: 'string[]?',
  autoUpdate: 'object?',
  autoscale: 'object?',
  certManager: 'object?',
  certResolver: 'string?',
  command: 'string[]?',
  config: 'list?',
  cronJobs: 'list?',
  databases: 'list?',
  env: 'object?',
  envFromConfigMaps: 'string[]?',
  envFromSecrets: 'string[]?',
  expose: 'string?',
  gateway: 'object?',
  host: 'string?',
  hostNetwork: 'boolean?',
  hostPID: 'boolean?',
  hosts: 'string[]?',
  image: 'string',
  imagePullSecrets: 'string[]?',
  ingressClassName: 'string?',
  ingressController: 'object?',
  ipAllowList: 'string[]?',
  ipStrategyDepth: 'number?',
  liveness: 'object?',
  loadBalancer: 'object?',
  metrics: 'object?',
  kubernetesApi: 'object?',
  sidecars: 'list?',
  initContainers: 'list?',
  serviceAccountName: 'string?',
  automountServiceAccountToken: 'boolean?',
  mounts: 'list?',
  namespace: 'string?',
  nodePort: 'number?',
  nodeSelector: 'object?',
  paths: 'list?',
  podAnnotations: 'object?',
  policyExceptions: 'object?',
  port: 'number?',
  postgres: 'object?',
  ports: 'list?',
  readiness: 'object?',
  redis: 'object?',
  replicas: 'number?',
  resources: 'object?',
  secretEnv: 'object?',
  security: 'object?',
  securityHeaders: 'any?',
  servicePort: 'number?',
  sso: 'object?',
  startup: 'object?',
  stateful: 'boolean?',
  tcp: 'object?',
  tlsDomains: 'list?',
  tlsSecretName: 'string?',
  tolerations: 'list?',
  volumes: 'list?',
};

/**
 * Props and option objects that AppStack does not know: a typo that
 * TypeScript cannot see in JavaScript, or in props built by spreading
 * another object.
 */
function checkPropNames(checker: PropChecker, props: AppStackProps): void {
  checker.checkShape('props', props, APP_STACK_PROPS_FIELDS, 'AppStack');
  checkWorkloadPropNames(checker, props);
  checker.checkShapeOfEach('props.volumes', props.volumes, PERSISTENT_VOLUME_FIELDS, 'PersistentVolume');
  checker.checkShapeOfEach('props.config', props.config, APP_CONFIG_FIELDS, 'AppConfig');
  checker.checkShape('props.postgres', props.postgres, APP_POSTGRES_FIELDS, 'AppPostgres');
  checker.checkShape('props.redis', props.redis, APP_REDIS_FIELDS, 'AppRedis');
  checker.checkShapeOfEach('props.databases', props.databases, DATABASE_USE_FIELDS, 'DatabaseUse');
  for (const [field, options] of [
    ['props.postgres.connection', props.postgres?.connection],
    ['props.redis.connection', props.redis?.connection],
    ...(props.databases ?? []).map((use, i) => [`props.databases[${i}].connection`, use.connection] as const),
  ] as const) {
    checker.checkShape(field, options, CONNECTION_OPTIONS_FIELDS, 'ConnectionOptions');
  }
  checker.checkShapeOfEach('props.cronJobs', props.cronJobs, APP_CRON_JOB_SPEC_FIELDS, 'AppCronJobSpec');
  checker.checkShape('props.autoscale', props.autoscale, AUTOSCALE_FIELDS, 'Autoscale');
  checker.checkShape('props.tcp', props.tcp, TCP_EXPOSURE_FIELDS, 'TcpExposure');
  checker.checkShape('props.certManager', props.certManager, CERT_MANAGER_ISSUER_FIELDS, 'CertManagerIssuer');
  checker.checkShape('props.gateway', props.gateway, GATEWAY_REF_FIELDS, 'GatewayRef');
  checker.checkShape('props.metrics', props.metrics, APP_METRICS_FIELDS, 'AppMetrics');
  checker.checkShape('props.kubernetesApi', props.kubernetesApi, KUBERNETES_API_ACCESS_FIELDS, 'KubernetesApiAccess');
  checker.checkShapeOfEach('props.kubernetesApi.rules', props.kubernetesApi?.rules, RBAC_RULE_FIELDS, 'RbacRule');
  checker.checkShapeOfEach('props.kubernetesApi.clusterRules', props.kubernetesApi?.clusterRules, RBAC_RULE_FIELDS, 'RbacRule');
  checker.checkShape('props.loadBalancer', props.loadBalancer, LOAD_BALANCER_ADDRESS_FIELDS, 'LoadBalancerAddress');
  checkAppPortNames(checker, props);
  checker.checkShape('props.metrics.scraper', props.metrics?.scraper, NETWORK_PEER_FIELDS, 'NetworkPeer');
  checker.checkShape('props.ingressController', props.ingressController, NETWORK_PEER_FIELDS, 'NetworkPeer');
  checker.checkShapeOfEach('props.paths', props.paths, ROUTE_PATH_FIELDS, 'RoutePath');
  checker.checkShapeOfEach('props.tlsDomains', props.tlsDomains, TLS_DOMAIN_FIELDS, 'TlsDomain');
  checker.checkShape('props.securityHeaders', props.securityHeaders || undefined, SECURITY_HEADERS_OPTIONS_FIELDS, 'SecurityHeadersOptions');
  checker.checkShape('props.sso', props.sso as SsoOptions | undefined, SSO_OPTIONS_FIELDS, 'SsoOptions'); // an Authentik is no plain object: skipped
  for (const [i, peer] of (Array.isArray(props.allowFrom) ? props.allowFrom : []).entries()) {
    if (!checker.requireShape(typeof peer === 'object' && peer !== null, `props.allowFrom[${i}]`, peer, 'must be an app (an AppStack) or a NetworkPeer')) {
      continue;
    }
    if ('appName' in peer) {
      // An AppStack itself is no plain object: skipped.
      checker.checkShape(`props.allowFrom[${i}]`, peer, APP_PEER_FIELDS, 'AppPeer');
    } else {
      checker.checkShape(`props.allowFrom[${i}]`, peer, NETWORK_PEER_FIELDS, 'NetworkPeer');
    }
  }
}

/** The props with the profile's defaults of what they leave out: how the app is reached, and through which Gateway. */
function withProfileDefaults(given: AppStackProps, profile: ClusterProfile): AppStackProps {
  const expose = given.expose ?? profile.defaultExpose;
  const gateway = expose === 'gateway' ? (given.gateway ?? profile.gateway) : given.gateway;
  return (expose === given.expose && gateway === given.gateway ? given : { ...given, expose, gateway }) as AppStackProps;
}

/**
 * Checks every prop before any child is built, so that all mistakes are
 * reported at once and under the stack's own prop names. Returns the hosts.
 */
export function checkAppStackProps(stack: Construct, id: string, given: AppStackProps, shared?: SharedNamespaceFacts): string[] {
  const checker = new PropChecker(stack);
  checkPropNames(checker, given);
  checker.throwIfIncomplete();
  // Without an expose (or a gateway) of its own, the app is reached the way the cluster's profile says.
  const props = withProfileDefaults(given, clusterProfileOf(stack));
  checkNamespace(checker, stack, id, props.namespace, shared?.name);
  if (shared) {
    checkSharedPodSecurity(checker, props, shared);
  }
  const hosts = checkExposure(checker, id, props);
  checkRouting(checker, stack, props, hosts);
  if (props.ipAllowList) {
    checkIpAllowList(checker, stack, props.ipAllowList, props.ipStrategyDepth);
  }
  checkPaths(checker, props);
  checkAppPorts(checker, id, props, props.expose ?? 'https', clusterProfileOf(stack));
  checkVolumes(checker, props);
  checkScaling(checker, props);
  checkConfig(checker, props);
  checkCronJobs(checker, id, props);
  checker.reportProblems();
  return hosts;
}

/**
 * The app's namespace: a valid name, and its own. Each app owns its namespace (its NetworkPolicies, Middlewares and the
 * Namespace itself), unless it is in a SharedNamespace: a second app in an app's namespace is one problem, not one per
 * object the two would both write.
 */
function checkNamespace(checker: PropChecker, stack: Construct, id: string, given: string | undefined, shared: string | undefined): void {
  if (shared !== undefined) {
    checker.check(
      given === undefined || given === shared,
      'props.namespace',
      given,
      `is not the namespace of SharedNamespace ${shared}, which the app is in`,
      'drop namespace: an app in a SharedNamespace runs in it',
    );
    return;
  }
  // Without a namespace of its own, the app's is its id, which checkExposure checks.
  if (
    given !== undefined &&
    !checker.check(isDnsLabel(given), 'props.namespace', given, 'is not a valid namespace name', 'use at most 63 lowercase letters, digits and "-"')
  ) {
    return;
  }
  const namespace = given ?? id;
  const owner = claimNamespace(stack, namespace, { id, shared: false });
  if (owner === undefined) {
    return;
  }
  checker.check(
    false,
    'props.namespace',
    namespace,
    owner.shared ? `is the namespace of SharedNamespace ${owner.id}` : `is already the namespace of app ${owner.id}`,
    owner.shared
      ? `create the app in it, new AppStack(${owner.id}, '${id}', ...), and drop namespace`
      : `give ${id} its own namespace (leave namespace out and it is "${id}"), or create both apps in a SharedNamespace to share one`,
  );
}

/** What an app in a SharedNamespace is checked against. */
export interface SharedNamespaceFacts {
  /** The namespace's name. */
  readonly name: string;
  /** The Pod Security profile the namespace enforces. */
  readonly podSecurity: PodSecurityProfile;
}

/** The Pod Security profiles, strictest first. */
const PROFILE_ORDER: readonly PodSecurityProfile[] = ['restricted', 'baseline', 'privileged'];

/** An app in a SharedNamespace may be stricter than the namespace, never looser: the namespace's admission would refuse its pods. */
function checkSharedPodSecurity(checker: PropChecker, props: AppStackProps, shared: SharedNamespaceFacts): void {
  const profile = props.security?.profile ?? 'restricted';
  checker.check(
    PROFILE_ORDER.indexOf(profile) <= PROFILE_ORDER.indexOf(shared.podSecurity),
    'props.security.profile',
    profile,
    `is looser than the ${shared.podSecurity} profile that SharedNamespace ${shared.name} enforces, which would refuse the app's pods`,
    `set security: { profile: '${profile}', reason: '...' } on SharedNamespace ${shared.name}, or make the app pass ${shared.podSecurity}`,
  );
}

/** A port wherever something reaches the app; a worker without one has nothing to reach. */
function checkPort(checker: PropChecker, props: AppStackProps, expose: Exposure): void {
  if (props.port !== undefined) {
    return;
  }
  // Unbuildable: every way in goes to the app's port.
  checker.requireShape(
    expose === 'none',
    'props.port',
    undefined,
    `is required with expose: "${expose}"`,
    'give the port the container listens on; only an app with expose: "none" (a worker) may have none',
  );
  checker.check(
    (props.allowFrom ?? []).length === 0 || props.metrics?.port !== undefined,
    'props.allowFrom',
    props.allowFrom,
    'lets apps reach a port, and the app has none',
    'give port, or drop allowFrom',
  );
  checker.check(
    props.metrics === undefined || props.metrics.port !== undefined,
    'props.metrics',
    props.metrics,
    'needs a port to scrape, and the app has none',
    'give metrics.port (the port of the metrics endpoint)',
  );
  checker.check(!(props.stateful ?? false), 'props.stateful', true, 'needs a port (its headless Service gives each pod a name)', 'give port');
}

/** Whether an exposure routes host names (and so needs hosts). */
function isRouted(expose: Exposure): boolean {
  return expose === 'https' || expose === 'ingress' || expose === 'gateway';
}

/** The app name, how it is reached and its hosts (none unless routed); returns the hosts. */
function checkExposure(checker: PropChecker, id: string, props: AppStackProps): string[] {
  const expose = props.expose ?? 'https';
  const routed = isRouted(expose);
  checker.check(
    isDns1035Label(id) && id.length <= 53,
    'id',
    id,
    'is not a valid app name',
    'use at most 53 lowercase letters, digits and "-", starting with a letter (it names the Service and the routes)',
  );
  checker.check(
    ['https', 'ingress', 'gateway', 'tcp', 'loadBalancer', 'nodePort', 'none'].includes(expose),
    'props.expose',
    expose,
    'must be https, ingress, gateway, tcp, loadBalancer, nodePort or none',
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
  checkPort(checker, props, expose);
  if (expose === 'gateway') {
    checker.requireShape(
      props.gateway !== undefined,
      'props.gateway',
      props.gateway,
      'is required with expose: "gateway"',
      'name the Gateway, e.g. gateway: { name: "public", namespace: "gateway" }, or once for every app on the profile (gateway)',
    );
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
  return hosts;
}

/** The workload, Service and route props, and the options that only HTTPS routes take. */
function checkRouting(checker: PropChecker, stack: Construct, props: AppStackProps, hosts: readonly string[]): void {
  const expose = props.expose ?? 'https';
  const routed = isRouted(expose);
  // The names come from `id`, checked above; only the user's props are checked here.
  const names = { name: 'app', namespace: 'app', serviceName: 'app', redirectMiddleware: { name: 'app' } };
  checkAppDeploymentProps(checker, { ...props, ...names, selector: {} });
  if (props.servicePort !== undefined) {
    checker.port('props.servicePort', props.servicePort);
  }
  if (routed && hosts.length > 0) {
    checkHttpsRouteProps(checker, { ...props, ...names, hosts: [...hosts], servicePort: 80 });
  }
  if (props.securityHeaders) {
    checkSecurityHeaders(checker, props.securityHeaders, 'props.securityHeaders');
  }
  checkExposureOptions(checker, props, expose);
  if (props.certManager !== undefined) {
    checkCertManager(checker, props.certManager, props);
  }
  if (props.kubernetesApi !== undefined) {
    checkRbacRules(checker, 'props.kubernetesApi.rules', props.kubernetesApi.rules ?? []);
    checkRbacRules(checker, 'props.kubernetesApi.clusterRules', props.kubernetesApi.clusterRules ?? []);
    checker.check(
      props.serviceAccountName === undefined,
      'props.serviceAccountName',
      props.serviceAccountName,
      'cannot be combined with kubernetesApi, which makes the app a ServiceAccount of its own',
      'drop one of them',
    );
  }
  if (props.metrics !== undefined) {
    checkMetrics(checker, props.metrics);
  }
  if (expose === 'ingress' && props.ipAllowList !== undefined) {
    const ingressClass = props.ingressClassName ?? clusterProfileOf(stack).ingressClassName;
    checker.check(
      NGINX_INGRESS_CLASSES.includes(ingressClass),
      'props.ipAllowList',
      props.ipAllowList,
      `needs the NGINX ingress controller with expose: "ingress" (an annotation of its own), and the ingress class is "${ingressClass}"`,
      `use ingressClassName ${NGINX_INGRESS_CLASSES.map((c) => `"${c}"`).join(' or ')}, or restrict the app in your controller's own way`,
    );
  }
  if (props.gateway !== undefined) {
    checker.check(isDnsSubdomain(props.gateway.name), 'props.gateway.name', props.gateway.name, 'is not a valid Gateway name');
    checker.check(isDnsLabel(props.gateway.namespace), 'props.gateway.namespace', props.gateway.namespace, 'is not a valid namespace name');
  }
  if (expose === 'loadBalancer') {
    checkLoadBalancer(checker, 'props.expose', expose, props.loadBalancer, 'props.loadBalancer', clusterProfileOf(stack));
  }
  if (props.nodePort !== undefined) {
    checker.check(
      Number.isInteger(props.nodePort) && props.nodePort >= 30000 && props.nodePort <= 32767,
      'props.nodePort',
      props.nodePort,
      'is not a node port',
      "use a port from 30000 to 32767 (the cluster's default range)",
    );
  }
}

/** Metrics: an absolute path, a Prometheus duration, a scraper namespace. */
function checkMetrics(checker: PropChecker, metrics: AppMetrics): void {
  if (metrics.port !== undefined) {
    checker.port('props.metrics.port', metrics.port);
  }
  if (metrics.path !== undefined) {
    checker.absolutePath('props.metrics.path', metrics.path);
  }
  if (metrics.interval !== undefined) {
    checker.check(isPrometheusDuration(metrics.interval), 'props.metrics.interval', metrics.interval, 'is not a Prometheus duration', 'write e.g. 30s or 1m');
  }
  if (metrics.scraper !== undefined) {
    checker.check(isDnsLabel(metrics.scraper.namespace), 'props.metrics.scraper.namespace', metrics.scraper.namespace, 'is not a valid namespace name');
  }
}

/** A cert-manager certificate: a valid issuer, and the only source of the app's certificate. */
function checkCertManager(checker: PropChecker, cert: CertManagerIssuer, props: AppStackProps): void {
  checkCertManagerIssuer(checker, 'props.certManager', cert);
  for (const [field, value] of [
    ['certResolver', props.certResolver],
    ['tlsSecretName', props.tlsSecretName],
  ] as const) {
    checker.check(
      value === undefined,
      `props.${field}`,
      value,
      'cannot be combined with certManager: the certificate comes from one source',
      `drop ${field}, or drop certManager`,
    );
  }
}

/** The options of one way of being reached are refused with another (as AppStackProps's types do). */
function checkExposureOptions(checker: PropChecker, props: AppStackProps, expose: Exposure): void {
  const middleware = ' (a Traefik middleware)';
  // The option, its value as the problem shows it, the exposures that take it, and why.
  const options: [string, unknown, readonly Exposure[], string?][] = [
    ['securityHeaders', props.securityHeaders || undefined, ['https', 'gateway']],
    ['sso', props.sso === undefined ? undefined : ssoLabel(props.sso), ['https'], middleware],
    ['ipAllowList', props.ipAllowList, ['https', 'ingress'], ' (a Traefik middleware, or an NGINX annotation)'],
    ['paths', props.paths, ['https'], middleware],
    ['ipStrategyDepth', props.ipStrategyDepth, ['https']],
    ['certResolver', props.certResolver, ['https']],
    ['tlsDomains', props.tlsDomains, ['https']],
    ['tlsSecretName', props.tlsSecretName, ['https', 'ingress']],
    ['certManager', props.certManager?.issuer, ['https', 'ingress']],
    ['loadBalancer', props.loadBalancer, ['loadBalancer']],
    ['nodePort', props.nodePort, ['nodePort', 'loadBalancer']],
    ['gateway', props.gateway, ['gateway']],
    ['ingressClassName', props.ingressClassName, ['ingress']],
    ['tcp', props.tcp, ['tcp']],
    ['ingressController', props.ingressController, ['https', 'ingress', 'gateway', 'tcp']],
  ];
  for (const [field, value, modes, why = ''] of options) {
    if (value !== undefined) {
      checker.check(
        modes.includes(expose),
        `props.${field}`,
        value,
        `only applies to expose: ${modes.map((m) => `"${m}"`).join(' or ')}${why}, not "${expose}"`,
        `drop it, or use expose: "${modes[0]}"`,
      );
    }
  }
}

/** Each allow-list entry: a CIDR range or a network of the cluster. */
export function checkIpAllowList(checker: PropChecker, stack: Construct, ipAllowList: readonly string[], ipStrategyDepth: number | undefined): void {
  const networks = HomelabApp.tryOf(stack)?.networks ?? {};
  let allKnown = true;
  for (const [i, entry] of ipAllowList.entries()) {
    const known = checker.check(
      isCidr(entry) || networks[entry] !== undefined,
      `props.ipAllowList[${i}]`,
      entry,
      'is neither a CIDR range nor a network of the cluster',
      Object.keys(networks).length > 0
        ? `use a CIDR, or one of ${Object.keys(networks).join(', ')}`
        : 'use a CIDR, or declare the network in HomelabApp networks',
    );
    allKnown &&= known;
  }
  // The ranges as a whole, once every entry is one (a bad entry is reported above, once).
  if (allKnown) {
    checkSourceRange(checker, resolveRanges(stack, ipAllowList), 'props.ipAllowList');
  }
  if (ipStrategyDepth !== undefined) {
    checker.check(Number.isInteger(ipStrategyDepth) && ipStrategyDepth > 0, 'props.ipStrategyDepth', ipStrategyDepth, 'must be a whole number, 1 or more');
  }
}

/** Extra paths: prefixes, each once, not the SSO sign-in path, valid Services. */
function checkPaths(checker: PropChecker, props: AppStackProps): void {
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
}

/** Persistent volumes: names, each once, absolute mount paths, sizes. */
function checkVolumes(checker: PropChecker, props: AppStackProps): void {
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
    checker.absolutePath(`props.volumes[${i}].mountPath`, v.mountPath);
    checkVolumeSize(checker, v, `props.volumes[${i}]`);
  }
  checkMountPaths(checker, props);
}

/**
 * Each path of the container mounted once: the volumes' and config's paths
 * against the writable paths of the pod security settings (`/tmp` always),
 * the mounts and each other, named by the props the user wrote.
 */
function checkMountPaths(checker: PropChecker, props: AppStackProps): void {
  const taken = new Map<string, string>();
  for (const { mountPath } of resolvePodSecurity(props.security).mounts) {
    const path = String(mountPath);
    taken.set(path, path === '/tmp' ? 'the writable /tmp every pod gets' : 'props.security.writablePaths');
  }
  for (const [i, m] of (props.mounts ?? []).entries()) {
    taken.set(m.mountPath, `props.mounts[${i}]`);
  }
  const ours: [string, string | undefined][] = [
    ...(props.volumes ?? []).map((v, i): [string, string] => [`props.volumes[${i}].mountPath`, v.mountPath]),
    ...(props.config ?? []).map((c, i): [string, string | undefined] => [`props.config[${i}].mountPath`, c.mountPath]),
  ];
  for (const [field, path] of ours) {
    if (path === undefined) {
      continue;
    }
    const first = taken.get(path);
    checker.check(first === undefined, field, path, `is already mounted by ${first}`, 'mount it at another path');
    taken.set(path, field);
  }
}

/** Replicas and autoscaling: what volumes allow, what goes together. */
function checkScaling(checker: PropChecker, props: AppStackProps): void {
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
}

/** ConfigMaps: names, each once, mounted or given as env. */
function checkConfig(checker: PropChecker, props: AppStackProps): void {
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
      checker.absolutePath(`props.config[${i}].mountPath`, c.mountPath);
    }
  }
}

/** Scheduled tasks: names, each once, valid schedules, a command. */
function checkCronJobs(checker: PropChecker, id: string, props: AppStackProps): void {
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
    const schedule = givenScheduleProblem(job.schedule);
    checker.check(schedule.problem === undefined, `props.cronJobs[${i}].schedule`, schedule.shown, schedule.problem ?? '', schedule.fix);
    if (job.timeZone !== undefined) {
      checker.check(isTimeZone(job.timeZone), `props.cronJobs[${i}].timeZone`, job.timeZone, 'is not a time zone', 'use an IANA name such as Europe/Paris');
    }
    checker.check(job.command.length > 0, `props.cronJobs[${i}].command`, job.command, 'must not be empty');
  }
}

/** How a sign-on server is named in a problem: the Authentik chart's id, or the forwardAuth address. */
function ssoLabel(sso: NonNullable<AppStackProps['sso']>): string {
  return Authentik.isAuthentik(sso) ? `Authentik ${sso.node.id}` : sso.address;
}
