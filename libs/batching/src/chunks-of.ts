/** `items` cut into consecutive runs of `size` (the last one shorter), in order; `size` is at least 1. */
export function chunksOf<T>(items: readonly T[], size: number): T[][] {
  const step = Math.max(1, Math.floor(size));
  const out: T[][] = [];
  for (let start = 0; start < items.length; start += step) out.push(items.slice(start, start + step));
  return out;
}
