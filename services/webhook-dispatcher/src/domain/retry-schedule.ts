import type { DispatchSettings } from "./ports.js";

/**
 * The delay before the attempt after `attemptsMade` failed attempts, or undefined when the schedule
 * is used up. Jitter spreads retries of one outage; a Retry-After answer is honoured within
 * [delay, 2 × delay] so a receiver can slow us down but not stall or hurry us.
 */
export function retryDelayMs(
  settings: Pick<DispatchSettings, "retryScheduleMs" | "jitter">,
  attemptsMade: number,
  random: () => number,
  retryAfterSeconds?: number,
): number | undefined {
  const base = settings.retryScheduleMs[attemptsMade - 1];
  if (base === undefined) return undefined;
  const jittered = Math.round(base * (1 + settings.jitter * (2 * random() - 1)));
  if (retryAfterSeconds === undefined) return jittered;
  return Math.min(2 * base, Math.max(jittered, retryAfterSeconds * 1000));
}
