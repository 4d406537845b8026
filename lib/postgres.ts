import { Construct } from 'constructs';
import { AppService } from './app-service';
import { AppStatefulSet } from './app-stateful-set';
import { isDnsLabel, isDnsSubdomain } from './checks';
import { Database } from './database';
import { PropChecker } from './errors';
import { MANAGED_BY, MANAGED_BY_LABEL, selectorLabels } from './labels';
import { Probe } from './probe';
import { ContainerResources, SecretKeyRef } from './workload';

/** Props of {@link Postgres}. */
export interface PostgresProps {
  /** The database's name (StatefulSet and Service), e.g. `nextcloud-postgres`. */
  readonly name: string;
  /** The namespace it runs in (usually its app's). */
  readonly namespace: string;
  /** The database to create. */
  readonly database: string;
  /** The user that owns it. */
  readonly user: string;
  /** An existing Secret (in the namespace) holding the user's password. */
  readonly secretName: string;
  /**
   * The key of the password in that Secret.
   * @default 'password'
   */
  readonly passwordKey?: string;
  /**
   * The image (an alpine PostgreSQL runs as uid 70).
   * @default 'postgres:16.6-alpine'
   */
  readonly image?: string;
  /**
   * The size of the data volume.
   * @default '8Gi'
   */
  readonly size?: string;
  /**
   * The storage class of the data volume.
   * @default 'local-path'
   */
  readonly storageClass?: string;
  /**
   * Requests and limits.
   * @default - cpuRequest 100m, memoryRequest 128Mi, memoryLimit 512Mi
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
 * PostgreSQL: a StatefulSet with its own volume, a headless Service, the
 * password from a Secret you create (never written to Git), hardened like
 * every workload (non-root uid 70, read-only root).
 * @see https://hub.docker.com/_/postgres
 */
export class Postgres extends Database {
  public readonly name: string;
  public readonly namespace: string;
  public readonly port = 5432;
  public readonly password: SecretKeyRef;
  public readonly selector: Record<string, string>;
  public readonly statefulSet: AppStatefulSet;
  public readonly service: AppService;
  protected readonly envPrefix = 'POSTGRES_';
  private readonly database: string;
  private readonly user: string;

  constructor(scope: Construct, id: string, props: PostgresProps) {
    super(scope, id);
    this.name = props.name;
    this.namespace = props.namespace;
    this.database = props.database;
    this.user = props.user;
    this.password = { secret: props.secretName, key: props.passwordKey ?? 'password' };
    this.selector = selectorLabels(props.name);
    const checker = new PropChecker(this);
    checker.check(isDnsLabel(props.name), 'props.name', props.name, 'is not a valid database name', 'it names a Service: lowercase letters, digits and "-"');
    checker.check(/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(props.database), 'props.database', props.database, 'is not a PostgreSQL identifier', 'use letters, digits and "_"');
    checker.check(/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(props.user), 'props.user', props.user, 'is not a PostgreSQL identifier', 'use letters, digits and "_"');
    checker.check(isDnsSubdomain(props.secretName), 'props.secretName', props.secretName, 'is not a valid Secret name');
    checker.throwIfAny();
    const labels = { [MANAGED_BY_LABEL]: MANAGED_BY, ...props.labels, ...this.selector, 'app.kubernetes.io/component': 'database' };

    this.service = new AppService(this, 'Service', {
      name: props.name, namespace: props.namespace, selector: this.selector, port: this.port, targetPort: this.port,
      portName: 'postgres', headless: true, labels,
    });
    this.statefulSet = new AppStatefulSet(this, 'StatefulSet', {
      name: props.name,
      namespace: props.namespace,
      serviceName: props.name,
      selector: this.selector,
      labels,
      image: props.image ?? 'postgres:16.6-alpine',
      port: this.port,
      env: { POSTGRES_DB: props.database, POSTGRES_USER: props.user, PGDATA: '/var/lib/postgresql/data/pgdata' },
      secretEnv: { POSTGRES_PASSWORD: this.password },
      security: { runAsUser: 70, runAsGroup: 70, fsGroup: 70, writablePaths: ['/var/run/postgresql'] },
      resources: { cpuRequest: '100m', memoryRequest: '128Mi', memoryLimit: '512Mi', ...props.resources },
      readiness: Probe.exec(['pg_isready', '-U', props.user, '-d', props.database]),
      liveness: Probe.tcp({ periodSeconds: 20 }),
      volumeClaims: [{ name: 'data', mountPath: '/var/lib/postgresql/data', size: props.size ?? '8Gi', storageClass: props.storageClass }],
    });
  }

  protected connectionFields() {
    return {
      database: this.database,
      user: this.user,
      url: (password: string) => `postgresql://${this.user}:${password}@${this.host}:${this.port}/${this.database}`,
    };
  }
}
