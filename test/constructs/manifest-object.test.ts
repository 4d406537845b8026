import { ApiObject, Chart, JsonPatch, Lazy } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { addApps, CLUSTER, ENVIRONMENTS } from '../../apps';
import { HelmChartRelease, HomelabError, ManifestObject } from '../../lib';
import { newApp } from '../helpers';

describe('ManifestObject', () => {
  it('renders every object of the example cluster exactly as cdk8s would, key order included', () => {
    const app = newApp(CLUSTER);
    addApps(app, ENVIRONMENTS[1]);
    const objects = app.node.findAll().filter((c): c is ManifestObject => c instanceof ManifestObject);
    expect(objects.length).toBe(141);
    for (const o of objects) {
      expect(JSON.stringify(o.toJson())).toBe(JSON.stringify(ApiObject.prototype.toJson.call(o)));
    }
  });

  it("names the construct and the fix when no Chart holds it, instead of cdk8s's bare error", () => {
    const chart = () =>
      new HelmChartRelease(newApp(), 'keel', { name: 'keel', repo: 'https://charts.keel.sh', chart: 'keel', version: '1.0.5', targetNamespace: 'keel' });
    expect(chart).toThrow(HomelabError);
    expect(chart).toThrow(
      /^keel: scope "keel" is not inside a Chart, .*; create it in a Chart of its own, e\.g\. new HelmChartRelease\(new Chart\(app, 'keel'\)/,
    );
  });

  it('keeps metadata changes made after construction', () => {
    const app = newApp();
    const o = new ManifestObject(new Chart(app, 'c'), 'O', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { b: '2', a: '1' } });
    o.metadata.addLabel('team', 'home');
    o.metadata.addAnnotation('note', 'kept');
    expect(o.toJson()).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'x', labels: { 'app.kubernetes.io/managed-by': 'cdk8s-homelab', team: 'home' }, annotations: { note: 'kept' } },
      data: { a: '1', b: '2' },
    });
    expect(Object.keys(o.toJson().data as object)).toEqual(['a', 'b']);
  });

  it('applies JSON patches the regular cdk8s way', () => {
    const app = newApp();
    const o = new ManifestObject(new Chart(app, 'c'), 'O', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { a: '1' } });
    o.addJsonPatch(JsonPatch.add('/data/b', '2'), JsonPatch.remove('/data/a'));
    expect(o.toJson()).toEqual({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'x', labels: { 'app.kubernetes.io/managed-by': 'cdk8s-homelab' } },
      data: { b: '2' },
    });
  });

  it('labels the object managed-by cdk8s-homelab, unless its metadata says otherwise', () => {
    const app = newApp();
    const chart = new Chart(app, 'c');
    const ours = new ManifestObject(chart, 'A', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } });
    const theirs = new ManifestObject(chart, 'B', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'b', labels: { 'app.kubernetes.io/managed-by': 'flux' } },
    });
    expect(ours.toJson().metadata).toEqual({ name: 'a', labels: { 'app.kubernetes.io/managed-by': 'cdk8s-homelab' } });
    expect(theirs.toJson().metadata).toEqual({ name: 'b', labels: { 'app.kubernetes.io/managed-by': 'flux' } });
  });

  it('drops undefined and null values, as cdk8s does', () => {
    const app = newApp();
    const o = new ManifestObject(new Chart(app, 'c'), 'O', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'x' },
      data: { a: undefined, b: null, c: '3' },
    });
    expect(o.toJson().data).toEqual({ c: '3' });
  });

  it('fails if the manifest holds something that is not plain JSON, such as a token', () => {
    const app = newApp();
    expect(
      () =>
        new ManifestObject(new Chart(app, 'c'), 'O', {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'x' },
          data: { a: Lazy.any({ produce: () => '1' }) },
        }),
    ).toThrow(/ConfigMap O: a manifest must hold plain JSON values, found a Lazy/);
  });
});
