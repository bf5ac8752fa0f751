import { EventEmitter } from "node:events";
import * as grpc from "@grpc/grpc-js";
import { describe, expect, it } from "vitest";
import { callContext } from "./handlers.js";

/** What callContext reads of a call: its metadata, its deadline and its "cancelled" event. */
function fakeCall() {
  const events = new EventEmitter();
  return Object.assign(events, {
    metadata: new grpc.Metadata(),
    getDeadline: (): grpc.Deadline => Number.POSITIVE_INFINITY,
  });
}

describe("callContext", () => {
  it("aborts a signal read before the call is cancelled", () => {
    const call = fakeCall();
    const { signal } = callContext(call);
    expect(signal.aborted).toBe(false);
    call.emit("cancelled");
    expect(signal.aborted).toBe(true);
    expect(String(signal.reason)).toContain("cancelled");
  });

  it("answers an aborted signal when it is first read after the cancellation", () => {
    const call = fakeCall();
    const context = callContext(call);
    call.emit("cancelled");
    expect(context.signal.aborted).toBe(true);
    expect(context.signal).toBe(context.signal);
  });

  it("gives every call a signal of its own, and no deadline when none was set", () => {
    const first = callContext(fakeCall());
    const second = callContext(fakeCall());
    expect(first.signal).not.toBe(second.signal);
    expect(first.deadline).toBeUndefined();
    expect(first.caller).toBeUndefined();
  });
});
