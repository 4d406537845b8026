import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ApiObject, Chart } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { type CustomResourceDefinition, HomelabApp, HomelabError, HomelabValidation, importedCrdFiles, SchemaValidator } from '../../lib';

const FIXTURES = path.join(import.meta.dirname, '..', 'fixtures', 'crds');
const BACKUP_CRD = path.join(FIXTURES, 'backup.example.com_backups.yaml');
const ROOT = path.resolve(import.meta.dirname, '..', '..');

function backup(spec: Record<string, unknown>) {
  return { apiVersion: 'backup.example.com/v1', kind: 'Backup', metadata: { name: 'nightly', namespace: 'tools' }, spec };
}

/** The problems a HomelabApp with these CRDs finds in one object. */
function problemsOf(crds: (string | CustomResourceDefinition)[], manifest: Record<string, unknown>): string[] {
  const app = new HomelabApp({ outdir: '/nonexistent', crds });
  const { apiVersion, kind, ...rest } = manifest as { apiVersion: string; kind: string };
  new ApiObject(new Chart(app, 'tools'), 'Backup', { apiVersion, kind, ...rest });
  try {
    app.synthFiles();
    return [];
  } catch (e) {
    expect(HomelabError.isHomelabError(e), String(e)).toBe(true);
    return (e as HomelabError).problems
      .filter((p) => p.field.includes('Backup') || p.field.startsWith('apiVersion') || p.field === 'crds')
      .map((p) => `${p.field} ${p.message}`);
  }
}

describe('CRDs of your own', () => {
  it('validate their kinds as strictly as the shipped ones, from a file, a folder or the object', () => {
    const crdObject = parse(fs.readFileSync(BACKUP_CRD, 'utf8')) as CustomResourceDefinition;
    for (const crds of [[BACKUP_CRD], [FIXTURES], [crdObject]]) {
      expect(problemsOf(crds, backup({ schedule: '@daily', target: 's3://bucket', keep: 7, retention: '30d', options: { anything: true } }))).toEqual([]);
      expect(problemsOf(crds, backup({ schedule: '@daily', target: 's3://bucket', keep: 0, storage: 'ftp', retentoin: 3 }))).toEqual([
        'Backup/nightly spec.retentoin is not a known field',
        'Backup/nightly spec.keep must be >= 1',
        'Backup/nightly spec.storage must be one of "s3", "nfs"',
      ]);
    }
  });

  it('are needed: without them, the kind has no known schema and the fix says how to give one', () => {
    const app = new HomelabApp({ outdir: '/nonexistent', crds: [] });
    new ApiObject(new Chart(app, 'tools'), 'Backup', backup({ schedule: '@daily', target: 'x' }));
    expect(() => app.synthFiles()).toThrow(/apiVersion\/kind "backup\.example\.com\/v1\/Backup" has no known schema .*give its CRD file to HomelabApp's crds/);
  });

  it('fail with the path at fault when a path does not exist or holds no CRD', () => {
    const app = new HomelabApp({ outdir: '/nonexistent', crds: ['no/such/crds.yaml', path.join(ROOT, 'cdk8s.yaml')] });
    new ApiObject(new Chart(app, 'tools'), 'Backup', backup({ schedule: '@daily', target: 'x' }));
    expect(() => app.synthFiles()).toThrow(
      /crds\[0\] "no\/such\/crds\.yaml" is not a file or folder[\s\S]*crds\[1\] ".*cdk8s\.yaml" holds no CustomResourceDefinition/,
    );
  });

  it('win over a shipped CRD of the same kind, with a warning; a copy of the shipped file changes nothing', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crds-'));
    const shipped = path.join(ROOT, 'crds', 'bitnami.com_sealedsecrets.yaml');
    fs.copyFileSync(shipped, path.join(dir, 'bitnami.com_sealedsecrets.yaml'));
    expect(SchemaValidator.shipped().withCrds([path.join(dir, 'bitnami.com_sealedsecrets.yaml')])).toBe(SchemaValidator.shipped());
    const changed = fs.readFileSync(shipped, 'utf8').replaceAll('encryptedData', 'encryptedValues');
    fs.writeFileSync(path.join(dir, 'bitnami.com_sealedsecrets.yaml'), changed);
    const validator = SchemaValidator.shipped().withCrds([dir]);
    expect(validator.replacedKinds).toEqual(['bitnami.com/v1alpha1/SealedSecret']);
    const sealed = { apiVersion: 'bitnami.com/v1alpha1', kind: 'SealedSecret', metadata: { name: 's' }, spec: { encryptedValues: { a: 'AgB=' } } };
    expect(validator.validate(sealed)).toEqual([]);
    expect(SchemaValidator.shipped().validate(sealed)).toContainEqual(
      expect.objectContaining({ field: 'spec.encryptedValues', message: 'is not a known field' }),
    );
    const app = new HomelabApp({ outdir: '/nonexistent', crds: [dir] });
    new ApiObject(new Chart(app, 'tools'), 'S', { ...sealed, metadata: { name: 's', namespace: 'tools' } });
    app.synthFiles();
    expect(app.warnings.map((w) => `${w.warning} ${String(w.value)}`)).toContain('HL-crd-replaces-shipped bitnami.com/v1alpha1/SealedSecret');
  });

  it('listed under imports: in cdk8s.yaml are picked up without being named twice', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crds-'));
    fs.copyFileSync(BACKUP_CRD, path.join(dir, 'backups.yaml'));
    fs.writeFileSync(
      path.join(dir, 'cdk8s.yaml'),
      'language: typescript\nimports:\n  - k8s@1.28.0\n  - backups:=backups.yaml\n  - https://example.com/x.yaml\n  - missing.yaml\n',
    );
    expect(importedCrdFiles(path.join(dir, 'cdk8s.yaml'))).toEqual([path.join(dir, 'backups.yaml')]);
    expect(importedCrdFiles(path.join(dir, 'none.yaml'))).toEqual([]);
    fs.writeFileSync(path.join(dir, 'flow.yaml'), 'language: typescript\nimports: ["backups:=backups.yaml", k8s@1.28.0]\n');
    expect(importedCrdFiles(path.join(dir, 'flow.yaml'))).toEqual([path.join(dir, 'backups.yaml')]);
  });

  it('are taken by validate --crd and by the cdk8s plugin', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crds-'));
    const file = path.join(dir, 'backup.yaml');
    fs.writeFileSync(file, `${JSON.stringify(backup({ schedule: '@daily', target: 'x', keep: 400 }))}\n`);
    const cli = (...args: string[]) =>
      spawnSync(process.execPath, [path.join(ROOT, 'build', 'bin', 'cdk8s-homelab.js'), 'validate', ...args], { encoding: 'utf8' });
    expect(cli(file).stderr).toMatch(/has no known schema/);
    const run = cli('--crd', FIXTURES, file);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/Backup\/nightly spec\.keep 400 must be <= 365/);
    expect(cli('--crd=no/such', file).stderr).toMatch(/^--crd\[0\] "no\/such" is not a file or folder/);

    const violations: string[] = [];
    new HomelabValidation({ crds: [FIXTURES] }).validate({
      manifests: [file],
      report: { addViolation: (v) => violations.push(v.ruleName), submit: () => undefined },
    });
    expect(violations).toContain('Backup/nightly spec.keep');
  });
});
