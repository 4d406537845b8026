// Types only: the manifests are written as plain JSON (see Json), so the large
// generated module is never loaded at run time.
import type * as k8s from 'cdk8s-plus-28/lib/imports/k8s';
import { Construct } from 'constructs';
import { isDnsLabel } from './checks';
import { PropChecker } from './errors';
import { Json } from './json';
import { ManifestObject } from './manifest-object';

/** Props of {@link AppNamespace}. */
export interface AppNamespaceProps {
  /** The namespace name: a DNS-1123 label. */
  readonly name: string;
  /**
   * Labels of the Namespace object.
   * @default - none
   */
  readonly labels?: Record<string, string>;
}

/**
 * The Namespace an app owns. Its id is `Resource`; AppStack emits it first in
 * the app's file so that `kubectl apply -f dist/` creates it before the rest.
 * @see https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces/
 */
export class AppNamespace extends Construct {
  /** The namespace name. */
  public readonly name: string;
  /** The Kubernetes object. */
  public readonly resource: ManifestObject;

  constructor(scope: Construct, id: string, props: AppNamespaceProps) {
    super(scope, id);
    const checker = new PropChecker(this);
    checker.check(isDnsLabel(props.name), 'props.name', props.name,
      'is not a valid namespace name', 'use at most 63 lowercase letters, digits and "-", starting and ending with a letter or digit');
    checker.throwIfAny();
    this.name = props.name;
    const manifest: Json<k8s.KubeNamespaceProps> = { metadata: { name: props.name, labels: props.labels } };
    this.resource = new ManifestObject(this, 'Resource', { apiVersion: 'v1', kind: 'Namespace', ...manifest });
  }
}
