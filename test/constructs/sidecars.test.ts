import { describe, expect, it } from 'vitest';
import { AppNfsShare, AppStack, type AppStackProps, Volume } from '../../lib';
import { at, find, manifests, newApp, untyped } from '../helpers';

const WIKI: AppStackProps = {
  image: 'ghcr.io/requarks/wiki:2.5.306',
  host: 'wiki.example.com',
  port: 3000,
  volumes: [{ name: 'data', mountPath: '/wiki/data', size: '1Gi' }],
  initContainers: [{ name: 'migrate', image: 'ghcr.io/requarks/wiki:2.5.306', command: ['node', 'migrate.js'] }],
  sidecars: [
    {
      name: 'backup',
      image: 'ghcr.io/julesfrn/rclone-sync:1.0.0',
      env: { TARGET: 's3:wiki' },
      secretEnv: { RCLONE_KEY: { secret: 'tools-secrets', key: 'rclone' } },
      mounts: [{ volume: Volume.pvc('data', 'wiki-data'), mountPath: '/data', readOnly: true }],
      ports: [{ name: 'status', port: 5572 }],
    },
  ],
};

function pod(kubernetesVersion: string, props: Partial<AppStackProps> = {}): Record<string, unknown> {
  const app = newApp({ kubernetesVersion, handMadeSecrets: ['wiki/tools-secrets'] });
  new AppStack(app, 'wiki', untyped({ ...WIKI, ...props }));
  return at(find(manifests(app), 'Deployment', 'wiki'), 'spec', 'template', 'spec') as Record<string, unknown>;
}

const names = (list: unknown) => (list as { name: string }[] | undefined)?.map((c) => c.name);

describe('sidecars and init containers', () => {
  it('are native sidecars from Kubernetes 1.29, plain containers before, after the init containers, each schema-valid', () => {
    const old = pod('1.28');
    expect([names(old.initContainers), names(old.containers)]).toEqual([['migrate'], ['wiki', 'backup']]);
    const native = pod('1.29');
    expect([names(native.initContainers), names(native.containers)]).toEqual([['migrate', 'backup'], ['wiki']]);
    expect(at(native, 'initContainers', 1, 'restartPolicy')).toBe('Always');
    expect(at(native, 'initContainers', 0, 'restartPolicy')).toBeUndefined();
  });

  it('are hardened like the app, share its volumes and writable paths, and a sidecar with a port is probed', () => {
    const spec = pod('1.28');
    const [app, backup] = spec.containers as Record<string, unknown>[];
    expect(backup.securityContext).toEqual(app.securityContext);
    expect(backup.volumeMounts).toEqual([
      { name: 'tmp', mountPath: '/tmp' },
      { name: 'data', mountPath: '/data', readOnly: true },
    ]);
    expect((spec.volumes as { name: string }[]).filter((v) => v.name === 'data')).toHaveLength(1);
    expect(backup.readinessProbe).toEqual({ tcpSocket: { port: 5572 }, periodSeconds: 10, timeoutSeconds: 2, failureThreshold: 3 });
    expect(at(spec, 'initContainers', 0, 'readinessProbe')).toBeUndefined();
    expect(at(backup, 'env')).toEqual([
      { name: 'RCLONE_KEY', valueFrom: { secretKeyRef: { name: 'tools-secrets', key: 'rclone' } } },
      { name: 'TARGET', value: 's3:wiki' },
    ]);
  });

  it('fail on a name used twice, a floating image, a bad port and a misspelled option, all at once', () => {
    expect(() =>
      pod('1.28', {
        initContainers: [{ name: 'backup', image: 'busybox:latest' }],
        sidecars: untyped([{ name: 'backup', image: 'ghcr.io/julesfrn/rclone-sync:1.0.0', ports: [{ name: 'status', port: 0 }], mount: [] }]),
      }),
    ).toThrow(/props\.sidecars\[0\]\.mount \[\] is not a prop of ExtraContainer; did you mean "mounts"\?/);
    expect(() =>
      pod('1.28', {
        initContainers: [{ name: 'backup', image: 'busybox:latest' }],
        sidecars: [{ name: 'backup', image: 'ghcr.io/julesfrn/rclone-sync:1.0.0', ports: [{ name: 'status', port: 0 }] }],
      }),
    ).toThrow(
      /props\.sidecars\[0\]\.ports\[0\]\.port 0 must be an integer[\s\S]*props\.initContainers\[0\]\.name "backup" is used twice[\s\S]*props\.initContainers\[0\]\.image "busybox:latest"/,
    );
  });
});

describe('devices of device plugins (resources.devices)', () => {
  it('requests and limits a GPU for hardware transcoding, without host paths or privilege', () => {
    const app = newApp();
    new AppStack(app, 'jellyfin', {
      image: 'jellyfin/jellyfin:10.10.3',
      host: 'tv.example.com',
      port: 8096,
      resources: { memoryLimit: '2Gi', devices: { 'gpu.intel.com/i915': 1 } },
    });
    const c = at(find(manifests(app), 'Deployment', 'jellyfin'), 'spec', 'template', 'spec', 'containers', 0, 'resources');
    expect(c).toEqual({
      requests: { cpu: '50m', memory: '64Mi', 'gpu.intel.com/i915': '1' },
      limits: { memory: '2Gi', 'gpu.intel.com/i915': '1' },
    });
  });

  it('fails on a resource that is no device plugin’s, or a count that is not whole', () => {
    expect(
      () =>
        new AppStack(newApp(), 'jellyfin', {
          image: 'jellyfin/jellyfin:10.10.3',
          host: 'tv.example.com',
          port: 8096,
          resources: { devices: { gpu: 1, 'nvidia.com/gpu': 0.5 } },
        }),
    ).toThrow(
      /props\.resources\.devices\.gpu "gpu" is not the extended resource of a device plugin[\s\S]*props\.resources\.devices\.nvidia\.com\/gpu 0\.5 must be a whole number, 1 or more/,
    );
  });
});

describe('AppNfsShare', () => {
  it('binds a NAS share to one claim that apps mount like any volume, under restricted', () => {
    const app = newApp();
    const jellyfin = new AppStack(app, 'jellyfin', {
      image: 'jellyfin/jellyfin:10.10.3',
      host: 'tv.example.com',
      port: 8096,
      mounts: [{ volume: Volume.pvc('media', 'media'), mountPath: '/media', readOnly: true }],
    });
    new AppNfsShare(jellyfin, 'Media', {
      name: 'media',
      namespace: 'jellyfin',
      server: '192.168.1.10',
      path: '/volume1/media',
      readOnly: true,
      mountOptions: ['nfsvers=4.1'],
    });
    const all = manifests(app);
    expect(find(all, 'PersistentVolume', 'jellyfin-media').spec).toEqual({
      capacity: { storage: '1Ti' },
      accessModes: ['ReadOnlyMany'],
      persistentVolumeReclaimPolicy: 'Retain',
      storageClassName: '',
      mountOptions: ['nfsvers=4.1'],
      nfs: { server: '192.168.1.10', path: '/volume1/media', readOnly: true },
      claimRef: { namespace: 'jellyfin', name: 'media' },
    });
    expect(find(all, 'PersistentVolumeClaim', 'media').spec).toMatchObject({ volumeName: 'jellyfin-media', storageClassName: '' });
  });

  it('fails on a server that is no host, a relative path and a bad size', () => {
    expect(() => new AppNfsShare(newApp(), 'Media', { name: 'media', namespace: 'jellyfin', server: 'nas_1', path: 'volume1', size: 'big' })).toThrow(
      /props\.server "nas_1" is not a host name nor an IP address[\s\S]*props\.path "volume1" is not an absolute path[\s\S]*props\.size "big" is not a Kubernetes quantity/,
    );
  });
});

describe('Volume.csi', () => {
  it('mounts a CSI driver’s volume inline, which restricted pods may, and refuses a driver name that is none', () => {
    const app = newApp();
    new AppStack(app, 'paperless', {
      image: 'ghcr.io/paperless-ngx/paperless-ngx:2.13.5',
      host: 'docs.example.com',
      port: 8000,
      mounts: [{ volume: Volume.csi('scans', 'smb.csi.k8s.io', { source: '//nas.lan/scans' }, true), mountPath: '/scans' }],
    });
    const volumes = at(find(manifests(app), 'Deployment', 'paperless'), 'spec', 'template', 'spec', 'volumes') as { name: string }[];
    expect(volumes.find((v) => v.name === 'scans')).toEqual({
      name: 'scans',
      csi: { driver: 'smb.csi.k8s.io', volumeAttributes: { source: '//nas.lan/scans' }, readOnly: true },
    });
    expect(
      () =>
        new AppStack(newApp(), 'paperless', {
          image: 'ghcr.io/paperless-ngx/paperless-ngx:2.13.5',
          host: 'docs.example.com',
          port: 8000,
          mounts: [{ volume: Volume.csi('scans', 'SMB CSI'), mountPath: '/scans' }],
        }),
    ).toThrow(/props\.mounts\[0\]\.volume\.driver "SMB CSI" is not a CSI driver name; write e\.g\. smb\.csi\.k8s\.io/);
  });
});
