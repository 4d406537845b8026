import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Manifest } from '../core/manifest';
import { parseSealedFile, type SealedSecretContent, sealedSecretContent } from '../core/sealed-file';
import { SealingKeyError, sealingKey, sealValue } from '../core/sealing';
import { isSecretKey, SEALING_SCOPES, type SealingScope, scopeAnnotations, sealingLabel } from '../core/sealing-scope';
import { isDnsLabel, isDnsSubdomain, isLabelKey, isLabelValue } from '../core/value-rules';

/** What to seal, and for which Secret. */
export interface SealRequest {
  /** The controller's certificate (PEM text). */
  readonly cert: string;
  /** Where the certificate came from, for messages (a file name). */
  readonly certSource: string;
  /** The Secret's namespace. */
  readonly namespace: string;
  /** The Secret's name. */
  readonly name: string;
  /**
   * Where it may be unsealed.
   * @default 'strict'
   */
  readonly scope?: SealingScope;
  /**
   * The Secret's type.
   * @default - that of the existing file, else 'Opaque'
   */
  readonly type?: string;
  /**
   * The Secret's labels.
   * @default - those of the existing file, else none
   */
  readonly labels?: Record<string, string>;
  /** The values by key (bytes, as they go into the Secret), each with where it came from for messages. */
  readonly values: readonly SealInput[];
  /**
   * The SealedSecret already in the output file, whose other keys are kept.
   * @default - none
   */
  readonly existing?: string;
  /**
   * The time certificates are checked against.
   * @default - now
   */
  readonly now?: Date;
}

/** One value to seal. */
export interface SealInput {
  /** The Secret key. */
  readonly key: string;
  /** The value's bytes. */
  readonly value: Uint8Array;
  /** Where it came from, e.g. `--from-file password=pw.txt`. */
  readonly source: string;
}

/** What is wrong with a seal request: the option or key at fault, and the fix. */
export interface SealProblem {
  /** The option, file or key at fault. */
  readonly field: string;
  /** What is wrong. */
  readonly message: string;
  /** What to do. */
  readonly fix?: string;
}

/** The result: the SealedSecret, or every problem (then nothing may be written). */
export type SealResult = SealedResult | SealFailure;

/** A SealedSecret made. */
export interface SealedResult {
  /** The SealedSecret. */
  readonly manifest: Manifest;
  /** The keys sealed now (the others were kept from the existing file). */
  readonly sealedKeys: readonly string[];
}

/** A seal request refused. */
export interface SealFailure {
  /** Every problem of the request. */
  readonly problems: readonly SealProblem[];
}

/** Where `seal` writes a Secret by default: `secrets/<namespace>/<name>.yaml`. */
export function defaultSealedFile(namespace: string, name: string): string {
  return path.join('secrets', namespace, `${name}.yaml`);
}

/**
 * Seals values into a SealedSecret as `kubeseal` does, offline, from the
 * controller's certificate: each value on its own (re-sealing one key keeps
 * the others of the existing file), bound to the Secret by the scope's label.
 */
export function sealSecret(request: SealRequest): SealResult {
  const problems: SealProblem[] = [];
  const scope = request.scope ?? 'strict';
  let key: ReturnType<typeof sealingKey> | undefined;
  try {
    key = sealingKey(request.cert, request.now);
  } catch (e) {
    if (!(e instanceof SealingKeyError)) {
      throw e;
    }
    problems.push({ field: `--cert ${request.certSource}`, message: e.message, fix: e.fix });
  }
  if (!SEALING_SCOPES.includes(scope)) {
    problems.push({ field: '--scope', message: `"${scope}" must be one of ${SEALING_SCOPES.join(', ')}` });
  }
  if (!isDnsSubdomain(request.name)) {
    problems.push({ field: '--name', message: `"${request.name}" is not a valid Secret name`, fix: 'use lowercase letters, digits, "-" and "."' });
  }
  if (!isDnsLabel(request.namespace)) {
    problems.push({ field: '--namespace', message: `"${request.namespace}" is not a valid namespace name` });
  }
  for (const [k, v] of Object.entries(request.labels ?? {})) {
    if (!isLabelKey(k) || !isLabelValue(v)) {
      problems.push({ field: '--label', message: `"${k}=${v}" is not a valid label` });
    }
  }
  if (request.values.length === 0) {
    problems.push({ field: 'values', message: 'none given', fix: 'give KEY=VALUE, --from-file KEY=path, --from-env-file path or --from-stdin KEY' });
  }
  const seen = new Set<string>();
  for (const v of request.values) {
    if (!isSecretKey(v.key)) {
      problems.push({ field: v.source, message: `"${v.key}" is not a valid Secret key`, fix: 'use letters, digits, "-", "_" and "."' });
    }
    if (v.value.length === 0) {
      problems.push({ field: v.source, message: `the value of ${v.key} is empty`, fix: 'give the value, or leave the key out' });
    }
    if (seen.has(v.key)) {
      problems.push({ field: v.source, message: `${v.key} is given twice`, fix: 'give each key once' });
    }
    seen.add(v.key);
  }
  const existing = request.existing === undefined ? undefined : existingSealedSecret(request, scope, problems);
  if (problems.length > 0 || key === undefined) {
    return { problems };
  }
  const label = sealingLabel(scope, request.namespace, request.name);
  const encryptedData: Record<string, string> = { ...existing?.encryptedData };
  for (const v of request.values) {
    encryptedData[v.key] = sealValue(key, v.value, label);
  }
  const annotations = scopeAnnotations(scope);
  const metadata = { name: request.name, namespace: request.namespace, ...(Object.keys(annotations).length > 0 ? { annotations } : {}) };
  const labels = request.labels ?? existing?.labels;
  const manifest: Manifest = {
    apiVersion: 'bitnami.com/v1alpha1',
    kind: 'SealedSecret',
    metadata,
    spec: {
      encryptedData: Object.fromEntries(
        Object.keys(encryptedData)
          .sort()
          .map((k) => [k, encryptedData[k]]),
      ),
      template: { metadata: { ...metadata, ...(labels ? { labels } : {}) }, type: request.type ?? existing?.type ?? 'Opaque' },
    },
  };
  return { manifest, sealedKeys: request.values.map((v) => v.key) };
}

/** The sealed values, type and labels of the existing file, when it is a SealedSecret of the same Secret and scope. */
function existingSealedSecret(request: SealRequest, scope: SealingScope, problems: SealProblem[]): SealedSecretContent | undefined {
  let existing: SealedSecretContent;
  try {
    existing = sealedSecretContent(parseSealedFile(request.existing ?? ''));
  } catch (e) {
    problems.push({
      field: '--out',
      message: `holds no readable YAML (${(e as Error).message.split('\n')[0]})`,
      fix: 'give another --out, or remove the file',
    });
    return undefined;
  }
  if (!existing.isSealedSecret || existing.sealedFor !== `${request.namespace}/${request.name}` || existing.scope !== scope) {
    problems.push({
      field: '--out',
      message: `holds ${existing.isSealedSecret ? `SealedSecret ${existing.sealedFor} (scope ${existing.scope})` : 'no SealedSecret'}, not ${request.namespace}/${request.name} (scope ${scope}): its keys cannot be kept`,
      fix: 'give another --out, or the namespace, name and scope of that file',
    });
    return undefined;
  }
  return existing;
}

/** Writes a SealedSecret as YAML, whole or not at all (a temporary file, then a rename), creating its folder. */
export function writeSealedFile(file: string, manifest: Manifest): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  // JSON, as kubeseal writes by default (and valid YAML): read back without a YAML parser.
  fs.writeFileSync(tmp, `# Sealed with cdk8s-homelab seal: ciphertext only, safe in Git.\n${JSON.stringify(manifest, null, 2)}\n`);
  fs.renameSync(tmp, file);
}

/** The KEY=VALUE lines of an env file (blank lines and `#` comments skipped), with where each came from. */
export function readEnvFile(text: string, source: string): SealInput[] {
  const inputs: SealInput[] = [];
  for (const [i, line] of text.split(/\r?\n/).entries()) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) {
      continue;
    }
    const eq = trimmed.indexOf('=');
    const at = `--from-env-file ${source} line ${i + 1}`;
    inputs.push(
      eq <= 0
        ? { key: trimmed, value: new Uint8Array(0), source: at }
        : { key: trimmed.slice(0, eq), value: new TextEncoder().encode(trimmed.slice(eq + 1)), source: at },
    );
  }
  return inputs;
}
