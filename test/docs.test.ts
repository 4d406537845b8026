import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..');

function tree(dir: string): Record<string, string> {
  return Object.fromEntries(
    fs
      .readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .sort()
      .filter((f) => fs.statSync(path.join(dir, f)).isFile())
      .map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')]),
  );
}

describe('the API reference', () => {
  const typedoc = (args: string[]) =>
    spawnSync(process.execPath, ['--import', './scripts/typescript-5.mjs', 'node_modules/typedoc/bin/typedoc', ...args], { cwd: ROOT, encoding: 'utf8' });

  it('documents every public construct and prop, and docs/api/ is up to date', () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'homelab-api-'));
    try {
      const r = typedoc(['--out', out]);
      expect(r.status, r.stdout + r.stderr).toBe(0);
      expect(tree(out), 'docs/api/ is stale: run npm run docs').toEqual(tree(path.join(ROOT, 'docs', 'api')));
      expect(fs.readFileSync(path.join(out, 'interfaces', 'AppStackCommonProps.md'), 'utf8')).toMatch(/### replicas[\s\S]*#### Default[\s\S]*1/);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });

  it('fails if a public prop has no doc comment', () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'homelab-api-'));
    try {
      const r = typedoc(['--options', 'test/fixtures/docs/typedoc.json', '--out', out]);
      expect(r.status).not.toBe(0);
      expect(r.stdout + r.stderr).toMatch(/WidgetProps\.color \(Property\).*does not have any documentation/);
    } finally {
      fs.rmSync(out, { recursive: true, force: true });
    }
  });
});
