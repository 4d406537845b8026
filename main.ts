import { CLUSTER, addApps } from './apps';
import { HomelabApp, runMain } from './lib';

runMain(() => {
  const app = new HomelabApp(CLUSTER);
  addApps(app);
  app.synth();
});
