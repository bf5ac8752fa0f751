/**
 * npm run bench:manifest — the manifest service over gRPC with the real services that own the
 * resources (namespace, acl-query, webhook dispatcher), all in this process on one NATS:
 *   1. diff of a BENCH_RESOURCES-resource manifest (default 1,000: buckets, collections and
 *      retrievers in equal parts) against an empty namespace;
 *   2. apply of it into the empty namespace (target ≤ 3 s);
 *   3. the same apply again, which changes nothing (target ≤ 0.5 s);
 * and three baselines measured in the same run: the same apply into another empty namespace by a
 * replica running one step at a time (MANIFEST_APPLY_CONCURRENCY=1, how applies ran before ADR
 * 0032), the export alone (reading every resource, which every plan does first), and the same
 * number of bucket creates issued directly over gRPC one after another.
 */

import { answerOf, manifestCalls } from "@strata/manifest/testing/manifest-calls";
import { manifestOf } from "@strata/manifest/testing/sample-manifests";
import { startManifestHarness } from "@strata/manifest/testing/service-harness";

const COUNT = Number(process.env.BENCH_RESOURCES ?? 1000);
interface Took {
  readonly wallMs: number;
  /** CPU time of this process, where every service runs: on a machine shared with other work the
   * wall time says as much about the neighbours as about the code. */
  readonly cpuMs: number;
}
const timed = async <T>(run: () => Promise<T>): Promise<[T, Took]> => {
  const started = performance.now();
  const cpu = process.cpuUsage();
  const value = await run();
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return [value, { wallMs, cpuMs: (used.user + used.system) / 1000 }];
};
const seconds = ({ wallMs, cpuMs }: Took) =>
  `${(wallMs / 1000).toFixed(3)} s (CPU ${(cpuMs / 1000).toFixed(3)} s)`;
const verdict = ({ wallMs }: Took, targetMs: number) =>
  `(target ≤ ${targetMs / 1000} s: ${wallMs <= targetMs ? "met" : "missed"})`;

const harness = await startManifestHarness();
try {
  const calls = manifestCalls(harness.manifest, harness.caller);
  const document = manifestOf(COUNT);
  const namespaceId = await harness.newNamespace();

  const [plan, diffMs] = await timed(async () => answerOf(await calls.diff(namespaceId, document)));
  if (plan.summary.create !== COUNT) throw new Error(`the plan creates ${plan.summary.create}, not ${COUNT}`);

  const [applied, applyMs] = await timed(async () => answerOf(await calls.apply(namespaceId, document)));
  if (!applied.changed) throw new Error("the first apply changed nothing");

  const [again, noOpMs] = await timed(async () => answerOf(await calls.apply(namespaceId, document)));
  if (again.changed) throw new Error("the second apply changed something");

  const [, exportMs] = await timed(() => calls.exportOf(namespaceId));

  const oneAtATime = manifestCalls(
    await harness.startReplica(undefined, { MANIFEST_APPLY_CONCURRENCY: "1" }),
    harness.caller,
  );
  const serialNamespace = await harness.newNamespace();
  const [, serialMs] = await timed(async () => answerOf(await oneAtATime.apply(serialNamespace, document)));

  const direct = await harness.newNamespace();
  const [, directMs] = await timed(async () => {
    for (let i = 0; i < COUNT; i += 1) await harness.createBucketDirectly(direct, `direct-${i}`);
  });

  console.log(`manifest benchmark: ${COUNT} resources (buckets, collections, retrievers in equal parts)`);
  console.log(`  diff against an empty namespace      ${seconds(diffMs)}`);
  console.log(`  apply into an empty namespace        ${seconds(applyMs)}  ${verdict(applyMs, 3000)}`);
  console.log(`  no-op re-apply                       ${seconds(noOpMs)}  ${verdict(noOpMs, 500)}`);
  console.log("baselines, same run:");
  console.log(`  apply one step at a time             ${seconds(serialMs)}`);
  console.log(`  export alone (reads every resource)  ${seconds(exportMs)}`);
  console.log(`  ${COUNT} bucket creates direct over gRPC, one after another  ${seconds(directMs)}`);
} finally {
  await harness.close();
}
