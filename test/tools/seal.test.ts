import { spawnSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Chart } from 'cdk8s';
import forge from 'node-forge';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { HomelabApp, type Manifest, SealedSecret, type SealingScope, sealSecret } from '../../lib';
import { looksSealed } from '../../lib/core/sealing';
import { at, untyped } from '../helpers';

const ROOT = path.resolve(import.meta.dirname, '../..');
const CLI = path.join(ROOT, 'build', 'bin', 'cdk8s-homelab.js');
const DAY = 24 * 3600 * 1000;

/** A key pair made for this run (never committed), and a self-signed certificate of its public key, valid from `from` to `to`. */
function controllerKey(from = new Date(Date.now() - DAY), to = new Date(Date.now() + 30 * DAY)): { privateKey: crypto.KeyObject; cert: string } {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
  cert.serialNumber = '01';
  cert.validity.notBefore = from;
  cert.validity.notAfter = to;
  const subject = [{ name: 'commonName', value: 'sealed-secret' }];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.sign(forge.pki.privateKeyFromPem(privateKey.export({ type: 'pkcs1', format: 'pem' }).toString()), forge.md.sha256.create());
  return { privateKey, cert: forge.pki.certificateToPem(cert) };
}

/**
 * Unseals a value the way the sealed-secrets controller does, written here
 * from its scheme and not from our sealing code: a 2-byte length, the RSA-OAEP
 * (SHA-256, the scope's label) sealed session key, then AES-256-GCM with a zero nonce.
 */
function unseal(privateKey: crypto.KeyObject, sealed: string, label: string): string {
  const bytes = Buffer.from(sealed, 'base64');
  const keyLength = bytes.readUInt16BE(0);
  const sessionKey = crypto.privateDecrypt(
    { key: privateKey, padding: crypto.constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256', oaepLabel: Buffer.from(label) },
    bytes.subarray(2, 2 + keyLength),
  );
  const body = bytes.subarray(2 + keyLength);
  const decipher = crypto.createDecipheriv('aes-256-gcm', sessionKey, Buffer.alloc(12));
  decipher.setAuthTag(body.subarray(body.length - 16));
  return Buffer.concat([decipher.update(body.subarray(0, body.length - 16)), decipher.final()]).toString();
}

function seal(cwd: string, args: string[], input?: string) {
  return spawnSync(process.execPath, [CLI, 'seal', ...args], { cwd, input, encoding: 'utf8' });
}

let key: ReturnType<typeof controllerKey>;
let work: string;

beforeAll(() => {
  key = controllerKey();
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'seal-'));
  fs.writeFileSync(path.join(work, 'cert.pem'), key.cert);
});

describe('sealSecret: the sealed-secrets hybrid scheme, in each scope', () => {
  const LABELS: Record<SealingScope, string> = { strict: 'blog/blog-db', 'namespace-wide': 'blog', 'cluster-wide': '' };

  for (const scope of ['strict', 'namespace-wide', 'cluster-wide'] as const) {
    it(`${scope}: every value unseals to exactly what was given, only under the scope's label`, () => {
      const values = { password: 'p@ss wörd\n', 'user.name': 'blog' };
      const result = sealSecret({
        cert: key.cert,
        certSource: 'cert.pem',
        namespace: 'blog',
        name: 'blog-db',
        scope,
        values: Object.entries(values).map(([k, v]) => ({ key: k, value: Buffer.from(v), source: k })),
      });
      if ('problems' in result) {
        throw new Error(JSON.stringify(result.problems));
      }
      const data = at(result.manifest, 'spec', 'encryptedData') as Record<string, string>;
      expect(Object.keys(data)).toEqual(['password', 'user.name']);
      for (const [k, v] of Object.entries(values)) {
        expect(unseal(key.privateKey, data[k], LABELS[scope])).toBe(v);
        expect(data[k]).not.toContain(Buffer.from(v).toString('base64'));
      }
      expect(() => unseal(key.privateKey, data.password, 'blog/other')).toThrow();
      const annotations = scope === 'strict' ? undefined : { [`sealedsecrets.bitnami.com/${scope}`]: 'true' };
      expect(result.manifest.metadata).toEqual({ name: 'blog-db', namespace: 'blog', ...(annotations ? { annotations } : {}) });
      expect(at(result.manifest, 'spec', 'template')).toEqual({ metadata: result.manifest.metadata, type: 'Opaque' });
    });
  }

  it('refuses a key that is not RSA, an expired certificate, text that is no certificate, bad keys and empty values, all at once', () => {
    const ec = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const base = { certSource: 'cert.pem', namespace: 'blog', name: 'blog-db', values: [{ key: 'a', value: Buffer.from('x'), source: 'a' }] };
    const problems = (request: object) => {
      const result = sealSecret({ ...base, cert: key.cert, ...request });
      return 'problems' in result ? result.problems.map((p) => `${p.field} ${p.message}${p.fix ? `; ${p.fix}` : ''}`) : [];
    };
    expect(problems({ cert: ec })).toEqual([
      "--cert cert.pem holds a ec key, and the sealed-secrets controller seals with RSA; give the sealed-secrets controller's own certificate",
    ]);
    expect(problems({ cert: controllerKey(new Date(Date.now() - 60 * DAY), new Date(Date.now() - 30 * DAY)).cert })[0]).toMatch(
      /^--cert cert\.pem expired on \d{4}-\d\d-\d\d; the controller renews its key every 30 days: fetch the current certificate with kubeseal --fetch-cert and re-seal$/,
    );
    expect(problems({ cert: 'hello' })).toEqual([
      '--cert cert.pem is not a PEM certificate; give the controller\'s certificate, as kubeseal --fetch-cert writes it ("-----BEGIN CERTIFICATE-----")',
    ]);
    expect(
      problems({
        name: 'Blog_DB',
        values: [
          { key: 'bad key', value: Buffer.from('x'), source: 'bad key=(value)' },
          { key: 'empty', value: Buffer.alloc(0), source: '--from-file empty=e.txt' },
        ],
      }),
    ).toEqual([
      '--name "Blog_DB" is not a valid Secret name; use lowercase letters, digits, "-" and "."',
      'bad key=(value) "bad key" is not a valid Secret key; use letters, digits, "-", "_" and "."',
      '--from-file empty=e.txt the value of empty is empty; give the value, or leave the key out',
    ]);
  });
});

describe('cdk8s-homelab seal, and the SealedSecret that takes its file', () => {
  it('seals values from files, an env file, standard input and the command line into one file, which synth puts in dist/ as ciphertext only', () => {
    fs.writeFileSync(path.join(work, 'dockerconfig.json'), '{"auths":{}}');
    fs.writeFileSync(path.join(work, 'db.env'), '# the database\nDB_USER=gazette\n\nDB_NAME=gazette\n');
    const run = seal(
      work,
      [
        '--cert',
        'cert.pem',
        '--namespace',
        'gazette',
        '--name',
        'gazette-db',
        '--label',
        'app=gazette',
        '--from-file',
        'config.json=dockerconfig.json',
        '--from-env-file',
        'db.env',
        '--from-stdin',
        'DB_PASSWORD',
        'API_KEY=k3y',
      ],
      'hunter2\n',
    );
    expect(run.stderr).toContain('values given on the command line stay in your shell history');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('sealed config.json, DB_USER, DB_NAME, DB_PASSWORD, API_KEY into secrets/gazette/gazette-db.yaml (scope strict)');
    const file = path.join(work, 'secrets/gazette/gazette-db.yaml');
    const written = parse(fs.readFileSync(file, 'utf8')) as Manifest;
    const data = at(written, 'spec', 'encryptedData') as Record<string, string>;
    const plain = { 'config.json': '{"auths":{}}', DB_USER: 'gazette', DB_NAME: 'gazette', DB_PASSWORD: 'hunter2', API_KEY: 'k3y' };
    for (const [k, v] of Object.entries(plain)) {
      expect(unseal(key.privateKey, data[k], 'gazette/gazette-db')).toBe(v);
    }

    // Re-sealing one key keeps the others.
    expect(seal(work, ['--cert', 'cert.pem', '--namespace', 'gazette', '--name', 'gazette-db', '--from-stdin', 'API_KEY'], 'n3w').status).toBe(0);
    const again = at(parse(fs.readFileSync(file, 'utf8')), 'spec', 'encryptedData') as Record<string, string>;
    expect(again.DB_PASSWORD).toBe(data.DB_PASSWORD);
    expect(unseal(key.privateKey, again.API_KEY, 'gazette/gazette-db')).toBe('n3w');

    const cwd = process.cwd();
    process.chdir(work);
    try {
      const app = new HomelabApp({ outdir: path.join(work, 'dist') });
      new SealedSecret(new Chart(app, 'gazette'), 'Db', { name: 'gazette-db', namespace: 'gazette', file: 'secrets/gazette/gazette-db.yaml' });
      app.synth();
    } finally {
      process.chdir(cwd);
    }
    const yaml = fs.readFileSync(path.join(work, 'dist/gazette.k8s.yaml'), 'utf8');
    const sealed = parse(yaml) as Manifest;
    expect(at(sealed, 'spec', 'template')).toEqual({ metadata: { name: 'gazette-db', namespace: 'gazette', labels: { app: 'gazette' } }, type: 'Opaque' });
    expect(unseal(key.privateKey, at(sealed, 'spec', 'encryptedData', 'DB_PASSWORD') as string, 'gazette/gazette-db')).toBe('hunter2');
    // No value in clear: not as a word of its own (inside a run of ciphertext, a short one like "n3w" turns up by chance).
    for (const v of ['hunter2', 'n3w', Buffer.from('hunter2').toString('base64')]) {
      expect(yaml).not.toMatch(new RegExp(`(^|[^A-Za-z0-9+/])${v.replace(/[+/=]/g, '\\$&')}($|[^A-Za-z0-9+/=])`, 'm'));
    }
  });

  it('writes nothing on a problem, and says every one', () => {
    const run = seal(work, ['--cert', 'missing.pem', '--namespace', 'x', '--name', 'y', 'A=b']);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/cannot seal x\/y: ENOENT[^\n]*missing\.pem[\s\S]*nothing was written/);
    const bad = seal(work, ['--cert', 'cert.pem', '--namespace', 'Bad_NS', '--name', 'y', '--from-stdin', 'empty'], '');
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('Bad_NS/y: --namespace "Bad_NS" is not a valid namespace name');
    expect(bad.stderr).toContain('Bad_NS/y: --from-stdin empty the value of empty is empty; give the value, or leave the key out');
    expect(bad.stderr).toContain('2 problem(s): nothing was written');
    expect(fs.existsSync(path.join(work, 'secrets/Bad_NS'))).toBe(false);
    const other = seal(work, ['--cert', 'cert.pem', '--namespace', 'gazette', '--name', 'other', '--out', 'secrets/gazette/gazette-db.yaml', 'A=b']);
    expect(other.stderr).toContain('--out holds SealedSecret gazette/gazette-db (scope strict), not gazette/other (scope strict): its keys cannot be kept');
    expect(seal(work, ['--namespace', 'x']).status).toBe(2);
  });

  it('a SealedSecret fails on a file sealed for another Secret, on plain values, and on no value', () => {
    const cwd = process.cwd();
    process.chdir(work);
    try {
      const build = (props: object) => () => {
        const app = new HomelabApp({ outdir: path.join(work, 'dist2'), failFast: true });
        new SealedSecret(new Chart(app, 'gazette'), 'Db', untyped({ name: 'gazette-db', namespace: 'gazette', ...props }));
      };
      expect(build({ name: 'gazette-api', file: 'secrets/gazette/gazette-db.yaml' })).toThrow(
        /props\.file "secrets\/gazette\/gazette-db\.yaml" is sealed for Secret gazette\/gazette-db \(scope strict\), and the controller would refuse to unseal it as gazette\/gazette-api; seal it for this Secret: cdk8s-homelab seal --namespace gazette --name gazette-api/,
      );
      expect(build({ encryptedData: { password: 'hunter2' } })).toThrow(
        /props\.encryptedData\.password "\(hidden\)" is not a sealed value[^;]*; seal it with cdk8s-homelab seal; never write a plain value here/,
      );
      expect(build({ encryptedData: {} })).toThrow(/props\.encryptedData \{\} holds no sealed value/);
      expect(build({ file: 'secrets/none.yaml' })).toThrow(/props\.file "secrets\/none\.yaml" cannot be read: ENOENT/);
    } finally {
      process.chdir(cwd);
    }
  });
});

describe('cdk8s-homelab validate and Secrets made by hand', () => {
  it('fails on a Secret nothing provides in hand-written YAML, unless --hand-made-secret names it', () => {
    const file = path.join(work, 'pod.yaml');
    fs.writeFileSync(
      file,
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: tools\nspec:\n  imagePullSecrets: [{ name: regcred }]\n  containers: [{ name: c, image: "nginx:1.27.0" }]\n',
    );
    const run = (...args: string[]) => spawnSync(process.execPath, [CLI, 'validate', ...args, file], { encoding: 'utf8' });
    expect(run().stderr).toContain('Pod/p spec.imagePullSecrets[0].name "regcred" is a Secret that nothing provides in namespace tools');
    expect(run('--hand-made-secret', 'tools/regcred').stderr).not.toContain('regcred');
    const bad = run('--hand-made-secret', 'regcred');
    expect([bad.status, bad.stderr.split('\n')[0]]).toEqual([2, '--hand-made-secret takes namespace/name, got "regcred"']);
  });
});

describe('the repository', () => {
  it('holds no private key, and dist/ no Secret value: only sealed ciphertext and references', () => {
    const tracked = spawnSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8' }).stdout.split('\0').filter(Boolean);
    expect(tracked.length).toBeGreaterThan(100);
    // A PEM private key block: its header, then base64 lines (upstream CRD docs name the header alone).
    const pem = new RegExp(`-----BEGIN [A-Z ]*${'PRIVATE'} KEY-----\\r?\\n[A-Za-z0-9+/=\\r\\n]{64,}`);
    const withKeys = tracked.filter((f) => fs.existsSync(path.join(ROOT, f)) && pem.test(fs.readFileSync(path.join(ROOT, f), 'latin1')));
    expect(withKeys).toEqual([]);
    const dist = tracked.filter((f) => f.startsWith('dist/') && f.endsWith('.yaml'));
    const sealedSecrets = dist
      .flatMap((f) => parseAllDocuments(fs.readFileSync(path.join(ROOT, f), 'utf8')).map((d) => d.toJS() as Manifest))
      .filter((m) => m?.kind === 'SealedSecret');
    expect(sealedSecrets.length).toBeGreaterThanOrEqual(8);
    for (const m of sealedSecrets) {
      for (const value of Object.values(at(m, 'spec', 'encryptedData') as Record<string, string>)) {
        expect(looksSealed(value), `${m.metadata.namespace}/${m.metadata.name}`).toBe(true);
      }
    }
  });
});
