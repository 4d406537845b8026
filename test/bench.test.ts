import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { benchApp, plainDocuments } from '../bench/workload';
import { AppStack, HomelabApp, renderYaml } from '../lib';
import { CDK8S_YAML_STYLE, tryWriteYaml } from '../lib/yaml-writer';

describe('the benchmark', () => {
  it('serializes for its lower bound exactly the documents AppStack emits', () => {
    for (const i of [0, 7, 123]) {
      const a = benchApp(i);
      const app = new HomelabApp({ outdir: '/nonexistent' });
      new AppStack(app, a.id, { image: a.image, host: a.host, port: a.port });
      const lowerBound = plainDocuments(a).map((d) => stringify(d, { keepUndefined: true, lineWidth: 0, version: '1.1' })).join('---\n');
      expect(lowerBound).toBe(renderYaml(app.synthFiles()[0]));
      // Its second form, written with our writer, is the same text.
      expect(plainDocuments(a).map((d) => tryWriteYaml(d, CDK8S_YAML_STYLE)).join('---\n')).toBe(lowerBound);
    }
  });
});
