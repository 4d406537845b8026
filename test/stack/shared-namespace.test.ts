import { describe, expect, it } from 'vitest';
import { AppStack, type HomelabError, SharedNamespace, type SharedNamespaceProps } from '../../lib';
import { at, find, kinds, manifests, newApp, untyped } from '../helpers';

function media(props?: SharedNamespaceProps) {
  const app = newApp({ networks: { lan: ['192.168.1.0/24'] } });
  const ns = new SharedNamespace(app, 'media', props);
  return { app, ns };
}

/** Jellyfin (behind the LAN allow list) and Jellyseerr (its own headers) in one namespace. */
function twoApps() {
  const { app, ns } = media();
  const jellyfin = new AppStack(ns, 'jellyfin', {
    image: 'jellyfin/jellyfin:10.10.7',
    port: 8096,
    host: 'jellyfin.example.com',
    certResolver: 'letsencrypt',
    ipAllowList: ['lan'],
    volumes: [{ name: 'config', size: '5Gi', mountPath: '/config' }],
  });
  const jellyseerr = new AppStack(ns, 'jellyseerr', {
    image: 'fallenbagel/jellyseerr:2.7.3',
    port: 5055,
    host: 'requests.example.com',
    certResolver: 'letsencrypt',
    securityHeaders: { frameDeny: false },
    allowFrom: [jellyfin],
  });
  return { app, ns, jellyfin, jellyseerr };
}

describe('SharedNamespace: several apps in one namespace', () => {
  it('shares the Namespace, its default-deny policy and the redirect and header middlewares; each app keeps its own', () => {
    const { app } = twoApps();
    const files = app.synthFiles();
    expect(files.map((f) => f.fileName)).toEqual(['media.k8s.yaml']);
    expect(kinds(files[0])[0]).toBe('Namespace');
    const all = manifests(app);
    const names = (kind: string) => all.filter((m) => m.kind === kind).map((m) => m.metadata.name);
    expect(names('Namespace')).toEqual(['media']);
    expect(new Set(all.map((m) => m.metadata.namespace ?? 'media'))).toEqual(new Set(['media']));
    expect(names('NetworkPolicy')).toEqual([
      'default-deny-ingress',
      'jellyfin-allow-from-traefik',
      'jellyseerr-allow-from-traefik',
      'jellyseerr-allow-from-jellyfin',
    ]);
    expect(names('Middleware').sort()).toEqual(['https-redirect', 'jellyfin-ip-allow-list', 'jellyseerr-security-headers', 'security-headers']);
    expect(names('Deployment')).toEqual(['jellyfin', 'jellyseerr']);
    expect(names('Service')).toEqual(['jellyfin', 'jellyseerr']);
    expect(names('PersistentVolumeClaim')).toEqual(['jellyfin-config']);
    // Each route uses the shared redirect and its own middlewares.
    const middlewaresOf = (route: string) =>
      (at(find(all, 'IngressRoute', `${route}-websecure`), 'spec', 'routes', 0, 'middlewares') as { name: string }[]).map((m) => m.name);
    expect(middlewaresOf('jellyfin')).toEqual(['security-headers', 'jellyfin-ip-allow-list']);
    expect(middlewaresOf('jellyseerr')).toEqual(['jellyseerr-security-headers']);
    expect(at(find(all, 'IngressRoute', 'jellyfin-web'), 'spec', 'routes', 0, 'middlewares', 0, 'name')).toBe('https-redirect');
  });

  it('keeps each app its own pods: the allow rules select one app', () => {
    const { app } = twoApps();
    const all = manifests(app);
    expect(at(find(all, 'NetworkPolicy', 'jellyfin-allow-from-traefik'), 'spec', 'podSelector', 'matchLabels', 'app.kubernetes.io/name')).toBe('jellyfin');
    expect(at(find(all, 'NetworkPolicy', 'jellyseerr-allow-from-jellyfin'), 'spec', 'ingress', 0, 'from', 0)).toEqual({
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'media' } },
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'jellyfin', 'app.kubernetes.io/instance': 'jellyfin' } },
    });
  });

  it('makes no middleware no app uses, and sets the Pod Security of the namespace', () => {
    const { app, ns } = media({ security: { profile: 'baseline', reason: 'the DLNA helper runs as root' } });
    new AppStack(ns, 'worker', { image: 'ghcr.io/julesfrn/mailer:1.2.0', expose: 'none' });
    const all = manifests(app);
    expect(all.map((m) => `${m.kind}/${m.metadata.name}`)).toEqual(['Namespace/media', 'NetworkPolicy/default-deny-ingress', 'Deployment/worker']);
    expect(at(find(all, 'Namespace', 'media'), 'metadata', 'labels', 'pod-security.kubernetes.io/enforce')).toBe('baseline');
    expect(ns.podSecurity).toBe('baseline');
  });

  it('names the app, not the namespace, in problems', () => {
    const { ns } = media();
    expect(() => new AppStack(ns, 'jellyfin', untyped({ image: 'jellyfin/jellyfin:10.10.7', port: 0, expose: 'none' }))).toThrow(/^jellyfin: props\.port/m);
  });

  it('refuses an app looser than the namespace, another namespace, and a second claim of the name', () => {
    const { app, ns } = media();
    const problems = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return (e as HomelabError).problems.map((p) => `${p.app}: ${p.field} ${p.message}; ${p.fix}`);
      }
      return [];
    };
    expect(
      problems(
        () =>
          new AppStack(ns, 'dlna', {
            image: 'ghcr.io/julesfrn/dlna:1.0.0',
            expose: 'none',
            namespace: 'dlna',
            security: { profile: 'privileged', reason: 'multicast' },
          }),
      ),
    ).toEqual([
      'dlna: props.namespace is not the namespace of SharedNamespace media, which the app is in; drop namespace: an app in a SharedNamespace runs in it',
      "dlna: props.security.profile is looser than the restricted profile that SharedNamespace media enforces, which would refuse the app's pods; set security: { profile: 'privileged', reason: '...' } on SharedNamespace media, or make the app pass restricted",
    ]);
    expect(problems(() => new AppStack(app, 'sonarr', { image: 'ghcr.io/julesfrn/sonarr:4.0.0', expose: 'none', namespace: 'media' }))).toEqual([
      "sonarr: props.namespace is the namespace of SharedNamespace media; create the app in it, new AppStack(media, 'sonarr', ...), and drop namespace",
    ]);
    new AppStack(app, 'radarr', { image: 'ghcr.io/julesfrn/radarr:5.0.0', expose: 'none' });
    expect(problems(() => new SharedNamespace(app, 'radarr'))).toEqual([
      'radarr: id is already the id of another app or shared namespace in this App; give each one its own id (it names its namespace, objects and file)',
    ]);
    new AppStack(app, 'lidarr', { image: 'ghcr.io/julesfrn/lidarr:2.0.0', expose: 'none', namespace: 'music' });
    expect(problems(() => new SharedNamespace(app, 'music'))).toEqual([
      "music: id is already the namespace of app lidarr; give that app another namespace, and create it in this SharedNamespace: new AppStack(music, 'lidarr', ...)",
    ]);
    expect(problems(() => new AppStack(app, 'readarr', { image: 'ghcr.io/julesfrn/readarr:1.0.0', expose: 'none', namespace: 'music' }))).toEqual([
      'readarr: props.namespace is already the namespace of app lidarr; give readarr its own namespace (leave namespace out and it is "readarr"), or create both apps in a SharedNamespace to share one',
    ]);
    expect(problems(() => new SharedNamespace(app, 'bad', untyped({ security: { profile: 'baseline' }, headers: {} })))).toEqual([
      'bad: props.headers is not a prop of SharedNamespace; remove it; the props of SharedNamespace are security, securityHeaders',
      'bad: props.security.reason is required with the baseline profile; say why the app cannot run under restricted, e.g. "stock nginx image runs as root"',
    ]);
  });

  it("mounts another app's volume: the claim shared, the pods on its node (ReadWriteOnce), never across namespaces", () => {
    const { app, ns, jellyfin } = twoApps();
    new AppStack(ns, 'sonarr', {
      image: 'ghcr.io/julesfrn/sonarr:4.0.0',
      port: 8989,
      expose: 'none',
      mounts: [{ volume: jellyfin.volume('config'), mountPath: '/media', subPath: 'library' }],
    });
    const all = manifests(app);
    const pod = at(find(all, 'Deployment', 'sonarr'), 'spec', 'template', 'spec');
    expect(at(pod, 'volumes')).toContainEqual({ name: 'config', persistentVolumeClaim: { claimName: 'jellyfin-config' } });
    expect(at(pod, 'affinity')).toEqual({
      podAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: [
          {
            labelSelector: { matchLabels: { 'app.kubernetes.io/name': 'jellyfin', 'app.kubernetes.io/instance': 'jellyfin' } },
            topologyKey: 'kubernetes.io/hostname',
          },
        ],
      },
    });
    expect(() => jellyfin.volume('media')).toThrow(/^jellyfin: volume\(\) "media" is not a volume of the app; use one of config/);
    expect(
      () =>
        new AppStack(app, 'radarr', {
          image: 'ghcr.io/julesfrn/radarr:5.0.0',
          expose: 'none',
          mounts: [{ volume: jellyfin.volume('config'), mountPath: '/media' }],
        }),
    ).toThrow(
      /radarr: props\.mounts\[0\]\.volume "config" is a volume of app jellyfin in namespace media, and a pod can only mount claims of its own namespace \(radarr\); create both apps in one SharedNamespace/,
    );
  });

  it("sends the namespace's security headers from an app routed through a Gateway, unless it sets its own", () => {
    const { app, ns } = media({ securityHeaders: { stsSeconds: 600 } });
    const gateway = { name: 'public', namespace: 'gateway' };
    new AppStack(ns, 'jellyfin', { image: 'jellyfin/jellyfin:10.10.7', port: 8096, host: 'jellyfin.example.com', expose: 'gateway', gateway });
    new AppStack(ns, 'jellyseerr', {
      image: 'fallenbagel/jellyseerr:2.7.3',
      port: 5055,
      host: 'requests.example.com',
      expose: 'gateway',
      gateway,
      securityHeaders: { stsSeconds: 60 },
    });
    const sts = (route: string) =>
      (
        at(find(manifests(app), 'HTTPRoute', route), 'spec', 'rules', 0, 'filters', 0, 'responseHeaderModifier', 'set') as { name: string; value: string }[]
      ).find((h) => h.name === 'Strict-Transport-Security')?.value;
    expect([sts('jellyfin'), sts('jellyseerr')]).toEqual(['max-age=600', 'max-age=60']);
  });
});
