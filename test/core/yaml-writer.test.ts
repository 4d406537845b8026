import * as fs from 'node:fs';
import * as path from 'node:path';
import { Yaml } from 'cdk8s';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { CDK8S_YAML_STYLE, SORTED_YAML_STYLE, tryWriteYaml, writeDocument } from '../../lib/core/yaml-writer';
import { PROJECT_ROOT } from '../helpers';

const SEED = 20261122;

/** What the writer must match, byte for byte: cdk8s's Yaml.stringify, and our Helm values style. */
const cdk8sYaml = (doc: unknown) => Yaml.stringify(doc);
const sortedYaml = (doc: unknown) => stringify(doc, { sortMapEntries: true, lineWidth: 0 });

/**
 * Pieces of strings YAML is touchy about: indicators, type look-alikes of
 * YAML 1.1 and 1.2, document markers, whitespace around line breaks, escapes.
 */
const TRICKY = [
  '',
  ' ',
  '  ',
  '\t',
  '\n',
  '\n\n',
  '\r',
  '\r\n',
  '#',
  ' #',
  '# ',
  ':',
  ': ',
  ' :',
  '-',
  '- ',
  '?',
  '? ',
  ',',
  '[',
  ']',
  '{',
  '}',
  '&',
  '*',
  '!',
  '|',
  '>',
  "'",
  '"',
  '%',
  '@',
  '`',
  '~',
  'null',
  'Null',
  'NULL',
  'true',
  'True',
  'false',
  'FALSE',
  'yes',
  'No',
  'on',
  'OFF',
  'y',
  'N',
  '0',
  '-1',
  '+1',
  '007',
  '0o17',
  '0x1F',
  '0b101',
  '1_000',
  '1.5',
  '.5',
  '5.',
  '1e3',
  'e5',
  '-.inf',
  '.NaN',
  '1:20',
  '1:20.5',
  '2026-11-22',
  '2026-11-22T10:00:00Z',
  '2026-1-2 3:04:05 +1',
  '<<',
  '---',
  '...',
  '--- x',
  '%YAML',
  '\u0000',
  '\u0007',
  '\u001b',
  '\u0085',
  '\u00a0',
  '\u2028',
  '\ud800',
  '\u00e9',
  '\u{1F600}',
  'a',
  'Host(`a.b`)',
  'x'.repeat(45),
  'key',
  'ghcr.io/a/b:1.2.3',
];

const trickyString = fc.oneof(
  { weight: 3, arbitrary: fc.array(fc.constantFrom(...TRICKY), { maxLength: 6 }).map((parts) => parts.join('')) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }) },
  { weight: 1, arbitrary: fc.constantFrom(...TRICKY) },
);
const scalar = fc.oneof(
  { weight: 6, arbitrary: trickyString },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 1, arbitrary: fc.double() },
  { weight: 1, arbitrary: fc.constantFrom(true, false, null, undefined, -0, 1e21, 0.1) },
);
const { json } = fc.letrec((tie) => ({
  json: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, tie('list'), tie('object')),
  list: fc.array(tie('json'), { maxLength: 4 }),
  object: fc.dictionary(fc.oneof(trickyString, fc.constantFrom('a', 'b', 'spec', '10')), tie('json'), { maxKeys: 5 }),
}));
const doc = fc.oneof(fc.dictionary(trickyString, json, { maxKeys: 6 }), fc.array(json, { maxLength: 5 }));

describe('yaml-writer', () => {
  it("writes what cdk8s's Yaml.stringify writes, for any JSON data", () => {
    fc.assert(
      fc.property(doc, (d) => {
        expect(tryWriteYaml(d, CDK8S_YAML_STYLE)).toBe(cdk8sYaml(d));
      }),
      { seed: SEED, numRuns: 3000 },
    );
  });

  it('writes what yaml writes with sorted keys (Helm values), for any JSON data', () => {
    fc.assert(
      fc.property(doc, (d) => {
        expect(tryWriteYaml(d, SORTED_YAML_STYLE)).toBe(sortedYaml(d));
      }),
      { seed: SEED, numRuns: 3000 },
    );
  });

  it('says what a document it wrote reads back as, exactly what yaml parses', () => {
    let known = 0;
    for (const [style, version] of [
      [SORTED_YAML_STYLE, '1.2'],
      [CDK8S_YAML_STYLE, '1.1'],
    ] as const) {
      fc.assert(
        fc.property(fc.dictionary(trickyString, json, { minKeys: 1, maxKeys: 6 }), (d) => {
          const written = writeDocument(d, style);
          expect(written?.text).toBe(tryWriteYaml(d, style));
          if (written?.readsBackAs !== undefined) {
            expect(written.readsBackAs).toStrictEqual(parse(written.text, { version }));
            known++;
          }
        }),
        { seed: SEED, numRuns: 1000 },
      );
    }
    expect(known).toBeGreaterThan(1000); // most documents, not a lucky few
    // A string whose first line is only whitespace does not read back as written: it must be parsed.
    expect(writeDocument({ a: '  \nb' }, SORTED_YAML_STYLE)?.readsBackAs).toBeUndefined();
    // Helm values as apps write them, config files included, read back without a parser.
    const values = { config: 'server:\n  port: 8080\n\nlog: info\n', replicas: 2, env: [{ name: 'TZ', value: 'Europe/Paris' }] };
    expect(writeDocument(values, SORTED_YAML_STYLE)?.readsBackAs).toStrictEqual(values);
  });

  it('writes every document of the example cluster as cdk8s does', () => {
    const dist = path.join(PROJECT_ROOT, 'dist');
    const files = fs.readdirSync(dist, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.yaml'));
    expect(files.length).toBeGreaterThan(10);
    let docs = 0;
    for (const file of files) {
      for (const d of parseAllDocuments(fs.readFileSync(path.join(dist, file), 'utf8'), { version: '1.1' })) {
        const value: unknown = d.toJS();
        expect(tryWriteYaml(value, CDK8S_YAML_STYLE)).toBe(cdk8sYaml(value));
        docs++;
      }
    }
    expect(docs).toBeGreaterThan(100);
  });

  it('covers the corner cases it was written for', () => {
    const cases: Record<string, unknown> = {
      multiline: 'line one\nline two\n',
      keep: 'a\n\n',
      strip: 'a\nb',
      leadingSpace: '  indented\nnext\n',
      trailingSpaceLine: 'a\n  ',
      yes: 'yes',
      octal: '0755',
      colon: 'a: b',
      longWithBreak: `${'x'.repeat(30)} \n y${'z'.repeat(30)}\u0007`,
      emptyMap: {},
      emptyList: [],
      nested: [[1, [2]], { a: [] }],
      [`${'k'.repeat(1100)}`]: { long: 'key' },
      '10': 'numeric key',
    };
    expect(tryWriteYaml(cases, CDK8S_YAML_STYLE)).toBe(cdk8sYaml(cases));
    expect(tryWriteYaml(cases, SORTED_YAML_STYLE)).toBe(sortedYaml(cases));
  });

  it('leaves anything beyond JSON data to the yaml library', () => {
    class Box {
      constructor(public readonly v: number) {}
    }
    for (const value of [new Date(0), new Map([['a', 1]]), new Set([1]), new Box(1), { toJSON: () => 'x' }, 10n, Symbol('s'), () => 1]) {
      expect(tryWriteYaml({ a: [value] }, CDK8S_YAML_STYLE)).toBeUndefined();
    }
    expect(tryWriteYaml('a top-level string', CDK8S_YAML_STYLE)).toBeUndefined();
    expect(tryWriteYaml(Object.assign(Object.create(null) as object, { a: 1 }), CDK8S_YAML_STYLE)).toBe('a: 1\n');
  });
});
