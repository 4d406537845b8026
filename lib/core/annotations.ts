/** The annotation by which a workload says a floating image tag (none, or `latest`) is intended. */
export const ALLOW_FLOATING_TAG_ANNOTATION = 'cdk8s-homelab/allow-floating-tag';

/** The Keel annotation that puts a workload under automatic image updates. */
export const KEEL_POLICY_ANNOTATION = 'keel.sh/policy';

/**
 * The rules of the security policy every synth enforces, on top of Pod
 * Security admission. Each can be waived for one object with the annotation
 * `cdk8s-homelab/policy-exception.<rule>: <reason>`: synth then warns
 * (`HL-policy-exception`) instead of failing.
 */
export type PolicyRule =
  | 'pod-security'
  | 'read-only-root'
  | 'service-account-token'
  | 'resources'
  | 'probes'
  | 'namespace-labels'
  | 'network-policy'
  | 'secret-data'
  | 'secret-env'
  | 'hsts'
  | 'http-redirect';

/** The namespace annotation that says why it enforces less than `restricted`. */
export const POD_SECURITY_REASON_ANNOTATION = 'cdk8s-homelab/pod-security-reason';

/** Every rule, for documentation and option checking. */
export const POLICY_RULES: readonly PolicyRule[] = [
  'pod-security',
  'read-only-root',
  'service-account-token',
  'resources',
  'probes',
  'namespace-labels',
  'network-policy',
  'secret-data',
  'secret-env',
  'hsts',
  'http-redirect',
];

/** The annotation that waives `rule` for one object; its value is the reason. */
export function policyExceptionAnnotation(rule: PolicyRule): string {
  return `cdk8s-homelab/policy-exception.${rule}`;
}

/** The annotation that lists the Services a chart provides: `ns/name:port,port;...`. */
export const PROVIDES_SERVICES_ANNOTATION = 'cdk8s-homelab/provides-services';

/** On a HelmChart or HelmRelease: the Secrets its chart creates, as `namespace/name;...` (see `providesSecrets`), which objects may then use. */
export const PROVIDES_SECRETS_ANNOTATION = 'cdk8s-homelab/provides-secrets';

/** On an object that uses Secrets made by hand (HomelabApp `handMadeSecrets`): their names, `a,b`, so that the output says what it relies on and validates alone. */
export const HAND_MADE_SECRETS_ANNOTATION = 'cdk8s-homelab/hand-made-secrets';

/** The annotation by which a LoadBalancer Service asks MetalLB for an address of a named pool. */
export const METALLB_POOL_ANNOTATION = 'metallb.io/address-pool';

/** The annotation by which a LoadBalancer Service asks MetalLB for fixed addresses (comma-separated). */
export const METALLB_ADDRESS_ANNOTATION = 'metallb.io/loadBalancerIPs';

/** The annotation by which the NGINX ingress controller lets only some client networks in. */
export const NGINX_ALLOW_LIST_ANNOTATION = 'nginx.ingress.kubernetes.io/whitelist-source-range';

/** The ingress classes of the NGINX ingress controller (ingress-nginx's default, and MicroK8s's addon). */
export const NGINX_INGRESS_CLASSES: readonly string[] = ['nginx', 'public'];
