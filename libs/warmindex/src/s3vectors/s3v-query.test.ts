import type { S3VectorsFilter } from "@strata/filter";
import { describe, expect, it } from "vitest";
import { PARTITION_KEY } from "./s3v-metadata.js";
import { fanOutQuery, PartitionOverflow, type RawHit } from "./s3v-query.js";

interface Point {
  readonly key: string;
  readonly partition: number;
  readonly distance: number;
}

/** A service answering exactly like S3 Vectors would for these points: the range filter, then topK. */
function service(points: readonly Point[]) {
  const calls: number[] = [];
  const run = async (filter: S3VectorsFilter | undefined, topK: number): Promise<RawHit[]> => {
    calls.push(topK);
    const parts = (filter?.$and ?? []) as Record<string, { $gte?: number; $lt?: number }>[];
    const lo = parts.find((p) => p[PARTITION_KEY]?.$gte !== undefined)?.[PARTITION_KEY]?.$gte ?? 0;
    const hi = parts.find((p) => p[PARTITION_KEY]?.$lt !== undefined)?.[PARTITION_KEY]?.$lt ?? 65_536;
    return points
      .filter((p) => p.partition >= lo && p.partition < hi)
      .sort((a, b) => a.distance - b.distance)
      .slice(0, topK)
      .map((p) => ({ key: p.key, distance: p.distance, metadata: {} }));
  };
  return { run, calls };
}

describe("fanOutQuery", () => {
  it("finds the exact top-k even when the best matches crowd a few partitions", async () => {
    // 2,000 points; the 400 best all sit in partitions 1000–1003, so the ranges there must split.
    const points: Point[] = Array.from({ length: 2000 }, (_, i) => ({
      key: `k${i}`,
      partition: i < 400 ? 1000 + (i % 4) : (i * 7919) % 65_536,
      distance: i < 400 ? i / 1000 : 1 + i / 1000,
    }));
    const { run, calls } = service(points);
    const hits = await fanOutQuery(run, undefined, 350, 100, Number.POSITIVE_INFINITY);
    expect(hits.map((h) => h.key)).toEqual(points.slice(0, 350).map((p) => p.key));
    expect(Math.max(...calls)).toBe(100);
  });

  it("refuses rather than answers wrongly when more than topK of the best share one partition", async () => {
    const points: Point[] = Array.from({ length: 300 }, (_, i) => ({
      key: `k${i}`,
      partition: 5,
      distance: i,
    }));
    const { run } = service(points);
    await expect(fanOutQuery(run, undefined, 150, 100, Number.POSITIVE_INFINITY)).rejects.toBeInstanceOf(
      PartitionOverflow,
    );
  });

  it("does not split ranges whose hits are all beyond the distance bound (score threshold)", async () => {
    const points: Point[] = Array.from({ length: 3000 }, (_, i) => ({
      key: `k${i}`,
      partition: (i * 7919) % 65_536,
      distance: i,
    }));
    const { run, calls } = service(points);
    const hits = await fanOutQuery(run, undefined, 500, 100, 10);
    expect(hits.filter((h) => h.distance <= 10).map((h) => h.key)).toEqual(
      points.slice(0, 11).map((p) => p.key),
    );
    expect(calls.length).toBe(10);
  });
});
