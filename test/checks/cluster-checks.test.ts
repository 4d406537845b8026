import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppStack, formatProblem, HomelabApp, type Manifest, validateManifestFiles } from '../../lib';
import { clusterProblems, leaf, m } from '../cluster-fixture';

describe('whole-cluster checks', () => {
  it('passes the valid base cluster', () => {
    expect(clusterProblems(() => undefined)).toEqual([]);
  });

  it('fails if two routes claim the same host on one entry point', () => {
    const problems = clusterProblems((all) => {
      const copy = structuredClone(all[6]);
      m(copy).metadata.name = leaf('other');
      m(copy).spec.routes[0].match = leaf('Host(`blog.example.com`)');
      return [...all, copy];
    });
    expect(problems).toEqual([
      expect.stringMatching(
        /IngressRoute\/other spec\.routes\[0\]\.match "blog\.example\.com" is already routed on entry point websecure by IngressRoute blog\/blog-websecure \(at fixture#7\)/,
      ),
    ]);
  });

  it('tells routes on other paths or entry points apart', () => {
    expect(
      clusterProblems((all) => {
        const api = structuredClone(all[6]);
        m(api).metadata.name = leaf('api');
        m(api).spec.routes[0].match = leaf('Host(`blog.example.com`) && PathPrefix(`/api`)');
        const web = structuredClone(all[6]);
        m(web).metadata.name = leaf('web');
        m(web).spec.entryPoints = leaf(['web']);
        m(web).spec.routes[0].middlewares = leaf([{ name: 'https-redirect' }]);
        delete (m(web).spec as Record<string, unknown>).tls;
        return [...all, api, web];
      }),
    ).toEqual([]);
  });

  it('fails if a route names a Service that is not in the cluster, or a port it does not have', () => {
    expect(
      clusterProblems((all) => {
        m(all[6]).spec.routes[0].services[0].name = leaf('ghost');
      }),
    ).toContainEqual(expect.stringMatching(/spec\.routes\[0\]\.services\[0\]\.name "blog\/ghost" is not a Service of the cluster/));
    expect(
      clusterProblems((all) => {
        m(all[6]).spec.routes[0].services[0].port = leaf(8080);
      }),
    ).toContainEqual(expect.stringMatching(/spec\.routes\[0\]\.services\[0\]\.port 8080 is not a port of Service blog\/blog; use one of 80 \(http\)/));
    expect(
      clusterProblems((all) => {
        m(all[6]).spec.routes[0].services[0].port = leaf('web');
      }),
    ).toContainEqual(expect.stringMatching(/port "web" is not a port of Service blog\/blog/));
  });

  it('fails if a Middleware reference does not exist', () => {
    expect(
      clusterProblems((all) => {
        m(all[6]).spec.routes[0].middlewares = leaf([{ name: 'security-headers' }, { name: 'sso' }]);
      }),
    ).toEqual([
      expect.stringMatching(/spec\.routes\[0\]\.middlewares\[1\] "blog\/sso" is not a Middleware of the cluster; define Middleware "sso" in namespace "blog"/),
    ]);
    expect(
      clusterProblems((all) => {
        m(all[6]).spec.routes[0].middlewares = leaf([{ name: 'security-headers' }, { name: 'auth@file' }]);
      }),
    ).toEqual([]);
  });

  it('fails if a reference crosses namespaces while Traefik does not allow it', () => {
    const crossing = (all: Manifest[]) => {
      const mw = structuredClone(all[5]);
      m(mw).metadata.namespace = leaf('shared');
      m(all[6]).spec.routes[0].middlewares = leaf([{ name: 'security-headers', namespace: 'shared' }]);
      return [...all, mw];
    };
    expect(clusterProblems(crossing)).toEqual([
      expect.stringMatching(
        /middlewares\[0\] "shared\/security-headers" is in another namespace than the IngressRoute \(blog\), and Traefik refuses cross-namespace references by default/,
      ),
    ]);
    expect(clusterProblems(crossing, { allowCrossNamespace: true })).toEqual([]);
  });

  it('fails if a Service selector matches no pod template of its namespace', () => {
    expect(
      clusterProblems((all) => {
        m(all[2]).spec.selector = leaf({ 'app.kubernetes.io/name': 'blgo' });
      }),
    ).toEqual([expect.stringMatching(/Service\/blog spec\.selector \{"app\.kubernetes\.io\/name":"blgo"\} matches no pod template in namespace "blog"/)]);
    expect(
      clusterProblems((all) => {
        m(all[3]).metadata.namespace = leaf('elsewhere');
      }),
    ).toContainEqual(expect.stringMatching(/matches no pod template in namespace "blog"/));
  });

  it('warns if a numeric targetPort is not a port of the selected containers (Kubernetes forwards it anyway), and fails for a name', () => {
    expect(
      clusterProblems((all) => {
        m(all[2]).spec.ports[0].targetPort = leaf(9090);
        m(all[7]).spec.ingress[0].ports[0].port = leaf(9090); // Traefik may reach it: only the port is at stake
      }),
    ).toEqual([
      expect.stringMatching(
        /^warning HL-undeclared-target-port: .*spec\.ports\[0\]\.targetPort 9090 is not a port of the containers the Service selects; use one of 8080 \(http\)/,
      ),
    ]);
    expect(
      clusterProblems((all) => {
        m(all[2]).spec.ports[0].targetPort = leaf('metrics');
      }),
    ).toEqual([expect.stringMatching(/^blog: .*spec\.ports\[0\]\.targetPort "metrics" is not a port of the containers the Service selects/)]);
    expect(
      clusterProblems((all) => {
        m(all[2]).spec.ports[0].targetPort = leaf('http');
      }),
    ).toEqual([]);
    expect(
      clusterProblems((all) => {
        m(all[2]).spec.ports[0].targetPort = leaf('metrics');
      }),
    ).toContainEqual(expect.stringMatching(/targetPort "metrics" is not a port/));
  });

  it('fails if the TLS domains do not cover every host', () => {
    expect(
      clusterProblems((all) => {
        m(all[6]).spec.tls.domains = leaf([{ main: 'example.com', sans: ['blog.example.com'] }]);
      }),
    ).toEqual([expect.stringMatching(/spec\.routes\[0\]\.match "www\.example\.com" is not covered by the TLS domains \(example\.com, blog\.example\.com\)/)]);
  });

  it('fails if two objects have the same kind, namespace and name', () => {
    expect(clusterProblems((all) => [...all, structuredClone(all[4])])).toEqual([
      expect.stringMatching(
        /Middleware\/https-redirect metadata\.name "https-redirect" is already used by another Middleware in namespace "blog" \(at fixture#5\)/,
      ),
    ]);
  });

  it('fails if names, namespaces or labels break DNS-1123 or label syntax', () => {
    expect(
      clusterProblems((all) => {
        m(all[4]).metadata.name = leaf('HTTPS_redirect');
      }),
    ).toContainEqual(expect.stringMatching(/metadata\.name "HTTPS_redirect" is not a valid object name \(DNS-1123 subdomain\)/));
    expect(
      clusterProblems((all) => {
        m(all[0]).metadata.labels.team = leaf('home lab');
      }),
    ).toEqual([expect.stringMatching(/Namespace\/blog metadata\.labels\["team"\] "home lab" is not a valid label value/)]);
    expect(
      clusterProblems((all) => {
        m(all[0]).metadata.labels['bad key!'] = leaf('x');
      }),
    ).toEqual([expect.stringMatching(/metadata\.labels "bad key!" is not a valid label key/)]);
    expect(
      clusterProblems((all) => {
        m(all[2]).metadata.name = leaf('1blog');
        m(all[6]).spec.routes[0].services[0].name = leaf('1blog');
      }),
    ).toContainEqual(expect.stringMatching(/Service\/1blog metadata\.name "1blog" is not a valid Service name \(DNS-1035 label\)/));
  });

  it('fails if a route host is not a valid DNS name', () => {
    expect(
      clusterProblems((all) => {
        m(all[6]).spec.routes[0].match = leaf('Host(`blog..example.com`)');
      }),
    ).toEqual([expect.stringMatching(/spec\.routes\[0\]\.match "blog\.\.example\.com" is not a valid DNS name/)]);
  });

  it('fails if a port is out of range', () => {
    expect(
      clusterProblems((all) => {
        m(all[3]).spec.template.spec.containers[0].ports[0].containerPort = leaf(70000);
        m(all[2]).spec.ports[0].targetPort = leaf(70000);
      }),
    ).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/Deployment\/blog spec\.template\.spec\.containers\[0\]\.ports\[0\]\.containerPort 70000 is not a port number/),
        expect.stringMatching(/Service\/blog spec\.ports\[0\]\.targetPort 70000 is not a port number/),
      ]),
    );
  });

  it('fails if an image reference is invalid, untagged or latest, unless updates are automatic or it is allowed', () => {
    const withImage = (image: string, annotations?: Record<string, string>) =>
      clusterProblems((all) => {
        m(all[3]).spec.template.spec.containers[0].image = leaf(image);
        if (annotations) {
          m(all[3]).metadata.annotations = leaf(annotations);
        }
      });
    expect(withImage('Ghcr.io/Example/Blog:1')).toEqual([
      expect.stringMatching(/containers\[0\]\.image "Ghcr\.io\/Example\/Blog:1" is not a valid image reference/),
    ]);
    expect(withImage('ghcr.io/example/blog')).toEqual([
      expect.stringMatching(/image "ghcr\.io\/example\/blog" has no tag, so it means "latest"; pin a version \(e\.g\. ghcr\.io\/example\/blog:1\.2\.3\)/),
    ]);
    expect(withImage('nginx:latest')).toEqual([expect.stringMatching(/image "nginx:latest" is tagged "latest"/)]);
    expect(withImage(`nginx@sha256:${'0'.repeat(64)}`)).toEqual([]);
    expect(withImage('nginx:latest', { 'keel.sh/policy': 'force' })).toEqual([]);
    expect(withImage('nginx:latest', { 'cdk8s-homelab/allow-floating-tag': 'true' })).toEqual([]);
  });

  it('names the fields of a bare Pod from its own spec', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'homelab-pod-'));
    try {
      fs.writeFileSync(
        path.join(dir, 'pod.yaml'),
        'apiVersion: v1\nkind: Pod\nmetadata: { name: p, namespace: default }\nspec:\n  containers:\n    - { name: c, image: nginx }\n',
      );
      const messages = validateManifestFiles([dir]).problems.map(formatProblem);
      expect(messages).toEqual(expect.arrayContaining([expect.stringMatching(/Pod\/p spec\.containers\[0\]\.image "nginx" has no tag/)]));
      expect(messages.join('\n')).not.toContain('metadata.spec');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reports every problem of the cluster at once', () => {
    const problems = clusterProblems((all) => {
      m(all[2]).spec.ports[0].targetPort = leaf(9090);
      m(all[6]).spec.routes[0].services[0].name = leaf('ghost');
      m(all[3]).spec.template.spec.containers[0].image = leaf('nginx');
    });
    expect(problems).toHaveLength(3);
  });
});

describe('routes the ingress controller cannot follow', () => {
  it('fails if the NetworkPolicies of the backend namespace keep the ingress controller out, on that port', () => {
    expect(clusterProblems((all) => all.slice(0, 7))).toEqual([
      expect.stringMatching(
        /^blog: IngressRoute\/blog-websecure spec\.routes\[0\]\.services\[0\]\.name "blog\/blog" is not reachable by the ingress controller: the NetworkPolicies of namespace blog \(default-deny-ingress\) let no traffic in from kube-system\/app\.kubernetes\.io\/name=traefik,.* on port 8080; /,
      ),
    ]);
    // The ingress controller of another cluster, declared in the cluster context.
    expect(clusterProblems(() => undefined, { ingressController: { namespace: 'ingress-nginx', labels: { app: 'nginx' } } })).toHaveLength(1);
    // No policy selects the pods: they take any traffic (the policy rules want one, which is another matter).
    expect(clusterProblems((all) => [...all.slice(0, 1), ...all.slice(2, 7)]).filter((p) => p.includes('not reachable'))).toEqual([]);
    // A namespace selector that cannot be decided here (matchExpressions) is given the benefit of the doubt.
    expect(
      clusterProblems((all) => {
        m(all[7]).spec.ingress[0].from[0].namespaceSelector = leaf({ matchExpressions: [{ key: 'x', operator: 'Exists' }] });
      }),
    ).toEqual([]);
  });

  it('fails if a path routes to an app whose namespace denies Traefik (expose: "none")', () => {
    const build = (apiExpose: 'none' | 'https') => {
      const app = new HomelabApp({ outdir: '/nonexistent', failFast: true, cluster: { allowCrossNamespace: true, certResolvers: ['letsencrypt'] } });
      new AppStack(
        app,
        'api',
        apiExpose === 'none'
          ? { image: 'ghcr.io/me/api:1.0.0', port: 8080, expose: 'none' }
          : { image: 'ghcr.io/me/api:1.0.0', port: 8080, host: 'api.example.com' },
      );
      new AppStack(app, 'web', {
        image: 'ghcr.io/me/web:1.0.0',
        port: 8080,
        host: 'web.example.com',
        paths: [{ prefix: '/api', service: { name: 'api', namespace: 'api', port: 80 } }],
      });
      return () => app.synthFiles();
    };
    expect(build('none')).toThrow(
      /web: IngressRoute\/web-websecure spec\.routes\[\d\]\.services\[0\]\.name "api\/api" is not reachable by the ingress controller/,
    );
    expect(build('https')).not.toThrow();
  });
});

describe('AppStack image tags', () => {
  it('fails if the image has no tag or is latest, unless allowFloatingTag is set', () => {
    const build = (image: string, allowFloatingTag?: boolean) => {
      const app = new HomelabApp({ outdir: '/nonexistent' });
      new AppStack(app, 'tools', { image, host: 'tools.example.com', port: 8080, allowFloatingTag });
      return app.synthFiles()[0].objects.find((o) => o.manifest.kind === 'Deployment')?.manifest;
    };
    expect(() => build('ghcr.io/example/tools')).toThrow(/tools: props\.image "ghcr\.io\/example\/tools" has no tag, so it means "latest"; pin a version/);
    expect(() => build('ghcr.io/example/tools:latest')).toThrow(/is tagged "latest"/);
    expect(build('ghcr.io/example/tools:latest', true)?.metadata.annotations).toEqual({ 'cdk8s-homelab/allow-floating-tag': 'true' });
  });
});
