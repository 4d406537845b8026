import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { HomelabValidation } from '../../lib';
import { baseCluster, leaf, m } from '../cluster-fixture';
import { untyped } from '../helpers';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const FIXTURES = path.join(import.meta.dirname, '..', 'fixtures', 'schema');

describe('HomelabValidation (cdk8s CLI plugin)', () => {
  const run = (manifests: string[]) => {
    const violations: { ruleName: string; recommendation: string; violatingResources: { manifestPath: string; resourceName: string }[] }[] = [];
    let status = '';
    new HomelabValidation().validate({
      manifests,
      report: {
        addViolation: (v) => {
          violations.push(v);
        },
        submit: (s) => {
          status = s;
        },
      },
    });
    return { violations, status };
  };

  it('submits success for a valid cluster', () => {
    expect(run([path.join(ROOT, 'dist', 'prod', 'kept', 'gazette.k8s.yaml'), path.join(ROOT, 'dist', 'prod', 'apps', 'gazette.k8s.yaml')])).toEqual({
      violations: [],
      status: 'success',
    });
  });

  it('fails if a manifest is invalid, with one violation per problem', () => {
    const file = path.join(FIXTURES, 'traefik-missing-required.yaml');
    const { violations, status } = run([file]);
    expect(status).toBe('failure');
    expect(violations.map((v) => v.ruleName)).toContain('IngressRoute/blog spec.routes[0].match');
    expect(violations[0].violatingResources[0].manifestPath).toBe(file);
  });

  it('names the violating object so that the CLI finds its construct, never another object of the same name', () => {
    const all = baseCluster();
    m(all[6]).spec.routes[0].services[0].port = leaf(81); // the IngressRoute: its name is its own
    m(all[2]).spec.ports[0].targetPort = leaf('nope'); // the Service: the Deployment has its name
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'plugin-')), 'blog.k8s.yaml');
    fs.writeFileSync(file, all.map((x) => stringify(x)).join('---\n'));
    const resources = run([file]).violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} -> ${r.resourceName}`));
    expect(resources).toEqual([
      'IngressRoute/blog-websecure spec.routes[0].services[0].port -> blog-websecure',
      'Service/blog spec.ports[0].targetPort -> Service/blog',
    ]);
  });

  it('reports a misspelled property of cdk8s.yaml', () => {
    const violations: { ruleName: string; recommendation: string }[] = [];
    new HomelabValidation(untyped({ allowCrossNamespaces: true })).validate({
      manifests: [path.join(ROOT, 'dist', 'prod', 'apps', 'gazette.k8s.yaml')],
      report: { addViolation: (v) => violations.push(v), submit: () => undefined },
    });
    expect(violations.map((v) => v.recommendation)).toEqual([
      'cdk8s.yaml: properties.allowCrossNamespaces true is not a prop of HomelabValidation; did you mean "allowCrossNamespace"? (at cdk8s.yaml#validations)',
    ]);
  });
});
