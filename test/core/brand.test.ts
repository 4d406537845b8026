import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../helpers';

// Two copies of the compiled package, as when a library built on cdk8s-homelab
// brings its own copy into a project's node_modules: the class tests
// (AppStack.isAppStack, ...) must recognise objects of the other copy, where
// `instanceof` would not.
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'homelab-copies-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

type Lib = typeof import('../../lib');

function copyOfPackage(name: string): Lib {
  const dir = path.join(scratch, name);
  fs.cpSync(path.join(PROJECT_ROOT, 'build', 'lib'), path.join(dir, 'build', 'lib'), { recursive: true });
  fs.cpSync(path.join(PROJECT_ROOT, 'build', 'validators'), path.join(dir, 'build', 'validators'), { recursive: true });
  fs.cpSync(path.join(PROJECT_ROOT, 'schemas'), path.join(dir, 'schemas'), { recursive: true });
  fs.cpSync(path.join(PROJECT_ROOT, 'crds'), path.join(dir, 'crds'), { recursive: true });
  fs.symlinkSync(path.join(PROJECT_ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  return createRequire(path.join(dir, 'index.js'))(path.join(dir, 'build', 'lib')) as Lib;
}

describe('two copies of the package in one project', () => {
  const a = copyOfPackage('a');
  const b = copyOfPackage('b');

  it('are distinct copies: instanceof fails across them', () => {
    const app = new b.HomelabApp({ outdir: path.join(scratch, 'out') });
    expect(app instanceof a.HomelabApp).toBe(false);
    expect(a.HomelabApp.isHomelabApp(app)).toBe(true);
    expect(a.HomelabApp.isHomelabApp({})).toBe(false);
  });

  it('recognise each other: an AppStack of one copy lets in an AppStack of the other, under the HomelabApp of the other', () => {
    const app = new b.HomelabApp({ outdir: path.join(scratch, 'out'), networks: { vpn: ['10.8.0.0/24'] }, cluster: { certResolvers: ['letsencrypt'] } });
    const api = new b.AppStack(app, 'api', { image: 'ghcr.io/me/api:1.0.0', host: 'api.example.com', port: 8080 });
    const web = new a.AppStack(app, 'web', { image: 'ghcr.io/me/web:1.0.0', host: 'web.example.com', port: 8080, allowFrom: [api], ipAllowList: ['vpn'] });
    expect(a.AppStack.isAppStack(api)).toBe(true);
    expect(b.AppStack.isAppStack(web)).toBe(true);
    expect(a.AppStack.isAppStack(app)).toBe(false);
    const manifests = app.synthFiles().flatMap((f) => f.objects.map((o) => o.manifest));
    const policy = manifests.find((m) => m.kind === 'NetworkPolicy' && m.metadata.namespace === 'web' && JSON.stringify(m).includes('"api"'));
    expect(policy).toBeDefined();
    // The network named on the other copy's HomelabApp was found.
    const allowList = manifests.find((m) => m.kind === 'Middleware' && m.metadata.namespace === 'web' && JSON.stringify(m).includes('ipAllowList'));
    expect(JSON.stringify(allowList)).toContain('10.8.0.0/24');
  });

  it("report each other's problems: a HomelabError of one copy is one for the other", () => {
    const app = new b.HomelabApp({ outdir: path.join(scratch, 'out') });
    let thrown: unknown;
    try {
      new b.AppStack(app, 'bad', { image: 'ghcr.io/me/api:1.0.0', host: 'bad..example.com', port: 8080 });
      app.synthFiles();
    } catch (e) {
      thrown = e;
    }
    expect(thrown instanceof a.HomelabError).toBe(false);
    expect(a.HomelabError.isHomelabError(thrown)).toBe(true);
    expect(a.HomelabError.isHomelabError(new Error('x'))).toBe(false);
  });
});
