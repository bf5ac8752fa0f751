import { cloneV1 } from "@strata/proto";
import { z } from "zod";
import { stringOrNull } from "./common.js";
import { namespaceSchema } from "./namespace-view.js";

const CLONE_STATUSES = ["cloning", "ready", "failed", "cancelled"] as const;
type CloneStatusName = (typeof CLONE_STATUSES)[number];

const STATUS_NAMES: Record<cloneV1.CloneStatus, CloneStatusName | undefined> = {
  [cloneV1.CloneStatus.CLONE_STATUS_UNSPECIFIED]: undefined,
  [cloneV1.CloneStatus.CLONE_STATUS_CLONING]: "cloning",
  [cloneV1.CloneStatus.CLONE_STATUS_READY]: "ready",
  [cloneV1.CloneStatus.CLONE_STATUS_FAILED]: "failed",
  [cloneV1.CloneStatus.CLONE_STATUS_CANCELLED]: "cancelled",
  [cloneV1.CloneStatus.UNRECOGNIZED]: undefined,
};

const count = (what: string) => z.number().int().describe(what);

export const cloneProgressSchema = z
  .object({
    collections: count("Collections copied"),
    documents: count("Documents copied (every tier)"),
    hot_vectors: count("Vectors copied in the hot tier"),
    taxonomies: count("Taxonomies copied"),
    buckets: count("Buckets copied"),
    objects: count("Bucket objects copied"),
    bytes: count("Bytes of bucket objects copied"),
  })
  .catchall(z.number().int())
  .describe(
    "What was copied so far. Each module reports when its part is done, so a kind stays 0 until then; " +
      "tiers beyond hot add their own counts (warm_vectors, cold_vectors …)",
  );

export const cloneStatusSchema = z
  .object({
    task_id: z.string(),
    namespace_id: z.string().describe("The clone"),
    source_namespace_id: z.string().nullable().describe("Null while the copy runs in another request"),
    status: z.enum(CLONE_STATUSES),
    progress: cloneProgressSchema,
    reason: z.string().nullable().describe("Why it failed or was cancelled"),
  })
  .meta({ id: "CloneStatus" });

export const cloneAcceptedSchema = z
  .object({
    namespace: namespaceSchema,
    source_namespace_id: z.string(),
    status: z.literal("cloning"),
    task_id: z
      .string()
      .describe("The clone's task; GET /v1/namespaces/{namespace_id}/clone-status follows it"),
  })
  .meta({ id: "CloneAccepted" });

export type CloneStatusView = z.infer<typeof cloneStatusSchema>;

export function cloneStatusView(task: cloneV1.CloneTask | undefined): CloneStatusView {
  if (task === undefined) throw new Error("the namespace service answered without a clone task");
  const status = STATUS_NAMES[task.status];
  if (status === undefined) throw new Error(`the namespace service answered clone status ${task.status}`);
  const p = task.progress;
  return {
    task_id: task.taskId,
    namespace_id: task.namespaceId,
    source_namespace_id: stringOrNull(task.sourceNamespaceId),
    status,
    progress: {
      ...p,
      collections: p.collections ?? 0,
      documents: p.documents ?? 0,
      hot_vectors: p.hot_vectors ?? 0,
      taxonomies: p.taxonomies ?? 0,
      buckets: p.buckets ?? 0,
      objects: p.objects ?? 0,
      bytes: p.bytes ?? 0,
    },
    reason: stringOrNull(task.reason),
  };
}
