import { EventEmitter } from "node:events";
import * as grpc from "@grpc/grpc-js";
import { MAX_MESSAGE_BYTES } from "./limits.js";

interface LocalUnaryMethod {
  readonly definition: grpc.MethodDefinition<unknown, unknown>;
  readonly handler: grpc.handleUnaryCall<unknown, unknown>;
}

/**
 * The gRPC servers of this process, so that a client in the same process can answer a unary call
 * without HTTP/2. When the embedded launcher runs every service in one Node process, each request
 * crosses two gRPC hops, and on Node 20 the http2 module keeps a sixth of what it allocates alive
 * across a scavenge: the pauses that follow were most of the query tail (docs/benchmarks.md, ADR
 * 0010). A local call keeps what the wire guarantees: the request and the answer are encoded and
 * decoded with the method's own serializers, the handler is the server's (internal-token check,
 * span, failure logging included), and the deadline, cancellation, status and metadata behave as
 * over gRPC. Streaming methods, and servers in other processes, still go over gRPC.
 *
 * No process-wide instance: the platform launcher creates one (unless STRATA_LOCAL_CALLS=false) and
 * hands it to every server and client it starts, through their options. A service's own tests
 * pass none, so their server and client in one process keep exercising real gRPC.
 */
export class LocalServices {
  readonly #byTarget = new Map<string, Map<string, LocalUnaryMethod>>();

  /** Called by startGrpcServer with the handlers it serves (already wrapped). */
  register(
    target: string,
    definition: grpc.ServiceDefinition,
    implementation: grpc.UntypedServiceImplementation,
  ): void {
    const methods = this.#byTarget.get(target) ?? new Map<string, LocalUnaryMethod>();
    for (const [name, method] of Object.entries(definition)) {
      const handler = implementation[name];
      if (handler === undefined || method.requestStream || method.responseStream) continue;
      methods.set(method.path, {
        definition: method as grpc.MethodDefinition<unknown, unknown>,
        handler: handler as grpc.handleUnaryCall<unknown, unknown>,
      });
    }
    this.#byTarget.set(target, methods);
  }

  /** The server stopped: its calls go over the network again (and find nobody there). */
  unregister(target: string): void {
    this.#byTarget.delete(target);
  }

  /** A client interceptor for `target`; it passes calls on unless a local server answers them. */
  interceptor(target: string): grpc.Interceptor {
    return (options, nextCall) => {
      const method = this.#byTarget.get(target)?.get(options.method_definition.path);
      if (method === undefined) return new grpc.InterceptingCall(nextCall(options));
      return localUnaryCall(method, target, options.deadline);
    };
  }
}

/**
 * An intercepting call that never reaches the channel: `start`, `sendMessage` and `halfClose`
 * collect the call, `halfClose` runs the handler, and the listener hears the answer.
 */
function localUnaryCall(
  method: LocalUnaryMethod,
  target: string,
  deadline: grpc.Deadline | undefined,
): grpc.InterceptingCall {
  let listener: grpc.InterceptingListener | undefined;
  let metadata = new grpc.Metadata();
  let request: unknown;
  let server: LocalServerCall | undefined;
  let timer: NodeJS.Timeout | undefined;
  let done = false;

  const finish = (status: grpc.StatusObject, response?: unknown): void => {
    if (done) return;
    done = true;
    if (timer !== undefined) clearTimeout(timer);
    // Answers arrive on a later tick, as they would from the network.
    setImmediate(() => {
      listener?.onReceiveMetadata(new grpc.Metadata());
      if (response !== undefined) listener?.onReceiveMessage(response);
      listener?.onReceiveStatus(status);
    });
  };
  const cancel = (code: grpc.status, details: string): void => {
    if (done) return;
    finish({ code, details, metadata: new grpc.Metadata() });
    server?.cancel();
  };

  const requester: grpc.Requester = {
    start(md, heard) {
      metadata = md.clone();
      listener = heard;
    },
    sendMessage(message) {
      request = message;
    },
    halfClose() {
      const encoded = method.definition.requestSerialize(request);
      if (encoded.length > MAX_MESSAGE_BYTES) {
        const details = `Received message larger than max (${encoded.length} vs ${MAX_MESSAGE_BYTES})`;
        return cancel(grpc.status.RESOURCE_EXHAUSTED, details);
      }
      const at = deadlineMs(deadline);
      if (at !== undefined) {
        const wait = at - Date.now();
        if (wait <= 0) return cancel(grpc.status.DEADLINE_EXCEEDED, "Deadline exceeded");
        timer = setTimeout(() => cancel(grpc.status.DEADLINE_EXCEEDED, "Deadline exceeded"), wait);
      }
      server = new LocalServerCall(method.definition.requestDeserialize(encoded), metadata, deadline, target);
      const reply: grpc.sendUnaryData<unknown> = (error, value, trailer) => {
        if (error) {
          const details = error.details ?? ("message" in error ? String(error.message) : "");
          // A copy, as the wire would make: the client's interceptors add to it.
          const status = (error.metadata ?? trailer ?? new grpc.Metadata()).clone();
          return finish({ code: error.code ?? grpc.status.UNKNOWN, details, metadata: status });
        }
        const answer = method.definition.responseDeserialize(method.definition.responseSerialize(value));
        finish(
          { code: grpc.status.OK, details: "OK", metadata: trailer?.clone() ?? new grpc.Metadata() },
          answer,
        );
      };
      try {
        method.handler(server as unknown as grpc.ServerUnaryCall<unknown, unknown>, reply);
      } catch {
        // The server wrapper catches and logs handler throws; this is only a last net, and like
        // the wrapper it says nothing of the exception to the caller.
        finish({ code: grpc.status.INTERNAL, details: "Internal error", metadata: new grpc.Metadata() });
      }
    },
    cancel() {
      cancel(grpc.status.CANCELLED, "Cancelled on client");
    },
  };
  return new grpc.InterceptingCall(new NeverCalled(), requester);
}

/** What a unary handler (and the server wrapper) reads of its call. */
class LocalServerCall extends EventEmitter {
  cancelled = false;

  constructor(
    readonly request: unknown,
    readonly metadata: grpc.Metadata,
    private readonly deadline: grpc.Deadline | undefined,
    private readonly target: string,
  ) {
    super();
  }

  getDeadline(): grpc.Deadline {
    return this.deadline ?? Number.POSITIVE_INFINITY;
  }

  getPeer(): string {
    return "in-process";
  }

  getHost(): string {
    return this.target;
  }

  sendMetadata(): void {}

  cancel(): void {
    if (this.cancelled) return;
    this.cancelled = true;
    this.emit("cancelled", "cancelled");
  }
}

function deadlineMs(deadline: grpc.Deadline | undefined): number | undefined {
  if (deadline === undefined) return undefined;
  const at = deadline instanceof Date ? deadline.getTime() : deadline;
  return Number.isFinite(at) ? at : undefined;
}

/** The next call of a local call's interceptor chain: the requester answers everything itself. */
class NeverCalled {
  cancelWithStatus(): void {}
  getPeer(): string {
    return "in-process";
  }
  start(): void {}
  sendMessageWithContext(): void {}
  sendMessage(): void {}
  startRead(): void {}
  halfClose(): void {}
  getCallNumber(): number {
    return 0;
  }
  setCredentials(): void {}
  getAuthContext(): null {
    return null;
  }
}
