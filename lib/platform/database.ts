import { Construct } from 'constructs';
import { AppNetworkPolicy } from '../constructs/app-network-policy';
import { AppService } from '../constructs/app-service';
import { AppStatefulSet } from '../constructs/workload/app-stateful-set';
import type { PodSecurity } from '../constructs/workload/pod-security';
import { Probe } from '../constructs/workload/probe';
import type { ContainerResources, SecretKeyRef } from '../constructs/workload/workload';
import { MANAGED_BY, MANAGED_BY_LABEL, selectorLabels } from '../core/labels';
import { PropChecker } from '../core/prop-checker';
import type { PropNames } from '../core/prop-names';
import { isDnsLabel, isDnsSubdomain, isEnvName } from '../core/value-rules';

/** What every database takes: {@link PostgresProps} and {@link RedisProps} add their own. */
export interface DatabaseProps {
  /** The database's name (StatefulSet and Service), e.g. `nextcloud-postgres`. */
  readonly name: string;
  /** The namespace it runs in (usually its app's). */
  readonly namespace: string;
  /** An existing Secret (in the namespace) holding the password. */
  readonly secretName: string;
  /**
   * The key of the password in that Secret.
   * @default 'password'
   */
  readonly passwordKey?: string;
  /**
   * The image.
   * @default - the database's own: 'postgres:16.6-alpine' (uid 70), 'redis:7.4.1-alpine' (uid 999)
   */
  readonly image?: string;
  /**
   * The size of the data volume.
   * @default - '8Gi' for PostgreSQL, '1Gi' for Redis
   */
  readonly size?: string;
  /**
   * The storage class of the data volume.
   * @default - the cluster profile's (`local-path` on K3s)
   */
  readonly storageClass?: string;
  /**
   * Requests and limits, over the database's own.
   * @default - PostgreSQL: cpuRequest 100m, memoryRequest 128Mi, memoryLimit 512Mi; Redis: the workload defaults with memoryLimit 256Mi
   */
  readonly resources?: ContainerResources;
  /**
   * Labels of every object, added to the selector labels and
   * `app.kubernetes.io/managed-by: cdk8s-homelab`.
   * @default - none
   */
  readonly labels?: Record<string, string>;
}

/** The prop names of {@link DatabaseProps}, to find unknown ones at run time. */
export const DATABASE_PROPS_FIELDS: PropNames<DatabaseProps> = {
  name: 'string',
  namespace: 'string',
  secretName: 'string',
  passwordKey: 'string?',
  image: 'string?',
  size: 'string?',
  storageClass: 'string?',
  resources: 'object?',
  labels: 'object?',
};

/** The container of a {@link DatabaseEngine}. */
export interface DatabaseContainer {
  /**
   * Plain environment variables.
   * @default - none
   */
  readonly env?: Record<string, string>;
  /**
   * Arguments of the image's entry point.
   * @default - the image's
   */
  readonly args?: string[];
  /** How the pod is locked down: the user the image runs as, its writable folders. */
  readonly security: PodSecurity;
  /** The engine's requests and limits; the props' go over them. */
  readonly resources: ContainerResources;
  /** When the database takes connections. */
  readonly readiness: Probe;
}

/** How one kind of database runs: what PostgreSQL and Redis do differently. */
export interface DatabaseEngine {
  /** Its port. */
  readonly port: number;
  /** The name of that port on the Service. */
  readonly portName: string;
  /** The `app.kubernetes.io/component` label, e.g. `database` or `cache`. */
  readonly component: string;
  /** The prefix of the connection variables, e.g. `POSTGRES_`. */
  readonly envPrefix: string;
  /** The image when the props name none. */
  readonly defaultImage: string;
  /** The data volume's size when the props give none. */
  readonly defaultSize: string;
  /** Where the data volume is mounted. */
  readonly dataPath: string;
  /** The variable the container reads its password from. */
  readonly passwordEnv: string;
  /** How the container runs. */
  readonly container: DatabaseContainer;
  /** The construct's name in problems, e.g. `Postgres`. */
  readonly construct: string;
  /** Every prop name of the construct (the common ones and the engine's own), to find unknown ones. */
  readonly propNames: PropNames<DatabaseProps>;
  /** Checks of the engine's own props, reported with the common ones. */
  readonly check?: (checker: PropChecker) => void;
}

/** The environment variable names an app reads a database's connection from. */
export interface ConnectionNames {
  /** @default '<prefix>HOST' */
  readonly host?: string;
  /** @default '<prefix>PORT' */
  readonly port?: string;
  /** @default '<prefix>DB' (databases with several databases) */
  readonly database?: string;
  /** @default '<prefix>USER' (databases with users) */
  readonly user?: string;
  /** @default '<prefix>PASSWORD' */
  readonly password?: string;
  /** @default '<prefix>URL' */
  readonly url?: string;
}

/** How an app reads a database's connection. */
export interface ConnectionOptions {
  /**
   * The prefix of every variable name.
   * @default - the database's own, e.g. 'POSTGRES_' or 'REDIS_'
   */
  readonly prefix?: string;
  /**
   * Names that replace the prefixed ones, e.g. `{ port: 'REDIS_HOST_PORT' }`.
   * @default - the prefixed names
   */
  readonly names?: ConnectionNames;
}

/** The prop names of {@link ConnectionOptions}, to find unknown ones at run time. */
export const CONNECTION_OPTIONS_FIELDS: PropNames<ConnectionOptions> = { prefix: 'string?', names: 'object?' };

/** The environment of an app that uses a database. */
export interface DatabaseConnection {
  /** Plain variables (host, port, database, user, URL with `$(password)`). */
  readonly env: Record<string, string>;
  /** The password, from the database's Secret. */
  readonly secretEnv: Record<string, SecretKeyRef>;
}

/** What the pods of an app that may reach a database look like. */
export interface DatabaseClient {
  /** The app's name. */
  readonly name: string;
  /** The app's namespace. */
  readonly namespace: string;
  /** The labels of the app's pods. */
  readonly selector: Record<string, string>;
}

/**
 * A database run by the cluster (StatefulSet, headless Service, a volume per
 * pod, credentials from a Secret named by the user). Its namespace's
 * default-deny policy keeps everyone out but the apps it lets in.
 */
export abstract class Database extends Construct {
  /** The database's name (StatefulSet, Service). */
  public readonly name: string;
  /** Its namespace. */
  public readonly namespace: string;
  /** Its port. */
  public readonly port: number;
  /** The Secret and key holding its password. */
  public readonly password: SecretKeyRef;
  /** The labels of its pods. */
  public readonly selector: Record<string, string>;
  /** The StatefulSet. */
  public readonly statefulSet: AppStatefulSet;
  /** The headless Service. */
  public readonly service: AppService;
  /** The prefix of the connection variables. */
  protected readonly envPrefix: string;
  private readonly clients = new Set<string>();

  /**
   * Checks the props (every problem at once), then runs the engine: a
   * headless Service and a StatefulSet with a volume per pod, hardened like
   * every workload.
   */
  protected constructor(scope: Construct, id: string, props: DatabaseProps, engine: DatabaseEngine) {
    super(scope, id);
    this.name = props.name;
    this.namespace = props.namespace;
    this.port = engine.port;
    this.envPrefix = engine.envPrefix;
    this.password = { secret: props.secretName, key: props.passwordKey ?? 'password' };
    this.selector = selectorLabels(props.name);
    const checker = new PropChecker(this);
    checker.checkShape('props', props, engine.propNames, engine.construct);
    checker.throwIfIncomplete();
    checker.check(isDnsLabel(props.name), 'props.name', props.name, 'is not a valid database name', 'it names a Service: lowercase letters, digits and "-"');
    engine.check?.(checker);
    checker.check(isDnsSubdomain(props.secretName), 'props.secretName', props.secretName, 'is not a valid Secret name');
    checker.reportProblems();
    const labels = { [MANAGED_BY_LABEL]: MANAGED_BY, ...props.labels, ...this.selector, 'app.kubernetes.io/component': engine.component };

    this.service = new AppService(this, 'Service', {
      name: props.name,
      namespace: props.namespace,
      selector: this.selector,
      port: this.port,
      targetPort: this.port,
      portName: engine.portName,
      headless: true,
      labels,
    });
    this.statefulSet = new AppStatefulSet(this, 'StatefulSet', {
      ...engine.container,
      name: props.name,
      namespace: props.namespace,
      serviceName: props.name,
      selector: this.selector,
      labels,
      image: props.image ?? engine.defaultImage,
      port: this.port,
      portName: engine.portName,
      secretEnv: { [engine.passwordEnv]: this.password },
      resources: { ...engine.container.resources, ...props.resources },
      liveness: Probe.tcp({ periodSeconds: 20 }),
      volumeClaims: [{ name: 'data', mountPath: engine.dataPath, size: props.size ?? engine.defaultSize, storageClass: props.storageClass }],
    });
  }

  /** The host name apps connect to. */
  public get host(): string {
    return `${this.name}.${this.namespace}.svc.cluster.local`;
  }

  /** The environment an app needs to connect, password from the Secret. */
  public connection(options: ConnectionOptions = {}): DatabaseConnection {
    const prefix = options.prefix ?? this.envPrefix;
    const n = (key: keyof ConnectionNames) => options.names?.[key] ?? `${prefix}${key === 'database' ? 'DB' : key.toUpperCase()}`;
    const fields = this.connectionFields();
    const env: Record<string, string> = { [n('host')]: this.host, [n('port')]: String(this.port) };
    if (fields.database !== undefined) {
      env[n('database')] = fields.database;
    }
    if (fields.user !== undefined) {
      env[n('user')] = fields.user;
    }
    env[n('url')] = fields.url(`$(${n('password')})`);
    const checker = new PropChecker(this);
    for (const name of [...Object.keys(env), n('password')]) {
      checker.check(isEnvName(name), 'connection names', name, 'is not a valid environment variable name');
    }
    checker.reportProblems();
    return { env, secretEnv: { [n('password')]: this.password } };
  }

  /** Lets an app's pods reach the database's port (a NetworkPolicy in the database's namespace). */
  public allowFrom(client: DatabaseClient): void {
    if (this.clients.has(`${client.namespace}/${client.name}`)) {
      return;
    }
    this.clients.add(`${client.namespace}/${client.name}`);
    new AppNetworkPolicy(this, `AllowFrom-${client.namespace}-${client.name}`, {
      namespace: this.namespace,
      podSelector: this.selector,
      port: this.port,
      denyAll: false,
      ingressController: false,
      allowFrom: [{ namespace: client.namespace, podSelector: client.selector, name: `${client.name}-to-${this.name}` }],
      labels: this.selector,
    });
  }

  /** The database and user of the connection, and its URL given the password placeholder. */
  protected abstract connectionFields(): { readonly database?: string; readonly user?: string; url(password: string): string };
}
