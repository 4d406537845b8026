import { Construct } from 'constructs';
import { PropChecker } from '../core/prop-checker';
import type { PropNames } from '../core/prop-names';
import { isPrometheusDuration } from '../core/value-rules';
import { ManifestObject } from './manifest-object';

/** Props of {@link AppServiceMonitor}. */
export interface AppServiceMonitorProps {
  /** The ServiceMonitor's name. */
  readonly name: string;
  /** Its namespace (that of the Service). */
  readonly namespace: string;
  /** The labels of the Services to scrape. */
  readonly selector: Record<string, string>;
  /** The name of the Service port that serves the metrics. */
  readonly port: string;
  /**
   * The path of the metrics.
   * @default '/metrics'
   */
  readonly path?: string;
  /**
   * How often Prometheus scrapes them.
   * @default '30s'
   */
  readonly interval?: string;
  /**
   * Labels of the object.
   * @default - none
   */
  readonly labels?: Record<string, string>;
}

const APP_SERVICE_MONITOR_PROPS_FIELDS: PropNames<AppServiceMonitorProps> = {
  name: 'string',
  namespace: 'string',
  selector: 'object',
  port: 'string',
  path: 'string?',
  interval: 'string?',
  labels: 'object?',
};

/**
 * A Prometheus Operator ServiceMonitor: Prometheus scrapes the metrics of the
 * Services it selects.
 * @see https://prometheus-operator.dev/docs/api-reference/api/#monitoring.coreos.com/v1.ServiceMonitor
 */
export class AppServiceMonitor extends Construct {
  /** The Prometheus Operator object. */
  public readonly resource: ManifestObject;

  constructor(scope: Construct, id: string, props: AppServiceMonitorProps) {
    super(scope, id);
    // AppStack checks these props under its own names before it builds this.
    if (!PropChecker.checkedByParent(this)) {
      const checker = new PropChecker(this);
      checker.checkShape('props', props, APP_SERVICE_MONITOR_PROPS_FIELDS, 'AppServiceMonitor');
      checker.throwIfIncomplete();
      checker.absolutePath('props.path', props.path ?? '/metrics');
      checker.check(isPrometheusDuration(props.interval ?? '30s'), 'props.interval', props.interval, 'is not a Prometheus duration', 'write e.g. 30s or 1m');
      checker.reportProblems();
    }
    this.resource = new ManifestObject(this, 'Resource', {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'ServiceMonitor',
      metadata: { name: props.name, namespace: props.namespace, labels: props.labels },
      spec: {
        selector: { matchLabels: { ...props.selector } },
        endpoints: [{ port: props.port, path: props.path ?? '/metrics', interval: props.interval ?? '30s' }],
      },
    });
  }
}
