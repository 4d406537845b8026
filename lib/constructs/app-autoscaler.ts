import type * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { Construct } from 'constructs';
import type { Json } from '../core/json';
import { PropChecker } from '../core/prop-checker';
import type { PropNames } from '../core/prop-names';
import { ManifestObject } from './manifest-object';

/** Horizontal autoscaling of an app: what AppStack's `autoscale` takes. */
export interface Autoscale {
  /** The fewest pods. */
  readonly minReplicas: number;
  /** The most pods. */
  readonly maxReplicas: number;
  /**
   * The average CPU use, in percent of the CPU request, the autoscaler aims at.
   * @default 80
   */
  readonly cpuUtilization?: number;
}

/** The prop names of {@link Autoscale}, to find unknown ones at run time. */
export const AUTOSCALE_FIELDS: PropNames<Autoscale> = { minReplicas: 'number', maxReplicas: 'number', cpuUtilization: 'number?' };

/** Props of {@link AppAutoscaler}. */
export interface AppAutoscalerProps extends Autoscale {
  /** The autoscaler's name (that of the Deployment it scales). */
  readonly name: string;
  /** Its namespace. */
  readonly namespace: string;
  /**
   * Labels of the object.
   * @default - none
   */
  readonly labels?: Record<string, string>;
}

/** The prop names of {@link AppAutoscalerProps}, to find unknown ones at run time. */
const APP_AUTOSCALER_PROPS_FIELDS: PropNames<AppAutoscalerProps> = { ...AUTOSCALE_FIELDS, name: 'string', namespace: 'string', labels: 'object?' };

/**
 * A HorizontalPodAutoscaler for a Deployment of the same name (K3s ships
 * metrics-server, which it needs).
 * @see https://kubernetes.io/docs/tasks/run-application/horizontal-pod-autoscale/
 */
export class AppAutoscaler extends Construct {
  /** The Kubernetes object. */
  public readonly resource: ManifestObject;

  constructor(scope: Construct, id: string, props: AppAutoscalerProps) {
    super(scope, id);
    if (!PropChecker.checkedByParent(this)) {
      const checker = new PropChecker(this);
      checker.checkShape('props', props, APP_AUTOSCALER_PROPS_FIELDS, 'AppAutoscaler');
      checker.throwIfIncomplete();
      checkAutoscale(checker, props, 'props');
      checker.reportProblems();
    }
    const manifest: Json<k8s.KubeHorizontalPodAutoscalerV2Props> = {
      metadata: { name: props.name, namespace: props.namespace, labels: props.labels },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: props.name },
        minReplicas: props.minReplicas,
        maxReplicas: props.maxReplicas,
        metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: props.cpuUtilization ?? 80 } } }],
      },
    };
    this.resource = new ManifestObject(this, 'Resource', { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', ...manifest });
  }
}

/** Records problems of autoscaling bounds. */
export function checkAutoscale(checker: PropChecker, a: Autoscale, prefix: string): void {
  checker.check(Number.isInteger(a.minReplicas) && a.minReplicas >= 1, `${prefix}.minReplicas`, a.minReplicas, 'must be a whole number, 1 or more');
  checker.check(
    Number.isInteger(a.maxReplicas) && a.maxReplicas >= a.minReplicas,
    `${prefix}.maxReplicas`,
    a.maxReplicas,
    `must be a whole number, at least minReplicas (${a.minReplicas})`,
  );
  if (a.cpuUtilization !== undefined) {
    checker.check(
      Number.isInteger(a.cpuUtilization) && a.cpuUtilization > 0 && a.cpuUtilization <= 100,
      `${prefix}.cpuUtilization`,
      a.cpuUtilization,
      'must be a percentage from 1 to 100',
    );
  }
}
