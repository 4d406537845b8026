import { describe, expect, it } from 'vitest';
import { AppStack, type AppStackProps, WELL_KNOWN_IMAGES } from '../../lib';
import { wellKnownImage } from '../../lib/constructs/workload/image-needs';
import { at, find, manifests, newApp, untyped } from '../helpers';

const BLOG = { host: 'blog.example.com', port: 80 };

/** The pod spec of an app's Deployment. */
function pod(props: Partial<AppStackProps>): Record<string, unknown> {
  const app = newApp();
  new AppStack(app, 'blog', untyped({ ...BLOG, ...props }));
  return at(find(manifests(app), 'Deployment', 'blog'), 'spec', 'template', 'spec') as Record<string, unknown>;
}

const mounts = (spec: Record<string, unknown>) => (at(spec, 'containers', 0, 'volumeMounts') as { mountPath: string }[]).map((m) => m.mountPath);

describe('pods that start under restricted: what well-known images need', () => {
  it('gives stock nginx (and an image built FROM it) its writable paths and user, port 80 opened to non-root', () => {
    for (const spec of [pod({ image: 'nginx:1.27.3-alpine' }), pod({ image: 'ghcr.io/julesfrn/blog:1.0.0', security: { like: 'nginx' } })]) {
      expect(mounts(spec)).toEqual(['/tmp', '/var/cache/nginx', '/run']);
      expect(spec.securityContext).toMatchObject({
        runAsNonRoot: true,
        runAsUser: 101,
        runAsGroup: 101,
        fsGroup: 101,
        sysctls: [{ name: 'net.ipv4.ip_unprivileged_port_start', value: '0' }],
      });
      expect(at(spec, 'containers', 0, 'securityContext', 'readOnlyRootFilesystem')).toBe(true);
    }
  });

  it('knows the images by their Docker Hub names only, and leaves an app that says how it runs as it said', () => {
    expect(wellKnownImage('docker.io/library/redis:7.4.1')).toBe('redis');
    expect(wellKnownImage('grafana/grafana:11.3.1')).toBe('grafana');
    expect(wellKnownImage('ghcr.io/someone/nginx:1.0.0')).toBeUndefined();
    expect(mounts(pod({ image: 'nginx:1.27.3', security: { writablePaths: ['/var/cache/nginx'] } }))).toEqual(['/tmp', '/var/cache/nginx']);
    expect(pod({ image: 'nginx:1.27.3', security: { runAsUser: 2000 } }).securityContext).toMatchObject({ runAsUser: 2000 });
    expect(mounts(pod({ image: 'ghcr.io/julesfrn/blog:1.0.0' }))).toEqual(['/tmp']);
  });

  it('leaves a path the app mounts a volume at to that volume', () => {
    const spec = pod({ image: 'redis:7.4.1', port: 6379, volumes: [{ name: 'data', mountPath: '/data', size: '1Gi' }] });
    expect(mounts(spec).filter((p) => p === '/data')).toHaveLength(1);
    expect(spec.securityContext).toMatchObject({ runAsUser: 999 });
  });

  it('fails on an image it does not know, naming those it does', () => {
    expect(() => pod({ image: 'ghcr.io/julesfrn/blog:1.0.0', security: untyped({ like: 'lighttpd' }) })).toThrow(
      /props\.security\.like "lighttpd" is not a well-known image; use one of nginx, nginx-unprivileged, httpd, caddy, grafana, redis, postgres, mariadb; or give writablePaths and runAsUser yourself/,
    );
    expect(Object.keys(WELL_KNOWN_IMAGES)).toHaveLength(8);
  });
});
