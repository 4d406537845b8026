/**
 * The entry point of the cdk8s CLI validation plugin, at the path that
 * `cdk8s.yaml` files name: `build/lib/validation-plugin.js` (or
 * `node_modules/cdk8s-homelab/build/lib/validation-plugin.js`). The plugin
 * itself lives in `tools/`.
 */
export * from './tools/validation-plugin';
