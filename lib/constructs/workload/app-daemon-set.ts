import type * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { Construct } from 'constructs';
import type { Json } from '../../core/json';
import { PropChecker } from '../../core/prop-checker';
import type { PropNames } from '../../core/prop-names';
import { isDnsSubdomain } from '../../core/value-rules';
import { ManifestObject } from '../manifest-object';
import { buildWorkload } from './pod-template';
import { WORKLOAD_PROPS_FIELDS, type WorkloadProps } from './workload';
import { checkWorkloadPropNames, checkWorkloadProps } from './workload-checks';

/** Props of {@link AppDaemonSet}. */
export interface AppDaemonSetProps extends WorkloadProps {
  /** The DaemonSet name, also the container name. */
  readonly name: string;
  /** Its namespace. */
  readonly namespace: string;
  /** The labels that select the pods. */
  readonly selector: Record<string, string>;
  /**
   * The port the agent listens on (e.g. metrics).
   * @default - none
   */
  readonly port?: number;
  /**
   * Labels of the object and its pods (besides the selector labels).
   * @default - the selector labels only
   */
  readonly labels?: Record<string, string>;
}

/** The prop names of {@link AppDaemonSetProps}, to find unknown ones at run time. */
const APP_DAEMON_SET_PROPS_FIELDS: PropNames<AppDaemonSetProps> = {
  ...WORKLOAD_PROPS_FIELDS,
  name: 'string',
  namespace: 'string',
  selector: 'object',
  port: 'number?',
  labels: 'object?',
};

/**
 * A DaemonSet: one pod per node (a node agent such as node-exporter), with
 * the same security defaults as every workload; host access needs the
 * `privileged` profile and a reason.
 * @see https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/
 */
export class AppDaemonSet extends Construct {
  /** The DaemonSet name. */
  public readonly name: string;
  /** The labels that select the pods. */
  public readonly selector: Record<string, string>;
  /** The Kubernetes object. */
  public readonly resource: ManifestObject;

  constructor(scope: Construct, id: string, props: AppDaemonSetProps) {
    super(scope, id);
    this.name = props.name;
    this.selector = { ...props.selector };
    const checker = new PropChecker(this);
    checker.checkShape('props', props, APP_DAEMON_SET_PROPS_FIELDS, 'AppDaemonSet');
    checkWorkloadPropNames(checker, props);
    checker.throwIfIncomplete();
    checker.check(isDnsSubdomain(props.name), 'props.name', props.name, 'is not a valid DaemonSet name');
    if (props.port !== undefined) {
      checker.port('props.port', props.port);
    }
    checkWorkloadProps(checker, props, props.port);
    checker.reportProblems();
    const labels = { ...props.labels, ...this.selector };
    const built = buildWorkload(this, props, { name: props.name, labels, port: props.port, longRunning: true });
    const manifest: Json<k8s.KubeDaemonSetProps> = {
      metadata: { name: props.name, namespace: props.namespace, labels, annotations: built.annotations },
      spec: { selector: { matchLabels: { ...this.selector } }, template: built.template },
    };
    this.resource = new ManifestObject(this, 'Resource', { apiVersion: 'apps/v1', kind: 'DaemonSet', ...manifest });
  }
}
