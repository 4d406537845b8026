import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  certNameCovers,
  isDns1035Label,
  isDnsLabel,
  isDnsSubdomain,
  isHostname,
  isLabelKey,
  isLabelValue,
  isQuantity,
  parseImage,
  quantityValue,
} from '../../lib/core/value-rules';

describe('value checks', () => {
  it('parses image references like container runtimes do', () => {
    expect(parseImage('ghcr.io/julesfrn/gazette:1.4.2')).toEqual({ registry: 'ghcr.io', repository: 'julesfrn/gazette', tag: '1.4.2', digest: undefined });
    expect(parseImage('nginx')).toEqual({ registry: undefined, repository: 'nginx', tag: undefined, digest: undefined });
    expect(parseImage('localhost:5000/app:dev')).toMatchObject({ registry: 'localhost:5000', repository: 'app', tag: 'dev' });
    expect(parseImage(`traefik/whoami@sha256:${'a'.repeat(64)}`)).toMatchObject({ repository: 'traefik/whoami', digest: `sha256:${'a'.repeat(64)}` });
    for (const bad of ['', 'UPPER/case:1', 'app:', 'app::1', 'a//b:1', 'app:-bad', 'app@sha256:xyz', 'my app:1']) {
      expect(parseImage(bad), bad).toBeUndefined();
    }
  });

  it('accepts DNS names Traefik and ACME can serve, and nothing else', () => {
    for (const ok of ['julesfournier.fr', 'gazette.julesfournier.fr', 'a-b.c-d.example', 'x1.io']) {
      expect(isHostname(ok), ok).toBe(true);
    }
    for (const bad of [
      'gazette..fr',
      'localhost',
      '-a.example.com',
      'a-.example.com',
      'A.example.com',
      '*.example.com',
      '10.0.0.1',
      `${'a'.repeat(64)}.com`,
      'a_b.com',
      '',
    ]) {
      expect(isHostname(bad), bad).toBe(false);
    }
  });

  it('knows DNS labels, label keys and values', () => {
    expect(isDnsLabel('9lives')).toBe(true);
    expect(isDns1035Label('9lives')).toBe(false);
    expect(isDnsLabel('a'.repeat(64))).toBe(false);
    expect(isLabelKey('app.kubernetes.io/name')).toBe(true);
    expect(isLabelKey('bad prefix/name')).toBe(false);
    expect(isLabelValue('')).toBe(true);
    expect(isLabelValue('1.4.2')).toBe(true);
    expect(isLabelValue('-x')).toBe(false);
  });

  it('knows DNS subdomains: dot-separated DNS labels, 253 characters at most', () => {
    const byDefinition = (v: string) => v.length > 0 && v.length <= 253 && v.split('.').every(isDnsLabel);
    const label = fc.oneof(fc.stringMatching(/^[a-z0-9-]{0,5}$/), fc.constantFrom('a'.repeat(63), 'b'.repeat(64), '-a', 'a-', 'A', ''));
    const name = fc.array(label, { minLength: 1, maxLength: 6 }).map((ls) => ls.join('.'));
    fc.assert(
      fc.property(fc.oneof(name, fc.string({ maxLength: 8 })), (v) => {
        expect(isDnsSubdomain(v), JSON.stringify(v)).toBe(byDefinition(v));
      }),
      { seed: 20261122, numRuns: 5000 },
    );
    expect(isDnsSubdomain(Array(4).fill('a'.repeat(63)).join('.'))).toBe(false); // 255 characters
    expect(isDnsSubdomain(`${'a'.repeat(63)}.${'b'.repeat(63)}`)).toBe(true);
  });

  it('reads quantities', () => {
    expect(quantityValue('64Mi')).toBe(64 * 2 ** 20);
    expect(quantityValue('100m')).toBeCloseTo(0.1);
    expect(quantityValue('1e3')).toBe(1000);
    expect(quantityValue('1.5')).toBe(1.5);
    expect(isQuantity('10 GB')).toBe(false);
    expect(isQuantity('10GB')).toBe(false);
    expect(quantityValue('abc')).toBeUndefined();
  });

  it('matches certificate names with one-level wildcards', () => {
    expect(certNameCovers('julesfournier.fr', 'julesfournier.fr')).toBe(true);
    expect(certNameCovers('*.julesfournier.fr', 'gazette.julesfournier.fr')).toBe(true);
    expect(certNameCovers('*.julesfournier.fr', 'julesfournier.fr')).toBe(false);
    expect(certNameCovers('*.julesfournier.fr', 'a.b.julesfournier.fr')).toBe(false);
  });
});
