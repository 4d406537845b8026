// Types only: the manifests are written as plain JSON (see Json), so the large
// generated module is never loaded at run time.
import type * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { Construct } from 'constructs';
import type { Json } from '../../core/json';
import { PropChecker } from '../../core/prop-checker';
import type { PropNames } from '../../core/prop-names';
import { isDnsSubdomain } from '../../core/value-rules';
import { ManifestObject } from '../manifest-object';
import type { ResolvedPodSecurity } from './pod-security';
import { buildWorkload } from './pod-template';
import { NAMED_PORT_FIELDS, type NamedPort, type ResolvedResources, WORKLOAD_PROPS_FIELDS, type WorkloadProps } from './workload';
import { checkNamedPorts, checkWorkloadPropNames, checkWorkloadProps } from './workload-checks';

/** Props of {@link AppDeployment}. */
export interface AppDeploymentProps extends WorkloadProps {
  /** The Deployment name, also the container name. */
  readonly name: string;
  /** The namespace of the Deployment. */
  readonly namespace: string;
  /**
   * The port the container listens on; named `http`.
   * @default - none: a worker (queue consumer, bot) that serves nothing, with no default probes
   */
  readonly port?: number;
  /**
   * More ports the container listens on, each of its own name (e.g. `metrics`).
   * @default - none
   */
  readonly extraPorts?: NamedPort[];
  /** The labels that select the pods; put on the pod template and in `spec.selector`. */
  readonly selector: Record<string, string>;
  /**
   * Labels of the Deployment object and its pod template (in addition to the selector labels).
   * @default - the selector labels only
   */
  readonly labels?: Record<string, string>;
  /**
   * Number of pods.
   * @default 1
   */
  readonly replicas?: number;
  /**
   * Whether a HorizontalPodAutoscaler sets the number of pods (then the
   * Deployment leaves `replicas` out, so applying it never fights the autoscaler).
   * @default false
   */
  readonly autoscaled?: boolean;
  /**
   * How new pods replace old ones. `Recreate` stops the old pods first, which
   * a ReadWriteOnce volume on one node needs (a rolling update would wait
   * forever for the volume).
   * @default - 'Recreate' when a PersistentVolumeClaim is mounted, else 'RollingUpdate'
   */
  readonly strategy?: 'RollingUpdate' | 'Recreate';
  /**
   * More pod spec fields (affinity, topology spread).
   * @default - none
   */
  readonly podSpec?: Partial<Json<k8s.PodSpec>>;
}

/** The prop names of {@link AppDeploymentProps}, to find unknown ones at run time. */
const APP_DEPLOYMENT_PROPS_FIELDS: PropNames<AppDeploymentProps> = {
  ...WORKLOAD_PROPS_FIELDS,
  name: 'string',
  namespace: 'string',
  port: 'number?',
  extraPorts: 'list?',
  selector: 'object',
  labels: 'object?',
  replicas: 'number?',
  autoscaled: 'boolean?',
  strategy: 'string?',
  podSpec: 'object?',
};

/**
 * The Deployment of a long-running app: one container, one port.
 * @see https://kubernetes.io/docs/concepts/workloads/controllers/deployment/
 */
export class AppDeployment extends Construct {
  /** The Deployment name (also the container name). */
  public readonly name: string;
  /** The namespace of the Deployment. */
  public readonly namespace: string;
  /** The container port, if any. */
  public readonly port?: number;
  /** The number of pods. */
  public readonly replicas: number;
  /** The labels of the pod template that select the pods. */
  public readonly selector: Record<string, string>;
  /** The resolved requests and limits. */
  public readonly resources: ResolvedResources;
  /** The resolved security settings of the pods. */
  public readonly security: ResolvedPodSecurity;
  /** The update strategy. */
  public readonly strategy: 'RollingUpdate' | 'Recreate';
  /** The Kubernetes object. */
  public readonly resource: ManifestObject;

  constructor(scope: Construct, id: string, props: AppDeploymentProps) {
    super(scope, id);
    this.name = props.name;
    this.namespace = props.namespace;
    this.port = props.port;
    this.replicas = props.replicas ?? 1;
    this.selector = { ...props.selector };
    if (!PropChecker.checkedByParent(this)) {
      const checker = new PropChecker(this);
      checker.checkShape('props', props, APP_DEPLOYMENT_PROPS_FIELDS, 'AppDeployment');
      checkWorkloadPropNames(checker, props);
      checker.checkShapeOfEach('props.extraPorts', props.extraPorts, NAMED_PORT_FIELDS, 'NamedPort');
      checker.throwIfIncomplete();
      checkAppDeploymentProps(checker, props);
      checkNamedPorts(checker, 'props.extraPorts', props.extraPorts, 'http', props.port);
      checker.reportProblems();
    }
    this.strategy = props.strategy ?? ((props.mounts ?? []).some((m) => m.volume.claimName !== undefined) ? 'Recreate' : 'RollingUpdate');

    const labels = { ...props.labels, ...this.selector };
    const built = buildWorkload(this, props, {
      name: props.name,
      labels,
      port: props.port,
      extraPorts: props.extraPorts,
      longRunning: true,
      extra: props.podSpec,
    });
    this.resources = built.resources;
    this.security = built.security;
    const manifest: Json<k8s.KubeDeploymentProps> = {
      metadata: { name: props.name, namespace: props.namespace, labels, annotations: built.annotations },
      spec: {
        replicas: props.autoscaled ? undefined : this.replicas,
        strategy: this.strategy === 'Recreate' ? { type: 'Recreate' } : undefined,
        selector: { matchLabels: { ...this.selector } },
        template: built.template,
      },
    };
    this.resource = new ManifestObject(this, 'Resource', { apiVersion: 'apps/v1', kind: 'Deployment', ...manifest });
  }
}

/**
 * Records every problem of AppDeployment props (field names as in
 * AppStackProps too, so AppStack reports them under its own name).
 */
export function checkAppDeploymentProps(checker: PropChecker, props: AppDeploymentProps): void {
  const replicas = props.replicas ?? 1;
  checker.check(isDnsSubdomain(props.name), 'props.name', props.name, 'is not a valid Deployment name', 'use lowercase letters, digits, "-" and "."');
  checkWorkloadProps(checker, props, props.port);
  if (props.port !== undefined) {
    checker.port('props.port', props.port);
  }
  checker.check(Number.isInteger(replicas) && replicas >= 0, 'props.replicas', replicas, 'must be a whole number, 0 or more');
}
