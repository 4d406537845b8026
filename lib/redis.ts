import { Construct } from 'constructs';
import { AppService } from './app-service';
import { AppStatefulSet } from './app-stateful-set';
import { isDnsLabel, isDnsSubdomain } from './checks';
import { Database } from './database';
import { PropChecker } from './errors';
import { MANAGED_BY, MANAGED_BY_LABEL, selectorLabels } from './labels';
import { Probe } from './probe';
import { ContainerResources, SecretKeyRef } from './workload';

/** Props of {@link Redis}. */
export interface RedisProps {
  /** The database's name (StatefulSet and Service), e.g. `nextcloud-redis`. */
  readonly name: string;
  /** The namespace it runs in (usually its app's). */
  readonly namespace: string;
  /** An existing Secret (in the namespace) holding the password Redis requires. */
  readonly secretName: string;
  /**
   * The key of the password in that Secret.
   * @default 'password'
   */
  readonly passwordKey?: string;
  /**
   * The image (an alpine Redis runs as uid 999).
   * @default 'redis:7.4.1-alpine'
   */
  readonly image?: string;
  /**
   * The size of the data volume (append-only file).
   * @default '1Gi'
   */
  readonly size?: string;
  /**
   * The storage class of the data volume.
   * @default 'local-path'
   */
  readonly storageClass?: string;
  /**
   * Requests and limits.
   * @default - cpuRequest 50m, memoryRequest 64Mi, memoryLimit 256Mi
   */
  readonly resources?: ContainerResources;
  /**
   * Labels of every object, added to the selector labels and
   * `app.kubernetes.io/managed-by: cdk8s-homelab`.
   * @default - none
   */
  readonly labels?: Record<string, string>;
}

/**
 * Redis with a password and an append-only file on its own volume: a
 * StatefulSet, a headless Service, hardened like every workload.
 * @see https://hub.docker.com/_/redis
 */
export class Redis extends Database {
  public readonly name: string;
  public readonly namespace: string;
  public readonly port = 6379;
  public readonly password: SecretKeyRef;
  public readonly selector: Record<string, string>;
  public readonly statefulSet: AppStatefulSet;
  public readonly service: AppService;
  protected readonly envPrefix = 'REDIS_';

  constructor(scope: Construct, id: string, props: RedisProps) {
    super(scope, id);
    this.name = props.name;
    this.namespace = props.namespace;
    this.password = { secret: props.secretName, key: props.passwordKey ?? 'password' };
    this.selector = selectorLabels(props.name);
    const checker = new PropChecker(this);
    checker.check(isDnsLabel(props.name), 'props.name', props.name, 'is not a valid database name', 'it names a Service: lowercase letters, digits and "-"');
    checker.check(isDnsSubdomain(props.secretName), 'props.secretName', props.secretName, 'is not a valid Secret name');
    checker.throwIfAny();
    const labels = { [MANAGED_BY_LABEL]: MANAGED_BY, ...props.labels, ...this.selector, 'app.kubernetes.io/component': 'cache' };

    this.service = new AppService(this, 'Service', {
      name: props.name, namespace: props.namespace, selector: this.selector, port: this.port, targetPort: this.port,
      portName: 'redis', headless: true, labels,
    });
    this.statefulSet = new AppStatefulSet(this, 'StatefulSet', {
      name: props.name,
      namespace: props.namespace,
      serviceName: props.name,
      selector: this.selector,
      labels,
      image: props.image ?? 'redis:7.4.1-alpine',
      port: this.port,
      args: ['--appendonly', 'yes', '--requirepass', '$(REDIS_PASSWORD)'],
      secretEnv: { REDIS_PASSWORD: this.password },
      security: { runAsUser: 999, runAsGroup: 999, fsGroup: 999 },
      resources: { memoryLimit: '256Mi', ...props.resources },
      readiness: Probe.tcp(),
      liveness: Probe.tcp({ periodSeconds: 20 }),
      volumeClaims: [{ name: 'data', mountPath: '/data', size: props.size ?? '1Gi', storageClass: props.storageClass }],
    });
  }

  protected connectionFields() {
    return { url: (password: string) => `redis://:${password}@${this.host}:${this.port}` };
  }
}
