import { Construct } from 'constructs';
import type { ServersTransportProps } from '../../imports/traefik-serverstransports-traefik.io';
import { ManifestObject } from '../constructs/manifest-object';
import type { Json } from '../core/json';
import { warnAt } from '../core/problems';
import { PropChecker } from '../core/prop-checker';
import type { PropNames } from '../core/prop-names';
import { isDnsLabel, isDnsSubdomain, isHostname } from '../core/value-rules';

/** Props of {@link BackendTls}. */
export interface BackendTlsProps {
  /** The ServersTransport's name, which routes name (`HttpsRoute` `backendTls`). */
  readonly name: string;
  /** Its namespace (that of the routes). */
  readonly namespace: string;
  /**
   * A Secret of the namespace with the CA that signed the backend's certificate (key `tls.crt` or `ca.crt`).
   * @default - none: give `insecureSkipVerify` instead
   */
  readonly caSecret?: string;
  /**
   * The host name the backend's certificate is for, when not the Service's.
   * @default - the Service's
   */
  readonly serverName?: string;
  /**
   * Not verifying the backend's certificate at all (a self-signed one that
   * cannot be replaced), with the reason, which synth prints as a warning.
   * @default - the certificate is verified against `caSecret`
   */
  readonly insecureSkipVerify?: SkipVerification;
}

/** Why a backend's certificate is not verified. */
export interface SkipVerification {
  /** The reason, e.g. "Proxmox serves a self-signed certificate". */
  readonly reason: string;
}

const BACKEND_TLS_PROPS_FIELDS: PropNames<BackendTlsProps> = {
  name: 'string',
  namespace: 'string',
  caSecret: 'string?',
  serverName: 'string?',
  insecureSkipVerify: 'object?',
};

/**
 * How Traefik talks HTTPS to a backend that serves it itself (a hypervisor's
 * or a NAS's web UI): a ServersTransport that trusts a given CA, or, with a
 * stated reason, skips verification.
 * @see https://doc.traefik.io/traefik/routing/providers/kubernetes-crd/#kind-serverstransport
 */
export class BackendTls extends Construct {
  /** The ServersTransport's name. */
  public readonly name: string;
  /** The ServersTransport object. */
  public readonly resource: ManifestObject;

  constructor(scope: Construct, id: string, props: BackendTlsProps) {
    super(scope, id);
    const checker = new PropChecker(this);
    checker.checkShape('props', props, BACKEND_TLS_PROPS_FIELDS, 'BackendTls');
    checker.throwIfIncomplete();
    checker.check(isDnsSubdomain(props.name), 'props.name', props.name, 'is not a valid ServersTransport name');
    checker.check(isDnsLabel(props.namespace), 'props.namespace', props.namespace, 'is not a valid namespace name');
    checker.check(
      (props.caSecret === undefined) !== (props.insecureSkipVerify === undefined),
      'props.caSecret',
      props.caSecret,
      props.caSecret === undefined ? 'is required, or insecureSkipVerify with its reason' : 'cannot be combined with insecureSkipVerify',
      "give the Secret of the CA that signed the backend's certificate, or insecureSkipVerify: { reason }",
    );
    if (props.caSecret !== undefined) {
      checker.check(isDnsSubdomain(props.caSecret), 'props.caSecret', props.caSecret, 'is not a valid Secret name');
    }
    if (props.insecureSkipVerify !== undefined) {
      checker.check(
        (props.insecureSkipVerify.reason ?? '').trim() !== '',
        'props.insecureSkipVerify.reason',
        props.insecureSkipVerify.reason,
        'is required',
        'say why the certificate cannot be verified',
      );
    }
    if (props.serverName !== undefined) {
      checker.check(isHostname(props.serverName), 'props.serverName', props.serverName, 'is not a host name');
    }
    checker.reportProblems();
    if (props.insecureSkipVerify) {
      warnAt(
        this,
        'HL-insecure-backend',
        'props.insecureSkipVerify',
        true,
        `makes Traefik trust any certificate of the backend (reason: ${props.insecureSkipVerify.reason})`,
        "give the backend's CA (caSecret) when you can",
      );
    }
    this.name = props.name;
    const transport: Json<ServersTransportProps> = {
      metadata: { name: props.name, namespace: props.namespace },
      spec: {
        serverName: props.serverName,
        ...(props.caSecret ? { rootCAs: [{ secret: props.caSecret }] } : { insecureSkipVerify: true }),
      },
    };
    this.resource = new ManifestObject(this, 'Resource', { apiVersion: 'traefik.io/v1alpha1', kind: 'ServersTransport', ...transport });
  }
}
