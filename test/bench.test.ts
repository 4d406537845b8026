import { App } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { benchApp, constructTreeApp, plainDocuments, plainObjects } from '../bench/workload';
import { AppStack, formatProblem, HomelabApp, synthChecks } from '../lib';
import { CDK8S_YAML_STYLE, tryWriteYaml } from '../lib/core/yaml-writer';
import { renderYaml } from '../lib/synth/synthesizer';

describe('the benchmark', () => {
  it('serializes for its lower bound exactly the documents AppStack emits', () => {
    for (const i of [0, 7, 123]) {
      const a = benchApp(i);
      const app = new HomelabApp({ outdir: '/nonexistent' });
      new AppStack(app, a.id, { image: a.image, host: a.host, port: a.port });
      const lowerBound = plainDocuments(a)
        .map((d) => stringify(d, { keepUndefined: true, lineWidth: 0, version: '1.1' }))
        .join('---\n');
      expect(lowerBound).toBe(renderYaml(app.synthFiles()[0]));
      // Its second form, written with our writer, is the same text.
      expect(
        plainDocuments(a)
          .map((d) => tryWriteYaml(d, CDK8S_YAML_STYLE))
          .join('---\n'),
      ).toBe(lowerBound);
      // And so is the construct-tree floor, rendered the regular cdk8s way.
      const tree = constructTreeApp(new App({ outdir: '/nonexistent' }), a);
      expect(tree.map((o) => tryWriteYaml(o.toJson(), CDK8S_YAML_STYLE)).join('---\n')).toBe(lowerBound);
      expect(tree.map((o) => o.node.path)).toEqual(
        [
          'Namespace/Resource0',
          'NetworkPolicy/Resource1',
          'NetworkPolicy/Resource2',
          'Service/Resource3',
          'Deployment/Resource4',
          'HttpsRedirect/Resource5',
          'SecurityHeaders/Resource6',
          'Route/Resource7',
          'Route/Resource8',
        ].map((p) => `${a.id}/${p}`),
      );
    }
  });

  it('feeds its checks-without-a-tree variant documents that pass every check of a synth', () => {
    const all = [0, 1, 2].flatMap((i) => plainObjects(benchApp(i)));
    const found = synthChecks().flatMap((check) => check(all, { allowCrossNamespace: false, certResolvers: ['letsencrypt'] }));
    expect(found.map(formatProblem)).toEqual([]);
    // The same documents twice are a cluster with every object defined twice: the checks do run.
    expect(synthChecks().flatMap((check) => check([...all, ...all], { certResolvers: ['letsencrypt'] })).length).toBeGreaterThan(0);
  });
});
