import { Construct } from 'constructs';
import type { IngressRouteUdpProps } from '../../imports/traefik-ingressrouteudps-traefik.io';
import { ManifestObject } from '../constructs/manifest-object';
import type { Json } from '../core/json';
import { PropChecker } from '../core/prop-checker';
import type { PropNames } from '../core/prop-names';
import { isEntryPointName } from './app-tcp-route';

/** Props of {@link AppUdpRoute}. */
export interface AppUdpRouteProps {
  /** The IngressRouteUDP name. */
  readonly name: string;
  /** Its namespace (that of the Service). */
  readonly namespace: string;
  /** The Traefik entry point the datagrams arrive on (a UDP entry point of the Traefik configuration). */
  readonly entryPoint: string;
  /** The Service it sends them to. */
  readonly serviceName: string;
  /** The (UDP) port of that Service. */
  readonly servicePort: number;
  /**
   * Labels of the object.
   * @default - none
   */
  readonly labels?: Record<string, string>;
}

/** The prop names of {@link AppUdpRouteProps}, to find unknown ones at run time. */
const APP_UDP_ROUTE_PROPS_FIELDS: PropNames<AppUdpRouteProps> = {
  name: 'string',
  namespace: 'string',
  entryPoint: 'string',
  serviceName: 'string',
  servicePort: 'number',
  labels: 'object?',
};

/**
 * UDP routing through Traefik (an IngressRouteUDP): every datagram of the
 * entry point goes to the Service (UDP has no host name to route on), for
 * DNS, game servers, syslog.
 * @see https://doc.traefik.io/traefik/routing/providers/kubernetes-crd/#kind-ingressrouteudp
 */
export class AppUdpRoute extends Construct {
  /** The Traefik object. */
  public readonly resource: ManifestObject;

  constructor(scope: Construct, id: string, props: AppUdpRouteProps) {
    super(scope, id);
    const checker = new PropChecker(this);
    checker.checkShape('props', props, APP_UDP_ROUTE_PROPS_FIELDS, 'AppUdpRoute');
    checker.throwIfIncomplete();
    checker.check(isEntryPointName(props.entryPoint), 'props.entryPoint', props.entryPoint, 'is not an entry point name');
    checker.port('props.servicePort', props.servicePort);
    checker.reportProblems();
    const manifest: Json<IngressRouteUdpProps> = {
      metadata: { name: props.name, namespace: props.namespace, labels: props.labels },
      spec: {
        entryPoints: [props.entryPoint],
        routes: [{ services: [{ name: props.serviceName, namespace: props.namespace, port: props.servicePort }] }],
      },
    };
    this.resource = new ManifestObject(this, 'Resource', { apiVersion: 'traefik.io/v1alpha1', kind: 'IngressRouteUDP', ...manifest });
  }
}
