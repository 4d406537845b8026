import type * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { Construct } from 'constructs';
import type { Json } from '../../core/json';
import { PropChecker } from '../../core/prop-checker';
import type { PropNames } from '../../core/prop-names';
import { isDnsSubdomain } from '../../core/value-rules';
import { ManifestObject } from '../manifest-object';
import { checkRunOptions, jobSpec, RUN_OPTIONS_FIELDS, type RunOptions } from './app-cron-job';
import { buildWorkload } from './pod-template';
import { WORKLOAD_PROPS_FIELDS, type WorkloadProps } from './workload';
import { checkWorkloadPropNames, checkWorkloadProps } from './workload-checks';

/** Props of {@link AppJob}. */
export interface AppJobProps extends WorkloadProps, RunOptions {
  /** The Job name, also the container name. */
  readonly name: string;
  /** Its namespace. */
  readonly namespace: string;
  /**
   * Labels of the object and its pods.
   * @default - none
   */
  readonly labels?: Record<string, string>;
}

/** The prop names of {@link AppJobProps}, to find unknown ones at run time. */
const APP_JOB_PROPS_FIELDS: PropNames<AppJobProps> = {
  ...WORKLOAD_PROPS_FIELDS,
  ...RUN_OPTIONS_FIELDS,
  name: 'string',
  namespace: 'string',
  labels: 'object?',
};

/**
 * A Job: a task that runs once to completion (a migration, an import).
 * @see https://kubernetes.io/docs/concepts/workloads/controllers/job/
 */
export class AppJob extends Construct {
  /** The Job name. */
  public readonly name: string;
  /** The Kubernetes object. */
  public readonly resource: ManifestObject;

  constructor(scope: Construct, id: string, props: AppJobProps) {
    super(scope, id);
    this.name = props.name;
    const checker = new PropChecker(this);
    checker.checkShape('props', props, APP_JOB_PROPS_FIELDS, 'AppJob');
    checkWorkloadPropNames(checker, props);
    checker.throwIfIncomplete();
    checker.check(isDnsSubdomain(props.name), 'props.name', props.name, 'is not a valid Job name');
    checkRunOptions(checker, props);
    checkWorkloadProps(checker, props);
    checker.reportProblems();
    const labels = { ...props.labels };
    const built = buildWorkload(this, props, { name: props.name, labels, longRunning: false, restartPolicy: 'OnFailure' });
    const manifest: Json<k8s.KubeJobProps> = {
      metadata: { name: props.name, namespace: props.namespace, labels, annotations: built.annotations },
      spec: jobSpec(props, built.template),
    };
    this.resource = new ManifestObject(this, 'Resource', { apiVersion: 'batch/v1', kind: 'Job', ...manifest });
  }
}
