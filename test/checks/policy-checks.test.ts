import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { POLICY_RULES, validateManifestFiles } from '../../lib';
import { looksLikeSecretName } from '../../lib/core/secrets';
import { clusterFindings, clusterProblems, leaf, type Mutable, m } from '../cluster-fixture';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const container = (all: Mutable[]) => all[3].spec.template.spec.containers[0];
const pod = (all: Mutable[]) => all[3].spec.template.spec;

/** The problems of the base cluster after `mutate`, which must all be of `rule`. */
function only(rule: string, mutate: (all: Mutable[]) => void): string[] {
  const problems = clusterProblems((all) => {
    mutate(all as unknown as Mutable[]);
  });
  expect(problems.length, 'the mutation breaks no rule').toBeGreaterThan(0);
  for (const p of problems) {
    expect(p).toContain(`[${rule}]`);
  }
  return problems;
}

describe('the security policy', () => {
  it('passes the valid base cluster and the committed example cluster', () => {
    expect(clusterProblems(() => undefined)).toEqual([]);
    expect(validateManifestFiles([path.join(ROOT, 'dist')]).problems).toEqual([]);
  });

  describe('pod-security (Pod Security Standards)', () => {
    const cases: [string, (all: Mutable[]) => void, RegExp][] = [
      [
        'a host namespace',
        (all) => {
          pod(all).hostNetwork = leaf(true);
        },
        /hostNetwork true shares a host namespace/,
      ],
      [
        'a hostPath volume',
        (all) => {
          pod(all).volumes = leaf([{ name: 'h', hostPath: { path: '/etc' } }]);
        },
        /volumes\[0\]\.hostPath .* mounts a host path/,
      ],
      [
        'a privileged container',
        (all) => {
          container(all).securityContext.privileged = leaf(true);
        },
        /privileged true is privileged/,
      ],
      [
        'a host port',
        (all) => {
          container(all).ports[0].hostPort = leaf(8080);
        },
        /hostPort 8080 binds a host port/,
      ],
      [
        'an added capability',
        (all) => {
          container(all).securityContext.capabilities.add = leaf(['NET_ADMIN']);
        },
        /capabilities\.add "NET_ADMIN" adds a capability/,
      ],
      [
        'privilege escalation',
        (all) => {
          delete (container(all).securityContext as Record<string, unknown>).allowPrivilegeEscalation;
        },
        /allowPrivilegeEscalation must be false/,
      ],
      [
        'capabilities not dropped',
        (all) => {
          container(all).securityContext.capabilities.drop = leaf([]);
        },
        /capabilities\.drop \[\] must include ALL/,
      ],
      [
        'root allowed',
        (all) => {
          delete (pod(all).securityContext as Record<string, unknown>).runAsNonRoot;
        },
        /runAsNonRoot must be true/,
      ],
      [
        'uid 0',
        (all) => {
          pod(all).securityContext.runAsUser = leaf(0);
        },
        /securityContext\.runAsUser 0 runs as root/,
      ],
      [
        'no seccomp profile',
        (all) => {
          delete (pod(all).securityContext as Record<string, unknown>).seccompProfile;
        },
        /seccompProfile\.type must be RuntimeDefault or Localhost/,
      ],
      [
        'an unsafe sysctl',
        (all) => {
          pod(all).securityContext.sysctls = leaf([{ name: 'kernel.msgmax', value: '1' }]);
        },
        /sysctls\[0\]\.name "kernel\.msgmax" is not a safe sysctl/,
      ],
      [
        'a volume type restricted forbids',
        (all) => {
          pod(all).volumes = leaf([{ name: 'n', nfs: { server: 'nas', path: '/x' } }]);
        },
        /volumes\[0\]\.nfs "nfs" is a volume type the restricted profile does not allow/,
      ],
    ];
    for (const [what, mutate, pattern] of cases) {
      it(`fails if a pod has ${what}`, () => {
        const problems = only('pod-security', mutate);
        expect(
          problems.some((p) => pattern.test(p)),
          problems.join('\n'),
        ).toBe(true);
      });
    }

    it('holds a baseline namespace to the baseline rules only', () => {
      const baseline = (all: Mutable[]) => {
        all[0].metadata.labels['pod-security.kubernetes.io/enforce'] = leaf('baseline');
        all[0].metadata.annotations = leaf({ 'cdk8s-homelab/pod-security-reason': 'root image' });
      };
      expect(
        clusterProblems((all) => {
          baseline(all as unknown as Mutable[]);
          delete (pod(all as unknown as Mutable[]).securityContext as Record<string, unknown>).runAsNonRoot;
          container(all as unknown as Mutable[]).securityContext.readOnlyRootFilesystem = leaf(false);
        }),
      ).toEqual([]);
      expect(
        only('pod-security', (all) => {
          baseline(all);
          pod(all).hostPID = leaf(true);
        })[0],
      ).toMatch(/hostPID true shares a host namespace \(Pod Security "baseline"\)/);
    });
  });

  it('fails if the root filesystem is writable (read-only-root)', () => {
    expect(
      only('read-only-root', (all) => {
        container(all).securityContext.readOnlyRootFilesystem = leaf(false);
      })[0],
    ).toMatch(
      /readOnlyRootFilesystem false must be true \[read-only-root\]; set readOnlyRootFilesystem: true and declare the paths the app writes to as writablePaths/,
    );
  });

  it('fails if the service account token is mounted (service-account-token)', () => {
    only('service-account-token', (all) => {
      delete (pod(all) as Record<string, unknown>).automountServiceAccountToken;
    });
  });

  it('fails if requests or the memory limit are missing (resources)', () => {
    only('resources', (all) => {
      delete (container(all).resources.limits as Record<string, unknown>).memory;
    });
    only('resources', (all) => {
      delete (container(all).resources.requests as Record<string, unknown>).cpu;
    });
  });

  it('fails if a long-running container has no readiness or liveness probe (probes)', () => {
    expect(
      only('probes', (all) => {
        delete (container(all) as Record<string, unknown>).livenessProbe;
      })[0],
    ).toMatch(/livenessProbe is missing/);
  });

  it('fails if a namespace lacks its Pod Security labels, or relaxes them without a reason (namespace-labels)', () => {
    only('namespace-labels', (all) => {
      all[0].metadata.labels = leaf({});
    });
    expect(
      only('namespace-labels', (all) => {
        all[0].metadata.labels['pod-security.kubernetes.io/enforce'] = leaf('privileged');
      })[0],
    ).toMatch(/relaxes Pod Security without saying why \(annotation cdk8s-homelab\/pod-security-reason\)/);
  });

  it('fails if a namespace with pods has no default-deny NetworkPolicy (network-policy)', () => {
    expect(clusterProblems((all) => all.filter((o) => o.kind !== 'NetworkPolicy'))).toEqual([
      expect.stringMatching(
        /Deployment\/blog metadata\.namespace "blog" runs pods in a namespace without a default-deny ingress NetworkPolicy \[network-policy\]/,
      ),
    ]);
  });

  it('fails if a Secret with data is in the output (secret-data)', () => {
    expect(
      clusterProblems((all) => [
        ...all,
        { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'blog' }, stringData: { password: 'hunter2' } },
      ]),
    ).toEqual([expect.stringMatching(/Secret\/db stringData \["password"\] holds secret values, which would be committed to Git \[secret-data\]/)]);
  });

  it('fails if a secret-looking env var holds a literal value (secret-env)', () => {
    expect(
      only('secret-env', (all) => {
        container(all).env = leaf([{ name: 'DB_PASSWORD', value: 'hunter2' }]);
      })[0],
    ).toMatch(/containers\[0\]\.env\[0\] "DB_PASSWORD" holds a literal value but its name says it is a secret/);
    expect(
      clusterProblems((all) => {
        m(all[3]).spec.template.spec.containers[0].env = leaf([{ name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } }]);
        m(all[3]).metadata.annotations = leaf({ 'cdk8s-homelab/hand-made-secrets': 'db' });
      }),
    ).toEqual([]);
    expect(looksLikeSecretName('GITHUB_TOKEN')).toBe(true);
    expect(looksLikeSecretName('PASSWORD_FILE')).toBe(false);
    expect(looksLikeSecretName('LOG_LEVEL')).toBe(false);
  });

  it('fails if an HTTPS route has no HSTS (hsts)', () => {
    expect(
      only('hsts', (all) => {
        all[6].spec.routes[0].middlewares = leaf([]);
      })[0],
    ).toMatch(/IngressRoute\/blog-websecure spec\.routes\[0\]\.middlewares \[\] sends HTTPS responses without HSTS \[hsts\]/);
    only('hsts', (all) => {
      all[5].spec.headers.stsSeconds = leaf(0);
    });
  });

  it('fails if a route on web serves instead of redirecting (http-redirect)', () => {
    only('http-redirect', (all) => {
      all[6].spec.entryPoints = leaf(['web', 'websecure']);
    });
  });

  it('turns a violation into a warning when the object carries an exception with a reason', () => {
    const findings = clusterFindings((all) => {
      m(all[3]).spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem = leaf(false);
      m(all[3]).metadata.annotations = leaf({ 'cdk8s-homelab/policy-exception.read-only-root': 'the app rewrites its own config at start' });
    });
    expect(findings).toHaveLength(1);
    expect(findings[0].warning).toBe('HL-policy-exception');
    expect(findings[0].message).toMatch(/allowed by exception: the app rewrites its own config at start/);
    const empty = clusterFindings((all) => {
      m(all[3]).spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem = leaf(false);
      m(all[3]).metadata.annotations = leaf({ 'cdk8s-homelab/policy-exception.read-only-root': ' ' });
    });
    expect(empty[0].warning).toBeUndefined();
  });

  it('names every rule it enforces', () => {
    expect(POLICY_RULES).toEqual([
      'pod-security',
      'read-only-root',
      'service-account-token',
      'resources',
      'probes',
      'namespace-labels',
      'network-policy',
      'secret-data',
      'secret-env',
      'hsts',
      'http-redirect',
    ]);
  });
});
