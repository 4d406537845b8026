import type * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import type { Json } from '../../core/json';
import type { PropChecker } from '../../core/prop-checker';
import { isDnsLabel, isDnsSubdomain, isQuantity } from '../../core/value-rules';

/** Where a pod volume comes from. */
type VolumeSource =
  | { readonly kind: 'pvc'; readonly claimName: string }
  | { readonly kind: 'configMap'; readonly configMap: string }
  | { readonly kind: 'secret'; readonly secret: string }
  | { readonly kind: 'emptyDir'; readonly sizeLimit?: string }
  | { readonly kind: 'hostPath'; readonly path: string }
  | { readonly kind: 'csi'; readonly driver: string; readonly attributes: Readonly<Record<string, string>>; readonly readOnly: boolean };

/**
 * A volume of a pod. `hostPath` volumes are only allowed under the
 * `privileged` profile (node agents).
 * @see https://kubernetes.io/docs/concepts/storage/volumes/
 */
export class Volume {
  /** An existing PersistentVolumeClaim of the namespace. */
  public static pvc(name: string, claimName: string): Volume {
    return new Volume(name, { kind: 'pvc', claimName });
  }

  /** A ConfigMap of the namespace, one file per key. */
  public static configMap(name: string, configMap: string): Volume {
    return new Volume(name, { kind: 'configMap', configMap });
  }

  /** A Secret of the namespace, one file per key. */
  public static secret(name: string, secret: string): Volume {
    return new Volume(name, { kind: 'secret', secret });
  }

  /** A scratch folder that lives as long as the pod. */
  public static emptyDir(name: string, sizeLimit?: string): Volume {
    return new Volume(name, { kind: 'emptyDir', sizeLimit });
  }

  /**
   * A volume of a CSI driver, inline in the pod (e.g. `smb.csi.k8s.io` with
   * `{ source: '//nas/share' }`): allowed under restricted, unlike NFS and host paths.
   */
  public static csi(name: string, driver: string, attributes: Record<string, string> = {}, readOnly = false): Volume {
    return new Volume(name, { kind: 'csi', driver, attributes: { ...attributes }, readOnly });
  }

  /** A folder of the node (node agents only: needs the privileged profile). */
  public static hostPath(name: string, path: string): Volume {
    return new Volume(name, { kind: 'hostPath', path });
  }

  /** The volume's name in the pod. */
  public readonly name: string;
  private readonly source: VolumeSource;

  private constructor(name: string, source: VolumeSource) {
    this.name = name;
    this.source = source;
  }

  /** Whether the volume is a folder of the node. */
  public get isHostPath(): boolean {
    return this.source.kind === 'hostPath';
  }

  /** The PersistentVolumeClaim the volume uses, if any. */
  public get claimName(): string | undefined {
    return this.source.kind === 'pvc' ? this.source.claimName : undefined;
  }

  /** Renders the pod volume. */
  public toKube(): Json<k8s.Volume> {
    const s = this.source;
    switch (s.kind) {
      case 'pvc':
        return { name: this.name, persistentVolumeClaim: { claimName: s.claimName } };
      case 'configMap':
        return { name: this.name, configMap: { name: s.configMap } };
      case 'secret':
        return { name: this.name, secret: { secretName: s.secret } };
      case 'emptyDir':
        return { name: this.name, emptyDir: s.sizeLimit ? { sizeLimit: s.sizeLimit } : {} };
      case 'hostPath':
        return { name: this.name, hostPath: { path: s.path } };
      case 'csi':
        return {
          name: this.name,
          csi: {
            driver: s.driver,
            ...(Object.keys(s.attributes).length > 0 ? { volumeAttributes: { ...s.attributes } } : {}),
            ...(s.readOnly ? { readOnly: true } : {}),
          },
        };
    }
  }

  /**
   * Records problems of the volume's own values.
   * @internal
   */
  public check(checker: PropChecker, field: string): void {
    checker.check(isDnsLabel(this.name), `${field}.name`, this.name, 'is not a valid volume name', 'use lowercase letters, digits and "-"');
    const s = this.source;
    if (s.kind === 'pvc') {
      checker.check(isDnsSubdomain(s.claimName), `${field}.claimName`, s.claimName, 'is not a valid claim name');
    } else if (s.kind === 'configMap' || s.kind === 'secret') {
      const name = s.kind === 'configMap' ? s.configMap : s.secret;
      checker.check(isDnsSubdomain(name), `${field}.${s.kind}`, name, `is not a valid ${s.kind === 'configMap' ? 'ConfigMap' : 'Secret'} name`);
    } else if (s.kind === 'emptyDir' && s.sizeLimit !== undefined) {
      checker.check(isQuantity(s.sizeLimit), `${field}.sizeLimit`, s.sizeLimit, 'is not a Kubernetes quantity', 'write e.g. 1Gi');
    } else if (s.kind === 'hostPath') {
      checker.absolutePath(`${field}.path`, s.path);
    } else if (s.kind === 'csi') {
      checker.check(isDnsSubdomain(s.driver), `${field}.driver`, s.driver, 'is not a CSI driver name', 'write e.g. smb.csi.k8s.io');
    }
  }
}
