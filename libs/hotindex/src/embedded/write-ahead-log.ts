import { closeSync, openSync, readSync } from "node:fs";
import type { FileHandle } from "node:fs/promises";
import { open } from "node:fs/promises";
import { crc32 } from "node:zlib";

const HEADER = 8;
/** A frame larger than this is corruption, not data (an upsert call is far smaller). */
const MAX_FRAME = 1 << 30;
const READ_CHUNK = 8 << 20;

interface Pending {
  readonly frame: Buffer;
  readonly apply: () => void;
  /** False for frames whose loss recovery repairs (a commit or abort of a staged write). */
  readonly sync: boolean;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

/**
 * An append-only log of frames (`u32 length | u32 crc32 | body`). A frame is applied to memory only
 * once it is on disk (write + fdatasync), in log order, and concurrent appends share one fsync (group
 * commit). A torn or corrupt tail — a crash in the middle of a write — is cut off when the log is
 * replayed; those frames were never acknowledged.
 */
export class WriteAheadLog {
  private readonly queue: Pending[] = [];
  private writing = false;
  private size: number;

  private constructor(
    private readonly handle: FileHandle,
    size: number,
  ) {
    this.size = size;
  }

  /** Replays every intact frame in order, cuts a torn tail, and opens the log for appending. */
  static async open(path: string, onFrame: (body: Buffer) => void): Promise<WriteAheadLog> {
    const valid = replay(path, onFrame);
    const handle = await open(path, "a+");
    const { size } = await handle.stat();
    if (size > valid) {
      await handle.truncate(valid);
      await handle.datasync();
    }
    return new WriteAheadLog(handle, valid);
  }

  /** Opens a log for appending without replaying it (its frames are already applied: a compaction). */
  static async resume(path: string): Promise<WriteAheadLog> {
    const handle = await open(path, "a+");
    const { size } = await handle.stat();
    return new WriteAheadLog(handle, size);
  }

  get bytes(): number {
    return this.size;
  }

  /**
   * Resolves once the frame is durable and `apply` has run (in log order). With `sync: false` the
   * frame is written but not fsynced on its own account: it survives a crashed process (the page
   * cache holds it) and becomes durable with the next synced frame; only a crashed machine can lose it.
   */
  append(body: Buffer, apply: () => void, options: { readonly sync?: boolean } = {}): Promise<void> {
    const frame = encodeFrame(body);
    return new Promise((resolve, reject) => {
      this.queue.push({ frame, apply, sync: options.sync ?? true, resolve, reject });
      if (!this.writing) void this.drain();
    });
  }

  async close(): Promise<void> {
    while (this.writing) await new Promise((r) => setImmediate(r));
    await this.handle.close();
  }

  private async drain(): Promise<void> {
    this.writing = true;
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.queue.length);
      const buffers = batch.map((p) => p.frame);
      const length = buffers.reduce((n, b) => n + b.length, 0);
      try {
        await this.handle.writev(buffers);
        if (batch.some((p) => p.sync)) await this.handle.datasync();
      } catch (error) {
        // Cut whatever part of the batch reached the file, so later frames do not follow garbage.
        await this.handle.truncate(this.size).catch(() => undefined);
        for (const p of batch) p.reject(error);
        continue;
      }
      this.size += length;
      for (const p of batch) {
        try {
          p.apply();
          p.resolve();
        } catch (error) {
          p.reject(error);
        }
      }
    }
    this.writing = false;
  }
}

/** A body with its header: `u32 length | u32 crc32 | body`. */
export function encodeFrame(body: Buffer): Buffer {
  const frame = Buffer.allocUnsafe(HEADER + body.length);
  frame.writeUInt32LE(body.length, 0);
  frame.writeUInt32LE(crc32(body), 4);
  body.copy(frame, HEADER);
  return frame;
}

/** Calls `onFrame` for each intact frame; returns the byte length of the intact prefix. */
function replay(path: string, onFrame: (body: Buffer) => void): number {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return 0;
    throw error;
  }
  try {
    const reader = new SequentialReader(fd);
    let offset = 0;
    for (;;) {
      const header = reader.read(HEADER);
      if (!header) return offset;
      const length = header.readUInt32LE(0);
      const checksum = header.readUInt32LE(4);
      if (length > MAX_FRAME) return offset;
      const body = reader.read(length);
      if (!body || crc32(body) !== checksum) return offset;
      onFrame(body);
      offset += HEADER + length;
    }
  } finally {
    closeSync(fd);
  }
}

/** Buffered sequential reads, so replaying many small frames costs few system calls. */
class SequentialReader {
  private buffer = Buffer.alloc(READ_CHUNK);
  private start = 0;
  private end = 0;
  private eof = false;

  constructor(private readonly fd: number) {}

  /** The next `n` bytes (a view valid until the next call), or undefined at end of file. */
  read(n: number): Buffer | undefined {
    if (this.end - this.start < n) this.fill(n);
    if (this.end - this.start < n) return undefined;
    const out = this.buffer.subarray(this.start, this.start + n);
    this.start += n;
    return out;
  }

  private fill(n: number): void {
    const remaining = this.buffer.subarray(this.start, this.end);
    if (this.buffer.length < n) {
      const bigger = Buffer.alloc(Math.max(n, READ_CHUNK));
      remaining.copy(bigger);
      this.buffer = bigger;
    } else {
      remaining.copy(this.buffer);
    }
    this.end = remaining.length;
    this.start = 0;
    while (!this.eof && this.end < n) {
      const got = readSync(this.fd, this.buffer, this.end, this.buffer.length - this.end, null);
      if (got === 0) this.eof = true;
      this.end += got;
    }
  }
}
