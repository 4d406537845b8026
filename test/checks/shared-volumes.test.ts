import { describe, expect, it } from 'vitest';
import { AppStack, type Manifest, Schedule, SharedNamespace, type SynthesizedObject } from '../../lib';
import { sharedVolumes } from '../../lib/checks/cluster/volumes';
import { manifests, newApp } from '../helpers';

const claim = (accessMode: string): Manifest => ({
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: { name: 'media', namespace: 'media' },
  spec: { accessModes: [accessMode], resources: { requests: { storage: '10Gi' } } },
});

const workload = (name: string, spec: Record<string, unknown> = {}, replicas = 1): Manifest => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: 'media' },
  spec: {
    replicas,
    template: {
      metadata: { labels: { app: name } },
      spec: { volumes: [{ name: 'media', persistentVolumeClaim: { claimName: 'media' } }], containers: [{ name, image: `${name}:1.0.0` }], ...spec },
    },
  },
});

const onNodeOf = (app: string) => ({
  affinity: {
    podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { app } }, topologyKey: 'kubernetes.io/hostname' }] },
  },
});

function check(...all: Manifest[]): string[] {
  const objects: SynthesizedObject[] = all.map((manifest, i) => ({ app: 'media', path: `fixture#${i}`, manifest }));
  return sharedVolumes(objects).map((p) => `${p.field} ${JSON.stringify(p.value)} ${p.message}`);
}

describe('sharedVolumes: a claim of one node or one pod, shared', () => {
  it('refuses a ReadWriteOnce claim mounted by a second workload that nothing puts on the first one’s node', () => {
    expect(check(claim('ReadWriteOnce'), workload('jellyfin'), workload('sonarr'))).toEqual([
      'Deployment/sonarr spec.template.spec.volumes[0].persistentVolumeClaim.claimName "media/media" is a ReadWriteOnce claim that Deployment jellyfin also mounts, and nothing puts these pods on its node, where the volume is',
    ]);
    expect(check(claim('ReadWriteOnce'), workload('jellyfin'), workload('sonarr', onNodeOf('jellyfin')))).toEqual([]);
    // An affinity to pods that do not mount it, or on another topology, does not hold the volume's node.
    expect(check(claim('ReadWriteOnce'), workload('jellyfin'), workload('sonarr', onNodeOf('radarr')))).toHaveLength(1);
    expect(check(claim('ReadWriteMany'), workload('jellyfin'), workload('sonarr'))).toEqual([]);
  });

  it('refuses a ReadWriteOncePod claim mounted by more than one pod', () => {
    expect(check(claim('ReadWriteOncePod'), workload('jellyfin'))).toEqual([]);
    expect(check(claim('ReadWriteOncePod'), workload('jellyfin', {}, 2), workload('sonarr', onNodeOf('jellyfin')))).toEqual([
      'Deployment/jellyfin spec.template.spec.volumes[0].persistentVolumeClaim.claimName "media/media" is a ReadWriteOncePod claim: only one pod may mount it, and more would',
      'Deployment/sonarr spec.template.spec.volumes[0].persistentVolumeClaim.claimName "media/media" is a ReadWriteOncePod claim: only one pod may mount it, and more would',
    ]);
  });

  it('passes what AppStack writes: a volume of another app, and the scheduled tasks of an app', () => {
    const app = newApp();
    const ns = new SharedNamespace(app, 'media');
    const jellyfin = new AppStack(ns, 'jellyfin', {
      image: 'jellyfin/jellyfin:10.10.7',
      port: 8096,
      expose: 'none',
      volumes: [{ name: 'library', mountPath: '/media', size: '1Gi' }],
      cronJobs: [{ name: 'scan', schedule: Schedule.daily(3), command: ['/scan'] }],
    });
    new AppStack(ns, 'sonarr', {
      image: 'ghcr.io/home-operations/sonarr:4.0.15',
      port: 8989,
      expose: 'none',
      mounts: [{ volume: jellyfin.volume('library'), mountPath: '/tv' }],
    });
    expect(manifests(app).filter((m) => m.kind === 'Deployment' || m.kind === 'CronJob')).toHaveLength(3);
  });
});
