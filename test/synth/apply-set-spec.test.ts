import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { ENVIRONMENTS } from '../../apps';
import { PROJECT_ROOT } from '../helpers';

/**
 * The ApplySet specification (KEP 3659), as kubectl implements it, applied
 * to the committed dist/ of every environment: this test computes what
 * `KUBECTL_APPLYSET=true kubectl apply -f platform/ -f apps/ --prune
 * --applyset=configmaps/<parent>` would label, record and prune, on its own
 * (it shares no code with the library).
 */
const PART_OF = 'applyset.kubernetes.io/part-of';
const ID = 'applyset.kubernetes.io/id';
const CONTAINS = 'applyset.kubernetes.io/contains-group-kinds';
const NAMESPACES = 'applyset.kubernetes.io/additional-namespaces';
const TOOLING = 'applyset.kubernetes.io/tooling';

/** The fields of an object this test reads. */
interface Manifest {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
}

interface Parsed {
  readonly file: string;
  readonly manifest: Manifest;
}

function read(env: string, folder: string): Parsed[] {
  const dir = path.join(PROJECT_ROOT, 'dist', env, folder);
  return fs
    .readdirSync(dir)
    .sort()
    .flatMap((f) => parseAllDocuments(fs.readFileSync(path.join(dir, f), 'utf8')).map((d) => ({ file: `${folder}/${f}`, manifest: d.toJS() as Manifest })));
}

/** `Kind.group`, or `Kind` for the core group, as the parent's contains-group-kinds spells it. */
function groupKind(m: Manifest): string {
  return m.apiVersion.includes('/') ? `${m.kind}.${m.apiVersion.split('/')[0]}` : m.kind;
}

/** The spec's ID: base64url (no padding) of sha256 of `<name>.<namespace>.<kind>.<group>`, between `applyset-` and `-v1`. */
function specId(name: string, namespace: string, kind: string, group: string): string {
  const digest = createHash('sha256')
    .update(`${name}.${namespace}.${kind}.${group}`)
    .digest('base64')
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
  return `applyset-${digest}-v1`;
}

const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterSecretStore', 'ClusterRole', 'ClusterRoleBinding', 'StorageClass', 'PersistentVolume', 'IngressClass']);

/** What kubectl does to the input when it applies it as a member of the set: refuses a pre-set label, else adds it. */
function labelMembers(members: readonly Parsed[], id: string): Manifest[] {
  return members.map(({ file, manifest }) => {
    const labels = manifest.metadata.labels ?? {};
    if (PART_OF in labels) {
      throw new Error(`${file}: ApplySet label "${PART_OF}" already set in input data`);
    }
    return { ...manifest, metadata: { ...manifest.metadata, labels: { ...labels, [PART_OF]: id } } };
  });
}

/** The live objects kubectl's prune deletes: members of the set, of a kind and namespace the parent records, not applied this time. */
function pruned(live: readonly Manifest[], parent: Manifest, applied: readonly Manifest[], id: string): string[] {
  const annotations = parent.metadata.annotations ?? {};
  const kinds = new Set(String(annotations[CONTAINS]).split(','));
  const namespaces = new Set([String(parent.metadata.namespace), ...String(annotations[NAMESPACES]).split(',').filter(Boolean)]);
  const key = (m: Manifest) => `${groupKind(m)} ${m.metadata.namespace ?? ''}/${m.metadata.name}`;
  const keep = new Set(applied.map(key));
  return live
    .filter((m) => m.metadata.labels?.[PART_OF] === id && kinds.has(groupKind(m)))
    .filter((m) => CLUSTER_SCOPED.has(m.kind) || namespaces.has(String(m.metadata.namespace)))
    .filter((m) => !keep.has(key(m)))
    .map(key)
    .sort();
}

describe.each(ENVIRONMENTS.map((e) => e.name))('the ApplySet of dist/%s, by the specification', (env) => {
  const [parent, ...extra] = read(env, 'applyset');
  const members = [...read(env, 'platform'), ...read(env, 'apps')];
  const kept = read(env, 'kept');
  const id = specId(parent.manifest.metadata.name, String(parent.manifest.metadata.namespace), 'ConfigMap', '');

  it('has one parent, a ConfigMap with the ID computed from its own name, namespace, kind and group, kept by kubectl', () => {
    expect(extra).toEqual([]);
    expect([parent.manifest.apiVersion, parent.manifest.kind, parent.manifest.metadata.name]).toEqual(['v1', 'ConfigMap', `homelab-${env}`]);
    expect(parent.manifest.metadata.labels?.[ID]).toBe(id);
    expect(id).toMatch(/^applyset-[A-Za-z0-9_-]{43}-v1$/);
    // kubectl manages only the sets whose tooling it wrote: its name, then a version.
    expect(String(parent.manifest.metadata.annotations?.[TOOLING])).toMatch(/^kubectl\/v\d+\.\d+/);
  });

  it('labels every object of platform/ and apps/ as a member when kubectl applies them (none is labelled before: kubectl would refuse it), and the parent already records what kubectl would write', () => {
    expect(members.length).toBeGreaterThan(50);
    const labelled = labelMembers(members, id);
    expect(labelled.every((m) => m.metadata.labels?.[PART_OF] === id)).toBe(true);
    const sorted = (xs: Iterable<string>) => [...new Set(xs)].sort().join(',');
    const namespaces = sorted(
      members.map((p) => p.manifest.metadata.namespace).filter((n): n is string => n !== undefined && n !== parent.manifest.metadata.namespace),
    );
    expect(parent.manifest.metadata.annotations).toEqual({
      [CONTAINS]: sorted(members.map((p) => groupKind(p.manifest))),
      [NAMESPACES]: namespaces,
      [TOOLING]: parent.manifest.metadata.annotations?.[TOOLING],
    });
    // The data kept apart is never a member, so never pruned.
    expect(kept.length).toBeGreaterThan(5);
    expect(
      kept.filter((p) => PART_OF in (p.manifest.metadata.labels ?? {}) || (p.manifest.kind !== 'Namespace' && p.manifest.kind !== 'PersistentVolumeClaim')),
    ).toEqual([]);
  });

  it("prunes exactly the objects of a removed app, never another's, nor the data kept apart", () => {
    const live = [...labelMembers(members, id), ...kept.map((p) => p.manifest)];
    const without = (app: string) => members.filter((p) => !p.file.endsWith(`/${app}.k8s.yaml`));
    expect(
      pruned(
        live,
        parent.manifest,
        without('x').map((p) => p.manifest),
        id,
      ),
    ).toEqual([]);
    for (const app of ['vaultwarden', 'whoami', 'keel']) {
      const expected = members
        .filter((p) => p.file.endsWith(`/${app}.k8s.yaml`))
        .map((p) => `${groupKind(p.manifest)} ${p.manifest.metadata.namespace ?? ''}/${p.manifest.metadata.name}`)
        .sort();
      expect(expected.length, app).toBeGreaterThan(0);
      expect(
        pruned(
          live,
          parent.manifest,
          without(app).map((p) => p.manifest),
          id,
        ),
        app,
      ).toEqual(expected);
    }
    // whoami's data may go (pruneDataOf): its Namespace is a member, pruned with it; vaultwarden's is kept.
    expect(members.some((p) => p.manifest.kind === 'Namespace' && p.manifest.metadata.name === 'whoami')).toBe(true);
    expect(kept.some((p) => p.manifest.kind === 'PersistentVolumeClaim' && p.manifest.metadata.namespace === 'vaultwarden')).toBe(true);
  });
});
