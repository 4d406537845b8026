import { apps } from './apps';
import { HomelabApp, runMain } from './lib';

runMain(() => {
  const app = new HomelabApp();
  for (const addApp of apps) {
    addApp(app);
  }
  app.synth();
});
