/**
 * A vector's values as a plain number array. An indexed loop, not `[...values]` or `Array.from`:
 * on a Float32Array those go through the iterator protocol, about 15 times slower, and every
 * ingested document passes here (8 ms per 1,000 × 384 against 0.5 ms, measured 2026-12-05).
 */
export function numbersOf(values: ArrayLike<number>): number[] {
  const numbers = new Array<number>(values.length);
  for (let i = 0; i < values.length; i++) numbers[i] = values[i] as number;
  return numbers;
}
