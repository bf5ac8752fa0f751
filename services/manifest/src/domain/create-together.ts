import { type AppError, appError, err, type Result } from "@strata/errors";
import type { ActContext, NewResource, ResourceKind, Step, StepRunner } from "./ports.js";

export interface GatheredCreate extends NewResource {
  readonly step: Step;
}

type CreateMany = NonNullable<ResourceKind["createMany"]>;

/**
 * Creates a chunk of one kind's resources in one call to the owning service while each still goes
 * through the StepRunner as its own step: a step whose runner calls `run` joins the call, one whose
 * runner answers without calling it stays out. The call is made once every step has joined or
 * answered, and each joined step answers with its own resource's result.
 */
export async function createTogether(
  runStep: StepRunner,
  createMany: CreateMany,
  context: ActContext,
  chunk: readonly GatheredCreate[],
): Promise<Result<void, AppError>[]> {
  const joined = new Map<number, (answer: Result<void, AppError>) => void>();
  const answered = new Set<number>();
  let allDecided: () => void = () => undefined;
  const decided = new Promise<void>((resolve) => {
    allDecided = resolve;
  });
  const decide = () => {
    if (joined.size + answered.size === chunk.length) allDecided();
  };
  const outcomes = chunk.map((item, index) =>
    runStep(
      item.step,
      () =>
        new Promise<Result<void, AppError>>((resolve) => {
          joined.set(index, resolve);
          decide();
        }),
    ).finally(() => {
      if (!joined.has(index)) {
        answered.add(index);
        decide();
      }
    }),
  );
  await decided;
  const members = [...joined.keys()].sort((a, b) => a - b);
  if (members.length > 0) {
    const called = await createMany(
      context,
      members.map((index) => {
        const { name, spec } = chunk[index] as GatheredCreate;
        return { name, spec };
      }),
    );
    const short = err(
      appError("internal", `The owning service answered fewer results than the ${members.length} asked for`),
    );
    for (const [position, index] of members.entries()) {
      const answer = called.ok ? (called.value[position] ?? short) : called;
      joined.get(index)?.(answer);
    }
  }
  return Promise.all(outcomes);
}
