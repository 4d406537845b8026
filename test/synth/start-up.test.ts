import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../helpers';

/** A synth in a process of its own, from the built package; the modules it loaded from node_modules, relative to the project. */
function modulesLoadedBySynth(app: string): string[] {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'homelab-start-up-'));
  try {
    const script = `
      const { HomelabApp, AppStack } = require(${JSON.stringify(path.join(PROJECT_ROOT, 'build', 'lib'))});
      const app = new HomelabApp({ outdir: ${JSON.stringify(path.join(outdir, 'dist'))}, cluster: { certResolvers: ['letsencrypt'] } });
      ${app}
      app.synth();
      console.log(JSON.stringify(Object.keys(require.cache)));`;
    const loaded = JSON.parse(execFileSync(process.execPath, ['-e', script], { cwd: outdir, encoding: 'utf8' })) as string[];
    return loaded.filter((f) => f.includes(`${path.sep}node_modules${path.sep}`)).map((f) => path.relative(PROJECT_ROOT, f));
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

describe('start-up', () => {
  it('a synth of JSON manifests never loads our yaml library (cdk8s loads its own copy): the diff tools load it when they run', () => {
    const loaded = modulesLoadedBySynth(`new AppStack(app, 'wiki', { image: 'ghcr.io/julesfrn/wiki:2.5.0', host: 'wiki.example.com', port: 3000 });`);
    // cdk8s's own copy, under node_modules/cdk8s/node_modules/yaml, is loaded; ours, node_modules/yaml, is not.
    expect(loaded.some((f) => f.startsWith(path.join('node_modules', 'cdk8s', 'node_modules', 'yaml') + path.sep))).toBe(true);
    expect(loaded.filter((f) => f.startsWith(path.join('node_modules', 'yaml') + path.sep))).toEqual([]);
  });
});
