import { ok } from "@strata/errors";
import type { UnaryHandlerWithCaller } from "@strata/grpc";
import type { tieringV1 } from "@strata/proto";
import { getPolicy, setPolicy } from "../domain/policy.js";
import type { TieringPorts } from "../domain/ports.js";
import { getSweepJob, requestSweep } from "../domain/sweep-jobs.js";
import type { SweepRunner } from "../domain/sweep-runner.js";
import { tierCosts } from "../domain/tier-costs.js";
import { costsToProto, jobToProto, policyFromProto, policyToProto } from "./tiering-mapping.js";

type Handler<Req, Res> = UnaryHandlerWithCaller<Req, Res>;

export function tieringHandlers(ports: TieringPorts, runner: SweepRunner) {
  const get: Handler<tieringV1.GetPolicyRequest, tieringV1.GetPolicyResponse> = async (r, { caller }) => {
    const found = await getPolicy(ports, caller, r.namespaceId);
    if (!found.ok) return found;
    return ok({
      policy: policyToProto(found.value.policy),
      ...(found.value.updatedAt === undefined ? {} : { updatedAt: found.value.updatedAt }),
    });
  };
  const set: Handler<tieringV1.SetPolicyRequest, tieringV1.SetPolicyResponse> = async (r, { caller }) => {
    const saved = await setPolicy(ports, caller, r.namespaceId, policyFromProto(r.policy));
    if (!saved.ok) return saved;
    return ok({ policy: policyToProto(saved.value.policy), updatedAt: saved.value.updatedAt ?? new Date() });
  };
  const sweep: Handler<tieringV1.RunSweepRequest, tieringV1.RunSweepResponse> = async (r, { caller }) => {
    const started = await requestSweep(ports, runner, caller, r.namespaceId);
    return started.ok ? ok({ job: jobToProto(started.value.job), started: started.value.started }) : started;
  };
  const job: Handler<tieringV1.GetSweepJobRequest, tieringV1.GetSweepJobResponse> = async (r, { caller }) => {
    const found = await getSweepJob(ports, caller, r.namespaceId, r.jobId);
    return found.ok ? ok({ job: jobToProto(found.value) }) : found;
  };
  const stats: Handler<tieringV1.GetTierStatsRequest, tieringV1.GetTierStatsResponse> = async (
    r,
    { caller },
  ) => {
    const costs = await tierCosts(ports, caller, r.namespaceId);
    return costs.ok ? ok(costsToProto(costs.value)) : costs;
  };
  return { get, set, sweep, job, stats };
}
