import { CLUSTER, ENVIRONMENTS, addApps } from './apps';
import { HomelabApp, runMain, synthEnvironments } from './lib';

runMain(() => {
  synthEnvironments(ENVIRONMENTS, (env) => {
    const app = new HomelabApp({ ...CLUSTER, environment: env.name });
    addApps(app, env);
    return app;
  });
});
