import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App } from 'cdk8s';
import { HomelabApp, type HomelabAppProps, type Manifest, type SynthesizedFile } from '../lib';
import { synthesizeFiles } from '../lib/synth/synthesizer';

/**
 * The Secrets the tests' apps use, as made by hand in their clusters (each by
 * name: an app that uses another one still fails the secretReferences check).
 */
export const TEST_SECRETS: readonly string[] = [
  'authentik/authentik-postgresql',
  'authentik/authentik-secrets',
  'kube-system/cloudflare-dns',
  'traefik/cloudflare-dns',
  'cert-manager/cloudflare',
  'nextcloud/nextcloud-admin',
  'nextcloud/nextcloud-redis',
  'nextcloud/nextcloud-db',
  'tools/tools-db',
  'tools/tools-redis',
  'tools/tools-tls',
  'tools/tools-secrets',
  'client/shared-db',
  'dbhost/shared-db',
  'tools/tools-env',
  'gazette/regcred',
  'gazette/gazette-secrets',
  'blog/blog-tls',
  'gateway/wildcard-tls',
  'gateway/lab-tls',
  'certs/wildcard-tls',
  'cert-manager/homelab-ca',
  'cert-manager/cloudflare-dns',
  'grafana/homelab-ca',
  'keel/slack',
  'flux/podinfo-values',
  'flux/more-values',
  'kube-system/ovh',
  'cert-manager/tsig',
  'blog/by-hand-tls',
];

/**
 * A fresh App that writes nowhere unless asked and throws a construct's
 * problems where it is built (failFast), in a cluster whose Traefik
 * declares the `letsencrypt` resolver.
 */
export function newApp(props: HomelabAppProps = {}): HomelabApp {
  return new HomelabApp({
    outdir: '/nonexistent-outdir',
    mirrorOutdir: '/nonexistent-outdir',
    cluster: { certResolvers: ['letsencrypt'] },
    failFast: process.env.HL_DEFER !== '1',
    handMadeSecrets: [...TEST_SECRETS],
    ...props,
  });
}

/** Every manifest of the App, in file order, after every check passed. */
export function manifests(app: HomelabApp): Manifest[] {
  return app.synthFiles().flatMap((f) => f.objects.map((o) => o.manifest));
}

/** Every manifest of the App, without the whole-cluster checks (for fragments of a cluster). */
export function uncheckedManifests(app: HomelabApp): Manifest[] {
  return synthesizeFiles(app).flatMap((f) => f.objects.map((o) => o.manifest));
}

/** The one manifest of that kind and name; fails the test when there is not exactly one. */
export function find(all: readonly Manifest[], kind: string, name: string): Manifest {
  const found = all.filter((m) => m.kind === kind && m.metadata.name === name);
  if (found.length !== 1) {
    throw new Error(`expected one ${kind} ${name}, found ${found.length}: ${all.map((m) => `${m.kind}/${m.metadata.name}`).join(', ')}`);
  }
  return found[0];
}

/** Typed access into a manifest for assertions. */
export function at(m: unknown, ...keys: (string | number)[]): unknown {
  let cur: unknown = m;
  for (const k of keys) {
    if (cur === null || typeof cur !== 'object') {
      return undefined;
    }
    cur = (cur as Record<string | number, unknown>)[k];
  }
  return cur;
}

/** The pod template spec of a Deployment manifest. */
export function podSpec(deployment: Manifest): Record<string, unknown> {
  return at(deployment, 'spec', 'template', 'spec') as Record<string, unknown>;
}

/** The first container of a Deployment manifest. */
export function container(deployment: Manifest): Record<string, unknown> {
  return (podSpec(deployment).containers as Record<string, unknown>[])[0];
}

/** Kinds in file order, for order assertions. */
export function kinds(file: SynthesizedFile): string[] {
  return file.objects.map((o) => o.manifest.kind);
}

export { App };

/** The project's root folder. */
export const PROJECT_ROOT = path.resolve(import.meta.dirname, '..');

/**
 * A scratch copy of the project for commands that write into it, sharing
 * node_modules (linked) and build/ (copied: the incremental build and the
 * precompiled validators are reused). `skip` lists top-level entries left out.
 */
export function copyProject(prefix: string, skip: readonly string[]): string {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const left = new Set(['node_modules', '.git', ...skip]);
  for (const entry of fs.readdirSync(PROJECT_ROOT)) {
    if (!left.has(entry)) {
      fs.cpSync(path.join(PROJECT_ROOT, entry), path.join(work, entry), { recursive: true });
    }
  }
  fs.symlinkSync(path.join(PROJECT_ROOT, 'node_modules'), path.join(work, 'node_modules'), 'dir');
  return work;
}

/**
 * Props as a JavaScript caller (or a spread of loosely typed objects) may pass
 * them, past the type checker: for tests of the checks that run at run time.
 */
export function untyped<T>(props: object): T {
  return props as T;
}
