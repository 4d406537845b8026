import { addApps, CLUSTER, ENVIRONMENTS } from './apps';
import { HomelabApp, runMain, synthEnvironments, writeClusterDiagram } from './lib';

runMain(async () => {
  const files = synthEnvironments(ENVIRONMENTS, (env) => {
    const app = new HomelabApp({ ...CLUSTER, environment: env.name });
    addApps(app, env);
    return app;
  });
  // The picture of production, for the README (outside dist/, which holds only manifests).
  await writeClusterDiagram(
    'docs/cluster.svg',
    (files.get('prod') ?? []).flatMap((f) => f.objects),
    'prod',
  );
});
