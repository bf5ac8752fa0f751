import { type GrpcServiceRegistration, unary, unaryWithCaller } from "@strata/grpc";
import { authV1 } from "@strata/proto";
import type { AuthPorts } from "./domain/ports.js";
import { createKeyHandler } from "./handlers/create-key.js";
import { createOrganizationHandler } from "./handlers/create-organization.js";
import { getKeyHandler } from "./handlers/get-key.js";
import { listKeysHandler } from "./handlers/list-keys.js";
import {
  createPrincipalHandler,
  deletePrincipalHandler,
  getPrincipalHandler,
  listPrincipalsHandler,
  resolvePrincipalHandler,
  updatePrincipalHandler,
} from "./handlers/principal-handlers.js";
import { revokeKeyHandler } from "./handlers/revoke-key.js";
import { rotateKeyHandler } from "./handlers/rotate-key.js";
import { verifyKeyHandler } from "./handlers/verify-key.js";

export const AUTH_SERVICE_NAME = "strata.auth.v1.AuthService";

export function buildAuthService(ports: AuthPorts): authV1.AuthServiceServer {
  return {
    createOrganization: unary(createOrganizationHandler(ports)),
    createKey: unaryWithCaller(createKeyHandler(ports)),
    listKeys: unaryWithCaller(listKeysHandler(ports)),
    getKey: unaryWithCaller(getKeyHandler(ports)),
    revokeKey: unaryWithCaller(revokeKeyHandler(ports)),
    rotateKey: unaryWithCaller(rotateKeyHandler(ports)),
    verifyKey: unary(verifyKeyHandler(ports)),
    createPrincipal: unaryWithCaller(createPrincipalHandler(ports)),
    getPrincipal: unaryWithCaller(getPrincipalHandler(ports)),
    listPrincipals: unaryWithCaller(listPrincipalsHandler(ports)),
    updatePrincipal: unaryWithCaller(updatePrincipalHandler(ports)),
    deletePrincipal: unaryWithCaller(deletePrincipalHandler(ports)),
    resolvePrincipal: unary(resolvePrincipalHandler(ports)),
  };
}

/** What the auth gRPC server serves (grpc.health.v1 is added by startGrpcServer). */
export function authGrpcServices(ports: AuthPorts): GrpcServiceRegistration[] {
  return [
    {
      name: AUTH_SERVICE_NAME,
      definition: authV1.AuthServiceService,
      implementation: buildAuthService(ports),
    },
  ];
}
