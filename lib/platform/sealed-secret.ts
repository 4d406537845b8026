import * as fs from 'node:fs';
import { Construct } from 'constructs';
import { ManifestObject } from '../constructs/manifest-object';
import { PropChecker } from '../core/prop-checker';
import type { PropNames } from '../core/prop-names';
import { parseSealedFile, type SealedSecretContent, sealedSecretContent } from '../core/sealed-file';
import { looksSealed } from '../core/sealing';
import { isSecretKey, SEALING_SCOPES, type SealingScope, scopeAnnotations } from '../core/sealing-scope';
import { isDnsLabel, isDnsSubdomain, isLabelKey, isLabelValue } from '../core/value-rules';

/** Props of {@link SealedSecret}. */
export interface SealedSecretProps {
  /** The name of the Secret the controller makes (and of the SealedSecret). */
  readonly name: string;
  /** Its namespace. */
  readonly namespace: string;
  /**
   * The file `cdk8s-homelab seal` wrote (relative to the working folder): its
   * sealed values, scope, type and labels. It must be sealed for this name and namespace.
   * @default - none: give `encryptedData`
   */
  readonly file?: string;
  /**
   * The sealed values by Secret key, as `seal` (or `kubeseal`) printed them: ciphertext only.
   * @default - those of `file`
   */
  readonly encryptedData?: Record<string, string>;
  /**
   * Where the values may be unsealed: only as this name in this namespace
   * (`strict`), under every name of the namespace, or anywhere. It must be the
   * scope they were sealed with.
   * @default - that of `file`, else 'strict'
   */
  readonly scope?: SealingScope;
  /**
   * The type of the Secret, e.g. `kubernetes.io/dockerconfigjson`.
   * @default - that of `file`, else 'Opaque'
   */
  readonly type?: string;
  /**
   * Labels of the Secret.
   * @default - those of `file`, else none
   */
  readonly labels?: Record<string, string>;
}

const SEALED_SECRET_PROPS_FIELDS: PropNames<SealedSecretProps> = {
  name: 'string',
  namespace: 'string',
  file: 'string?',
  encryptedData: 'object?',
  scope: 'string?',
  type: 'string?',
  labels: 'object?',
};

/**
 * A Bitnami SealedSecret: a Secret whose values are encrypted with the
 * sealed-secrets controller's public key, so that it can live in Git and in
 * `dist/`; only the controller, in the cluster, unseals it into the Secret.
 * Seal values with `cdk8s-homelab seal` (offline, from the controller's
 * certificate), then give the file it wrote.
 * @see https://github.com/bitnami-labs/sealed-secrets
 */
export class SealedSecret extends Construct {
  /** The name of the Secret it makes. */
  public readonly name: string;
  /** Its namespace. */
  public readonly namespace: string;
  /** The keys of the Secret. */
  public readonly keys: readonly string[];
  /** The SealedSecret object. */
  public readonly resource: ManifestObject;

  constructor(scope: Construct, id: string, props: SealedSecretProps) {
    super(scope, id);
    this.name = props.name;
    this.namespace = props.namespace;
    const checker = new PropChecker(this);
    checker.checkShape('props', props, SEALED_SECRET_PROPS_FIELDS, 'SealedSecret');
    checker.throwIfIncomplete();
    const sealed = props.file === undefined ? undefined : readSealedFile(checker, props);
    const encryptedData = props.encryptedData ?? sealed?.encryptedData ?? {};
    const sealingScope = props.scope ?? sealed?.scope ?? 'strict';
    const type = props.type ?? sealed?.type ?? 'Opaque';
    const labels = props.labels ?? sealed?.labels;
    checkSealedSecretProps(checker, props, encryptedData, sealingScope);
    checker.reportProblems();
    this.keys = Object.keys(encryptedData).sort();

    const annotations = scopeAnnotations(sealingScope);
    const metadata = { name: props.name, namespace: props.namespace, ...(Object.keys(annotations).length > 0 ? { annotations } : {}) };
    this.resource = new ManifestObject(this, 'Resource', {
      apiVersion: 'bitnami.com/v1alpha1',
      kind: 'SealedSecret',
      metadata,
      spec: {
        encryptedData: Object.fromEntries(this.keys.map((k) => [k, encryptedData[k]])),
        template: { metadata: { ...metadata, ...(labels ? { labels: { ...labels } } : {}) }, type },
      },
    });
  }
}

/** What a file of `seal` holds, or undefined (with the problem recorded) when it cannot be read or is sealed for another Secret. */
function readSealedFile(checker: PropChecker, props: SealedSecretProps): SealedSecretContent | undefined {
  const file = props.file as string;
  let sealed: SealedSecretContent;
  try {
    sealed = sealedSecretContent(parseSealedFile(fs.readFileSync(file, 'utf8')));
  } catch (e) {
    checker.check(false, 'props.file', file, `cannot be read: ${(e as Error).message.split('\n')[0]}`, 'seal the values again with cdk8s-homelab seal --out');
    return undefined;
  }
  if (!sealed.isSealedSecret) {
    checker.check(false, 'props.file', file, 'holds no SealedSecret', 'give the file cdk8s-homelab seal wrote');
    return undefined;
  }
  const { scope, sealedFor } = sealed;
  const mismatch =
    (scope === 'strict' && sealedFor !== `${props.namespace}/${props.name}`) || (scope === 'namespace-wide' && sealed.namespace !== props.namespace);
  checker.check(
    !mismatch,
    'props.file',
    file,
    `is sealed for ${scope === 'strict' ? `Secret ${sealedFor}` : `namespace ${String(sealed.namespace)}`} (scope ${scope}), and the controller would refuse to unseal it as ${props.namespace}/${props.name}`,
    `seal it for this Secret: cdk8s-homelab seal --namespace ${props.namespace} --name ${props.name} ...`,
  );
  return sealed;
}

function checkSealedSecretProps(checker: PropChecker, props: SealedSecretProps, encryptedData: Record<string, string>, scope: SealingScope): void {
  checker.check(isDnsSubdomain(props.name), 'props.name', props.name, 'is not a valid Secret name');
  checker.check(isDnsLabel(props.namespace), 'props.namespace', props.namespace, 'is not a valid namespace name');
  checker.check(SEALING_SCOPES.includes(scope), 'props.scope', scope, `must be one of ${SEALING_SCOPES.join(', ')}`);
  checker.check(
    !(props.file !== undefined && props.encryptedData !== undefined),
    'props.encryptedData',
    Object.keys(props.encryptedData ?? {}),
    'cannot be combined with file',
    'keep one source of the sealed values',
  );
  checker.check(
    Object.keys(encryptedData).length > 0,
    props.file === undefined ? 'props.encryptedData' : 'props.file',
    props.file ?? encryptedData,
    'holds no sealed value',
    'seal at least one key with cdk8s-homelab seal',
  );
  for (const [key, value] of Object.entries(encryptedData)) {
    checker.check(isSecretKey(key), `props.encryptedData.${key}`, key, 'is not a valid Secret key', 'use letters, digits, "-", "_" and "."');
    checker.check(
      typeof value === 'string' && looksSealed(value),
      `props.encryptedData.${key}`,
      '(hidden)',
      'is not a sealed value (base64 of an RSA-sealed session key and AES-GCM ciphertext)',
      'seal it with cdk8s-homelab seal; never write a plain value here',
    );
  }
  for (const [key, value] of Object.entries(props.labels ?? {})) {
    checker.check(isLabelKey(key) && isLabelValue(value), `props.labels.${key}`, value, 'is not a valid label');
  }
}
