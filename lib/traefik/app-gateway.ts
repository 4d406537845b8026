import { Construct } from 'constructs';
import { AppCertificate, checkCertManagerIssuer } from '../constructs/app-certificate';
import { ManifestObject } from '../constructs/manifest-object';
import { CERT_MANAGER_ISSUER_FIELDS, type CertManagerIssuer, type GatewayRef } from '../core/cluster-profile';
import { PropChecker } from '../core/prop-checker';
import type { PropNames } from '../core/prop-names';
import { isDnsLabel, isDnsSubdomain, isHostname, isPort } from '../core/value-rules';

/** Props of {@link AppGateway}. */
export interface AppGatewayProps {
  /** The Gateway's name. */
  readonly name: string;
  /** Its namespace (and that of its certificate). */
  readonly namespace: string;
  /**
   * The GatewayClass of the implementation that serves it.
   * @default 'traefik'
   */
  readonly gatewayClassName?: string;
  /**
   * The hostname of its listeners, e.g. `*.lab.example.com`: only routes of matching hosts attach.
   * @default - any host
   */
  readonly hostname?: string;
  /**
   * The `kubernetes.io/tls` Secret of the HTTPS listener's certificate.
   * @default - `<name>-tls`, issued by `certManager` when given
   */
  readonly tlsSecretName?: string;
  /**
   * A cert-manager issuer of the listener's certificate, for `hostname` (a
   * wildcard needs an issuer that solves DNS-01).
   * @default - none: the Secret is made another way
   */
  readonly certManager?: CertManagerIssuer;
  /**
   * Whether routes of every namespace may attach (`All`), or only those of the Gateway's (`Same`).
   * @default 'All'
   */
  readonly allowedRoutes?: 'All' | 'Same';
  /**
   * The ports of the HTTP and HTTPS listeners: Traefik's entry points
   * (8000 and 8443, which its Service maps to 80 and 443), or 80 and 443 for
   * implementations that listen on them.
   * @default { http: 8000, https: 8443 }
   */
  readonly ports?: GatewayPorts;
  /**
   * Labels of the objects.
   * @default - none
   */
  readonly labels?: Record<string, string>;
}

/** The ports of a Gateway's listeners. */
export interface GatewayPorts {
  /** The plain HTTP listener's (redirected to HTTPS by the apps' routes). */
  readonly http: number;
  /** The HTTPS listener's. */
  readonly https: number;
}

const GATEWAY_PORTS_FIELDS: PropNames<GatewayPorts> = { http: 'number', https: 'number' };
const APP_GATEWAY_PROPS_FIELDS: PropNames<AppGatewayProps> = {
  name: 'string',
  namespace: 'string',
  gatewayClassName: 'string?',
  hostname: 'string?',
  tlsSecretName: 'string?',
  certManager: 'object?',
  allowedRoutes: 'string?',
  ports: 'object?',
  labels: 'object?',
};

/**
 * A Gateway API Gateway as AppStack's `expose: 'gateway'` apps expect it:
 * an HTTP listener `web` and an HTTPS listener `websecure` that ends TLS with
 * one certificate (cert-manager's, when `certManager` is given), open to the
 * routes of every namespace.
 * @see https://gateway-api.sigs.k8s.io/api-types/gateway/
 */
export class AppGateway extends Construct {
  /** What an app's `gateway` prop (or the profile's) names: this Gateway and its listeners. */
  public readonly ref: GatewayRef;
  /** The Secret of the HTTPS listener's certificate. */
  public readonly tlsSecretName: string;
  /** The cert-manager Certificate, with `certManager`. */
  public readonly certificate?: AppCertificate;
  /** The Gateway object. */
  public readonly resource: ManifestObject;

  constructor(scope: Construct, id: string, props: AppGatewayProps) {
    super(scope, id);
    const checker = new PropChecker(this);
    checker.checkShape('props', props, APP_GATEWAY_PROPS_FIELDS, 'AppGateway');
    checker.checkShape('props.certManager', props.certManager, CERT_MANAGER_ISSUER_FIELDS, 'CertManagerIssuer');
    checker.checkShape('props.ports', props.ports, GATEWAY_PORTS_FIELDS, 'GatewayPorts');
    checker.throwIfIncomplete();
    this.tlsSecretName = props.tlsSecretName ?? `${props.name}-tls`;
    const ports = props.ports ?? { http: 8000, https: 8443 };
    checkGatewayProps(checker, props, this.tlsSecretName, ports);
    checker.reportProblems();
    PropChecker.declareChecked(this, ['Certificate']);

    this.ref = { name: props.name, namespace: props.namespace, httpsListener: 'websecure', httpListener: 'web' };
    const allowedRoutes = { namespaces: { from: props.allowedRoutes ?? 'All' } };
    const hostname = props.hostname ? { hostname: props.hostname } : {};
    this.resource = new ManifestObject(this, 'Resource', {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: { name: props.name, namespace: props.namespace, labels: props.labels },
      spec: {
        gatewayClassName: props.gatewayClassName ?? 'traefik',
        listeners: [
          { name: 'web', port: ports.http, protocol: 'HTTP', ...hostname, allowedRoutes },
          {
            name: 'websecure',
            port: ports.https,
            protocol: 'HTTPS',
            ...hostname,
            tls: { mode: 'Terminate', certificateRefs: [{ kind: 'Secret', name: this.tlsSecretName }] },
            allowedRoutes,
          },
        ],
      },
    });
    if (props.certManager && props.hostname) {
      this.certificate = new AppCertificate(this, 'Certificate', {
        name: props.name,
        namespace: props.namespace,
        dnsNames: [props.hostname],
        secretName: this.tlsSecretName,
        issuer: props.certManager.issuer,
        issuerKind: props.certManager.kind,
        labels: props.labels,
      });
    }
  }
}

function checkGatewayProps(checker: PropChecker, props: AppGatewayProps, tlsSecretName: string, ports: GatewayPorts): void {
  checker.check(isDnsSubdomain(props.name), 'props.name', props.name, 'is not a valid Gateway name');
  checker.check(isDnsLabel(props.namespace), 'props.namespace', props.namespace, 'is not a valid namespace name');
  checker.check(isDnsSubdomain(tlsSecretName), 'props.tlsSecretName', tlsSecretName, 'is not a valid Secret name');
  if (props.hostname !== undefined) {
    const host = props.hostname.startsWith('*.') ? props.hostname.slice(2) : props.hostname;
    checker.check(isHostname(host), 'props.hostname', props.hostname, 'is not a hostname nor a wildcard of one', 'write e.g. *.lab.example.com');
  }
  if (props.certManager !== undefined) {
    checkCertManagerIssuer(checker, 'props.certManager', props.certManager);
    checker.check(
      props.hostname !== undefined,
      'props.certManager',
      props.certManager,
      'needs the hostname to certify',
      'give hostname, e.g. "*.lab.example.com"',
    );
  }
  checker.check(
    props.allowedRoutes === undefined || ['All', 'Same'].includes(props.allowedRoutes),
    'props.allowedRoutes',
    props.allowedRoutes,
    'must be All or Same',
  );
  for (const key of ['http', 'https'] as const) {
    checker.check(isPort(ports[key]), `props.ports.${key}`, ports[key], 'is not a port number (1-65535)');
  }
  checker.check(ports.http !== ports.https, 'props.ports', ports, 'gives both listeners the same port');
}
