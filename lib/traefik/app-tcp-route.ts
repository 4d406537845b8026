import { Construct } from 'constructs';
import type { IngressRouteTcpProps } from '../../imports/traefik-ingressroutetcps-traefik.io';
import { ManifestObject } from '../constructs/manifest-object';
import type { Json } from '../core/json';
import { PropChecker } from '../core/prop-checker';
import type { PropNames } from '../core/prop-names';
import { isHostname } from '../core/value-rules';

/** Props of {@link AppTcpRoute}. */
export interface AppTcpRouteProps {
  /** The IngressRouteTCP name. */
  readonly name: string;
  /** Its namespace (that of the Service). */
  readonly namespace: string;
  /** The Traefik entry point the traffic arrives on (declared in the Traefik configuration). */
  readonly entryPoint: string;
  /** The Service it sends traffic to. */
  readonly serviceName: string;
  /** The port of that Service. */
  readonly servicePort: number;
  /**
   * The TLS server name to route on; `*` takes every connection of the entry point.
   * @default '*'
   */
  readonly hostSNI?: string;
  /**
   * Pass TLS through to the app untouched (it terminates TLS itself); needs a `hostSNI`.
   * @default false
   */
  readonly passthrough?: boolean;
  /**
   * Labels of the object.
   * @default - none
   */
  readonly labels?: Record<string, string>;
}

/** The prop names of {@link AppTcpRouteProps}, to find unknown ones at run time. */
const APP_TCP_ROUTE_PROPS_FIELDS: PropNames<AppTcpRouteProps> = {
  name: 'string',
  namespace: 'string',
  entryPoint: 'string',
  serviceName: 'string',
  servicePort: 'number',
  hostSNI: 'string?',
  passthrough: 'boolean?',
  labels: 'object?',
};

/** Whether `name` can be a Traefik entry point's name. */
export function isEntryPointName(name: string): boolean {
  return /^[A-Za-z0-9][-A-Za-z0-9_]*$/.test(name);
}

/**
 * Raw TCP routing through Traefik (an IngressRouteTCP), for apps that do not
 * speak HTTP (MQTT, game servers, databases reached from outside).
 * @see https://doc.traefik.io/traefik/routing/providers/kubernetes-crd/#kind-ingressroutetcp
 */
export class AppTcpRoute extends Construct {
  /** The Traefik object. */
  public readonly resource: ManifestObject;

  constructor(scope: Construct, id: string, props: AppTcpRouteProps) {
    super(scope, id);
    const sni = props.hostSNI ?? '*';
    const checker = new PropChecker(this);
    checker.checkShape('props', props, APP_TCP_ROUTE_PROPS_FIELDS, 'AppTcpRoute');
    checker.throwIfIncomplete();
    checker.check(isEntryPointName(props.entryPoint), 'props.entryPoint', props.entryPoint, 'is not an entry point name');
    checker.check(sni === '*' || isHostname(sni), 'props.hostSNI', sni, 'is not a valid DNS name or *');
    checker.check(!props.passthrough || sni !== '*', 'props.passthrough', true, 'needs a hostSNI', 'give the TLS server name clients use');
    checker.port('props.servicePort', props.servicePort);
    checker.reportProblems();
    const manifest: Json<IngressRouteTcpProps> = {
      metadata: { name: props.name, namespace: props.namespace, labels: props.labels },
      spec: {
        entryPoints: [props.entryPoint],
        routes: [{ match: `HostSNI(\`${sni}\`)`, services: [{ name: props.serviceName, namespace: props.namespace, port: props.servicePort }] }],
        tls: props.passthrough ? { passthrough: true } : undefined,
      },
    };
    this.resource = new ManifestObject(this, 'Resource', { apiVersion: 'traefik.io/v1alpha1', kind: 'IngressRouteTCP', ...manifest });
  }
}
