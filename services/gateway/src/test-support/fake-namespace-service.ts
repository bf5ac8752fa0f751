// Test support: a small in-memory NamespaceService (our own port, served over real gRPC in tests).

import { type Caller, canReachNamespace } from "@strata/access";
import { type AppError, alreadyExists, err, notFound, ok, type Result } from "@strata/errors";
import { unaryWithCaller } from "@strata/grpc";
import { isId, newId } from "@strata/ids";
import { namespaceV1 } from "@strata/proto";

export class FakeNamespaceState {
  readonly namespaces = new Map<string, namespaceV1.Namespace>();
  readonly calls = new Map<string, number>();

  add(organizationId: string, name: string, description = ""): namespaceV1.Namespace {
    const now = new Date();
    const namespace: namespaceV1.Namespace = {
      namespaceId: newId("namespace"),
      organizationId,
      namespaceName: name,
      description,
      createdAt: now,
      updatedAt: now,
    };
    this.namespaces.set(namespace.namespaceId, namespace);
    return namespace;
  }

  count(method: string): number {
    return this.calls.get(method) ?? 0;
  }

  #enter(method: string): void {
    this.calls.set(method, this.count(method) + 1);
  }

  #find(caller: Caller, identifier: string): Result<namespaceV1.Namespace, AppError> {
    const found = isId("namespace", identifier)
      ? this.namespaces.get(identifier)
      : [...this.namespaces.values()].find(
          (n) => n.namespaceName === identifier && n.organizationId === caller.organizationId,
        );
    if (found === undefined || found.organizationId !== caller.organizationId) {
      return err(notFound("namespace", identifier));
    }
    return ok(found);
  }

  implementation(): namespaceV1.NamespaceServiceServer {
    return {
      createNamespace: unaryWithCaller(async (request: namespaceV1.CreateNamespaceRequest, { caller }) => {
        this.#enter("createNamespace");
        const taken = [...this.namespaces.values()].some(
          (n) => n.organizationId === caller.organizationId && n.namespaceName === request.namespaceName,
        );
        if (taken) return err(alreadyExists("namespace", { namespace_name: request.namespaceName }));
        return ok({ namespace: this.add(caller.organizationId, request.namespaceName, request.description) });
      }),
      getNamespace: unaryWithCaller(async (request: namespaceV1.GetNamespaceRequest, { caller }) => {
        this.#enter("getNamespace");
        const found = this.#find(caller, request.identifier);
        return found.ok ? ok({ namespace: found.value }) : found;
      }),
      listNamespaces: unaryWithCaller(async (request: namespaceV1.ListNamespacesRequest, { caller }) => {
        this.#enter("listNamespaces");
        const all = [...this.namespaces.values()].filter(
          (n) => n.organizationId === caller.organizationId && canReachNamespace(caller, n.namespaceId),
        );
        return ok({ namespaces: all.slice(0, request.limit), nextCursor: "" });
      }),
      updateNamespace: unaryWithCaller(async (request: namespaceV1.UpdateNamespaceRequest, { caller }) => {
        this.#enter("updateNamespace");
        const found = this.#find(caller, request.identifier);
        if (!found.ok) return found;
        const updated = {
          ...found.value,
          namespaceName: request.namespaceName ?? found.value.namespaceName,
          description: request.description ?? found.value.description,
          updatedAt: new Date(),
        };
        this.namespaces.set(updated.namespaceId, updated);
        return ok({ namespace: updated });
      }),
      deleteNamespace: unaryWithCaller(async (request: namespaceV1.DeleteNamespaceRequest, { caller }) => {
        this.#enter("deleteNamespace");
        const found = this.#find(caller, request.identifier);
        if (!found.ok) return found;
        this.namespaces.delete(found.value.namespaceId);
        return ok({ namespace: found.value });
      }),
    };
  }
}

export const namespaceServiceRegistration = (state: FakeNamespaceState) => ({
  name: "strata.namespace.v1.NamespaceService",
  definition: namespaceV1.NamespaceServiceService,
  implementation: state.implementation(),
});
