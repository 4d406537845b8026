// TypeDoc needs the JavaScript API of TypeScript 5, which the native
// TypeScript 7 compiler of this project does not ship: point TypeDoc's
// `typescript` imports at the typescript-5 package (an npm alias).
import { register } from 'node:module';

register(
  'data:text/javascript,' +
    encodeURIComponent(`
export async function resolve(specifier, context, next) {
  if (specifier === 'typescript' || specifier.startsWith('typescript/')) {
    return next(specifier.replace(/^typescript/, 'typescript-5'), context);
  }
  return next(specifier, context);
}`),
  import.meta.url,
);
