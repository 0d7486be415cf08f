/** Edit distances and the did-you-mean suggestion shared by config errors and schema findings. */

/** Edit distance (insert, delete, substitute; an adjacent swap counts one). */
export function editDistance(a: string, b: string): number {
  const m = a.length;
  const n = b.length;
  const d: number[][] = Array.from({ length: m + 1 }, (_, i) => [i, ...new Array<number>(n).fill(0)]);
  for (let j = 0; j <= n; j++) d[0]![j] = j;
  for (let i = 1; i <= m; i++) {
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[m]![n]!;
}

/**
 * `editDistance(a, b)` when it is at most `max`, else `max + 1`; stops early (length gap, or two
 * rows past `max`), so a did-you-mean over hundreds of names stays cheap.
 */
export function editDistanceWithin(a: string, b: string, max: number): number {
  const m = a.length;
  const n = b.length;
  if (Math.abs(m - n) > max) return max + 1;
  let prev2: number[] = [];
  let prev: number[] = Array.from({ length: n + 1 }, (_, j) => j);
  let prevMin = 0;
  for (let i = 1; i <= m; i++) {
    const cur: number[] = new Array<number>(n + 1);
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2]! + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    // Later rows read only the last two: once both are past `max`, so is the result.
    if (rowMin > max && prevMin > max) return max + 1;
    prev2 = prev;
    prev = cur;
    prevMin = rowMin;
  }
  return Math.min(prev[n]!, max + 1);
}

/** Suggestions are offered at an edit distance of at most this (see `didYouMean`). */
const MAX_SUGGESTION_DISTANCE = 3;

/** The known key closest to an unknown one, when it is close enough to be a typo. */
export function didYouMean(unknown: string, known: Iterable<string>): string | undefined {
  const lower = unknown.toLowerCase();
  let best: string | undefined;
  let bestScore = Infinity;
  for (const k of known) {
    const kl = k.toLowerCase();
    if (kl === lower) return k;
    // Candidates further than the largest distance ever accepted cannot be the answer.
    const dist = editDistanceWithin(lower, kl, MAX_SUGGESTION_DISTANCE);
    if (dist > MAX_SUGGESTION_DISTANCE) continue;
    if (dist < bestScore) {
      bestScore = dist;
      best = k;
    }
  }
  if (best === undefined) return undefined;
  const limit = Math.max(1, Math.min(MAX_SUGGESTION_DISTANCE, Math.floor(Math.max(unknown.length, best.length) / 3)));
  return bestScore <= limit ? best : undefined;
}
