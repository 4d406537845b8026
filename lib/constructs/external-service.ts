import { Construct } from 'constructs';
import { PropChecker } from '../core/prop-checker';
import type { PropNames } from '../core/prop-names';
import { isDns1035Label, isDnsLabel, isHostname, isIpAddress, isServicePortName } from '../core/value-rules';
import { ManifestObject } from './manifest-object';

/** Props of {@link ExternalService}. */
export interface ExternalServiceProps {
  /** The Service's name, which routes of the cluster point at. */
  readonly name: string;
  /** Its namespace. */
  readonly namespace: string;
  /**
   * Where the service runs outside the cluster: an IP address (a Service
   * without selector and its EndpointSlice) or a host name (an ExternalName
   * Service, which Traefik follows only with `allowExternalNameServices`).
   */
  readonly address: string;
  /** Its port. */
  readonly port: number;
  /**
   * The port's name.
   * @default 'https' for 443 and 8006, 'http' otherwise
   */
  readonly portName?: string;
  /**
   * Labels of the objects.
   * @default - none
   */
  readonly labels?: Record<string, string>;
}

const EXTERNAL_SERVICE_PROPS_FIELDS: PropNames<ExternalServiceProps> = {
  name: 'string',
  namespace: 'string',
  address: 'string',
  port: 'number',
  portName: 'string?',
  labels: 'object?',
};

/**
 * A service outside the cluster (a NAS, a hypervisor's web UI, a printer)
 * behind a Service of the cluster, so that routes and NetworkPolicies treat it
 * like an app's: by IP, a selector-less Service and its EndpointSlice; by host
 * name, an ExternalName Service.
 * @see https://kubernetes.io/docs/concepts/services-networking/service/#services-without-selectors
 */
export class ExternalService extends Construct {
  /** The Service's name. */
  public readonly name: string;
  /** Its port. */
  public readonly port: number;
  /** The Service. */
  public readonly service: ManifestObject;
  /** The EndpointSlice, for an IP address. */
  public readonly endpoints?: ManifestObject;

  constructor(scope: Construct, id: string, props: ExternalServiceProps) {
    super(scope, id);
    const checker = new PropChecker(this);
    checker.checkShape('props', props, EXTERNAL_SERVICE_PROPS_FIELDS, 'ExternalService');
    checker.throwIfIncomplete();
    const portName = props.portName ?? ([443, 8006].includes(props.port) ? 'https' : 'http');
    checker.check(isDns1035Label(props.name), 'props.name', props.name, 'is not a valid Service name');
    checker.check(isDnsLabel(props.namespace), 'props.namespace', props.namespace, 'is not a valid namespace name');
    const ip = isIpAddress(props.address);
    checker.check(ip || isHostname(props.address), 'props.address', props.address, 'is not an IP address nor a host name', 'write e.g. 192.168.1.5 or pve.lan');
    checker.port('props.port', props.port);
    checker.check(isServicePortName(portName), 'props.portName', portName, 'is not a valid port name');
    checker.reportProblems();
    this.name = props.name;
    this.port = props.port;
    const metadata = { name: props.name, namespace: props.namespace, labels: props.labels };
    const ports = [{ name: portName, protocol: 'TCP', port: props.port, targetPort: props.port }];
    this.service = new ManifestObject(this, 'Service', {
      apiVersion: 'v1',
      kind: 'Service',
      metadata,
      spec: ip ? { ports } : { type: 'ExternalName', externalName: props.address, ports },
    });
    if (ip) {
      this.endpoints = new ManifestObject(this, 'Endpoints', {
        apiVersion: 'discovery.k8s.io/v1',
        kind: 'EndpointSlice',
        metadata: { name: props.name, namespace: props.namespace, labels: { ...props.labels, 'kubernetes.io/service-name': props.name } },
        addressType: props.address.includes(':') ? 'IPv6' : 'IPv4',
        endpoints: [{ addresses: [props.address] }],
        ports: [{ name: portName, protocol: 'TCP', port: props.port }],
      });
    }
  }
}
