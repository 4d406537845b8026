// Types only: the manifests are written as plain JSON (see Json), so the large
// generated module is never loaded at run time.
import type * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { Construct } from 'constructs';
import type { Json } from '../core/json';
import { PropChecker } from '../core/prop-checker';
import type { PropNames } from '../core/prop-names';
import { isDns1035Label, isServicePortName } from '../core/value-rules';
import { ManifestObject } from './manifest-object';
import { NAMED_PORT_FIELDS, type NamedPort, type PortProtocol } from './workload/workload';
import { checkNamedPorts } from './workload/workload-checks';

/** Props of {@link AppService}. */
export interface AppServiceProps {
  /** The Service name: a DNS-1035 label (starts with a letter). */
  readonly name: string;
  /** The namespace of the Service. */
  readonly namespace: string;
  /** The pod labels the Service selects; they must match the workload's pod template. */
  readonly selector: Record<string, string>;
  /** The container port the Service forwards to. */
  readonly targetPort: number;
  /**
   * The port the Service listens on inside the cluster.
   * @default 80
   */
  readonly port?: number;
  /**
   * Labels of the Service object.
   * @default - the selector labels
   */
  readonly labels?: Record<string, string>;
  /**
   * The name of the port.
   * @default 'http'
   */
  readonly portName?: string;
  /**
   * The protocol of the port.
   * @default 'TCP'
   */
  readonly protocol?: PortProtocol;
  /**
   * Annotations of the Service (e.g. MetalLB's address pool).
   * @default - none
   */
  readonly annotations?: Record<string, string>;
  /**
   * `ClusterIP` (inside the cluster), `LoadBalancer` (K3s's servicelb or
   * MetalLB gives it an address), or `NodePort` (every node listens on a
   * high port).
   * @default 'ClusterIP'
   */
  readonly type?: 'ClusterIP' | 'LoadBalancer' | 'NodePort';
  /**
   * The node port of a NodePort or LoadBalancer Service, from 30000 to 32767.
   * @default - one Kubernetes picks
   */
  readonly nodePort?: number;
  /**
   * A headless Service (no cluster IP; each pod has a DNS name), as a
   * StatefulSet needs.
   * @default false
   */
  readonly headless?: boolean;
  /**
   * More ports, each forwarded to the container port of the same number and name (e.g. `metrics`).
   * @default - none
   */
  readonly extraPorts?: NamedPort[];
}

/** The prop names of {@link AppServiceProps}, to find unknown ones at run time. */
const APP_SERVICE_PROPS_FIELDS: PropNames<AppServiceProps> = {
  name: 'string',
  namespace: 'string',
  selector: 'object',
  targetPort: 'number',
  extraPorts: 'list?',
  nodePort: 'number?',
  port: 'number?',
  labels: 'object?',
  portName: 'string?',
  protocol: 'string?',
  annotations: 'object?',
  type: 'string?',
  headless: 'boolean?',
};

/**
 * A ClusterIP Service in front of an app's pods, with one TCP port named `http`.
 * @see https://kubernetes.io/docs/concepts/services-networking/service/
 */
export class AppService extends Construct {
  /** The Service name. */
  public readonly name: string;
  /** The namespace of the Service. */
  public readonly namespace: string;
  /** The port the Service listens on. */
  public readonly port: number;
  /** The container port it targets. */
  public readonly targetPort: number;
  /** The name of its port. */
  public readonly portName: string;
  /** The Kubernetes object. */
  public readonly resource: ManifestObject;

  constructor(scope: Construct, id: string, props: AppServiceProps) {
    super(scope, id);
    this.name = props.name;
    this.namespace = props.namespace;
    this.port = props.port ?? 80;
    this.targetPort = props.targetPort;
    this.portName = props.portName ?? 'http';

    const checker = new PropChecker(this);
    checker.checkShape('props', props, APP_SERVICE_PROPS_FIELDS, 'AppService');
    checker.checkShapeOfEach('props.extraPorts', props.extraPorts, NAMED_PORT_FIELDS, 'NamedPort');
    checker.throwIfIncomplete();
    checkServiceProps(checker, props, this.port);
    checker.reportProblems();

    const manifest: Json<k8s.KubeServiceProps> = {
      metadata: { name: props.name, namespace: props.namespace, labels: props.labels ?? props.selector, annotations: props.annotations },
      spec: {
        type: props.type ?? 'ClusterIP',
        // `clusterIP` is spelled `clusterIp` in the generated types (see Json).
        ...(props.headless ? ({ clusterIP: 'None' } as Record<string, string>) : {}),
        selector: { ...props.selector },
        ports: [
          {
            name: props.portName ?? 'http',
            protocol: props.protocol ?? 'TCP',
            port: this.port,
            targetPort: props.targetPort,
            ...(props.nodePort !== undefined ? { nodePort: props.nodePort } : {}),
          },
          ...(props.extraPorts ?? []).map((p) => ({ name: p.name, protocol: p.protocol ?? 'TCP', port: p.port, targetPort: p.port })),
        ],
      },
    };
    this.resource = new ManifestObject(this, 'Resource', { apiVersion: 'v1', kind: 'Service', ...manifest });
  }
}

/** Records every problem of the props of a Service listening on `port`. */
function checkServiceProps(checker: PropChecker, props: AppServiceProps, port: number): void {
  checkNamedPorts(checker, 'props.extraPorts', props.extraPorts, props.portName ?? 'http', port, props.protocol);
  checker.check(['TCP', 'UDP'].includes(props.protocol ?? 'TCP'), 'props.protocol', props.protocol, 'must be "TCP" or "UDP"');
  checker.check(
    isDns1035Label(props.name),
    'props.name',
    props.name,
    'is not a valid Service name',
    'use at most 63 lowercase letters, digits and "-", starting with a letter',
  );
  checker.port('props.port', port);
  checker.port('props.targetPort', props.targetPort);
  checker.check(
    Object.keys(props.selector).length > 0,
    'props.selector',
    props.selector,
    'must not be empty',
    'a Service without a selector would select no pod of the app',
  );
  checker.check(
    isServicePortName(props.portName ?? 'http'),
    'props.portName',
    props.portName,
    'is not a valid port name',
    'use at most 15 lowercase letters, digits and "-"',
  );
  const type = props.type ?? 'ClusterIP';
  checker.check(['ClusterIP', 'LoadBalancer', 'NodePort'].includes(type), 'props.type', type, 'must be ClusterIP, LoadBalancer or NodePort');
  checker.check(!(props.headless && type !== 'ClusterIP'), 'props.headless', true, `cannot be a ${type}`);
  if (props.nodePort !== undefined) {
    checker.check(
      type !== 'ClusterIP' && Number.isInteger(props.nodePort) && props.nodePort >= 30000 && props.nodePort <= 32767,
      'props.nodePort',
      props.nodePort,
      type === 'ClusterIP' ? 'only applies to a NodePort or LoadBalancer Service' : 'is not a node port',
      type === 'ClusterIP' ? 'set type, or drop nodePort' : 'use a port from 30000 to 32767',
    );
  }
}
