import type * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { Construct } from 'constructs';
import type { Json } from '../core/json';
import { PropChecker } from '../core/prop-checker';
import type { PropNames } from '../core/prop-names';
import { isDnsSubdomain, isHostname, isLabelKey } from '../core/value-rules';
import { ManifestObject } from './manifest-object';

/** Props of {@link AppIngress}. */
export interface AppIngressProps {
  /** The Ingress name. */
  readonly name: string;
  /** Its namespace (that of the Service). */
  readonly namespace: string;
  /** The ingress class of the cluster's controller, e.g. `nginx`. */
  readonly ingressClassName: string;
  /** The hosts routed to the Service. */
  readonly hosts: string[];
  /** The Service. */
  readonly serviceName: string;
  /** The port of that Service. */
  readonly servicePort: number;
  /**
   * The `kubernetes.io/tls` Secret with the certificate (e.g. made by cert-manager).
   * @default - `<name>-tls`
   */
  readonly tlsSecretName?: string;
  /**
   * Annotations for the controller, e.g. `{ 'cert-manager.io/cluster-issuer': 'letsencrypt' }`.
   * @default - none
   */
  readonly annotations?: Record<string, string>;
  /**
   * Labels of the object.
   * @default - none
   */
  readonly labels?: Record<string, string>;
}

/** The prop names of {@link AppIngressProps}, to find unknown ones at run time. */
const APP_INGRESS_PROPS_FIELDS: PropNames<AppIngressProps> = {
  name: 'string',
  namespace: 'string',
  ingressClassName: 'string',
  hosts: 'string[]',
  serviceName: 'string',
  servicePort: 'number',
  tlsSecretName: 'string?',
  annotations: 'object?',
  labels: 'object?',
};

/**
 * A standard `networking.k8s.io/v1` Ingress, for clusters without Traefik's
 * CRDs (MicroK8s with nginx, Talos): every host, TLS from a Secret.
 * @see https://kubernetes.io/docs/concepts/services-networking/ingress/
 */
export class AppIngress extends Construct {
  /** The Kubernetes object. */
  public readonly resource: ManifestObject;

  constructor(scope: Construct, id: string, props: AppIngressProps) {
    super(scope, id);
    const tlsSecretName = props.tlsSecretName ?? `${props.name}-tls`;
    const checker = new PropChecker(this);
    checker.checkShape('props', props, APP_INGRESS_PROPS_FIELDS, 'AppIngress');
    checker.throwIfIncomplete();
    checker.check(isDnsSubdomain(props.ingressClassName), 'props.ingressClassName', props.ingressClassName, 'is not a valid ingress class name');
    checker.check(props.hosts.length > 0, 'props.hosts', props.hosts, 'must name at least one host');
    for (const host of props.hosts) {
      checker.check(isHostname(host), 'props.host', host, 'is not a valid DNS name');
    }
    checker.check(isDnsSubdomain(tlsSecretName), 'props.tlsSecretName', tlsSecretName, 'is not a valid Secret name');
    checker.port('props.servicePort', props.servicePort);
    for (const key of Object.keys(props.annotations ?? {})) {
      checker.check(isLabelKey(key), 'props.annotations', key, 'is not a valid annotation key');
    }
    checker.reportProblems();
    const manifest: Json<k8s.KubeIngressProps> = {
      metadata: { name: props.name, namespace: props.namespace, labels: props.labels, annotations: props.annotations ? { ...props.annotations } : undefined },
      spec: {
        ingressClassName: props.ingressClassName,
        tls: [{ hosts: [...props.hosts], secretName: tlsSecretName }],
        rules: props.hosts.map((host) => ({
          host,
          http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: props.serviceName, port: { number: props.servicePort } } } }] },
        })),
      },
    };
    this.resource = new ManifestObject(this, 'Resource', { apiVersion: 'networking.k8s.io/v1', kind: 'Ingress', ...manifest });
  }
}
