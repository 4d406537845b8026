import { describe, expect, it } from 'vitest';
import { AppStack, type AppStackProps, formatProblem } from '../../lib';
import { at, container, find, newApp, podSpec } from '../helpers';

const BASE: AppStackProps = { image: 'ghcr.io/julesfrn/tools:2.0.0', host: 'tools.julesfournier.fr', port: 8080 };

function build(props: Partial<AppStackProps> = {}) {
  const app = newApp();
  const stack = new AppStack(app, 'tools', { ...BASE, ...props } as AppStackProps);
  const files = app.synthFiles();
  return { app, stack, all: files.flatMap((f) => f.objects.map((o) => o.manifest)) };
}

describe('AppStack security defaults', () => {
  it('runs pods under Pod Security restricted: non-root, no escalation, no capabilities, RuntimeDefault seccomp', () => {
    const d = find(build().all, 'Deployment', 'tools');
    expect(podSpec(d).securityContext).toEqual({
      runAsNonRoot: true,
      runAsUser: 10001,
      runAsGroup: 10001,
      fsGroup: 10001,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(container(d).securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
    expect(podSpec(d).automountServiceAccountToken).toBe(false);
  });

  it('gives a read-only root a writable /tmp, plus the writable paths declared', () => {
    const d = find(build({ security: { writablePaths: ['/var/cache/nginx', '/var/run'] } }).all, 'Deployment', 'tools');
    expect(podSpec(d).volumes).toEqual([
      { name: 'tmp', emptyDir: {} },
      { name: 'var-cache-nginx', emptyDir: {} },
      { name: 'var-run', emptyDir: {} },
    ]);
    expect(container(d).volumeMounts).toEqual([
      { name: 'tmp', mountPath: '/tmp' },
      { name: 'var-cache-nginx', mountPath: '/var/cache/nginx' },
      { name: 'var-run', mountPath: '/var/run' },
    ]);
  });

  it('takes uid, gid and fsGroup, and NET_BIND_SERVICE', () => {
    const d = find(build({ security: { runAsUser: 101, runAsGroup: 101, fsGroup: 2000, addCapabilities: ['NET_BIND_SERVICE'] } }).all, 'Deployment', 'tools');
    expect(podSpec(d).securityContext).toMatchObject({ runAsUser: 101, runAsGroup: 101, fsGroup: 2000 });
    expect(at(container(d), 'securityContext', 'capabilities')).toEqual({ drop: ['ALL'], add: ['NET_BIND_SERVICE'] });
  });

  it('lets a non-root app listen on a port below 1024 through the safe unprivileged-port sysctl', () => {
    const d = find(build({ port: 80 }).all, 'Deployment', 'tools');
    expect(at(podSpec(d), 'securityContext', 'sysctls')).toEqual([{ name: 'net.ipv4.ip_unprivileged_port_start', value: '0' }]);
    expect(at(podSpec(find(build().all, 'Deployment', 'tools')), 'securityContext', 'sysctls')).toBeUndefined();
  });

  it('labels the namespace to enforce restricted (audit and warn too), pinned to v1.28', () => {
    expect(find(build().all, 'Namespace', 'tools').metadata.labels).toMatchObject({
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/enforce-version': 'v1.28',
      'pod-security.kubernetes.io/audit': 'restricted',
      'pod-security.kubernetes.io/warn': 'restricted',
    });
  });

  it('opts one app out to baseline with a reason: its namespace enforces baseline, synth warns', () => {
    const { app, all } = build({ image: 'nginx:1.27.3', port: 80, security: { profile: 'baseline', reason: 'stock nginx runs as root' } });
    const ns = find(all, 'Namespace', 'tools');
    expect(ns.metadata.labels).toMatchObject({ 'pod-security.kubernetes.io/enforce': 'baseline', 'pod-security.kubernetes.io/warn': 'restricted' });
    expect(ns.metadata.annotations).toEqual({ 'cdk8s-homelab/pod-security-reason': 'stock nginx runs as root' });
    const d = find(all, 'Deployment', 'tools');
    expect(podSpec(d).securityContext).toEqual({ seccompProfile: { type: 'RuntimeDefault' } });
    expect(container(d).securityContext).toEqual({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: false });
    expect(app.warnings.map(formatProblem)).toEqual([
      'warning HL-baseline-profile: tools: props.security.profile "baseline" runs under the baseline Pod Security profile, not restricted (reason: stock nginx runs as root); move to a non-root image to return to restricted (at tools/Deployment)',
    ]);
  });

  it('isolates the namespace: default-deny ingress, Traefik allowed to the container port', () => {
    const { all } = build();
    expect(at(find(all, 'NetworkPolicy', 'default-deny-ingress'), 'spec')).toEqual({ podSelector: {}, policyTypes: ['Ingress'] });
    expect(at(find(all, 'NetworkPolicy', 'allow-from-traefik'), 'spec')).toEqual({
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'tools', 'app.kubernetes.io/instance': 'tools' } },
      policyTypes: ['Ingress'],
      ingress: [
        {
          from: [
            {
              namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
              podSelector: { matchLabels: { 'app.kubernetes.io/name': 'traefik' } },
            },
          ],
          ports: [{ port: 8080, protocol: 'TCP' }],
        },
      ],
    });
  });

  it('lets the apps it names reach it (app to database)', () => {
    const app = newApp();
    const db = new AppStack(app, 'db', { ...BASE, host: 'db.julesfournier.fr', port: 5432 });
    new AppStack(app, 'blog', { ...BASE, host: 'blog.julesfournier.fr', port: 8080 });
    const guarded = new AppStack(app, 'notes', {
      ...BASE,
      host: 'notes.julesfournier.fr',
      allowFrom: [db, { namespace: 'monitoring', podSelector: { app: 'prometheus' }, name: 'prometheus' }],
    });
    const policies = guarded.networkPolicy.allows.map((p) => p.toJson());
    expect(policies.map((p) => (p.metadata as { name: string }).name)).toEqual(['allow-from-traefik', 'allow-from-db', 'allow-from-prometheus']);
    expect(at(policies[1], 'spec', 'ingress', 0, 'from', 0)).toEqual({
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'db' } },
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'db', 'app.kubernetes.io/instance': 'db' } },
    });
    expect(() => app.synthFiles()).not.toThrow();
  });

  it('puts HSTS, nosniff, frame deny and a referrer policy on HTTPS responses, tunable', () => {
    const { all } = build();
    expect(at(find(all, 'Middleware', 'security-headers'), 'spec', 'headers')).toEqual({
      stsSeconds: 31536000,
      stsIncludeSubdomains: false,
      stsPreload: false,
      frameDeny: true,
      contentTypeNosniff: true,
      referrerPolicy: 'strict-origin-when-cross-origin',
    });
    expect(at(find(all, 'IngressRoute', 'tools-websecure'), 'spec', 'routes', 0, 'middlewares')).toEqual([{ name: 'security-headers', namespace: 'tools' }]);
    const tuned = build({
      securityHeaders: { stsSeconds: 63072000, stsIncludeSubdomains: true, stsPreload: true, frameDeny: false, customResponseHeaders: { Server: '' } },
    }).all;
    expect(at(find(tuned, 'Middleware', 'security-headers'), 'spec', 'headers')).toMatchObject({
      stsSeconds: 63072000,
      stsIncludeSubdomains: true,
      stsPreload: true,
      frameDeny: false,
      customResponseHeaders: { Server: '' },
    });
  });

  it('drops the security headers when asked, with a warning and a recorded exception', () => {
    const { app, all } = build({ securityHeaders: false });
    expect(all.find((o) => o.metadata.name === 'security-headers')).toBeUndefined();
    expect(find(all, 'IngressRoute', 'tools-websecure').metadata.annotations).toEqual({
      'cdk8s-homelab/policy-exception.hsts': 'securityHeaders: false on the AppStack',
    });
    expect(app.warnings.map((w) => w.warning)).toEqual(['HL-no-security-headers', 'HL-policy-exception']);
  });

  it('reads secrets from existing Secrets, never from literal values', () => {
    const d = find(
      build({ secretEnv: { DB_PASSWORD: { secret: 'tools-db', key: 'password' } }, envFromSecrets: ['tools-env'], env: { LOG_LEVEL: 'info' } }).all,
      'Deployment',
      'tools',
    );
    expect(container(d).env).toEqual([
      { name: 'DB_PASSWORD', valueFrom: { secretKeyRef: { name: 'tools-db', key: 'password' } } },
      { name: 'LOG_LEVEL', value: 'info' },
    ]);
    expect(container(d).envFrom).toEqual([{ secretRef: { name: 'tools-env' } }]);
  });

  it('waives a rule for one app with a reason, recorded as an annotation', () => {
    const { app, all } = build({
      env: { API_TOKEN_TTL: '3600', GITHUB_TOKEN: 'public-read-only-demo' },
      policyExceptions: { 'secret-env': 'a public demo token' },
    });
    expect(find(all, 'Deployment', 'tools').metadata.annotations).toEqual({ 'cdk8s-homelab/policy-exception.secret-env': 'a public demo token' });
    expect(app.warnings.map((w) => w.warning)).toEqual(['HL-policy-exception']);
  });
});

describe('AppStack security errors', () => {
  const fails = (props: Partial<AppStackProps>, pattern: RegExp) => expect(() => build(props)).toThrow(pattern);

  it('fails if baseline has no reason', () => {
    fails({ security: { profile: 'baseline' } }, /tools: props\.security\.reason is required with the baseline profile/);
  });

  it('fails if restricted is asked to run as root or add capabilities other than NET_BIND_SERVICE', () => {
    fails({ security: { runAsUser: 0 } }, /props\.security\.runAsUser 0 cannot be root \(0\) under the restricted profile/);
    fails({ security: { addCapabilities: ['SYS_ADMIN'] } }, /props\.security\.addCapabilities "SYS_ADMIN" is not allowed under the restricted profile/);
    fails({ security: { writablePaths: ['var/cache'] } }, /props\.security\.writablePaths "var\/cache" is not an absolute path/);
  });

  it('fails if a plain env value looks like a secret', () => {
    fails(
      { env: { DB_PASSWORD: 'hunter2' } },
      /tools: props\.env\.DB_PASSWORD "DB_PASSWORD" looks like a secret, and plain env values end up in Git; read it from a Secret/,
    );
  });

  it('fails if a secret reference or a policy exception is malformed', () => {
    fails(
      { secretEnv: { DB_PASSWORD: { secret: 'Tools_DB', key: 'password' } } },
      /props\.secretEnv\.DB_PASSWORD\.secret "Tools_DB" is not a valid Secret name/,
    );
    fails({ env: { A: '1' }, secretEnv: { A: { secret: 's', key: 'k' } } }, /props\.secretEnv\.A "A" is also set in props\.env/);
    fails({ policyExceptions: { 'no-such-rule': 'x' } as never }, /props\.policyExceptions\.no-such-rule "no-such-rule" is not a policy rule/);
    fails({ policyExceptions: { probes: '' } }, /props\.policyExceptions\.probes "" needs a reason/);
  });

  it('fails if security headers are malformed', () => {
    fails({ securityHeaders: { stsSeconds: 0 } }, /props\.securityHeaders\.stsSeconds 0 must be a positive whole number of seconds/);
    fails(
      { securityHeaders: { stsPreload: true } },
      /props\.securityHeaders\.stsPreload true needs stsSeconds of a year or more and stsIncludeSubdomains: true/,
    );
    fails({ securityHeaders: { referrerPolicy: 'everything' } }, /props\.securityHeaders\.referrerPolicy "everything" is not a referrer policy/);
  });

  it('fails if an allowed peer makes a bad policy', () => {
    fails(
      { allowFrom: [{ namespace: 'Monitoring' }] },
      /props\.allowFrom\[0\]\.namespace "Monitoring" is not a valid namespace name \(at tools\/NetworkPolicy\)/,
    );
    fails({ allowFrom: [{ namespace: 'kube-system', name: 'traefik' }] }, /props\.allowFrom\[0\]\.name "allow-from-traefik" is used twice/);
  });
});
