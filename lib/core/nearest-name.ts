/**
 * The known name to suggest for a misspelled one: the closest by edit distance
 * when it is close (`imagePullPolcy` -> `imagePullPolicy`), else the longest
 * known name it starts or ends with (`chartVersion` -> `version`).
 */
export function closest(name: string, known: readonly string[]): string | undefined {
  const lower = name.toLowerCase();
  // The nearest name by edit distance first (imagePullPolcy: imagePullPolicy, not image)...
  let best: string | undefined;
  let bestDistance = Math.max(1, Math.floor(name.length / 4)) + 1;
  for (const k of known) {
    const d = editDistance(lower, k.toLowerCase());
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  if (best !== undefined) {
    return best;
  }
  // ...else the longest known name the field starts or ends with (chartVersion: version).
  return known.filter((k) => k.length >= 3 && (lower.endsWith(k.toLowerCase()) || lower.startsWith(k.toLowerCase()))).sort((x, y) => y.length - x.length)[0];
}

export function editDistance(a: string, b: string): number {
  // Optimal string alignment: insertions, deletions, substitutions and swaps of neighbours.
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.length][b.length];
}
