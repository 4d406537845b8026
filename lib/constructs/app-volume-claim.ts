import type * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { Construct } from 'constructs';
import { clusterProfileOf } from '../core/cluster-profile';
import type { Json } from '../core/json';
import { PropChecker } from '../core/prop-checker';
import type { PropNames } from '../core/prop-names';
import { isDnsSubdomain, isQuantity, quantityValue } from '../core/value-rules';
import { ManifestObject } from './manifest-object';

/** How a volume may be mounted: by one node, several, or one pod. */
export type AccessMode = 'ReadWriteOnce' | 'ReadWriteMany' | 'ReadOnlyMany' | 'ReadWriteOncePod';

/** A persistent volume of an app: what AppStack's `volumes` take. */
export interface PersistentVolume {
  /** The volume's name: the claim is `<app>-<name>`. */
  readonly name: string;
  /** Where it is mounted in the container. */
  readonly mountPath: string;
  /** Its size, as a Kubernetes quantity, e.g. `10Gi`. */
  readonly size: string;
  /**
   * The storage class that provisions it.
   * @default - the cluster profile's (`local-path` on K3s: a folder on the node)
   */
  readonly storageClass?: string;
  /**
   * How it may be mounted. `local-path` only offers ReadWriteOnce.
   * @default 'ReadWriteOnce'
   */
  readonly accessMode?: AccessMode;
}

/** The prop names of {@link PersistentVolume}, to find unknown ones at run time. */
export const PERSISTENT_VOLUME_FIELDS: PropNames<PersistentVolume> = {
  name: 'string',
  mountPath: 'string',
  size: 'string',
  storageClass: 'string?',
  accessMode: 'string?',
};

/** Props of {@link AppVolumeClaim}. */
export interface AppVolumeClaimProps {
  /** The claim name. */
  readonly name: string;
  /** The namespace of the claim (that of the pods using it). */
  readonly namespace: string;
  /** The size, as a Kubernetes quantity, e.g. `10Gi`. */
  readonly size: string;
  /**
   * The storage class that provisions it.
   * @default - the cluster profile's (`local-path` on K3s)
   */
  readonly storageClass?: string;
  /**
   * How it may be mounted.
   * @default 'ReadWriteOnce'
   */
  readonly accessMode?: AccessMode;
  /**
   * Labels of the claim.
   * @default - none
   */
  readonly labels?: Record<string, string>;
}

/** The prop names of {@link AppVolumeClaimProps}, to find unknown ones at run time. */
const APP_VOLUME_CLAIM_PROPS_FIELDS: PropNames<AppVolumeClaimProps> = {
  name: 'string',
  namespace: 'string',
  size: 'string',
  storageClass: 'string?',
  accessMode: 'string?',
  labels: 'object?',
};

const ACCESS_MODES: readonly AccessMode[] = ['ReadWriteOnce', 'ReadWriteMany', 'ReadOnlyMany', 'ReadWriteOncePod'];

/**
 * A PersistentVolumeClaim: storage that outlives the pods (on K3s, a folder
 * of the node provisioned by local-path).
 * @see https://kubernetes.io/docs/concepts/storage/persistent-volumes/
 */
export class AppVolumeClaim extends Construct {
  /** The claim name. */
  public readonly name: string;
  /** The claim's namespace. */
  public readonly namespace: string;
  /** The access mode. */
  public readonly accessMode: AccessMode;
  /** The Kubernetes object. */
  public readonly resource: ManifestObject;

  constructor(scope: Construct, id: string, props: AppVolumeClaimProps) {
    super(scope, id);
    this.name = props.name;
    this.namespace = props.namespace;
    this.accessMode = props.accessMode ?? 'ReadWriteOnce';
    if (!PropChecker.checkedByParent(this)) {
      const checker = new PropChecker(this);
      checker.checkShape('props', props, APP_VOLUME_CLAIM_PROPS_FIELDS, 'AppVolumeClaim');
      checker.throwIfIncomplete();
      checker.check(isDnsSubdomain(props.name), 'props.name', props.name, 'is not a valid claim name');
      checkVolumeSize(checker, props, 'props');
      checker.reportProblems();
    }
    this.resource = new ManifestObject(this, 'Resource', {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      ...claimManifest(props, clusterProfileOf(this).storageClass),
    });
  }
}

/** The metadata and spec of a claim (also used for StatefulSet volumeClaimTemplates); `storageClass` unless the props name one. */
export function claimManifest(props: AppVolumeClaimProps, storageClass: string): Json<k8s.KubePersistentVolumeClaimProps> {
  return {
    metadata: { name: props.name, namespace: props.namespace, labels: props.labels },
    spec: {
      accessModes: [props.accessMode ?? 'ReadWriteOnce'],
      storageClassName: props.storageClass ?? storageClass,
      resources: { requests: { storage: props.size } },
    },
  };
}

/** Records problems of a volume's size, class and access mode. */
export function checkVolumeSize(checker: PropChecker, v: { size: string; storageClass?: string; accessMode?: AccessMode }, prefix: string): void {
  const fix = /^\d+(\.\d+)?\s*[kKmMgGtT][bB]?$/.test(v.size.trim())
    ? `write ${v.size.replace(/\s+/g, '').replace(/([kKmMgGtT])[bB]?$/, (u) => `${u[0].toUpperCase()}i`)} (binary units: Ki, Mi, Gi, Ti)`
    : 'write e.g. 10Gi';
  checker.check(isQuantity(v.size) && (quantityValue(v.size) ?? 0) > 0, `${prefix}.size`, v.size, 'is not a storage size', fix);
  if (v.storageClass !== undefined) {
    checker.check(isDnsSubdomain(v.storageClass), `${prefix}.storageClass`, v.storageClass, 'is not a valid storage class name');
  }
  if (v.accessMode !== undefined) {
    checker.check(ACCESS_MODES.includes(v.accessMode), `${prefix}.accessMode`, v.accessMode, `must be one of ${ACCESS_MODES.join(', ')}`);
  }
}
