import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ApiObject, Chart } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import {
  AppStack,
  formatProblem,
  HomelabApp,
  HomelabValidation,
  type Manifest,
  type Problem,
  type SchemaSources,
  SchemaValidator,
  validateManifestFiles,
} from '../lib';
import { shippedSources } from '../lib/checks/schema/schema-set';
import { refreshValidatorStamps, validatorModuleIsStale, writeValidatorModule } from '../lib/checks/schema/validator-module';
import { clusterProblems, leaf, m } from './cluster-fixture';

const ROOT = path.resolve(import.meta.dirname, '..');
const FIXTURES = path.join(import.meta.dirname, 'fixtures', 'schema');

function messages(problems: readonly Problem[]): string[] {
  return problems.map(formatProblem);
}

describe('strict schema validation', () => {
  const cases: [string, RegExp][] = [
    ['k8s-unknown-field.yaml', /Deployment\/blog spec\.replica 2 is not a known field; did you mean "replicas"\?/],
    ['k8s-wrong-type.yaml', /Service\/blog spec\.ports\[0\]\.port "eighty" must be integer/],
    ['k8s-missing-required.yaml', /Deployment\/blog spec\.template\.spec\.containers\[0\]\.name is required but missing/],
    [
      'traefik-unknown-field.yaml',
      /IngressRoute\/blog spec\.routes\[0\]\.middleware \[\{"name":"https-redirect"\}\] is not a known field; did you mean "middlewares"\?/,
    ],
    ['traefik-wrong-type.yaml', /IngressRoute\/blog spec\.entryPoints "websecure" must be array/],
    ['traefik-missing-required.yaml', /IngressRoute\/blog spec\.routes\[0\]\.match is required but missing/],
    ['traefik-bad-enum.yaml', /IngressRoute\/blog spec\.routes\[0\]\.kind "Rules" must be one of "Rule"/],
    ['helm-unknown-field.yaml', /HelmChart\/keel spec\.chartVersion "1\.0\.5" is not a known field; did you mean "version"\?/],
    ['helm-wrong-type.yaml', /HelmChart\/keel spec\.bootstrap "yes" must be boolean/],
    ['helm-missing-required.yaml', /HelmChart\/keel spec\.podSecurityContext\.seccompProfile\.type is required but missing/],
    ['unknown-kind.yaml', /apiVersion\/kind "traefik\.containo\.us\/v1alpha1\/IngressRoute" has no known schema .*; use apiVersion traefik\.io\/v1alpha1/],
    ['not-yaml.yaml', /not-yaml: \(yaml\) is not valid YAML/],
  ];
  for (const [file, pattern] of cases) {
    it(`fails if ${file.replace('.yaml', '').replace(/-/g, ' ')}`, () => {
      const result = validateManifestFiles([path.join(FIXTURES, file)]);
      expect(
        messages(result.problems).some((m) => pattern.test(m)),
        messages(result.problems).join('\n'),
      ).toBe(true);
    });
  }

  it('names the file and document of a hand-written manifest', () => {
    const [p] = validateManifestFiles([path.join(FIXTURES, 'k8s-wrong-type.yaml')]).problems;
    expect(p.path).toBe(path.join(FIXTURES, 'k8s-wrong-type.yaml#1'));
    expect(p.app).toBe('k8s-wrong-type');
  });

  it('passes the committed example cluster in dist/', () => {
    const result = validateManifestFiles([path.join(ROOT, 'dist')]);
    expect(messages(result.problems)).toEqual([]);
    expect(result.objects).toBeGreaterThanOrEqual(18);
  });

  it('knows every kind of Kubernetes 1.28 and of the shipped CRDs, and no other', () => {
    const v = SchemaValidator.shipped();
    expect(v.knows('apps/v1', 'Deployment')).toBe(true);
    expect(v.knows('batch/v1', 'CronJob')).toBe(true);
    expect(v.knows('v1', 'Endpoints')).toBe(true);
    expect(v.knows('traefik.io/v1alpha1', 'Middleware')).toBe(true);
    expect(v.knows('traefik.io/v1alpha1', 'ServersTransportTCP')).toBe(true);
    expect(v.knows('helm.cattle.io/v1', 'HelmChartConfig')).toBe(true);
    expect(v.knows('extensions/v1beta1', 'Ingress')).toBe(false);
    expect(v.knows('batch/v1beta1', 'CronJob')).toBe(false);
  });

  it('applies the simple CEL rules of the CRDs', () => {
    const v = SchemaValidator.shipped();
    const issues = v.validate({ apiVersion: 'traefik.io/v1alpha1', kind: 'Middleware', metadata: { name: 'm' }, spec: { addPrefix: { prefix: 'api' } } });
    expect(issues).toEqual([{ field: 'spec.addPrefix.prefix', value: 'api', message: 'must match pattern "^/"' }]);
  });

  it('checks int32 ranges', () => {
    const issues = SchemaValidator.shipped().validate({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'd' },
      spec: { replicas: 2 ** 31, selector: {}, template: {} },
    });
    expect(issues).toEqual([{ field: 'spec.replicas', value: 2 ** 31, message: 'must be <= 2147483647' }]);
  });

  it('fails at synth time on an object no schema accepts, naming its construct', () => {
    const app = new HomelabApp({ outdir: '/nonexistent' });
    const chart = new Chart(app, 'extras');
    new ApiObject(chart, 'Config', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'extras' }, data: { retries: 3 } });
    expect(() => app.synthFiles()).toThrow(/extras: ConfigMap\/settings data\.retries 3 must be string \(at extras\/Config\)/);
  });
});

describe('whole-cluster checks', () => {
  it('passes the valid base cluster', () => {
    expect(clusterProblems(() => undefined)).toEqual([]);
  });

  it('fails if two routes claim the same host on one entry point', () => {
    const problems = clusterProblems((all) => {
      const copy = structuredClone(all[6]);
      m(copy).metadata.name = leaf('other');
      m(copy).spec.routes[0].match = leaf('Host(`blog.example.com`)');
      return [...all, copy];
    });
    expect(problems).toEqual([
      expect.stringMatching(
        /IngressRoute\/other spec\.routes\[0\]\.match "blog\.example\.com" is already routed on entry point websecure by IngressRoute blog\/blog-websecure \(at fixture#7\)/,
      ),
    ]);
  });

  it('tells routes on other paths or entry points apart', () => {
    expect(
      clusterProblems((all) => {
        const api = structuredClone(all[6]);
        m(api).metadata.name = leaf('api');
        m(api).spec.routes[0].match = leaf('Host(`blog.example.com`) && PathPrefix(`/api`)');
        const web = structuredClone(all[6]);
        m(web).metadata.name = leaf('web');
        m(web).spec.entryPoints = leaf(['web']);
        m(web).spec.routes[0].middlewares = leaf([{ name: 'https-redirect' }]);
        delete (m(web).spec as Record<string, unknown>).tls;
        return [...all, api, web];
      }),
    ).toEqual([]);
  });

  it('fails if a route names a Service that is not in the cluster, or a port it does not have', () => {
    expect(
      clusterProblems((all) => {
        m(all[6]).spec.routes[0].services[0].name = leaf('ghost');
      }),
    ).toContainEqual(expect.stringMatching(/spec\.routes\[0\]\.services\[0\]\.name "blog\/ghost" is not a Service of the cluster/));
    expect(
      clusterProblems((all) => {
        m(all[6]).spec.routes[0].services[0].port = leaf(8080);
      }),
    ).toContainEqual(expect.stringMatching(/spec\.routes\[0\]\.services\[0\]\.port 8080 is not a port of Service blog\/blog; use one of 80 \(http\)/));
    expect(
      clusterProblems((all) => {
        m(all[6]).spec.routes[0].services[0].port = leaf('web');
      }),
    ).toContainEqual(expect.stringMatching(/port "web" is not a port of Service blog\/blog/));
  });

  it('fails if a Middleware reference does not exist', () => {
    expect(
      clusterProblems((all) => {
        m(all[6]).spec.routes[0].middlewares = leaf([{ name: 'security-headers' }, { name: 'sso' }]);
      }),
    ).toEqual([
      expect.stringMatching(/spec\.routes\[0\]\.middlewares\[1\] "blog\/sso" is not a Middleware of the cluster; define Middleware "sso" in namespace "blog"/),
    ]);
    expect(
      clusterProblems((all) => {
        m(all[6]).spec.routes[0].middlewares = leaf([{ name: 'security-headers' }, { name: 'auth@file' }]);
      }),
    ).toEqual([]);
  });

  it('fails if a reference crosses namespaces while Traefik does not allow it', () => {
    const crossing = (all: Manifest[]) => {
      const mw = structuredClone(all[5]);
      m(mw).metadata.namespace = leaf('shared');
      m(all[6]).spec.routes[0].middlewares = leaf([{ name: 'security-headers', namespace: 'shared' }]);
      return [...all, mw];
    };
    expect(clusterProblems(crossing)).toEqual([
      expect.stringMatching(
        /middlewares\[0\] "shared\/security-headers" is in another namespace than the IngressRoute \(blog\), and Traefik refuses cross-namespace references by default/,
      ),
    ]);
    expect(clusterProblems(crossing, { allowCrossNamespace: true })).toEqual([]);
  });

  it('fails if a Service selector matches no pod template of its namespace', () => {
    expect(
      clusterProblems((all) => {
        m(all[2]).spec.selector = leaf({ 'app.kubernetes.io/name': 'blgo' });
      }),
    ).toEqual([expect.stringMatching(/Service\/blog spec\.selector \{"app\.kubernetes\.io\/name":"blgo"\} matches no pod template in namespace "blog"/)]);
    expect(
      clusterProblems((all) => {
        m(all[3]).metadata.namespace = leaf('elsewhere');
      }),
    ).toContainEqual(expect.stringMatching(/matches no pod template in namespace "blog"/));
  });

  it('fails if a targetPort is not a port of the selected containers', () => {
    expect(
      clusterProblems((all) => {
        m(all[2]).spec.ports[0].targetPort = leaf(9090);
      }),
    ).toEqual([expect.stringMatching(/spec\.ports\[0\]\.targetPort 9090 is not a port of the containers the Service selects; use one of 8080 \(http\)/)]);
    expect(
      clusterProblems((all) => {
        m(all[2]).spec.ports[0].targetPort = leaf('http');
      }),
    ).toEqual([]);
    expect(
      clusterProblems((all) => {
        m(all[2]).spec.ports[0].targetPort = leaf('metrics');
      }),
    ).toContainEqual(expect.stringMatching(/targetPort "metrics" is not a port/));
  });

  it('fails if the TLS domains do not cover every host', () => {
    expect(
      clusterProblems((all) => {
        m(all[6]).spec.tls.domains = leaf([{ main: 'example.com', sans: ['blog.example.com'] }]);
      }),
    ).toEqual([expect.stringMatching(/spec\.routes\[0\]\.match "www\.example\.com" is not covered by the TLS domains \(example\.com, blog\.example\.com\)/)]);
  });

  it('fails if two objects have the same kind, namespace and name', () => {
    expect(clusterProblems((all) => [...all, structuredClone(all[4])])).toEqual([
      expect.stringMatching(
        /Middleware\/https-redirect metadata\.name "https-redirect" is already used by another Middleware in namespace "blog" \(at fixture#5\)/,
      ),
    ]);
  });

  it('fails if names, namespaces or labels break DNS-1123 or label syntax', () => {
    expect(
      clusterProblems((all) => {
        m(all[4]).metadata.name = leaf('HTTPS_redirect');
      }),
    ).toContainEqual(expect.stringMatching(/metadata\.name "HTTPS_redirect" is not a valid object name \(DNS-1123 subdomain\)/));
    expect(
      clusterProblems((all) => {
        m(all[0]).metadata.labels.team = leaf('home lab');
      }),
    ).toEqual([expect.stringMatching(/Namespace\/blog metadata\.labels\["team"\] "home lab" is not a valid label value/)]);
    expect(
      clusterProblems((all) => {
        m(all[0]).metadata.labels['bad key!'] = leaf('x');
      }),
    ).toEqual([expect.stringMatching(/metadata\.labels "bad key!" is not a valid label key/)]);
    expect(
      clusterProblems((all) => {
        m(all[2]).metadata.name = leaf('1blog');
        m(all[6]).spec.routes[0].services[0].name = leaf('1blog');
      }),
    ).toContainEqual(expect.stringMatching(/Service\/1blog metadata\.name "1blog" is not a valid Service name \(DNS-1035 label\)/));
  });

  it('fails if a route host is not a valid DNS name', () => {
    expect(
      clusterProblems((all) => {
        m(all[6]).spec.routes[0].match = leaf('Host(`blog..example.com`)');
      }),
    ).toEqual([expect.stringMatching(/spec\.routes\[0\]\.match "blog\.\.example\.com" is not a valid DNS name/)]);
  });

  it('fails if a port is out of range', () => {
    expect(
      clusterProblems((all) => {
        m(all[3]).spec.template.spec.containers[0].ports[0].containerPort = leaf(70000);
        m(all[2]).spec.ports[0].targetPort = leaf(70000);
      }),
    ).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/Deployment\/blog spec\.template\.spec\.containers\[0\]\.ports\[0\]\.containerPort 70000 is not a port number/),
        expect.stringMatching(/Service\/blog spec\.ports\[0\]\.targetPort 70000 is not a port number/),
      ]),
    );
  });

  it('fails if an image reference is invalid, untagged or latest, unless updates are automatic or it is allowed', () => {
    const withImage = (image: string, annotations?: Record<string, string>) =>
      clusterProblems((all) => {
        m(all[3]).spec.template.spec.containers[0].image = leaf(image);
        if (annotations) {
          m(all[3]).metadata.annotations = leaf(annotations);
        }
      });
    expect(withImage('Ghcr.io/Example/Blog:1')).toEqual([
      expect.stringMatching(/containers\[0\]\.image "Ghcr\.io\/Example\/Blog:1" is not a valid image reference/),
    ]);
    expect(withImage('ghcr.io/example/blog')).toEqual([
      expect.stringMatching(/image "ghcr\.io\/example\/blog" has no tag, so it means "latest"; pin a version \(e\.g\. ghcr\.io\/example\/blog:1\.2\.3\)/),
    ]);
    expect(withImage('nginx:latest')).toEqual([expect.stringMatching(/image "nginx:latest" is tagged "latest"/)]);
    expect(withImage(`nginx@sha256:${'0'.repeat(64)}`)).toEqual([]);
    expect(withImage('nginx:latest', { 'keel.sh/policy': 'force' })).toEqual([]);
    expect(withImage('nginx:latest', { 'cdk8s-homelab/allow-floating-tag': 'true' })).toEqual([]);
  });

  it('names the fields of a bare Pod from its own spec', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'homelab-pod-'));
    try {
      fs.writeFileSync(
        path.join(dir, 'pod.yaml'),
        'apiVersion: v1\nkind: Pod\nmetadata: { name: p, namespace: default }\nspec:\n  containers:\n    - { name: c, image: nginx }\n',
      );
      const messages = validateManifestFiles([dir]).problems.map(formatProblem);
      expect(messages).toEqual(expect.arrayContaining([expect.stringMatching(/Pod\/p spec\.containers\[0\]\.image "nginx" has no tag/)]));
      expect(messages.join('\n')).not.toContain('metadata.spec');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports every problem of the cluster at once', () => {
    const problems = clusterProblems((all) => {
      m(all[2]).spec.ports[0].targetPort = leaf(9090);
      m(all[6]).spec.routes[0].services[0].name = leaf('ghost');
      m(all[3]).spec.template.spec.containers[0].image = leaf('nginx');
    });
    expect(problems).toHaveLength(3);
  });
});

describe('AppStack image tags', () => {
  it('fails if the image has no tag or is latest, unless allowFloatingTag is set', () => {
    const build = (image: string, allowFloatingTag?: boolean) => {
      const app = new HomelabApp({ outdir: '/nonexistent' });
      new AppStack(app, 'tools', { image, host: 'tools.example.com', port: 8080, allowFloatingTag });
      return app.synthFiles()[0].objects.find((o) => o.manifest.kind === 'Deployment')?.manifest;
    };
    expect(() => build('ghcr.io/example/tools')).toThrow(/tools: props\.image "ghcr\.io\/example\/tools" has no tag, so it means "latest"; pin a version/);
    expect(() => build('ghcr.io/example/tools:latest')).toThrow(/is tagged "latest"/);
    expect(build('ghcr.io/example/tools:latest', true)?.metadata.annotations).toEqual({ 'cdk8s-homelab/allow-floating-tag': 'true' });
  });
});

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

describe('precompiled validators', () => {
  it('are built by npm run build and used when they match the schemas', () => {
    expect(SchemaValidator.shipped().precompiled).toBe(true);
  });

  it('give the same issues as validators compiled in process', () => {
    const inProcess = new SchemaValidator(shippedSources());
    expect(inProcess.precompiled).toBe(false);
    for (const file of fs.readdirSync(FIXTURES).filter((f) => f !== 'not-yaml.yaml')) {
      for (const doc of parseAllDocuments(fs.readFileSync(path.join(FIXTURES, file), 'utf8'))) {
        const manifest = doc.toJS();
        expect(inProcess.validate(manifest), file).toEqual(SchemaValidator.shipped().validate(manifest));
        expect(inProcess.validate(manifest).length, file).toBeGreaterThan(0);
      }
    }
    // A kind from the second (rarely needed) precompiled module.
    const endpoints = { apiVersion: 'v1', kind: 'Endpoints', metadata: { name: 'e' }, subsets: [{ adresses: [] }] };
    expect(SchemaValidator.shipped().validate(endpoints)).toEqual([
      { field: 'subsets[0].adresses', value: [], message: 'is not a known field', fix: 'did you mean "addresses"?' },
    ]);
    expect(inProcess.validate(endpoints)).toEqual(SchemaValidator.shipped().validate(endpoints));
  });

  /** The shipped Kubernetes definitions and a copy of one CRD, in a scratch folder. */
  function withOneCrd(test: (dir: string, crd: string, other: SchemaSources) => void): void {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'homelab-validators-'));
    try {
      const crd = path.join(dir, 'only.yaml');
      fs.copyFileSync(shippedSources().crdFiles[0], crd);
      test(dir, crd, { kubernetesDefinitions: shippedSources().kubernetesDefinitions, crdFiles: [crd] });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  it('are ignored when they were made from other schemas', () => {
    withOneCrd((dir, _crd, other) => {
      const sources = shippedSources();
      const module = path.join(dir, 'validators.js');
      writeValidatorModule(other, module);
      expect(validatorModuleIsStale(other, module)).toBe(false);
      expect(new SchemaValidator(other, module).precompiled).toBe(true);
      expect(validatorModuleIsStale(sources, module)).toBe(true);
      expect(new SchemaValidator(sources, module).precompiled).toBe(false);
      expect(new SchemaValidator(other, module).knows('traefik.io/v1alpha1', 'IngressRoute')).toBe(false);
    });
  });

  it('trust sources whose size and mtime are unchanged, and hash the contents otherwise', () => {
    withOneCrd((dir, crd, other) => {
      const mtime = new Date('2026-01-01T00:00:00Z'); // whole seconds: restored exactly below
      fs.utimesSync(crd, mtime, mtime);
      const module = path.join(dir, 'validators.js');
      writeValidatorModule(other, module);
      const text = fs.readFileSync(crd, 'utf8');
      // Same size and mtime: trusted without reading (as make trusts timestamps).
      fs.writeFileSync(crd, text.replace('description', 'descriptioN'));
      fs.utimesSync(crd, mtime, mtime);
      expect(validatorModuleIsStale(other, module)).toBe(false);
      // A new mtime: the contents are hashed, and the change is seen.
      fs.utimesSync(crd, new Date(), new Date());
      expect(validatorModuleIsStale(other, module)).toBe(true);
      // Touched but unchanged: still fresh, and once the stamps are refreshed, trusted again.
      fs.writeFileSync(crd, text);
      expect(validatorModuleIsStale(other, module)).toBe(false);
      const touched = new Date('2026-02-01T00:00:00Z');
      fs.utimesSync(crd, touched, touched);
      refreshValidatorStamps(other, module);
      fs.writeFileSync(crd, text.replace('description', 'descriptioN'));
      fs.utimesSync(crd, touched, touched);
      expect(validatorModuleIsStale(other, module)).toBe(false);
    });
  });
});
