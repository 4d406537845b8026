import type * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { Construct } from 'constructs';
import type { Json } from '../../core/json';
import { PropChecker } from '../../core/prop-checker';
import type { PropNames } from '../../core/prop-names';
import { isDnsSubdomain } from '../../core/value-rules';
import { ManifestObject } from '../manifest-object';
import { buildWorkload } from './pod-template';
import { givenScheduleProblem, isTimeZone, type Schedule } from './schedule';
import { WORKLOAD_PROPS_FIELDS, type WorkloadProps } from './workload';
import { checkWorkloadPropNames, checkWorkloadProps } from './workload-checks';

/** How a run to completion behaves: retries and time limits. */
export interface RunOptions {
  /**
   * Retries before the run counts as failed.
   * @default 2
   */
  readonly backoffLimit?: number;
  /**
   * Seconds after which a run is stopped.
   * @default - no limit
   */
  readonly activeDeadlineSeconds?: number;
  /**
   * Seconds after which a finished Job is deleted.
   * @default - kept (the CronJob's history limits apply)
   */
  readonly ttlSecondsAfterFinished?: number;
}

/** The prop names of {@link RunOptions}, to find unknown ones at run time. */
export const RUN_OPTIONS_FIELDS: PropNames<RunOptions> = { backoffLimit: 'number?', activeDeadlineSeconds: 'number?', ttlSecondsAfterFinished: 'number?' };

/** Props of {@link AppCronJob}. */
export interface AppCronJobProps extends WorkloadProps, RunOptions {
  /** The CronJob name (at most 52 characters), also the container name. */
  readonly name: string;
  /** Its namespace. */
  readonly namespace: string;
  /** When it runs. */
  readonly schedule: Schedule;
  /**
   * The IANA time zone of the schedule, e.g. `Europe/Paris`.
   * @default - the controller's time zone (UTC on K3s)
   */
  readonly timeZone?: string;
  /**
   * What to do when a run is still going at the next time: `Forbid` skips
   * the new run (a backup must not run twice at once).
   * @default 'Forbid'
   */
  readonly concurrencyPolicy?: 'Allow' | 'Forbid' | 'Replace';
  /**
   * Successful Jobs kept for their logs.
   * @default 3
   */
  readonly successfulJobsHistoryLimit?: number;
  /**
   * Failed Jobs kept for their logs.
   * @default 1
   */
  readonly failedJobsHistoryLimit?: number;
  /**
   * Seconds a missed run may still start late (e.g. after the node was down).
   * @default 600
   */
  readonly startingDeadlineSeconds?: number;
  /**
   * Labels of the object and its pods.
   * @default - none
   */
  readonly labels?: Record<string, string>;
  /**
   * More pod spec fields (e.g. affinity to share a node-local volume).
   * @default - none
   */
  readonly podSpec?: Partial<Json<k8s.PodSpec>>;
}

/** The prop names of {@link AppCronJobProps}, to find unknown ones at run time. */
const APP_CRON_JOB_PROPS_FIELDS: PropNames<AppCronJobProps> = {
  ...WORKLOAD_PROPS_FIELDS,
  ...RUN_OPTIONS_FIELDS,
  name: 'string',
  namespace: 'string',
  schedule: 'object',
  timeZone: 'string?',
  concurrencyPolicy: 'string?',
  successfulJobsHistoryLimit: 'number?',
  failedJobsHistoryLimit: 'number?',
  startingDeadlineSeconds: 'number?',
  labels: 'object?',
  podSpec: 'object?',
};

/**
 * A CronJob: a task on a schedule (backups, maintenance), with the same
 * security defaults as every workload.
 * @see https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/
 */
export class AppCronJob extends Construct {
  /** The CronJob name. */
  public readonly name: string;
  /** The concurrency policy. */
  public readonly concurrencyPolicy: 'Allow' | 'Forbid' | 'Replace';
  /** The Kubernetes object. */
  public readonly resource: ManifestObject;

  constructor(scope: Construct, id: string, props: AppCronJobProps) {
    super(scope, id);
    this.name = props.name;
    this.concurrencyPolicy = props.concurrencyPolicy ?? 'Forbid';
    const checker = new PropChecker(this);
    checker.checkShape('props', props, APP_CRON_JOB_PROPS_FIELDS, 'AppCronJob');
    checkWorkloadPropNames(checker, props);
    checker.throwIfIncomplete();
    checkCronJobProps(checker, props);
    checker.reportProblems();
    const labels = { ...props.labels };
    const built = buildWorkload(this, props, { name: props.name, labels, longRunning: false, restartPolicy: 'OnFailure', extra: props.podSpec });
    const manifest: Json<k8s.KubeCronJobProps> = {
      metadata: { name: props.name, namespace: props.namespace, labels, annotations: built.annotations },
      spec: {
        schedule: props.schedule.expression,
        timeZone: props.timeZone,
        concurrencyPolicy: this.concurrencyPolicy,
        successfulJobsHistoryLimit: props.successfulJobsHistoryLimit ?? 3,
        failedJobsHistoryLimit: props.failedJobsHistoryLimit ?? 1,
        startingDeadlineSeconds: props.startingDeadlineSeconds ?? 600,
        jobTemplate: { metadata: { labels }, spec: jobSpec(props, built.template) },
      },
    };
    this.resource = new ManifestObject(this, 'Resource', { apiVersion: 'batch/v1', kind: 'CronJob', ...manifest });
  }
}

/** The Job spec of a run. */
export function jobSpec(options: RunOptions, template: Json<k8s.PodTemplateSpec>): Json<k8s.JobSpec> {
  return {
    backoffLimit: options.backoffLimit ?? 2,
    activeDeadlineSeconds: options.activeDeadlineSeconds,
    ttlSecondsAfterFinished: options.ttlSecondsAfterFinished,
    template,
  };
}

/** Records problems of run options. */
export function checkRunOptions(checker: PropChecker, options: RunOptions): void {
  for (const [field, n] of [
    ['backoffLimit', options.backoffLimit],
    ['activeDeadlineSeconds', options.activeDeadlineSeconds],
    ['ttlSecondsAfterFinished', options.ttlSecondsAfterFinished],
  ] as const) {
    if (n !== undefined) {
      checker.check(Number.isInteger(n) && n >= 0, `props.${field}`, n, 'must be a whole number, 0 or more');
    }
  }
}

function checkCronJobProps(checker: PropChecker, props: AppCronJobProps): void {
  checker.check(
    isDnsSubdomain(props.name) && props.name.length <= 52,
    'props.name',
    props.name,
    'is not a valid CronJob name',
    'use at most 52 lowercase letters, digits and "-" (Kubernetes adds a suffix to its Jobs)',
  );
  const schedule = givenScheduleProblem(props.schedule);
  checker.check(schedule.problem === undefined, 'props.schedule', schedule.shown, schedule.problem ?? '', schedule.fix);
  if (props.timeZone !== undefined) {
    checker.check(isTimeZone(props.timeZone), 'props.timeZone', props.timeZone, 'is not a time zone', 'use an IANA name such as Europe/Paris');
  }
  for (const [field, n] of [
    ['successfulJobsHistoryLimit', props.successfulJobsHistoryLimit],
    ['failedJobsHistoryLimit', props.failedJobsHistoryLimit],
    ['startingDeadlineSeconds', props.startingDeadlineSeconds],
  ] as const) {
    if (n !== undefined) {
      checker.check(Number.isInteger(n) && n >= 0, `props.${field}`, n, 'must be a whole number, 0 or more');
    }
  }
  checkRunOptions(checker, props);
  checkWorkloadProps(checker, props);
}
