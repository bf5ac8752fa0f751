import { appendFile, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { tempDir } from "@strata/testkit";
import { afterAll, describe, expect, it } from "vitest";
import { WriteAheadLog } from "./write-ahead-log.js";

const base = await tempDir("strata-wal");
afterAll(() => base.remove());

async function replayAll(path: string): Promise<{ log: WriteAheadLog; frames: string[] }> {
  const frames: string[] = [];
  const log = await WriteAheadLog.open(path, (body) => frames.push(body.toString("utf8")));
  return { log, frames };
}

describe("WriteAheadLog", () => {
  it("applies frames in order once durable, and replays them after reopening", async () => {
    const path = join(base.path, "ordered.log");
    const { log } = await replayAll(path);
    const applied: string[] = [];
    await Promise.all(["a", "b", "c"].map((x) => log.append(Buffer.from(x), () => applied.push(x))));
    expect(applied).toEqual(["a", "b", "c"]);
    await log.close();
    const again = await replayAll(path);
    expect(again.frames).toEqual(["a", "b", "c"]);
    await again.log.close();
  });

  it("cuts a torn or corrupt tail on open and keeps appending after the intact prefix", async () => {
    const path = join(base.path, "torn.log");
    const { log } = await replayAll(path);
    await log.append(Buffer.from("first"), () => undefined);
    await log.append(Buffer.from("second"), () => undefined);
    await log.close();
    const intact = (await stat(path)).size;
    // A crash mid-write: a header promising 100 bytes, then only a few.
    const torn = Buffer.alloc(12);
    torn.writeUInt32LE(100, 0);
    await appendFile(path, torn);

    const reopened = await replayAll(path);
    expect(reopened.frames).toEqual(["first", "second"]);
    expect((await stat(path)).size).toBe(intact);
    await reopened.log.append(Buffer.from("third"), () => undefined);
    await reopened.log.close();

    // Flip one byte of the last frame's body: its checksum no longer matches, so it is dropped.
    const bytes = await readFile(path);
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 0xff;
    const { writeFile } = await import("node:fs/promises");
    await writeFile(path, bytes);
    const last = await replayAll(path);
    expect(last.frames).toEqual(["first", "second"]);
    await last.log.close();
  });
});
