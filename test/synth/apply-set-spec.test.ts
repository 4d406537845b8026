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
 * --applyset=applysets.cdk8s-homelab.io/<parent>` would label, record and prune, run after run, on its own
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

/** The record kubectl keeps on the live parent: the kinds and namespaces it last applied. */
interface Record_ {
  readonly kinds: ReadonlySet<string>;
  readonly namespaces: ReadonlySet<string>;
}

/** The record of a parent object: what its annotations say (a cluster-scoped parent adds no namespace of its own). */
function recordOf(parent: Manifest): Record_ {
  const list = (key: string) =>
    String(parent.metadata.annotations?.[key] ?? '')
      .split(',')
      .filter(Boolean);
  return { kinds: new Set(list(CONTAINS)), namespaces: new Set(list(NAMESPACES)) };
}

/**
 * One `kubectl apply --prune --applyset` run over a live cluster: refuses
 * input already labelled as a member, labels the input, prunes the members
 * of the kinds and namespaces of the live parent's record that the input no
 * longer holds, and leaves the record of what it applied.
 */
function kubectlRun(live: readonly Manifest[], record: Record_, input: readonly Parsed[], id: string): { live: Manifest[]; pruned: string[]; record: Record_ } {
  const applied = input.map(({ file, manifest }) => {
    const labels = manifest.metadata.labels ?? {};
    if (PART_OF in labels) {
      throw new Error(`${file}: ApplySet label "${PART_OF}" already set in input data`);
    }
    return { ...manifest, metadata: { ...manifest.metadata, labels: { ...labels, [PART_OF]: id } } };
  });
  const key = (m: Manifest) => `${groupKind(m)} ${m.metadata.namespace ?? ''}/${m.metadata.name}`;
  const keep = new Set(applied.map(key));
  const kinds = new Set([...record.kinds, ...applied.map(groupKind)]);
  const namespaces = new Set([...record.namespaces, ...applied.map((m) => m.metadata.namespace).filter((n): n is string => n !== undefined)]);
  const prunable = (m: Manifest) =>
    m.metadata.labels?.[PART_OF] === id && kinds.has(groupKind(m)) && (m.metadata.namespace === undefined || namespaces.has(m.metadata.namespace));
  const pruned = live.filter((m) => prunable(m) && !keep.has(key(m)));
  const rest = live.filter((m) => !keep.has(key(m)) && !pruned.includes(m));
  return {
    live: [...rest, ...applied],
    pruned: pruned.map(key).sort(),
    record: {
      kinds: new Set(applied.map(groupKind)),
      namespaces: new Set(applied.map((m) => m.metadata.namespace).filter((n): n is string => n !== undefined)),
    },
  };
}

const keyOf = (p: Parsed) => `${groupKind(p.manifest)} ${p.manifest.metadata.namespace ?? ''}/${p.manifest.metadata.name}`;

describe.each(ENVIRONMENTS.map((e) => e.name))('the ApplySet of dist/%s, by the specification', (env) => {
  const applySet = read(env, 'applyset');
  const crd = applySet.find((p) => p.manifest.kind === 'CustomResourceDefinition')?.manifest as Manifest & {
    spec: { group: string; scope: string; names: { kind: string; plural: string } };
  };
  const [parent, ...extra] = applySet.filter((p) => p.manifest.kind !== 'CustomResourceDefinition');
  const members = [...read(env, 'platform'), ...read(env, 'apps')];
  const kept = read(env, 'kept');
  const [group] = parent.manifest.apiVersion.split('/');
  // Cluster-scoped: an empty namespace in the ID.
  const id = specId(parent.manifest.metadata.name, '', parent.manifest.kind, group);

  it("has one parent, cluster-scoped (kubectl takes a namespaced parent's namespace from -n only, which refuses the set's other namespaces), of a CRD kubectl accepts as a parent type", () => {
    expect(extra).toEqual([]);
    expect(parent.manifest.metadata.name).toBe(`homelab-${env}`);
    expect(parent.manifest.metadata.namespace).toBeUndefined();
    expect(crd.spec.scope).toBe('Cluster');
    expect(`${crd.spec.group}/${crd.spec.names.kind}`).toBe(`${group}/${parent.manifest.kind}`);
    expect(crd.metadata.labels?.['applyset.kubernetes.io/is-parent-type']).toBeDefined();
    expect(crd.metadata.name).toBe(`${crd.spec.names.plural}.${crd.spec.group}`);
    expect(parent.manifest.metadata.labels?.[ID]).toBe(id);
    expect(id).toMatch(/^applyset-[A-Za-z0-9_-]{43}-v1$/);
    // kubectl manages only the sets whose tooling is its own (name, then a version), and needs the kinds' record, empty at first.
    expect(String(parent.manifest.metadata.annotations?.[TOOLING])).toMatch(/^kubectl\/v\d+\.\d+/);
    expect(parent.manifest.metadata.annotations?.[CONTAINS]).toBe('');
    // Nothing of the members is in it, so applying it again never rewrites kubectl's live record.
    expect(parent.manifest.metadata.annotations?.[NAMESPACES]).toBeUndefined();
  });

  it('labels every object of platform/ and apps/ as a member when kubectl applies them (none is labelled before: kubectl would refuse it); kept/ is never a member', () => {
    expect(members.length).toBeGreaterThan(50);
    const first = kubectlRun([], recordOf(parent.manifest), members, id);
    expect(first.pruned).toEqual([]);
    expect(first.live.every((m) => m.metadata.labels?.[PART_OF] === id)).toBe(true);
    expect([...first.record.namespaces]).toEqual(expect.arrayContaining(['kube-system', 'flux-system', 'gazette']));
    expect(kept.length).toBeGreaterThan(5);
    expect(
      kept.filter((p) => PART_OF in (p.manifest.metadata.labels ?? {}) || (p.manifest.kind !== 'Namespace' && p.manifest.kind !== 'PersistentVolumeClaim')),
    ).toEqual([]);
  });

  it("prunes exactly the objects of a removed app on the next run, never another's, nor the data kept apart", () => {
    const first = kubectlRun(
      kept.map((p) => p.manifest),
      recordOf(parent.manifest),
      members,
      id,
    );
    expect(kubectlRun(first.live, first.record, members, id).pruned).toEqual([]);
    for (const app of ['vaultwarden', 'whoami', 'keel']) {
      const removed = members.filter((p) => p.file.endsWith(`/${app}.k8s.yaml`));
      expect(removed.length, app).toBeGreaterThan(0);
      const next = kubectlRun(
        first.live,
        first.record,
        members.filter((p) => !removed.includes(p)),
        id,
      );
      expect(next.pruned, app).toEqual(removed.map(keyOf).sort());
      // The data kept apart stays in the cluster.
      expect(next.live.filter((m) => kept.some((k) => k.manifest === m)).length).toBe(kept.length);
    }
    // whoami's data may go (pruneDataOf): its Namespace is a member, pruned with it; vaultwarden's stays in kept/.
    expect(members.some((p) => p.manifest.kind === 'Namespace' && p.manifest.metadata.name === 'whoami')).toBe(true);
    expect(kept.some((p) => p.manifest.kind === 'PersistentVolumeClaim' && p.manifest.metadata.namespace === 'vaultwarden')).toBe(true);
  });
});
