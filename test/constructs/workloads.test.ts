import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Chart } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { CLUSTER } from '../../apps/cluster';
import { ENVIRONMENTS } from '../../apps/environments';
import { nextcloud } from '../../apps/nextcloud';
import { secretStore } from '../../apps/secret-store';
import { AppDaemonSet, AppJob, AppStack, type AppStackProps, type HomelabApp, type Manifest, Postgres, Schedule, selectorLabels, Volume } from '../../lib';
import { isTimeZone, scheduleProblem } from '../../lib/constructs/workload/schedule';
import { renderYaml } from '../../lib/synth/synthesizer';
import { at, container, find, newApp, podSpec, untyped } from '../helpers';

const APP: AppStackProps = { image: 'ghcr.io/julesfrn/tools:2.0.0', host: 'tools.julesfournier.fr', port: 8080 };

function stack(props: Partial<AppStackProps> = {}, build?: (app: HomelabApp) => void) {
  const app = newApp();
  build?.(app);
  const s = new AppStack(app, 'tools', { ...APP, ...props } as AppStackProps);
  const files = app.synthFiles();
  return { app, stack: s, files, all: files.flatMap((f) => f.objects.map((o) => o.manifest)) };
}

const kinds = (all: Manifest[]) => all.map((m) => `${m.kind}/${m.metadata.name}`);

describe('persistent storage', () => {
  it('claims each volume on local-path, mounts it, and recreates pods instead of rolling them', () => {
    const { all } = stack({ volumes: [{ name: 'data', mountPath: '/data', size: '10Gi' }] });
    expect(at(find(all, 'PersistentVolumeClaim', 'tools-data'), 'spec')).toEqual({
      accessModes: ['ReadWriteOnce'],
      storageClassName: 'local-path',
      resources: { requests: { storage: '10Gi' } },
    });
    const d = find(all, 'Deployment', 'tools');
    expect(at(d, 'spec', 'strategy')).toEqual({ type: 'Recreate' });
    expect(podSpec(d).volumes).toContainEqual({ name: 'data', persistentVolumeClaim: { claimName: 'tools-data' } });
    expect(container(d).volumeMounts).toContainEqual({ name: 'data', mountPath: '/data' });
    expect(at(find(stack().all, 'Deployment', 'tools'), 'spec', 'strategy')).toBeUndefined();
  });

  it('gives each pod of a stateful app its own volume, through a StatefulSet and a headless Service', () => {
    const { all } = stack({ stateful: true, replicas: 2, volumes: [{ name: 'data', mountPath: '/data', size: '5Gi', storageClass: 'nfs' }] });
    expect(kinds(all)).not.toContain('PersistentVolumeClaim/tools-data');
    expect(kinds(all)).not.toContain('Deployment/tools');
    const ss = find(all, 'StatefulSet', 'tools');
    expect(at(ss, 'spec', 'serviceName')).toBe('tools-headless');
    expect(at(ss, 'spec', 'volumeClaimTemplates')).toEqual([
      {
        metadata: { name: 'data' },
        spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'nfs', resources: { requests: { storage: '5Gi' } } },
      },
    ]);
    expect(podSpec(ss).volumes).toEqual([{ name: 'tmp', emptyDir: {} }]);
    expect(container(ss).volumeMounts).toContainEqual({ name: 'data', mountPath: '/data' });
    expect(at(find(all, 'Service', 'tools-headless'), 'spec', 'clusterIP')).toBe('None');
  });

  it('fails if a size is not a quantity, naming the fix', () => {
    expect(() => stack({ volumes: [{ name: 'data', mountPath: '/data', size: '10 GB' }] })).toThrow(
      /tools: props\.volumes\[0\]\.size "10 GB" is not a storage size; write 10Gi \(binary units: Ki, Mi, Gi, Ti\)/,
    );
  });

  it('fails if a path is relative, naming the absolute one', () => {
    expect(() =>
      stack({ volumes: [{ name: 'data', mountPath: 'data', size: '1Gi' }], mounts: [{ volume: Volume.emptyDir('cache'), mountPath: './cache' }] }),
    ).toThrow(
      /props\.mounts\[0\]\.mountPath "\.\/cache" is not an absolute path; write it from the root, e\.g\. \/cache[\s\S]*props\.volumes\[0\]\.mountPath "data" is not an absolute path; write it from the root, e\.g\. \/data/,
    );
  });

  it('fails if several pods would share a ReadWriteOnce volume', () => {
    expect(() => stack({ replicas: 2, volumes: [{ name: 'data', mountPath: '/data', size: '1Gi' }] })).toThrow(
      /props\.replicas 2 cannot share the ReadWriteOnce volume "data" across pods; use stateful: true/,
    );
  });

  it('fails if a pod mounts a claim the cluster does not have', () => {
    expect(() => stack({ mounts: [{ volume: Volume.pvc('old', 'tools-old'), mountPath: '/old' }] })).toThrow(
      /Deployment\/tools spec\.template\.spec\.volumes\[1\]\.persistentVolumeClaim\.claimName "tools-old" is not a PersistentVolumeClaim of namespace "tools"/,
    );
  });
});

describe('databases', () => {
  it('names the database container port as its Service does (postgres, redis), not http', () => {
    const { all } = stack({ postgres: { database: 'tools', user: 'tools', secretName: 'tools-db' }, redis: { secretName: 'tools-redis' } });
    for (const [name, port] of [
      ['tools-postgres', 'postgres'],
      ['tools-redis', 'redis'],
    ]) {
      expect(at(podSpec(find(all, 'StatefulSet', name)), 'containers', 0, 'ports', 0, 'name')).toBe(port);
      expect(at(find(all, 'Service', name), 'spec', 'ports', 0, 'name')).toBe(port);
    }
    expect(at(container(find(all, 'Deployment', 'tools')), 'ports', 0, 'name')).toBe('http');
  });

  it('runs PostgreSQL and Redis beside the app, wires their connection and lets only the app in', () => {
    const { all } = stack({
      postgres: { database: 'tools', user: 'tools', secretName: 'tools-db' },
      redis: { secretName: 'tools-redis', connection: { names: { port: 'REDIS_HOST_PORT' } } },
    });
    const pg = find(all, 'StatefulSet', 'tools-postgres');
    expect(at(pg, 'spec', 'serviceName')).toBe('tools-postgres');
    expect(container(pg)).toMatchObject({
      image: 'postgres:16.6-alpine',
      env: [
        { name: 'POSTGRES_PASSWORD', valueFrom: { secretKeyRef: { name: 'tools-db', key: 'password' } } },
        { name: 'POSTGRES_DB', value: 'tools' },
        { name: 'POSTGRES_USER', value: 'tools' },
        { name: 'PGDATA', value: '/var/lib/postgresql/data/pgdata' },
      ],
      readinessProbe: { exec: { command: ['pg_isready', '-U', 'tools', '-d', 'tools'] } },
    });
    expect(podSpec(pg).securityContext).toMatchObject({ runAsUser: 70, runAsNonRoot: true });
    expect(at(pg, 'spec', 'volumeClaimTemplates', 0, 'spec', 'resources')).toEqual({ requests: { storage: '8Gi' } });
    expect(at(find(all, 'Service', 'tools-postgres'), 'spec', 'clusterIP')).toBe('None');
    expect(container(find(all, 'Deployment', 'tools')).env).toEqual([
      { name: 'POSTGRES_PASSWORD', valueFrom: { secretKeyRef: { name: 'tools-db', key: 'password' } } },
      { name: 'REDIS_PASSWORD', valueFrom: { secretKeyRef: { name: 'tools-redis', key: 'password' } } },
      { name: 'POSTGRES_HOST', value: 'tools-postgres.tools.svc.cluster.local' },
      { name: 'POSTGRES_PORT', value: '5432' },
      { name: 'POSTGRES_DB', value: 'tools' },
      { name: 'POSTGRES_USER', value: 'tools' },
      { name: 'POSTGRES_URL', value: 'postgresql://tools:$(POSTGRES_PASSWORD)@tools-postgres.tools.svc.cluster.local:5432/tools' },
      { name: 'REDIS_HOST', value: 'tools-redis.tools.svc.cluster.local' },
      { name: 'REDIS_HOST_PORT', value: '6379' },
      { name: 'REDIS_URL', value: 'redis://:$(REDIS_PASSWORD)@tools-redis.tools.svc.cluster.local:6379' },
    ]);
    expect(at(find(all, 'NetworkPolicy', 'allow-from-tools-to-tools-postgres'), 'spec')).toEqual({
      podSelector: { matchLabels: selectorLabels('tools-postgres') },
      policyTypes: ['Ingress'],
      ingress: [
        {
          from: [
            {
              namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'tools' } },
              podSelector: { matchLabels: { 'app.kubernetes.io/name': 'tools' } },
            },
          ],
          ports: [{ port: 5432, protocol: 'TCP' }],
        },
      ],
    });
    expect(kinds(all).filter((k) => k === 'NetworkPolicy/default-deny-ingress')).toHaveLength(1);
  });

  it('connects an app to a database of another namespace', () => {
    const { all } = stack({}, (app) => {
      const c = new Chart(app, 'shared');
      new AppStack(app, 'dbhost', { ...APP, expose: 'none', host: undefined } as AppStackProps);
      const db = new Postgres(c, 'Db', { name: 'shared-db', namespace: 'dbhost', database: 'app', user: 'app', secretName: 'shared-db' });
      new AppStack(app, 'client', { ...APP, host: 'client.julesfournier.fr', databases: [{ database: db, connection: { prefix: 'DB_' } }] });
    });
    expect(container(find(all, 'Deployment', 'client')).env).toContainEqual({ name: 'DB_HOST', value: 'shared-db.dbhost.svc.cluster.local' });
    expect(at(find(all, 'NetworkPolicy', 'allow-from-client-to-shared-db'), 'metadata', 'namespace')).toBe('dbhost');
  });

  it('fails if a database name or identifier is invalid', () => {
    expect(() => stack({ postgres: { database: 'my-db', user: 'tools', secretName: 'tools-db' } })).toThrow(
      /props\.database "my-db" is not a PostgreSQL identifier/,
    );
  });
});

describe('config', () => {
  it('makes ConfigMaps from literals and files, mounted or as env, and rolls pods when they change', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'homelab-config-'));
    try {
      const file = path.join(dir, 'app.ini');
      fs.writeFileSync(file, '[server]\nport = 8080\n');
      const build = (level: string) =>
        stack({
          config: [
            { name: 'env', data: { LOG_LEVEL: level }, asEnv: true },
            { name: 'files', files: { 'app.ini': file }, mountPath: '/etc/tools' },
          ],
        }).all;
      const all = build('info');
      expect(at(find(all, 'ConfigMap', 'tools-files'), 'data')).toEqual({ 'app.ini': '[server]\nport = 8080\n' });
      const d = find(all, 'Deployment', 'tools');
      expect(container(d).envFrom).toEqual([{ configMapRef: { name: 'tools-env' } }]);
      expect(container(d).volumeMounts).toContainEqual({ name: 'config-files', mountPath: '/etc/tools', readOnly: true });
      const checksum = (m: Manifest[]) => at(find(m, 'Deployment', 'tools'), 'spec', 'template', 'metadata', 'annotations', 'cdk8s-homelab/config-checksum');
      expect(checksum(all)).toMatch(/^[0-9a-f]{16}$/);
      expect(checksum(build('info'))).toBe(checksum(all));
      expect(checksum(build('debug'))).not.toBe(checksum(all));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('fails if a file is missing, a key looks like a secret, or the config is used nowhere', () => {
    expect(() => stack({ config: [{ name: 'files', files: { 'a.conf': '/nonexistent/a.conf' }, mountPath: '/etc/a' }] })).toThrow(
      /props\.files\.a\.conf "\/nonexistent\/a\.conf" cannot be read: ENOENT/,
    );
    expect(() => stack({ config: [{ name: 'env', data: { API_TOKEN: 'x' }, asEnv: true }] })).toThrow(
      /props\.data "API_TOKEN" looks like a secret, and ConfigMaps end up in Git/,
    );
    expect(() => stack({ config: [{ name: 'env', data: { A: '1' } }] })).toThrow(/props\.config\[0\] "env" is neither mounted nor given as env/);
  });
});

describe('scheduled tasks, jobs and node agents', () => {
  it("runs a task on a schedule with the app's setup, Forbid concurrency and history limits, never behind the Service", () => {
    const { all } = stack({
      volumes: [{ name: 'data', mountPath: '/data', size: '1Gi' }],
      cronJobs: [{ name: 'backup', schedule: Schedule.daily(3), command: ['/backup.sh'], timeZone: 'Europe/Paris' }],
    });
    const cj = find(all, 'CronJob', 'tools-backup');
    expect(at(cj, 'spec')).toMatchObject({
      schedule: '0 3 * * *',
      timeZone: 'Europe/Paris',
      concurrencyPolicy: 'Forbid',
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 1,
      startingDeadlineSeconds: 600,
    });
    const pod = at(cj, 'spec', 'jobTemplate', 'spec', 'template') as Record<string, unknown>;
    expect(at(pod, 'metadata', 'labels', 'app.kubernetes.io/instance')).toBe('tools-backup');
    expect(at(pod, 'spec', 'restartPolicy')).toBe('OnFailure');
    expect(at(pod, 'spec', 'containers', 0, 'command')).toEqual(['/backup.sh']);
    expect(at(pod, 'spec', 'containers', 0, 'readinessProbe')).toBeUndefined();
    expect(at(pod, 'spec', 'securityContext', 'runAsNonRoot')).toBe(true);
    expect(at(pod, 'spec', 'affinity', 'podAffinity', 'requiredDuringSchedulingIgnoredDuringExecution', 0, 'topologyKey')).toBe('kubernetes.io/hostname');
  });

  it('fails if a schedule has six fields or an unknown time zone', () => {
    expect(() => stack({ cronJobs: [{ name: 'backup', schedule: Schedule.cron('0 0 3 * * *'), command: ['x'] }] })).toThrow(
      /props\.cronJobs\[0\]\.schedule "0 0 3 \* \* \*" has 6 fields, Kubernetes takes 5 \(minute hour day-of-month month day-of-week\); drop the seconds field/,
    );
    expect(() => stack({ cronJobs: [{ name: 'backup', schedule: Schedule.daily(), command: ['x'], timeZone: 'Paris' }] })).toThrow(
      /props\.cronJobs\[0\]\.timeZone "Paris" is not a time zone/,
    );
    // A schedule made by a helper is reported as it was written, with both of its problems' fields.
    expect(() => stack({ cronJobs: [{ name: 'backup', schedule: Schedule.daily(25), command: ['x'], timeZone: 'Paris' }] })).toThrow(
      /props\.cronJobs\[0\]\.schedule "Schedule\.daily\(25, 0\)" takes an hour from 0 to 23, got 25[\s\S]*props\.cronJobs\[0\]\.timeZone "Paris"/,
    );
    expect(Schedule.everyMinutes(7).problem()).toMatch(/takes a divisor of 60/);
    expect(Schedule.everyMinutes(15).problem()).toBeUndefined();
  });

  it('reads cron schedules as Kubernetes does (robfig/cron v3, standard parser)', () => {
    // Cases after robfig/cron's parser and its tests: what it accepts...
    const accepted = [
      '*/5 * * * *',
      '0 3 * * 1-5',
      '0 0 1 JAN *',
      '30 2 * * SUN',
      '0 0 ? * *',
      '0 0 * * ?',
      '5/10 * * * *',
      '0-59/15 * * * *',
      '0 0 1,15 * *',
      '0 0 * jan-MAR mon-fri',
      '0 0 * * 0',
      '0 0 * * 6',
      '0 0 31 12 *',
      '@daily',
      '@midnight',
      '@annually',
      '@every 1h30m',
      '@every 90s',
    ];
    for (const ok of accepted) {
      expect(scheduleProblem(ok), ok).toBeUndefined();
    }
    // ...and what it refuses.
    const refused: [string, RegExp][] = [
      ['5-1 * * * *', /starts its range \(5\) after its end \(1\)/],
      ['0 0 * * 7', /day of week field "7" that goes out of range 0-6/],
      ['60 * * * *', /out of range 0-59/],
      ['* 24 * * *', /out of range 0-23/],
      ['* * 0 * *', /out of range 1-31/],
      ['* * * 13 *', /out of range 1-12/],
      ['*/0 * * * *', /step "0" that is not a whole number above 0/],
      ['1/2/3 * * * *', /more than one "\/"/],
      ['1-2-3 * * * *', /more than one "-"/],
      ['x * * * *', /holds "x", not a number/],
      ['0 0 * foo *', /holds "foo", not a number or a name/],
      ['* * * * * *', /has 6 fields, Kubernetes takes 5.*drop the seconds field/],
      ['every day', /has 2 fields/],
      ['TZ=UTC 0 3 * * *', /time zone inside the schedule/],
      ['@every', /takes a duration after @every/],
      ['@every 5', /takes a duration after @every/],
      ['@fortnightly', /is not a descriptor/],
    ];
    for (const [bad, why] of refused) {
      expect(scheduleProblem(bad), bad).toMatch(why);
    }
    expect(isTimeZone('Europe/Paris')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
  });

  it('runs Jobs and DaemonSets with the same security defaults', () => {
    const app = newApp();
    const c = new Chart(app, 'ops');
    new AppJob(c, 'Migrate', { name: 'migrate', namespace: 'ops', image: 'ghcr.io/julesfrn/tools:2.0.0', command: ['/migrate'] });
    new AppDaemonSet(c, 'Agent', { name: 'agent', namespace: 'ops', image: 'ghcr.io/julesfrn/agent:1.0.0', selector: { app: 'agent' }, port: 9100 });
    const [job, ds] = [c.node.findChild('Migrate'), c.node.findChild('Agent')].map((x) => (x as AppJob).resource.toJson() as Manifest);
    for (const m of [job, ds]) {
      expect(at(m, 'spec', 'template', 'spec', 'securityContext', 'runAsNonRoot')).toBe(true);
      expect(at(m, 'spec', 'template', 'spec', 'containers', 0, 'securityContext', 'readOnlyRootFilesystem')).toBe(true);
    }
    expect(at(job, 'spec', 'backoffLimit')).toBe(2);
    expect(at(ds, 'spec', 'template', 'spec', 'containers', 0, 'livenessProbe', 'tcpSocket', 'port')).toBe(9100);
  });

  it('fails if a workload wants host access without the privileged profile', () => {
    const c = new Chart(newApp(), 'ops');
    expect(
      () =>
        new AppDaemonSet(c, 'Agent', {
          name: 'agent',
          namespace: 'ops',
          image: 'ghcr.io/julesfrn/agent:1.0.0',
          selector: { app: 'agent' },
          hostNetwork: true,
          mounts: [{ volume: Volume.hostPath('proc', '/proc'), mountPath: '/host/proc' }],
        }),
    ).toThrow(
      /2 problems:.*\n.*props\.hostNetwork true needs the privileged profile.*\n.*props\.mounts\[0\]\.volume "proc" is a host path, which needs the privileged profile/,
    );
  });
});

describe('scheduling', () => {
  it('spreads several pods over nodes and keeps one up during drains', () => {
    const { all } = stack({
      replicas: 3,
      tolerations: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }],
      nodeSelector: { 'homelab/disk': 'ssd' },
      arch: 'arm64',
    });
    const d = find(all, 'Deployment', 'tools');
    expect(podSpec(d).topologySpreadConstraints).toEqual([
      {
        maxSkew: 1,
        topologyKey: 'kubernetes.io/hostname',
        whenUnsatisfiable: 'ScheduleAnyway',
        labelSelector: { matchLabels: selectorLabels('tools') },
      },
    ]);
    expect(podSpec(d).tolerations).toEqual([{ key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' }]);
    expect(podSpec(d).nodeSelector).toEqual({ 'homelab/disk': 'ssd', 'kubernetes.io/arch': 'arm64' });
    expect(at(find(all, 'PodDisruptionBudget', 'tools'), 'spec')).toEqual({ maxUnavailable: 1, selector: { matchLabels: selectorLabels('tools') } });
    expect(kinds(stack().all)).not.toContain('PodDisruptionBudget/tools');
  });

  it('takes affinity rules', () => {
    const affinity = {
      nodeAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [
          { weight: 50, preference: { matchExpressions: [{ key: 'homelab/disk', operator: 'In', values: ['ssd'] }] } },
        ],
      },
    };
    expect(podSpec(find(stack({ affinity }).all, 'Deployment', 'tools')).affinity).toEqual(affinity);
  });

  it('autoscales on CPU when asked', () => {
    const { all } = stack({ autoscale: { minReplicas: 2, maxReplicas: 5, cpuUtilization: 70 } });
    expect(at(find(all, 'HorizontalPodAutoscaler', 'tools'), 'spec')).toEqual({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'tools' },
      minReplicas: 2,
      maxReplicas: 5,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }],
    });
    expect(at(find(all, 'Deployment', 'tools'), 'spec', 'replicas')).toBeUndefined();
    expect(() => stack({ replicas: 2, autoscale: { minReplicas: 3, maxReplicas: 2 } })).toThrow(
      /2 problems:.*\n.*props\.autoscale\.maxReplicas 2 must be a whole number, at least minReplicas \(3\).*\n.*props\.replicas 2 cannot be combined with autoscale/,
    );
  });
});

describe('routing beyond one host', () => {
  it('sends path prefixes to the app or a second Service, stripping the prefix when asked', () => {
    const { all } = stack({
      paths: [
        { prefix: '/api', stripPrefix: true },
        { prefix: '/docs', service: { name: 'tools', port: 80 } },
      ],
    });
    expect(at(find(all, 'Middleware', 'strip-api'), 'spec')).toEqual({ stripPrefix: { prefixes: ['/api'] } });
    const routes = at(find(all, 'IngressRoute', 'tools-websecure'), 'spec', 'routes') as Record<string, unknown>[];
    expect(routes.map((r) => r.match)).toEqual([
      'Host(`tools.julesfournier.fr`)',
      'Host(`tools.julesfournier.fr`) && PathPrefix(`/api`)',
      'Host(`tools.julesfournier.fr`) && PathPrefix(`/docs`)',
    ]);
    expect(routes[1].middlewares).toEqual([
      { name: 'security-headers', namespace: 'tools' },
      { name: 'strip-api', namespace: 'tools' },
    ]);
  });

  it('routes raw TCP through a Traefik entry point, or opens a port on every node', () => {
    const tcp = stack({ host: undefined, port: 1883, expose: 'tcp', tcp: { entryPoint: 'mqtt' } }).all;
    expect(at(find(tcp, 'IngressRouteTCP', 'tools'), 'spec')).toEqual({
      entryPoints: ['mqtt'],
      routes: [{ match: 'HostSNI(`*`)', services: [{ name: 'tools', namespace: 'tools', port: 80 }] }],
    });
    expect(kinds(tcp)).not.toContain('IngressRoute/tools-websecure');
    const lb = stack({ host: undefined, port: 25565, servicePort: 25565, expose: 'loadBalancer' }).all;
    expect(at(find(lb, 'Service', 'tools'), 'spec', 'type')).toBe('LoadBalancer');
    expect(at(find(lb, 'NetworkPolicy', 'allow-from-anywhere'), 'spec', 'ingress')).toEqual([{ ports: [{ port: 25565, protocol: 'TCP' }] }]);
    expect(kinds(lb)).not.toContain('NetworkPolicy/allow-from-traefik');
  });

  it('emits a standard Ingress for clusters without Traefik', () => {
    const { all } = stack({ expose: 'ingress', ingressClassName: 'nginx' });
    expect(at(find(all, 'Ingress', 'tools'), 'spec')).toEqual({
      ingressClassName: 'nginx',
      tls: [{ hosts: ['tools.julesfournier.fr'], secretName: 'tools-tls' }],
      rules: [
        { host: 'tools.julesfournier.fr', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'tools', port: { number: 80 } } } }] } },
      ],
    });
    expect(all.filter((m) => m.apiVersion.startsWith('traefik.io'))).toEqual([]);
    expect(at(find(all, 'NetworkPolicy', 'allow-from-ingress-controller'), 'spec', 'ingress', 0, 'from', 0, 'namespaceSelector', 'matchLabels')).toEqual({
      'kubernetes.io/metadata.name': 'ingress-nginx',
    });
  });

  it('restricts a standard Ingress to some networks through the NGINX annotation (MicroK8s: class public)', () => {
    const { all } = stack(untyped({ expose: 'ingress', ingressClassName: 'public', ipAllowList: ['10.8.0.0/24', '192.168.1.0/24'] }));
    expect(find(all, 'Ingress', 'tools').metadata.annotations).toEqual({
      'nginx.ingress.kubernetes.io/whitelist-source-range': '10.8.0.0/24,192.168.1.0/24',
      'cdk8s-homelab/hand-made-secrets': 'tools-tls',
    });
  });

  it('fails if an exposure lacks what it needs, or mixes with Traefik-only options', () => {
    expect(() => stack({ host: undefined, expose: 'tcp' })).toThrow(/props\.tcp is required with expose: "tcp"/);
    expect(() => stack({ expose: 'none' })).toThrow(/props\.host "tools\.julesfournier\.fr" is not used with expose: "none"/);
    expect(() => stack(untyped({ expose: 'ingress', ingressClassName: 'traefik', ipAllowList: ['10.0.0.0/8'] }))).toThrow(
      /props\.ipAllowList \["10\.0\.0\.0\/8"\] needs the NGINX ingress controller with expose: "ingress" \(an annotation of its own\), and the ingress class is "traefik"; use ingressClassName "nginx" or "public"/,
    );
    expect(() => stack(untyped({ expose: 'ingress', paths: [{ prefix: '/api' }] }))).toThrow(
      /props\.paths .* only applies to expose: "https" \(a Traefik middleware\), not "ingress"/,
    );
    expect(() => stack({ paths: [{ prefix: 'api' }] })).toThrow(/props\.paths\[0\]\.prefix "api" is not a path prefix/);
  });
});

describe('the example Nextcloud', () => {
  it('has its volume, databases, config and background job, and matches the snapshot', () => {
    // One file for the snapshot: the example's settings, without its layout.
    const app = newApp({ ...CLUSTER, applySet: undefined, platformFirst: false });
    secretStore(app);
    nextcloud(app, ENVIRONMENTS[1]);
    const [file] = app.synthFiles();
    expect(kinds(file.objects.map((o) => o.manifest))).toEqual(
      expect.arrayContaining([
        'PersistentVolumeClaim/nextcloud-data',
        'StatefulSet/nextcloud-postgres',
        'StatefulSet/nextcloud-redis',
        'ConfigMap/nextcloud-php',
        'CronJob/nextcloud-cron',
        'Deployment/nextcloud',
      ]),
    );
    expect(app.warnings.map((w) => w.warning)).toEqual(['HL-baseline-profile', 'HL-baseline-profile']);
    expect(renderYaml(file)).toMatchSnapshot();
  });
});

describe('a schedule given as a JavaScript caller may give it', () => {
  it('is a problem naming the fix, not a crash', () => {
    const task = (schedule: unknown) => () =>
      new AppStack(
        newApp(),
        'wiki',
        untyped({ image: 'ghcr.io/julesfrn/wiki:2.5.0', port: 3000, cronJobs: [{ name: 'backup', schedule, command: ['/backup'] }] }),
      );
    expect(task('0 3 * * *')).toThrow(/wiki: props\.cronJobs\[0\]\.schedule "0 3 \* \* \*" must be an object; .* Schedule\.cron/);
    expect(task({ cron: '0 3 * * *' })).toThrow(
      /wiki: props\.cronJobs\[0\]\.schedule \{"cron":"0 3 \* \* \*"\} is not a Schedule; write Schedule\.cron\("0 3 \* \* \*"\), Schedule\.daily\(3\) or Schedule\.everyMinutes\(5\)/,
    );
  });
});
