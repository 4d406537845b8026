import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ApiObject, Chart, JsonPatch } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { AppStack, HomelabApp, HomelabError, KUBERNETES_VERSIONS, SchemaValidator } from '../../lib';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

const service = (spec: Record<string, unknown>) => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'web', namespace: 'web' },
  spec: { selector: { app: 'web' }, ports: [{ port: 80 }], ...spec },
});
const pod = (spec: Record<string, unknown>) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web', namespace: 'web' },
  spec: { containers: [{ name: 'web', image: 'nginx:1.27' }], ...spec },
});

describe('Kubernetes versions', () => {
  it('validate against the API of each version from 1.28 to 1.36', () => {
    expect(KUBERNETES_VERSIONS).toEqual(['1.28', '1.29', '1.30', '1.31', '1.32', '1.33', '1.34', '1.35', '1.36']);
    for (const version of KUBERNETES_VERSIONS) {
      const v = SchemaValidator.shipped(version);
      expect(v.kubernetesVersion).toBe(version);
      expect(v.precompiled, version).toBe(true);
      expect(v.validate(service({})), version).toEqual([]);
      // The catalog of CRDs is known in every version.
      expect(v.knows('cert-manager.io/v1', 'Certificate'), version).toBe(true);
    }
  });

  it('fail on a field of a newer version, naming the version that has it', () => {
    expect(SchemaValidator.shipped().validate(service({ trafficDistribution: 'PreferClose' }))).toEqual([
      {
        field: 'spec.trafficDistribution',
        value: 'PreferClose',
        message: 'is not a field of Kubernetes 1.28 (it is from 1.30 on)',
        fix: 'set kubernetesVersion to 1.30 or later if your cluster runs it, or remove it',
      },
    ]);
    expect(SchemaValidator.shipped('1.33').validate(service({ trafficDistribution: 'PreferClose' }))).toEqual([]);
    expect(SchemaValidator.shipped('1.33').validate(pod({ hostnameOverride: 'web' }))).toEqual([
      expect.objectContaining({ field: 'spec.hostnameOverride', message: 'is not a field of Kubernetes 1.33 (it is from 1.34 on)' }),
    ]);
    expect(SchemaValidator.shipped('1.34').validate(pod({ hostnameOverride: 'web' }))).toEqual([]);
    // A field no version has stays a plain unknown field, with its nearest name.
    expect(SchemaValidator.shipped('1.33').validate(pod({ hostnameOveride: 'web' }))).toEqual([
      expect.objectContaining({ field: 'spec.hostnameOveride', message: 'is not a known field' }),
    ]);
  });

  it('are chosen on the HomelabApp: the same cluster validates for 1.33 and fails for 1.28, and namespaces pin the version', () => {
    const build = (kubernetesVersion?: string) => {
      const app = new HomelabApp({ outdir: '/nonexistent', kubernetesVersion, cluster: { certResolvers: ['letsencrypt'] } });
      const stack = new AppStack(app, 'web', { image: 'ghcr.io/me/web:1.0.0', host: 'web.example.com', port: 8080 });
      stack.service?.resource.addJsonPatch(JsonPatch.add('/spec/trafficDistribution', 'PreferClose'));
      return app;
    };
    expect(() => build().synthFiles()).toThrow(
      /Service\/web spec\.trafficDistribution "PreferClose" is not a field of Kubernetes 1\.28 \(it is from 1\.30 on\)/,
    );
    const files = build('1.33').synthFiles();
    const namespace = files[0].objects.find((o) => o.manifest.kind === 'Namespace')?.manifest;
    expect(namespace?.metadata.labels).toMatchObject({ 'pod-security.kubernetes.io/enforce-version': 'v1.33' });
    expect(() => new HomelabApp({ kubernetesVersion: '1.27' })).toThrow(HomelabError);
    expect(() => new HomelabApp({ kubernetesVersion: '1.27' })).toThrow(
      /props\.kubernetesVersion "1\.27" is not a Kubernetes version the package validates against; use one of 1\.28, 1\.29/,
    );
  });

  it('are chosen by validate --kubernetes-version', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'versions-')), 'pod.yaml');
    fs.writeFileSync(file, JSON.stringify(pod({ resources: { limits: { memory: '1Gi' } } })));
    const cli = (...args: string[]) =>
      spawnSync(process.execPath, [path.join(ROOT, 'build', 'bin', 'cdk8s-homelab.js'), 'validate', ...args], { encoding: 'utf8' });
    expect(cli(file).stderr).toMatch(/Pod\/web spec\.resources .* is not a field of Kubernetes 1\.28 \(it is from 1\.32 on\)/);
    expect(cli('--kubernetes-version', '1.32', file).stderr).not.toMatch(/spec\.resources/);
    const bad = cli('--kubernetes-version=1.40', file);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--kubernetes-version must be one of 1\.28, .*1\.36, got "1\.40"/);
  });

  it('leave the kinds of the catalog and of user CRDs alone', () => {
    const app = new HomelabApp({ outdir: '/nonexistent', kubernetesVersion: '1.33' });
    new ApiObject(new Chart(app, 'platform'), 'Pool', {
      apiVersion: 'metallb.io/v1beta1',
      kind: 'IPAddressPool',
      metadata: { name: 'lan', namespace: 'metallb-system' },
      spec: { adresses: [] },
    });
    expect(() => app.synthFiles()).toThrow(/IPAddressPool\/lan spec\.adresses \[\] is not a known field; did you mean "addresses"\?/);
  });
});
