/**
 * Type tests that hold across copies of the package. `instanceof` fails when
 * two copies of cdk8s-homelab sit in one `node_modules` (a library built on
 * it brings its own), so classes users pass around carry a brand instead: a
 * property keyed by a global symbol, the same in every copy (as the AWS CDK
 * and cdk8s do with `Chart.isChart`).
 */
function brandOf(name: string): symbol {
  return Symbol.for(`cdk8s-homelab.${name}`);
}

/** Marks `target` as a `name` (called once, in the class's constructor). */
export function setBrand(target: object, name: string): void {
  Object.defineProperty(target, brandOf(name), { value: true });
}

/** Whether `x` was marked as a `name` by any copy of the package. */
export function hasBrand(x: unknown, name: string): boolean {
  return x !== null && typeof x === 'object' && (x as Record<symbol, unknown>)[brandOf(name)] === true;
}
