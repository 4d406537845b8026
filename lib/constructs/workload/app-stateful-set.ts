import type * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { Construct } from 'constructs';
import { clusterProfileOf } from '../../core/cluster-profile';
import type { Json } from '../../core/json';
import { PropChecker } from '../../core/prop-checker';
import type { PropNames } from '../../core/prop-names';
import { isContainerPortName, isDnsLabel, isDnsSubdomain } from '../../core/value-rules';
import { type AccessMode, checkVolumeSize, claimManifest } from '../app-volume-claim';
import { ManifestObject } from '../manifest-object';
import type { ResolvedPodSecurity } from './pod-security';
import { buildWorkload } from './pod-template';
import { Volume } from './volume';
import { NAMED_PORT_FIELDS, type NamedPort, type ResolvedResources, WORKLOAD_PROPS_FIELDS, type WorkloadProps } from './workload';
import { checkNamedPorts, checkWorkloadPropNames, checkWorkloadProps } from './workload-checks';

/** A volume every pod of a StatefulSet gets its own copy of. */
export interface VolumeClaimTemplate {
  /** The volume's name (each pod's claim is `<name>-<statefulset>-<n>`). */
  readonly name: string;
  /** Where it is mounted. */
  readonly mountPath: string;
  /** Its size, e.g. `8Gi`. */
  readonly size: string;
  /**
   * The storage class.
   * @default - the cluster profile's (`local-path` on K3s)
   */
  readonly storageClass?: string;
  /**
   * How it may be mounted.
   * @default 'ReadWriteOnce'
   */
  readonly accessMode?: AccessMode;
}

/** The prop names of {@link VolumeClaimTemplate}, to find unknown ones at run time. */
const VOLUME_CLAIM_TEMPLATE_FIELDS: PropNames<VolumeClaimTemplate> = {
  name: 'string',
  mountPath: 'string',
  size: 'string',
  storageClass: 'string?',
  accessMode: 'string?',
};

/** Props of {@link AppStatefulSet}. */
export interface AppStatefulSetProps extends WorkloadProps {
  /** The StatefulSet name, also the container name. */
  readonly name: string;
  /** Its namespace. */
  readonly namespace: string;
  /** The headless Service that gives each pod its DNS name. */
  readonly serviceName: string;
  /** The labels that select the pods. */
  readonly selector: Record<string, string>;
  /**
   * The port the container listens on.
   * @default - none
   */
  readonly port?: number;
  /**
   * The name of the container's port (what its Service calls it, e.g. `postgres`).
   * @default 'http'
   */
  readonly portName?: string;
  /**
   * More ports the container listens on, each of its own name (e.g. `metrics`).
   * @default - none
   */
  readonly extraPorts?: NamedPort[];
  /**
   * Labels of the object and its pods (besides the selector labels).
   * @default - the selector labels only
   */
  readonly labels?: Record<string, string>;
  /**
   * Number of pods.
   * @default 1
   */
  readonly replicas?: number;
  /**
   * Volumes each pod gets its own copy of.
   * @default - none
   */
  readonly volumeClaims?: VolumeClaimTemplate[];
}

/** The prop names of {@link AppStatefulSetProps}, to find unknown ones at run time. */
const APP_STATEFUL_SET_PROPS_FIELDS: PropNames<AppStatefulSetProps> = {
  ...WORKLOAD_PROPS_FIELDS,
  name: 'string',
  namespace: 'string',
  serviceName: 'string',
  selector: 'object',
  port: 'number?',
  portName: 'string?',
  extraPorts: 'list?',
  labels: 'object?',
  replicas: 'number?',
  volumeClaims: 'list?',
};

/**
 * A StatefulSet: pods with stable names and their own persistent volumes
 * (databases).
 * @see https://kubernetes.io/docs/concepts/workloads/controllers/statefulset/
 */
export class AppStatefulSet extends Construct {
  /** The StatefulSet name. */
  public readonly name: string;
  /** The number of pods. */
  public readonly replicas: number;
  /** The labels that select the pods. */
  public readonly selector: Record<string, string>;
  /** The resolved requests and limits. */
  public readonly resources: ResolvedResources;
  /** The resolved security settings. */
  public readonly security: ResolvedPodSecurity;
  /** The Kubernetes object. */
  public readonly resource: ManifestObject;

  constructor(scope: Construct, id: string, props: AppStatefulSetProps) {
    super(scope, id);
    this.name = props.name;
    this.replicas = props.replicas ?? 1;
    this.selector = { ...props.selector };
    const claims = props.volumeClaims ?? [];
    const withClaims: AppStatefulSetProps = {
      ...props,
      // Claim templates are mounted by name; their volumes come from the templates.
      mounts: [...(props.mounts ?? []), ...claims.map((c) => ({ volume: Volume.pvc(c.name, c.name), mountPath: c.mountPath }))],
    };
    if (!PropChecker.checkedByParent(this)) {
      const checker = new PropChecker(this);
      checker.checkShape('props', props, APP_STATEFUL_SET_PROPS_FIELDS, 'AppStatefulSet');
      checkWorkloadPropNames(checker, props);
      checker.checkShapeOfEach('props.volumeClaims', props.volumeClaims, VOLUME_CLAIM_TEMPLATE_FIELDS, 'VolumeClaimTemplate');
      checker.checkShapeOfEach('props.extraPorts', props.extraPorts, NAMED_PORT_FIELDS, 'NamedPort');
      checker.throwIfIncomplete();
      checkNamedPorts(checker, 'props.extraPorts', props.extraPorts, props.portName ?? 'http', props.port);
      checker.check(isDnsSubdomain(props.name), 'props.name', props.name, 'is not a valid StatefulSet name');
      checker.check(isDnsLabel(props.serviceName), 'props.serviceName', props.serviceName, 'is not a valid Service name');
      checker.check(Number.isInteger(this.replicas) && this.replicas >= 0, 'props.replicas', this.replicas, 'must be a whole number, 0 or more');
      if (props.port !== undefined) {
        checker.port('props.port', props.port);
      }
      for (const [i, c] of claims.entries()) {
        checker.check(isDnsLabel(c.name), `props.volumeClaims[${i}].name`, c.name, 'is not a valid volume name');
        checkVolumeSize(checker, c, `props.volumeClaims[${i}]`);
      }
      if (props.portName !== undefined) {
        checker.check(
          isContainerPortName(props.portName),
          'props.portName',
          props.portName,
          'is not a port name',
          'use at most 15 lowercase letters, digits and "-", with a letter, e.g. postgres',
        );
      }
      checkWorkloadProps(checker, withClaims, props.port);
      checker.reportProblems();
    }

    const labels = { ...props.labels, ...this.selector };
    const built = buildWorkload(this, withClaims, {
      name: props.name,
      labels,
      port: props.port,
      portName: props.portName,
      extraPorts: props.extraPorts,
      longRunning: true,
      templateVolumes: claims.map((c) => c.name),
    });
    this.resources = built.resources;
    this.security = built.security;
    const manifest: Json<k8s.KubeStatefulSetProps> = {
      metadata: { name: props.name, namespace: props.namespace, labels, annotations: built.annotations },
      spec: {
        replicas: this.replicas,
        serviceName: props.serviceName,
        selector: { matchLabels: { ...this.selector } },
        template: built.template,
        volumeClaimTemplates:
          claims.length > 0
            ? claims.map((c) => {
                const { metadata, spec: claimSpec } = claimManifest({ ...c, namespace: props.namespace }, clusterProfileOf(this).storageClass);
                return { metadata: { name: metadata?.name }, spec: claimSpec };
              })
            : undefined,
      },
    };
    this.resource = new ManifestObject(this, 'Resource', { apiVersion: 'apps/v1', kind: 'StatefulSet', ...manifest });
  }
}
