import type { HelmValue } from './json';

const SECRET_NAME = /(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CREDENTIALS?)/i;

const POINTER_SUFFIX = /_(FILE|PATH|DIR|URL|ENDPOINT|TTL|LENGTH|EXPIRY|EXPIRES|NAME|KEY_ID)$/i;

/** Whether an environment variable name says it holds a secret (and is not a pointer to one, like `_FILE`). */
export function looksLikeSecretName(name: string): boolean {
  return SECRET_NAME.test(name) && !POINTER_SUFFIX.test(name);
}

/** The dotted paths of values whose key says they hold a secret and whose value is a literal string. */
export function secretLikeValues(values: HelmValue, prefix = ''): string[] {
  if (Array.isArray(values)) {
    return values.flatMap((v, i) => secretLikeValues(v, `${prefix}[${i}]`));
  }
  if (values === null || typeof values !== 'object') {
    return [];
  }
  const found: string[] = [];
  for (const [key, value] of Object.entries(values)) {
    const path = prefix ? `${prefix}.${key}` : key;
    const secretKey = looksLikeSecretName(key.replace(/([a-z])([A-Z])/g, '$1_$2').replace(/[-.]/g, '_')) && !/existing|secretName|secretRef|Secret$/i.test(key);
    if (secretKey && typeof value === 'string' && value !== '') {
      found.push(path);
    } else {
      found.push(...secretLikeValues(value, path));
    }
  }
  return found;
}
