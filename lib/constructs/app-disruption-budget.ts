import type * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { Construct } from 'constructs';
import type { Json } from '../core/json';
import { PropChecker } from '../core/prop-checker';
import type { PropNames } from '../core/prop-names';
import { ManifestObject } from './manifest-object';

/** Props of {@link AppDisruptionBudget}. */
export interface AppDisruptionBudgetProps {
  /** The budget's name. */
  readonly name: string;
  /** Its namespace. */
  readonly namespace: string;
  /** The labels of the pods it protects. */
  readonly selector: Record<string, string>;
  /**
   * How many pods a node drain may take down at once.
   * @default 1
   */
  readonly maxUnavailable?: number;
  /**
   * Labels of the object.
   * @default - none
   */
  readonly labels?: Record<string, string>;
}

/** The prop names of {@link AppDisruptionBudgetProps}, to find unknown ones at run time. */
const APP_DISRUPTION_BUDGET_PROPS_FIELDS: PropNames<AppDisruptionBudgetProps> = {
  name: 'string',
  namespace: 'string',
  selector: 'object',
  maxUnavailable: 'number?',
  labels: 'object?',
};

/**
 * A PodDisruptionBudget: draining a node for an upgrade never takes every
 * pod of the app down at once.
 * @see https://kubernetes.io/docs/tasks/run-application/configure-pdb/
 */
export class AppDisruptionBudget extends Construct {
  /** The Kubernetes object. */
  public readonly resource: ManifestObject;

  constructor(scope: Construct, id: string, props: AppDisruptionBudgetProps) {
    super(scope, id);
    const checker = new PropChecker(this);
    checker.checkShape('props', props, APP_DISRUPTION_BUDGET_PROPS_FIELDS, 'AppDisruptionBudget');
    checker.reportProblems();
    const manifest: Json<k8s.KubePodDisruptionBudgetProps> = {
      metadata: { name: props.name, namespace: props.namespace, labels: props.labels },
      spec: { maxUnavailable: props.maxUnavailable ?? 1, selector: { matchLabels: { ...props.selector } } },
    };
    this.resource = new ManifestObject(this, 'Resource', { apiVersion: 'policy/v1', kind: 'PodDisruptionBudget', ...manifest });
  }
}
