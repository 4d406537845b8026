import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments, stringify } from 'yaml';
import { copyProject } from '../helpers';

const ROOT = path.resolve(import.meta.dirname, '..', '..');
let work: string;

function run(command: string, args: string[]) {
  return spawnSync(command, args, {
    cwd: work,
    encoding: 'utf8',
    env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false', NO_COLOR: '1' },
  });
}

function readDir(dir: string): Record<string, string> {
  return Object.fromEntries(
    fs
      .readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .sort()
      .filter((f) => fs.statSync(path.join(dir, f)).isFile())
      .map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')]),
  );
}

function breakWhoami(): void {
  const file = path.join(work, 'apps', 'whoami.ts');
  fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace("env.host('whoami')", "'whoami..julesfournier.fr'"));
}

// A copy of the project, so the real dist/ is never touched.
beforeAll(() => {
  work = copyProject('homelab-cmd-', ['dist', '.cdk8s.out']);
});

afterAll(() => {
  fs.rmSync(work, { recursive: true, force: true });
});

describe('synth commands', () => {
  it('npx cdk8s synth writes dist/ equal to the committed one, runs the validation plugin, and a failed one keeps dist/', () => {
    const ok = run(path.join(work, 'node_modules', '.bin', 'cdk8s'), ['synth']);
    expect(ok.status, ok.stdout + ok.stderr).toBe(0);
    expect(ok.stdout).toContain('gazette.k8s.yaml');
    const dist = readDir(path.join(work, 'dist'));
    expect(dist).toEqual(readDir(path.join(ROOT, 'dist')));
    // The CLI also ran the HomelabValidation plugin that cdk8s.yaml declares, on every object.
    expect(ok.stdout).toMatch(/Validation Report \(.*validation-plugin\.js@0\.1\.0\)/);
    expect(ok.stdout).toMatch(/Status\s+│ success/);
    expect(ok.stdout).toMatch(/objects\s+│ 283\b/);

    breakWhoami();
    const failed = run(path.join(work, 'node_modules', '.bin', 'cdk8s'), ['synth']);
    expect(failed.status).not.toBe(0);
    expect(failed.stderr).toMatch(/staging\/whoami: props\.host "whoami\.\.julesfournier\.fr" is not a valid DNS name/);
    expect(readDir(path.join(work, 'dist'))).toEqual(dist);
  });

  it('validate checks hand-written YAML: exit 0 when valid, 1 with every problem, 2 on usage errors', () => {
    const cli = path.join(work, 'build', 'bin', 'cdk8s-homelab.js');
    const valid = run(process.execPath, [cli, 'validate', 'dist']);
    expect(valid.status, valid.stderr).toBe(0);
    expect(valid.stdout).toMatch(/283 object\(s\) in 58 file\(s\): valid/);
    const invalid = run(process.execPath, [cli, 'validate', 'test/fixtures/schema']);
    expect(invalid.status).toBe(1);
    expect(invalid.stderr).toMatch(
      /k8s-unknown-field: Deployment\/blog spec\.replica 2 is not a known field; did you mean "replicas"\? \(at test\/fixtures\/schema\/k8s-unknown-field\.yaml#1\)/,
    );
    expect(invalid.stderr).toMatch(/\d+ problem\(s\) in \d+ object\(s\) of 12 file\(s\)/);
    // A waived rule is a warning: printed, but the manifests are valid.
    const docs = parseAllDocuments(fs.readFileSync(path.join(work, 'dist', 'prod', 'apps', 'whoami.k8s.yaml'), 'utf8')).map((d) => d.toJS());
    const deployment = docs.find((d) => d.kind === 'Deployment');
    deployment.metadata.annotations = { 'cdk8s-homelab/policy-exception.read-only-root': 'writes its cache in place' };
    deployment.spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem = false;
    fs.mkdirSync(path.join(work, 'waived'));
    fs.writeFileSync(path.join(work, 'waived', 'whoami.yaml'), docs.map((d) => stringify(d)).join('---\n'));
    fs.copyFileSync(path.join(work, 'dist', 'prod', 'platform', 'traefik.k8s.yaml'), path.join(work, 'waived', 'traefik.yaml'));
    const waived = run(process.execPath, [cli, 'validate', 'waived']);
    expect(waived.status, waived.stderr).toBe(0);
    expect(waived.stderr).toMatch(
      /^warning HL-policy-exception: whoami: Deployment\/whoami .*readOnlyRootFilesystem false must be true \[read-only-root\], allowed by exception: writes its cache in place/m,
    );
    expect(waived.stdout).toMatch(/10 object\(s\) in 2 file\(s\): valid \(1 warning\(s\)\)/);
    const usage = run(process.execPath, [cli, 'validate', '--strict']);
    expect(usage.status).toBe(2);
    expect(usage.stderr).toMatch(/unknown option --strict\nusage: cdk8s-homelab validate/);
  });

  it('npm run synth fails the same way and leaves dist/ untouched', () => {
    const before = readDir(path.join(work, 'dist'));
    const failed = run('npm', ['run', '-s', 'synth']);
    expect(failed.status).toBe(1);
    // Exactly what the README shows (What an app looks like): a header, then one line per problem.
    const lines = failed.stderr.trim().split('\n');
    expect(lines).toEqual([
      'synth failed, dist/ left as it was: 2 problem(s)',
      expect.stringMatching(/^staging\/whoami: props\.host "whoami\.\.julesfournier\.fr" is not a valid DNS name; .* \(at whoami\)$/),
      expect.stringMatching(/^prod\/whoami: props\.host "whoami\.\.julesfournier\.fr" is not a valid DNS name; .* \(at whoami\)$/),
    ]);
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    expect(readme).toContain(`\`\`\`\n${lines.join('\n')}\n\`\`\``);
    expect(failed.stderr).not.toMatch(/at .*\.js:\d+/);
    expect(readDir(path.join(work, 'dist'))).toEqual(before);
  });
});
