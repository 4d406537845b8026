import { Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { Arch, AppDeployment, ContainerResources, checkAppDeploymentProps } from './app-deployment';
import { AppNamespace } from './app-namespace';
import { AppService } from './app-service';
import { isDns1035Label, isPort } from './checks';
import { PropChecker } from './errors';
import { HttpsRedirect } from './https-redirect';
import { HttpsRoute, TlsDomain, checkHttpsRouteProps } from './https-route';
import { recommendedLabels, selectorLabels } from './labels';
import { Probe } from './probe';

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
   * @default Probe.tcp() on the container port
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
  /** The Middleware that redirects HTTP to HTTPS. */
  public readonly httpsRedirect: HttpsRedirect;
  /** The Traefik routes. */
  public readonly route: HttpsRoute;

  constructor(scope: Construct, id: string, props: AppStackProps) {
    super(scope, id, { disableResourceNameHashes: true });
    this.appName = id;
    this.hosts = checkProps(this, id, props);
    const namespace = props.namespace ?? id;
    const labels = recommendedLabels(id);

    this.appNamespace = new AppNamespace(this, 'Namespace', { name: namespace, labels });
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
    });
    this.httpsRedirect = new HttpsRedirect(this, 'HttpsRedirect', { namespace, labels });
    this.route = new HttpsRoute(this, 'Route', {
      name: id,
      namespace,
      hosts: [...this.hosts],
      serviceName: this.service.name,
      servicePort: this.service.port,
      redirectMiddleware: { name: this.httpsRedirect.name, namespace },
      certResolver: props.certResolver,
      tlsSecretName: props.tlsSecretName,
      tlsDomains: props.tlsDomains,
      labels,
    });
  }
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
  checker.throwIfAny();
  return hosts;
}
