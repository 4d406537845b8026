import { Construct } from 'constructs';
import { PropChecker } from '../core/prop-checker';
import type { PropNames } from '../core/prop-names';
import { isDnsLabel, isDnsSubdomain } from '../core/value-rules';
import { ManifestObject } from './manifest-object';

/** What a rule lets do: the Kubernetes API verbs. */
export type RbacVerb = 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete' | 'deletecollection' | '*';

const VERBS: readonly string[] = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection', '*'];

/** One RBAC rule: verbs on resources of API groups. */
export interface RbacRule {
  /**
   * The API groups of the resources, e.g. `apps`; `''` is the core group.
   * @default [''] (the core group: pods, services, configmaps, secrets...)
   */
  readonly apiGroups?: string[];
  /** The resources, e.g. `pods` or `deployments/scale`. */
  readonly resources: string[];
  /** What may be done with them. */
  readonly verbs: RbacVerb[];
  /**
   * Only these objects.
   * @default - every object of the resources
   */
  readonly resourceNames?: string[];
}

/** The prop names of {@link RbacRule}, to find unknown ones at run time. */
export const RBAC_RULE_FIELDS: PropNames<RbacRule> = { apiGroups: 'string[]?', resources: 'string[]', verbs: 'string[]', resourceNames: 'string[]?' };

/** Props of {@link AppServiceAccount}. */
export interface AppServiceAccountProps {
  /** The ServiceAccount's name (and its Role's and RoleBinding's). */
  readonly name: string;
  /** Its namespace. */
  readonly namespace: string;
  /**
   * What it may do in its namespace (a Role and its RoleBinding).
   * @default - nothing
   */
  readonly rules?: RbacRule[];
  /**
   * What it may do in every namespace (a ClusterRole and its ClusterRoleBinding, named `<namespace>-<name>`).
   * @default - nothing
   */
  readonly clusterRules?: RbacRule[];
  /**
   * Labels of the objects.
   * @default - none
   */
  readonly labels?: Record<string, string>;
}

const APP_SERVICE_ACCOUNT_PROPS_FIELDS: PropNames<AppServiceAccountProps> = {
  name: 'string',
  namespace: 'string',
  rules: 'list?',
  clusterRules: 'list?',
  labels: 'object?',
};

/** Records the problems of RBAC rules given as `field`. */
export function checkRbacRules(checker: PropChecker, field: string, rules: readonly RbacRule[]): void {
  for (const [i, rule] of rules.entries()) {
    checker.check(rule.resources.length > 0, `${field}[${i}].resources`, rule.resources, 'names no resource', 'name them, e.g. ["pods"]');
    checker.check(rule.verbs.length > 0, `${field}[${i}].verbs`, rule.verbs, 'names no verb', 'name them, e.g. ["get", "list", "watch"]');
    for (const verb of rule.verbs) {
      checker.check(VERBS.includes(verb), `${field}[${i}].verbs`, verb, `is not an API verb; use ${VERBS.join(', ')}`);
    }
    for (const group of rule.apiGroups ?? []) {
      checker.check(
        group === '' || group === '*' || isDnsSubdomain(group),
        `${field}[${i}].apiGroups`,
        group,
        'is not an API group',
        'write e.g. "apps", or "" for the core group',
      );
    }
  }
}

/** A rule as the API takes it. */
function ruleManifest(rule: RbacRule): Record<string, unknown> {
  return {
    apiGroups: [...(rule.apiGroups ?? [''])],
    resources: [...rule.resources],
    verbs: [...rule.verbs],
    ...(rule.resourceNames ? { resourceNames: [...rule.resourceNames] } : {}),
  };
}

/**
 * A ServiceAccount of an app's own, for an app that talks to the Kubernetes
 * API, with exactly the rights it is given: a Role bound to it in its
 * namespace, and a ClusterRole bound to it for what spans namespaces.
 * @see https://kubernetes.io/docs/reference/access-authn-authz/rbac/
 */
export class AppServiceAccount extends Construct {
  /** The ServiceAccount's name. */
  public readonly name: string;
  /** The ServiceAccount object. */
  public readonly resource: ManifestObject;

  constructor(scope: Construct, id: string, props: AppServiceAccountProps) {
    super(scope, id);
    this.name = props.name;
    if (!PropChecker.checkedByParent(this)) {
      const checker = new PropChecker(this);
      checker.checkShape('props', props, APP_SERVICE_ACCOUNT_PROPS_FIELDS, 'AppServiceAccount');
      checker.checkShapeOfEach('props.rules', props.rules, RBAC_RULE_FIELDS, 'RbacRule');
      checker.checkShapeOfEach('props.clusterRules', props.clusterRules, RBAC_RULE_FIELDS, 'RbacRule');
      checker.throwIfIncomplete();
      checker.check(isDnsSubdomain(props.name), 'props.name', props.name, 'is not a valid ServiceAccount name');
      checker.check(isDnsLabel(props.namespace), 'props.namespace', props.namespace, 'is not a valid namespace name');
      checkRbacRules(checker, 'props.rules', props.rules ?? []);
      checkRbacRules(checker, 'props.clusterRules', props.clusterRules ?? []);
      checker.reportProblems();
    }
    const metadata = { name: props.name, namespace: props.namespace, labels: props.labels };
    this.resource = new ManifestObject(this, 'Resource', { apiVersion: 'v1', kind: 'ServiceAccount', metadata, automountServiceAccountToken: false });
    const subjects = [{ kind: 'ServiceAccount', name: props.name, namespace: props.namespace }];
    if ((props.rules ?? []).length > 0) {
      new ManifestObject(this, 'Role', { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata, rules: (props.rules ?? []).map(ruleManifest) });
      new ManifestObject(this, 'RoleBinding', {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'RoleBinding',
        metadata,
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: props.name },
        subjects,
      });
    }
    if ((props.clusterRules ?? []).length > 0) {
      const clusterName = `${props.namespace}-${props.name}`;
      const clusterMetadata = { name: clusterName, labels: props.labels };
      new ManifestObject(this, 'ClusterRole', {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRole',
        metadata: clusterMetadata,
        rules: (props.clusterRules ?? []).map(ruleManifest),
      });
      new ManifestObject(this, 'ClusterRoleBinding', {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind: 'ClusterRoleBinding',
        metadata: clusterMetadata,
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: clusterName },
        subjects,
      });
    }
  }
}
