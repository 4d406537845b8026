import { Construct } from 'constructs';
import { ManifestObject } from '../constructs/manifest-object';
import { PropChecker } from '../core/prop-checker';
import type { PropNames } from '../core/prop-names';
import { isSecretKey } from '../core/sealing-scope';
import { isDnsLabel, isDnsSubdomain, isGoDuration, isLabelKey, isLabelValue } from '../core/value-rules';

/** A value of the secret store: its key there, and a property of it when the value is a document. */
export interface RemoteValue {
  /** The key (path, item name) in the store. */
  readonly key: string;
  /**
   * A property of the value, when it is a JSON document (or a field of a 1Password or Bitwarden item).
   * @default - the whole value
   */
  readonly property?: string;
  /**
   * A version of the value, where the store keeps versions.
   * @default - the latest
   */
  readonly version?: string;
}

/** The SecretStore or ClusterSecretStore an ExternalSecret reads. */
export interface SecretStoreRef {
  /** Its name. */
  readonly name: string;
  /**
   * A ClusterSecretStore (any namespace may read it) or a SecretStore of the Secret's namespace.
   * @default 'ClusterSecretStore'
   */
  readonly kind?: 'ClusterSecretStore' | 'SecretStore';
}

/** Props of {@link ExternalSecret}. */
export interface ExternalSecretProps {
  /** The name of the Secret External Secrets makes (and of the ExternalSecret). */
  readonly name: string;
  /** Its namespace. */
  readonly namespace: string;
  /** The store the values come from. */
  readonly store: SecretStoreRef;
  /**
   * The Secret's keys, each from a value of the store: its key there, e.g.
   * `{ password: 'gazette/db' }`, or `{ key, property }`.
   */
  readonly data: Record<string, string | RemoteValue>;
  /**
   * How often the values are read again, as a duration.
   * @default '1h'
   */
  readonly refreshInterval?: string;
  /**
   * The type of the Secret, e.g. `kubernetes.io/dockerconfigjson`.
   * @default 'Opaque'
   */
  readonly type?: string;
  /**
   * Labels of the Secret.
   * @default - none
   */
  readonly labels?: Record<string, string>;
}

const EXTERNAL_SECRET_PROPS_FIELDS: PropNames<ExternalSecretProps> = {
  name: 'string',
  namespace: 'string',
  store: 'object',
  data: 'object',
  refreshInterval: 'string?',
  type: 'string?',
  labels: 'object?',
};
const SECRET_STORE_REF_FIELDS: PropNames<SecretStoreRef> = { name: 'string', kind: 'string?' };
const REMOTE_VALUE_FIELDS: PropNames<RemoteValue> = { key: 'string', property: 'string?', version: 'string?' };

/**
 * An External Secrets Operator ExternalSecret: a Secret whose values the
 * operator reads from a secret store (Vault, Bitwarden, 1Password, a cloud
 * store) and keeps up to date, so that they never pass through Git at all.
 * @see https://external-secrets.io/latest/api/externalsecret/
 */
export class ExternalSecret extends Construct {
  /** The name of the Secret it makes. */
  public readonly name: string;
  /** Its namespace. */
  public readonly namespace: string;
  /** The ExternalSecret object. */
  public readonly resource: ManifestObject;

  constructor(scope: Construct, id: string, props: ExternalSecretProps) {
    super(scope, id);
    this.name = props.name;
    this.namespace = props.namespace;
    const checker = new PropChecker(this);
    checker.checkShape('props', props, EXTERNAL_SECRET_PROPS_FIELDS, 'ExternalSecret');
    checker.checkShape('props.store', props.store, SECRET_STORE_REF_FIELDS, 'SecretStoreRef');
    for (const [key, value] of Object.entries(props.data ?? {})) {
      if (typeof value !== 'string') {
        checker.checkShape(`props.data.${key}`, value, REMOTE_VALUE_FIELDS, 'RemoteValue');
      }
    }
    checker.throwIfIncomplete();
    checkExternalSecretProps(checker, props);
    checker.reportProblems();

    const keys = Object.keys(props.data).sort();
    this.resource = new ManifestObject(this, 'Resource', {
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata: { name: props.name, namespace: props.namespace },
      spec: {
        refreshInterval: props.refreshInterval ?? '1h',
        secretStoreRef: { name: props.store.name, kind: props.store.kind ?? 'ClusterSecretStore' },
        target: {
          name: props.name,
          creationPolicy: 'Owner',
          ...(props.type || props.labels
            ? { template: { ...(props.type ? { type: props.type } : {}), ...(props.labels ? { metadata: { labels: { ...props.labels } } } : {}) } }
            : {}),
        },
        data: keys.map((secretKey) => {
          const remote = props.data[secretKey];
          const ref = typeof remote === 'string' ? { key: remote } : remote;
          return {
            secretKey,
            remoteRef: { key: ref.key, ...(ref.property ? { property: ref.property } : {}), ...(ref.version ? { version: ref.version } : {}) },
          };
        }),
      },
    });
  }
}

function checkExternalSecretProps(checker: PropChecker, props: ExternalSecretProps): void {
  checker.check(isDnsSubdomain(props.name), 'props.name', props.name, 'is not a valid Secret name');
  checker.check(isDnsLabel(props.namespace), 'props.namespace', props.namespace, 'is not a valid namespace name');
  checker.check(isDnsSubdomain(props.store.name), 'props.store.name', props.store.name, 'is not a valid store name');
  const kinds = ['ClusterSecretStore', 'SecretStore'];
  checker.check(props.store.kind === undefined || kinds.includes(props.store.kind), 'props.store.kind', props.store.kind, `must be ${kinds.join(' or ')}`);
  checker.check(Object.keys(props.data).length > 0, 'props.data', props.data, 'names no value', 'map at least one Secret key to a key of the store');
  for (const [key, remote] of Object.entries(props.data)) {
    checker.check(isSecretKey(key), `props.data.${key}`, key, 'is not a valid Secret key', 'use letters, digits, "-", "_" and "."');
    const remoteKey = typeof remote === 'string' ? remote : remote.key;
    checker.check(remoteKey.trim() !== '', `props.data.${key}`, remoteKey, 'names no key of the store');
  }
  if (props.refreshInterval !== undefined) {
    checker.check(isGoDuration(props.refreshInterval), 'props.refreshInterval', props.refreshInterval, 'is not a duration', 'write e.g. 1h or 15m');
  }
  for (const [key, value] of Object.entries(props.labels ?? {})) {
    checker.check(isLabelKey(key) && isLabelValue(value), `props.labels.${key}`, value, 'is not a valid label');
  }
}
