import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Construct } from 'constructs';
import { PropChecker } from '../core/prop-checker';
import type { PropNames } from '../core/prop-names';
import { looksLikeSecretName } from '../core/secrets';
import { isDnsSubdomain } from '../core/value-rules';
import { ManifestObject } from './manifest-object';

/** Config of an app: what AppStack's `config` takes. */
export interface AppConfig {
  /** The config's name: the ConfigMap is `<app>-<name>`. */
  readonly name: string;
  /**
   * Literal entries, e.g. `{ LOG_LEVEL: 'info' }`.
   * @default - none
   */
  readonly data?: Record<string, string>;
  /**
   * Entries read from files at synth, by key, e.g. `{ 'nginx.conf': 'apps/links/nginx.conf' }`
   * (paths relative to the working folder).
   * @default - none
   */
  readonly files?: Record<string, string>;
  /**
   * Mount the entries as files in this folder.
   * @default - not mounted
   */
  readonly mountPath?: string;
  /**
   * Give every entry to the container as an environment variable.
   * @default false
   */
  readonly asEnv?: boolean;
}

/** The prop names of {@link AppConfig}, to find unknown ones at run time. */
export const APP_CONFIG_FIELDS: PropNames<AppConfig> = { name: 'string', data: 'object?', files: 'object?', mountPath: 'string?', asEnv: 'boolean?' };

/** Props of {@link AppConfigMap}. */
export interface AppConfigMapProps {
  /** The ConfigMap name. */
  readonly name: string;
  /** Its namespace. */
  readonly namespace: string;
  /**
   * Literal entries.
   * @default - none
   */
  readonly data?: Record<string, string>;
  /**
   * Entries read from files at synth, by key.
   * @default - none
   */
  readonly files?: Record<string, string>;
  /**
   * Labels of the ConfigMap.
   * @default - none
   */
  readonly labels?: Record<string, string>;
}

/** The prop names of {@link AppConfigMapProps}, to find unknown ones at run time. */
const APP_CONFIG_MAP_PROPS_FIELDS: PropNames<AppConfigMapProps> = { name: 'string', namespace: 'string', data: 'object?', files: 'object?', labels: 'object?' };

/** The pod template annotation whose change rolls the pods when their config changes. */
export const CONFIG_CHECKSUM_ANNOTATION = 'cdk8s-homelab/config-checksum';

/**
 * A ConfigMap of literals and files. Its `checksum` goes on the pod template
 * of the workloads that use it, so a config change rolls their pods.
 * @see https://kubernetes.io/docs/concepts/configuration/configmap/
 */
export class AppConfigMap extends Construct {
  /** The ConfigMap name. */
  public readonly name: string;
  /** Every entry, files read. */
  public readonly data: Readonly<Record<string, string>>;
  /** A hash of the entries. */
  public readonly checksum: string;
  /** The Kubernetes object. */
  public readonly resource: ManifestObject;

  constructor(scope: Construct, id: string, props: AppConfigMapProps) {
    super(scope, id);
    this.name = props.name;
    const checker = new PropChecker(this);
    checker.checkShape('props', props, APP_CONFIG_MAP_PROPS_FIELDS, 'AppConfigMap');
    checker.throwIfIncomplete();
    checker.check(isDnsSubdomain(props.name), 'props.name', props.name, 'is not a valid ConfigMap name');
    const data: Record<string, string> = { ...props.data };
    for (const [key, file] of Object.entries(props.files ?? {})) {
      checker.check(data[key] === undefined, `props.files.${key}`, key, 'is also a literal entry', 'keep one');
      try {
        data[key] = fs.readFileSync(path.resolve(file), 'utf8');
      } catch (e) {
        checker.check(
          false,
          `props.files.${key}`,
          file,
          `cannot be read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
          'give a path relative to the working folder',
        );
      }
    }
    for (const key of Object.keys(data)) {
      checker.check(
        /^[-._a-zA-Z0-9]+$/.test(key) && key.length <= 253,
        'props.data',
        key,
        'is not a valid ConfigMap key',
        'use letters, digits, "-", "_" and "."',
      );
      checker.check(
        !looksLikeSecretName(key) || data[key] === '',
        'props.data',
        key,
        'looks like a secret, and ConfigMaps end up in Git',
        'put it in a Secret',
      );
    }
    checker.reportProblems();
    this.data = data;
    this.checksum = configChecksum([data]);
    this.resource = new ManifestObject(this, 'Resource', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: props.name, namespace: props.namespace, labels: props.labels },
      data,
    });
  }
}

/** A short hash of config entries, stable across runs (keys sorted). */
export function configChecksum(datas: readonly Readonly<Record<string, string>>[]): string {
  const hash = createHash('sha256');
  for (const data of datas) {
    for (const key of Object.keys(data).sort()) {
      hash.update(key).update('\0').update(data[key]).update('\0');
    }
    hash.update('\x01');
  }
  return hash.digest('hex').slice(0, 16);
}
