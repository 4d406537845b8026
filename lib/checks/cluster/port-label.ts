/** A port as the fixes list it: `8080 (http)`, or `8080` when it has no name. */
export function portLabel(port: unknown, name: unknown): string {
  return name ? `${String(port)} (${String(name)})` : String(port);
}
