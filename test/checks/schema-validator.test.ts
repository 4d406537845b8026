import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ApiObject, Chart } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { formatProblem, HomelabApp, type Problem, type SchemaSources, SchemaValidator, validateManifestFiles } from '../../lib';
import { shippedSources } from '../../lib/checks/schema/schema-set';
import { refreshValidatorStamps, validatorModuleIsStale, writeValidatorModule } from '../../lib/checks/schema/validator-module';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const FIXTURES = path.join(import.meta.dirname, '..', 'fixtures', 'schema');

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
    expect(issues).toEqual([{ field: 'spec.addPrefix.prefix', value: 'api', message: 'must match pattern "^/"', fix: 'start it with "/"' }]);
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
    expect(() => app.synthFiles()).toThrow(/extras: ConfigMap\/settings data\.retries 3 must be string; write it as text in quotes \(at extras\/Config\)/);
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

  it('suggests the nearest field by edit distance, swaps of two letters included', () => {
    const pod = (container: Record<string, unknown>) => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p' },
      spec: { containers: [{ name: 'c', image: 'nginx:1.27', ...container }] },
    });
    expect(SchemaValidator.shipped().validate(pod({ imagePullPolcy: 'Always' }))[0].fix).toBe('did you mean "imagePullPolicy"?');
    expect(SchemaValidator.shipped().validate(pod({ imgaePullPolicy: 'Always' }))[0].fix).toBe('did you mean "imagePullPolicy"?');
    expect(SchemaValidator.shipped().validate(pod({ workingDirectory: '/app' }))[0].fix).toBe('did you mean "workingDir"?');
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
