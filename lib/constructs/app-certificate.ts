import { Construct } from 'constructs';
import type { CertManagerIssuer } from '../core/cluster-profile';
import { PropChecker } from '../core/prop-checker';
import type { PropNames } from '../core/prop-names';
import { isDnsLabel, isDnsSubdomain } from '../core/value-rules';
import { ManifestObject } from './manifest-object';

export { CERT_MANAGER_ISSUER_FIELDS, type CertManagerIssuer } from '../core/cluster-profile';

/** Records the problems of a cert-manager issuer reference given as `field` (e.g. `props.certManager`). */
export function checkCertManagerIssuer(checker: PropChecker, field: string, cert: CertManagerIssuer): void {
  checker.check(isDnsSubdomain(cert.issuer), `${field}.issuer`, cert.issuer, 'is not a valid issuer name');
  const kinds = ['ClusterIssuer', 'Issuer'];
  checker.check(cert.kind === undefined || kinds.includes(cert.kind), `${field}.kind`, cert.kind, `must be ${kinds.join(' or ')}`);
}

/** Props of {@link AppCertificate}. */
export interface AppCertificateProps {
  /** The Certificate's name. */
  readonly name: string;
  /** Its namespace (the Secret is written there). */
  readonly namespace: string;
  /** The names the certificate covers (wildcards included). */
  readonly dnsNames: string[];
  /** The `kubernetes.io/tls` Secret cert-manager writes the certificate into. */
  readonly secretName: string;
  /** The issuer's name. */
  readonly issuer: string;
  /**
   * A ClusterIssuer, or an Issuer of the namespace.
   * @default 'ClusterIssuer'
   */
  readonly issuerKind?: 'ClusterIssuer' | 'Issuer';
  /**
   * Labels of the object.
   * @default - none
   */
  readonly labels?: Record<string, string>;
}

const APP_CERTIFICATE_PROPS_FIELDS: PropNames<AppCertificateProps> = {
  name: 'string',
  namespace: 'string',
  dnsNames: 'string[]',
  secretName: 'string',
  issuer: 'string',
  issuerKind: 'string?',
  labels: 'object?',
};

/**
 * A cert-manager Certificate: cert-manager asks the issuer for a certificate
 * of the names and keeps it, renewed, in the Secret.
 * @see https://cert-manager.io/docs/usage/certificate/
 */
export class AppCertificate extends Construct {
  /** The Secret that holds the certificate. */
  public readonly secretName: string;
  /** The cert-manager object. */
  public readonly resource: ManifestObject;

  constructor(scope: Construct, id: string, props: AppCertificateProps) {
    super(scope, id);
    // AppStack checks these props under its own names before it builds this.
    if (!PropChecker.checkedByParent(this)) {
      const checker = new PropChecker(this);
      checker.checkShape('props', props, APP_CERTIFICATE_PROPS_FIELDS, 'AppCertificate');
      checker.throwIfIncomplete();
      checker.check(isDnsSubdomain(props.name), 'props.name', props.name, 'is not a valid Certificate name');
      checker.check(isDnsLabel(props.namespace), 'props.namespace', props.namespace, 'is not a valid namespace name');
      checker.check(props.dnsNames.length > 0, 'props.dnsNames', props.dnsNames, 'must name at least one host');
      checker.check(isDnsSubdomain(props.secretName), 'props.secretName', props.secretName, 'is not a valid Secret name');
      checker.reportProblems();
    }
    this.secretName = props.secretName;
    this.resource = new ManifestObject(this, 'Resource', {
      apiVersion: 'cert-manager.io/v1',
      kind: 'Certificate',
      metadata: { name: props.name, namespace: props.namespace, labels: props.labels },
      spec: {
        secretName: props.secretName,
        dnsNames: [...new Set(props.dnsNames)],
        issuerRef: { name: props.issuer, kind: props.issuerKind ?? 'ClusterIssuer', group: 'cert-manager.io' },
      },
    });
  }
}
