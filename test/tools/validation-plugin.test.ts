import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { HomelabValidation } from '../../lib';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const FIXTURES = path.join(import.meta.dirname, '..', 'fixtures', 'schema');

describe('HomelabValidation (cdk8s CLI plugin)', () => {
  const run = (manifests: string[]) => {
    const violations: { ruleName: string; recommendation: string; violatingResources: { manifestPath: string }[] }[] = [];
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
    expect(run([path.join(ROOT, 'dist', 'prod', 'gazette.k8s.yaml')])).toEqual({ violations: [], status: 'success' });
  });

  it('fails if a manifest is invalid, with one violation per problem', () => {
    const file = path.join(FIXTURES, 'traefik-missing-required.yaml');
    const { violations, status } = run([file]);
    expect(status).toBe('failure');
    expect(violations.map((v) => v.ruleName)).toContain('IngressRoute/blog spec.routes[0].match');
    expect(violations[0].violatingResources[0].manifestPath).toBe(file);
  });
});
