import { ApiObject, Chart } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { AppStack, type AppStackProps } from '../../lib';
import { at, find, manifests, newApp, untyped } from '../helpers';

const DASHBOARD = { image: 'ghcr.io/julesfrn/kube-dash:1.0.0', host: 'dash.example.com', port: 8080 };

describe('apps that talk to the Kubernetes API (kubernetesApi)', () => {
  it('get a ServiceAccount of their own, its token mounted, a Role and a ClusterRole bound to it', () => {
    const app = newApp();
    new AppStack(app, 'dash', {
      ...DASHBOARD,
      kubernetesApi: {
        rules: [{ resources: ['configmaps'], verbs: ['get', 'watch'], resourceNames: ['dash'] }],
        clusterRules: [{ apiGroups: ['apps'], resources: ['deployments'], verbs: ['list'] }],
      },
    });
    const all = manifests(app);
    expect(find(all, 'ServiceAccount', 'dash')).toMatchObject({ metadata: { namespace: 'dash' }, automountServiceAccountToken: false });
    expect(find(all, 'Role', 'dash').rules).toEqual([{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'watch'], resourceNames: ['dash'] }]);
    expect(find(all, 'RoleBinding', 'dash')).toMatchObject({
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'dash' },
      subjects: [{ kind: 'ServiceAccount', name: 'dash', namespace: 'dash' }],
    });
    expect(find(all, 'ClusterRoleBinding', 'dash-dash').roleRef).toEqual({ apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'dash-dash' });
    const spec = at(find(all, 'Deployment', 'dash'), 'spec', 'template', 'spec') as Record<string, unknown>;
    expect([spec.serviceAccountName, spec.automountServiceAccountToken]).toEqual(['dash', true]);
    // Other apps get no token.
    const other = newApp();
    new AppStack(other, 'blog', { ...DASHBOARD, host: 'blog.example.com' });
    expect(at(find(manifests(other), 'Deployment', 'blog'), 'spec', 'template', 'spec', 'automountServiceAccountToken')).toBe(false);
  });

  it('fail on bad rules, and the cluster on a missing ServiceAccount, a binding to nothing and a role bound to nothing', () => {
    const build = (props: Partial<AppStackProps>) => () => {
      const app = newApp();
      new AppStack(app, 'dash', untyped({ ...DASHBOARD, ...props }));
      return manifests(app);
    };
    expect(build({ kubernetesApi: { rules: [{ resources: [], verbs: untyped(['read']) }] } })).toThrow(
      /props\.kubernetesApi\.rules\[0\]\.resources \[\] names no resource[\s\S]*props\.kubernetesApi\.rules\[0\]\.verbs "read" is not an API verb/,
    );
    expect(build({ serviceAccountName: 'robot' })).toThrow(
      /dash: Deployment\/dash spec\.template\.spec\.serviceAccountName "robot" is not a ServiceAccount of namespace dash: the pods would never be created/,
    );
    const app = newApp();
    const c = new Chart(app, 'rbac');
    const rbac = (kind: string, body: Record<string, unknown>) =>
      new ApiObject(c, kind, { apiVersion: 'rbac.authorization.k8s.io/v1', kind, metadata: { name: 'x', namespace: 'rbac' }, ...body });
    rbac('Role', { rules: [] });
    rbac('RoleBinding', { roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'y' }, subjects: [{ kind: 'ServiceAccount', name: 'ghost' }] });
    expect(() => manifests(app)).toThrow(
      /RoleBinding\/x roleRef\.name "y" is not a Role of the cluster in namespace rbac[\s\S]*subjects\[0\]\.name "ghost" is not a ServiceAccount of namespace rbac[\s\S]*Role\/x metadata\.name "x" is bound to nothing/,
    );
  });
});
