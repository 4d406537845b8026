import { asObj } from './manifest-fields';
import { SEALING_SCOPE_ANNOTATIONS, type SealingScope } from './sealing-scope';
import { yamlLibrary } from './yaml-writer';

/** What a SealedSecret document holds, as `seal` writes it (or kubeseal). */
export interface SealedSecretContent {
  /** Whether the document is a SealedSecret at all. */
  readonly isSealedSecret: boolean;
  /** The `namespace/name` it is sealed for. */
  readonly sealedFor: string;
  /** Its namespace. */
  readonly namespace: unknown;
  /** Its scope, from its annotations. */
  readonly scope: SealingScope;
  /** The sealed values by key. */
  readonly encryptedData: Record<string, string>;
  /** The type of the Secret it makes, if given. */
  readonly type?: string;
  /** The labels of the Secret it makes, if given. */
  readonly labels?: Record<string, string>;
}

/** A SealedSecret file's document: JSON (as `seal` and kubeseal write it, after `#` comment lines) read without a YAML parser, else YAML. */
export function parseSealedFile(text: string): unknown {
  const json = text.replace(/^(\s*#[^\n]*\n)+/, '');
  if (json.trimStart().startsWith('{')) {
    try {
      return JSON.parse(json);
    } catch {
      // not JSON after all: YAML below
    }
  }
  return yamlLibrary().parse(text);
}

/** The content of a SealedSecret document (any value: a non-SealedSecret says so). */
export function sealedSecretContent(document: unknown): SealedSecretContent {
  const doc = asObj(document);
  const metadata = asObj(doc.metadata);
  const annotations = asObj(metadata.annotations);
  const spec = asObj(doc.spec);
  const template = asObj(spec.template);
  const scope: SealingScope =
    annotations[SEALING_SCOPE_ANNOTATIONS['cluster-wide']] === 'true'
      ? 'cluster-wide'
      : annotations[SEALING_SCOPE_ANNOTATIONS['namespace-wide']] === 'true'
        ? 'namespace-wide'
        : 'strict';
  return {
    isSealedSecret: doc.kind === 'SealedSecret',
    sealedFor: `${String(metadata.namespace)}/${String(metadata.name)}`,
    namespace: metadata.namespace,
    scope,
    encryptedData: Object.fromEntries(Object.entries(asObj(spec.encryptedData)).map(([k, v]) => [k, String(v)])),
    type: typeof template.type === 'string' ? template.type : undefined,
    labels: asObj(template.metadata).labels as Record<string, string> | undefined,
  };
}
