import { Chart } from 'cdk8s';
import { describe, expect, it } from 'vitest';
import { AppDeployment, AppNamespace, AppService, AppStack, HttpsRedirect, HttpsRoute, PropChecker, StripPrefix } from '../../lib';
import { at, container, find, newApp, uncheckedManifests } from '../helpers';

function chart() {
  const app = newApp();
  return { app, chart: new Chart(app, 'tools') };
}

describe('the small constructs, used alone', () => {
  it('AppDeployment runs an image with the given selector and defaults', () => {
    const { app, chart: c } = chart();
    const d = new AppDeployment(c, 'Api', { name: 'api', namespace: 'tools', image: 'ghcr.io/me/api:2.1.0', port: 3000, selector: { app: 'api' } });
    expect(d.replicas).toBe(1);
    const m = find(uncheckedManifests(app), 'Deployment', 'api');
    expect(at(m, 'spec', 'selector', 'matchLabels')).toEqual({ app: 'api' });
    expect(at(m, 'spec', 'template', 'metadata', 'labels')).toEqual({ app: 'api' });
    expect(container(m)).toMatchObject({ name: 'api', image: 'ghcr.io/me/api:2.1.0', ports: [{ containerPort: 3000 }] });
  });

  it('AppService, AppNamespace, HttpsRedirect and HttpsRoute compose into a working route', () => {
    const { app, chart: c } = chart();
    new AppNamespace(c, 'Ns', { name: 'tools' });
    const svc = new AppService(c, 'Svc', { name: 'api', namespace: 'tools', selector: { app: 'api' }, targetPort: 3000, port: 8080 });
    const redirect = new HttpsRedirect(c, 'Redirect', { namespace: 'tools', name: 'to-https', permanent: false });
    new HttpsRoute(c, 'Route', {
      name: 'api',
      namespace: 'tools',
      hosts: ['api.example.com'],
      serviceName: svc.name,
      servicePort: svc.port,
      redirectMiddleware: { name: redirect.name },
      middlewares: [{ name: 'auth', namespace: 'sso' }],
    });
    const all = uncheckedManifests(app);
    expect(at(find(all, 'Middleware', 'to-https'), 'spec', 'redirectScheme')).toEqual({ scheme: 'https', permanent: false });
    expect(at(find(all, 'IngressRoute', 'api-web'), 'spec', 'routes', 0, 'middlewares')).toEqual([{ name: 'to-https', namespace: 'tools' }]);
    expect(at(find(all, 'IngressRoute', 'api-websecure'), 'spec', 'routes', 0)).toMatchObject({
      middlewares: [{ name: 'auth', namespace: 'sso' }],
      services: [{ name: 'api', namespace: 'tools', port: 8080 }],
    });
  });

  it('fails if a standalone construct gets bad props, naming its own path', () => {
    const { chart: c } = chart();
    expect(() => new AppNamespace(c, 'Ns', { name: 'Tools' })).toThrow(/^tools: props\.name "Tools" is not a valid namespace name; .* \(at tools\/Ns\)$/);
    expect(() => new AppService(c, 'Svc', { name: '1api', namespace: 'tools', selector: {}, targetPort: 0 })).toThrow(
      /3 problems:.*\n.*props\.name "1api" is not a valid Service name.*\n.*props\.targetPort 0 must be.*\n.*props\.selector \{\} must not be empty/,
    );
    expect(
      () => new HttpsRoute(c, 'Route', { name: 'api', namespace: 'tools', hosts: [], serviceName: 'api', servicePort: 80, redirectMiddleware: { name: 'r' } }),
    ).toThrow(/props\.hosts \[\] must name at least one host \(at tools\/Route\)/);
    expect(() => new AppDeployment(c, 'D', { name: 'api', namespace: 'tools', image: 'x:latest@sha256:zz', port: 80, selector: { a: 'b' } })).toThrow(
      /props\.image "x:latest@sha256:zz" is not a valid image reference/,
    );
  });

  it('StripPrefix strips path prefixes, and refuses what is not one', () => {
    const { app, chart: c } = chart();
    new StripPrefix(c, 'Strip', { name: 'strip-api', namespace: 'tools', prefixes: ['/api', '/v1/docs'] });
    expect(at(find(uncheckedManifests(app), 'Middleware', 'strip-api'), 'spec')).toEqual({ stripPrefix: { prefixes: ['/api', '/v1/docs'] } });
    expect(() => new StripPrefix(c, 'None', { name: 'strip-none', namespace: 'tools', prefixes: [] })).toThrow(
      /^tools: props\.prefixes \[\] must list at least one prefix; give the path .* \(at tools\/None\)$/,
    );
    expect(() => new StripPrefix(c, 'Bad', { name: 'strip-bad', namespace: 'tools', prefixes: ['api', '/', '/a b', '/api', '/api'] })).toThrow(
      /4 problems:.*\n.*props\.prefixes\[0\] "api" is not a path prefix.*\n.*props\.prefixes\[1\] "\/" is not a path prefix.*\n.*props\.prefixes\[2\] "\/a b" is not a path prefix.*\n.*props\.prefixes\[4\] "\/api" is listed twice/,
    );
  });
});

describe('props checked once per tier', () => {
  const route = {
    name: 'blog',
    namespace: 'blog',
    hosts: ['blog..example.com'],
    serviceName: 'blog',
    servicePort: 80,
    redirectMiddleware: { name: 'https-redirect' },
  };

  it('a construct checks its own props, unless its parent declared it checked them first', () => {
    const chart = new Chart(newApp(), 'blog');
    expect(() => new HttpsRoute(chart, 'Alone', route)).toThrow(/props\.host "blog\.\.example\.com" is not a valid DNS name/);
    PropChecker.declareChecked(chart, ['Route']);
    expect(PropChecker.checkedByParent(new HttpsRoute(chart, 'Route', route))).toBe(true);
    // Only the declared child, and only under that parent.
    expect(() => new HttpsRoute(chart, 'Other', route)).toThrow(/props\.host "blog\.\.example\.com"/);
    expect(() => new HttpsRoute(new Chart(newApp(), 'x'), 'Route', route)).toThrow(/props\.host "blog\.\.example\.com"/);
  });

  it('AppStack checks what it hands to its children, under its own prop names, and each problem once', () => {
    const app = newApp();
    let message = '';
    try {
      new AppStack(app, 'blog', { image: 'ghcr.io/me/blog:1.0.0', host: 'blog..example.com', port: 80, ipAllowList: ['10.0.0.0/8'], ipStrategyDepth: 0 });
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/props\.host "blog\.\.example\.com"/);
    expect(message).toMatch(/props\.ipStrategyDepth 0 must be a whole number, 1 or more/);
    expect(message.match(/blog\.\.example\.com/g)).toHaveLength(1);
  });
});
