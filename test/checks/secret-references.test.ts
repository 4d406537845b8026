import * as crypto from 'node:crypto';
import { ApiObject, App, Chart } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import {
  AppStack,
  type AppStackProps,
  declareHandMadeSecrets,
  ExternalSecret,
  HelmChartRelease,
  HomelabApp,
  type Manifest,
  SealedSecret,
  sealSecret,
  validateManifests,
} from '../../lib';
import { at, find, untyped } from '../helpers';

const TOOLS: AppStackProps = {
  image: 'ghcr.io/julesfrn/tools:2.0.0',
  host: 'tools.example.com',
  port: 8080,
  imagePullSecrets: ['regcred'],
  secretEnv: { API_KEY: { secret: 'tools-api', key: 'key' } },
};

/** A sealed value for `namespace/name`, from a key made for this run. */
function sealed(namespace: string, name: string): Record<string, string> {
  const cert = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const result = sealSecret({ cert, certSource: 'test', namespace, name, values: [{ key: 'k', value: Buffer.from('v'), source: 'k' }] });
  return 'manifest' in result ? (at(result.manifest, 'spec', 'encryptedData') as Record<string, string>) : {};
}

function synth(build: (app: HomelabApp) => void, handMadeSecrets?: string[]): { all: Manifest[]; warnings: string[] } {
  const app = new HomelabApp({ outdir: '/nonexistent', failFast: true, cluster: { certResolvers: ['letsencrypt'] }, handMadeSecrets });
  build(app);
  const all = app.synthFiles().flatMap((f) => f.objects.map((o) => o.manifest));
  return { all, warnings: app.warnings.map((w) => String(w.warning)) };
}

describe('secretReferences: every Secret an app uses is provided', () => {
  it('fails on each Secret that nothing provides, naming the app, the field, the Secret and the ways to provide it', () => {
    let message = '';
    try {
      synth((app) => new AppStack(app, 'tools', TOOLS));
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain(
      `tools: Deployment/tools spec.template.spec.imagePullSecrets[0].name "regcred" is a Secret that nothing provides in namespace tools; seal it (cdk8s-homelab seal --namespace tools --name regcred, then a SealedSecret), make it an ExternalSecret, or, if you create it by hand, declare it: HomelabApp handMadeSecrets: ['tools/regcred']`,
    );
    expect(message).toContain(
      'tools: Deployment/tools spec.template.spec.containers[0].env[0].valueFrom.secretKeyRef.name "tools-api" is a Secret that nothing provides',
    );
  });

  it('passes with a SealedSecret, an ExternalSecret and a Secret made by hand, each in the namespace of its use', () => {
    const { all, warnings } = synth(
      (app) => {
        const tools = new AppStack(app, 'tools', { ...TOOLS, envFromSecrets: ['tools-env'], volumes: [] });
        new SealedSecret(tools, 'Regcred', { name: 'regcred', namespace: 'tools', encryptedData: sealed('tools', 'regcred') });
        new ExternalSecret(tools, 'Api', {
          name: 'tools-api',
          namespace: 'tools',
          store: { name: 'vault' },
          data: { key: { key: 'tools/api', property: 'key' } },
        });
      },
      ['tools/tools-env'],
    );
    expect(warnings).toEqual(['HL-undeclared-secret-store']);
    // The objects that use a Secret made by hand say so, and the output validates on its own.
    expect(find(all, 'Deployment', 'tools').metadata.annotations).toEqual({ 'cdk8s-homelab/hand-made-secrets': 'tools-env' });
    const objects = all.map((manifest) => ({ app: 'tools', path: 'tools', manifest }));
    expect(validateManifests(objects).filter((p) => !p.warning)).toEqual([]);
  });

  it('says where a Secret is when it is in another namespace than its use', () => {
    expect(() =>
      synth((app) => {
        new AppStack(app, 'tools', { ...TOOLS, secretEnv: undefined });
        new SealedSecret(new Chart(app, 'shared'), 'Regcred', { name: 'regcred', namespace: 'shared', encryptedData: sealed('shared', 'regcred') });
      }),
    ).toThrow(
      /"regcred" is a Secret of namespace tools, and SealedSecret shared\/regcred makes it in namespace shared: a pod reads Secrets of its own namespace only/,
    );
  });

  it('takes optional references on trust, and Secrets a chart declares or cert-manager makes as provided', () => {
    expect(() =>
      synth((app) => {
        new AppStack(app, 'tools', { ...TOOLS, imagePullSecrets: undefined, secretEnv: { API_KEY: { secret: 'maybe', key: 'key', optional: true } } });
      }),
    ).not.toThrow();
    const chart = (providesSecrets?: string[]) => () =>
      synth((app) => {
        new HelmChartRelease(new Chart(app, 'db'), 'Chart', {
          name: 'db',
          repo: 'https://charts.example.com',
          chart: 'db',
          version: '1.0.0',
          values: { auth: { existingSecret: 'db-auth' }, env: [{ name: 'X', valueFrom: { secretKeyRef: { name: 'db-env', key: 'x' } } }] },
          providesSecrets,
        });
      });
    expect(chart()).toThrow(/HelmChart\/db spec\.valuesContent auth\.existingSecret "db-auth" is a Secret that nothing provides in namespace db/);
    expect(chart()).toThrow(/spec\.valuesContent env\[0\]\.valueFrom\.secretKeyRef\.name "db-env" is a Secret that nothing provides/);
    expect(chart(['db-auth', 'db/db-env'])).not.toThrow();
  });

  it('refuses a hand-made declaration that is not namespace/name', () => {
    expect(() => new HomelabApp({ handMadeSecrets: ['regcred'] })).toThrow(
      /props\.handMadeSecrets\[0\] "regcred" is not namespace\/name; write e\.g\. 'gazette\/regcred'/,
    );
  });

  it('checks a plain cdk8s App too, where declareHandMadeSecrets declares them', () => {
    const plain = () => {
      const app = new App({ outdir: '/nonexistent' });
      new AppStack(app, 'tools', { ...TOOLS, secretEnv: undefined });
      return app;
    };
    expect(() => plain().synth()).toThrow(/"regcred" is a Secret that nothing provides in namespace tools/);
    const app = plain();
    declareHandMadeSecrets(app, ['tools/regcred']);
    expect(() => app.synth()).not.toThrow();
  });
});

describe('ExternalSecret, and the stores it reads', () => {
  it('reads each key of the Secret from the store, schema-valid, never holding a value', () => {
    const { all } = synth((app) => {
      new ExternalSecret(new Chart(app, 'tools'), 'Db', {
        name: 'tools-db',
        namespace: 'tools',
        store: { name: 'bitwarden', kind: 'SecretStore' },
        data: { username: { key: 'tools-db', property: 'username' }, password: { key: 'tools-db', property: 'password' } },
        refreshInterval: '15m',
        type: 'kubernetes.io/basic-auth',
      });
    });
    expect(find(all, 'ExternalSecret', 'tools-db').spec).toEqual({
      refreshInterval: '15m',
      secretStoreRef: { name: 'bitwarden', kind: 'SecretStore' },
      target: { name: 'tools-db', creationPolicy: 'Owner', template: { type: 'kubernetes.io/basic-auth' } },
      data: [
        { secretKey: 'password', remoteRef: { key: 'tools-db', property: 'password' } },
        { secretKey: 'username', remoteRef: { key: 'tools-db', property: 'username' } },
      ],
    });
  });

  it('fails on a store the cluster does not define (when it defines some), and on bad props', () => {
    expect(() =>
      synth((app) => {
        const c = new Chart(app, 'tools');
        new ApiObject(c, 'Store', {
          apiVersion: 'external-secrets.io/v1',
          kind: 'ClusterSecretStore',
          metadata: { name: 'vault' },
          spec: { provider: { vault: { server: 'https://vault.example.com', auth: { kubernetes: { mountPath: 'kubernetes', role: 'eso' } } } } },
        });
        new ExternalSecret(c, 'Db', { name: 'tools-db', namespace: 'tools', store: { name: 'vualt' }, data: { password: 'tools/db' } });
      }),
    ).toThrow(/ExternalSecret\/tools-db spec\.secretStoreRef\.name "vualt" is not a ClusterSecretStore of the cluster; use one of: ClusterSecretStore\/vault/);
    expect(() =>
      synth(
        (app) =>
          new ExternalSecret(
            new Chart(app, 'tools'),
            'Db',
            untyped({ name: 'tools-db', namespace: 'tools', store: { name: 'vault' }, data: { 'bad key': '' }, refreshInterval: 'hourly' }),
          ),
      ),
    ).toThrow(
      /props\.data\.bad key "bad key" is not a valid Secret key[\s\S]*props\.data\.bad key "" names no key of the store[\s\S]*props\.refreshInterval "hourly" is not a duration/,
    );
  });
});
