import { type AppError, ok, type Result } from "@strata/errors";
import type { ActContext, LiveResource, ManifestPorts } from "./ports.js";
import { MEMBERSHIP_TABLE, type MemberRecord } from "./tables.js";

/** Every kind's resources as they exist now, by section, read in parallel. */
export async function readLive(
  ports: ManifestPorts,
  context: ActContext,
): Promise<Result<Map<string, LiveResource[]>, AppError>> {
  const answers = await Promise.all(ports.kinds.map((kind) => kind.list(context)));
  const live = new Map<string, LiveResource[]>();
  for (const [index, answer] of answers.entries()) {
    if (!answer.ok) return answer;
    const kind = ports.kinds[index];
    if (kind !== undefined) live.set(kind.section, answer.value);
  }
  return ok(live);
}

/** section → name → protect, for the resources earlier applies created in the namespace. */
export async function readMembers(
  ports: ManifestPorts,
  namespaceId: string,
): Promise<Map<string, Map<string, boolean>>> {
  const records = await ports.store
    .table<MemberRecord>(MEMBERSHIP_TABLE)
    .find({ where: { namespace_id: namespaceId } });
  const members = new Map<string, Map<string, boolean>>();
  for (const { record } of records) {
    const section = members.get(record.section) ?? new Map<string, boolean>();
    section.set(record.name, record.protect);
    members.set(record.section, section);
  }
  return members;
}
