import { Construct } from 'constructs';
import { PropChecker } from '../core/prop-checker';
import type { PropNames } from '../core/prop-names';
import { isDnsLabel, isDnsSubdomain, isHostname, isIpAddress, isQuantity } from '../core/value-rules';
import { ManifestObject } from './manifest-object';

/** Props of {@link AppNfsShare}. */
export interface AppNfsShareProps {
  /** The claim's name, which apps mount with `Volume.pvc` (and the PersistentVolume's, prefixed by the namespace). */
  readonly name: string;
  /** The namespace of the claim (that of the apps that mount it). */
  readonly namespace: string;
  /** The NFS server: a host name or an IP address, e.g. `nas.lan` or `192.168.1.10`. */
  readonly server: string;
  /** The exported path on the server, e.g. `/volume1/media`. */
  readonly path: string;
  /**
   * The size the claim declares (NFS does not enforce it).
   * @default '1Ti'
   */
  readonly size?: string;
  /**
   * Whether the apps may only read it.
   * @default false
   */
  readonly readOnly?: boolean;
  /**
   * NFS mount options, e.g. `['nfsvers=4.1', 'hard']`.
   * @default - the node's defaults
   */
  readonly mountOptions?: string[];
  /**
   * Labels of the objects.
   * @default - none
   */
  readonly labels?: Record<string, string>;
}

const APP_NFS_SHARE_PROPS_FIELDS: PropNames<AppNfsShareProps> = {
  name: 'string',
  namespace: 'string',
  server: 'string',
  path: 'string',
  size: 'string?',
  readOnly: 'boolean?',
  mountOptions: 'string[]?',
  labels: 'object?',
};

/**
 * A share of a NAS, as a PersistentVolume bound to one claim of the
 * namespace: pods mount the claim (`Volume.pvc`), since Pod Security
 * `restricted` refuses NFS volumes in a pod itself. Several apps of the
 * namespace may mount it at once (ReadWriteMany).
 * @see https://kubernetes.io/docs/concepts/storage/volumes/#nfs
 */
export class AppNfsShare extends Construct {
  /** The claim's name. */
  public readonly claimName: string;
  /** The PersistentVolume. */
  public readonly volume: ManifestObject;
  /** The PersistentVolumeClaim. */
  public readonly claim: ManifestObject;

  constructor(scope: Construct, id: string, props: AppNfsShareProps) {
    super(scope, id);
    const checker = new PropChecker(this);
    checker.checkShape('props', props, APP_NFS_SHARE_PROPS_FIELDS, 'AppNfsShare');
    checker.throwIfIncomplete();
    const size = props.size ?? '1Ti';
    checker.check(isDnsSubdomain(props.name), 'props.name', props.name, 'is not a valid claim name');
    checker.check(isDnsLabel(props.namespace), 'props.namespace', props.namespace, 'is not a valid namespace name');
    checker.check(isHostname(props.server) || isIpAddress(props.server), 'props.server', props.server, 'is not a host name nor an IP address');
    checker.absolutePath('props.path', props.path);
    checker.check(isQuantity(size), 'props.size', size, 'is not a Kubernetes quantity', 'write e.g. 500Gi');
    checker.reportProblems();
    this.claimName = props.name;
    const volumeName = `${props.namespace}-${props.name}`;
    const accessModes = [props.readOnly ? 'ReadOnlyMany' : 'ReadWriteMany'];
    this.volume = new ManifestObject(this, 'Volume', {
      apiVersion: 'v1',
      kind: 'PersistentVolume',
      metadata: { name: volumeName, labels: props.labels },
      spec: {
        capacity: { storage: size },
        accessModes,
        persistentVolumeReclaimPolicy: 'Retain',
        storageClassName: '',
        mountOptions: props.mountOptions ? [...props.mountOptions] : undefined,
        nfs: { server: props.server, path: props.path, ...(props.readOnly ? { readOnly: true } : {}) },
        claimRef: { namespace: props.namespace, name: props.name },
      },
    });
    this.claim = new ManifestObject(this, 'Claim', {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: props.name, namespace: props.namespace, labels: props.labels },
      spec: { accessModes, storageClassName: '', volumeName, resources: { requests: { storage: size } } },
    });
  }
}
