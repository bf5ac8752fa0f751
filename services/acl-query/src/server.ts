import { type GrpcServiceRegistration, unaryWithCaller } from "@strata/grpc";
import { aclV1, alertV1, retrieverV1 } from "@strata/proto";
import type { VisibilityCache } from "./domain/acl/visibility-cache.js";
import type { AclQueryPorts } from "./domain/ports.js";
import { aclHandlers } from "./handlers/acl/acl-handlers.js";
import { createAlertHandler } from "./handlers/alerts/create-alert.js";
import { deleteAlertHandler } from "./handlers/alerts/delete-alert.js";
import { getAlertHandler } from "./handlers/alerts/get-alert.js";
import { listAlertsHandler } from "./handlers/alerts/list-alerts.js";
import { updateAlertHandler } from "./handlers/alerts/update-alert.js";
import { createRetrieverHandler } from "./handlers/retrievers/create-retriever.js";
import { createRetrieversHandler } from "./handlers/retrievers/create-retrievers.js";
import { deleteRetrieverHandler } from "./handlers/retrievers/delete-retriever.js";
import { executeRetrieverHandler } from "./handlers/retrievers/execute-retriever.js";
import { getRetrieverHandler } from "./handlers/retrievers/get-retriever.js";
import { listRetrieversHandler } from "./handlers/retrievers/list-retrievers.js";
import { updateRetrieverHandler } from "./handlers/retrievers/update-retriever.js";

export const RETRIEVER_SERVICE_NAME = "strata.aclquery.v1.RetrieverService";
export const ALERT_SERVICE_NAME = "strata.aclquery.v1.AlertService";
export const ACL_SERVICE_NAME = "strata.aclquery.v1.AclService";

export function buildAclService(ports: AclQueryPorts, cache: VisibilityCache): aclV1.AclServiceServer {
  const h = aclHandlers(ports, cache);
  return {
    createAclRule: unaryWithCaller(h.create),
    getAclRule: unaryWithCaller(h.get),
    listAclRules: unaryWithCaller(h.list),
    updateAclRule: unaryWithCaller(h.update),
    deleteAclRule: unaryWithCaller(h.remove),
    compileVisibility: unaryWithCaller(h.compile),
  };
}

export function buildRetrieverService(ports: AclQueryPorts): retrieverV1.RetrieverServiceServer {
  return {
    createRetriever: unaryWithCaller(createRetrieverHandler(ports)),
    createRetrievers: unaryWithCaller(createRetrieversHandler(ports)),
    getRetriever: unaryWithCaller(getRetrieverHandler(ports)),
    listRetrievers: unaryWithCaller(listRetrieversHandler(ports)),
    updateRetriever: unaryWithCaller(updateRetrieverHandler(ports)),
    deleteRetriever: unaryWithCaller(deleteRetrieverHandler(ports)),
    executeRetriever: unaryWithCaller(executeRetrieverHandler(ports)),
  };
}

export function buildAlertService(ports: AclQueryPorts): alertV1.AlertServiceServer {
  return {
    createAlert: unaryWithCaller(createAlertHandler(ports)),
    getAlert: unaryWithCaller(getAlertHandler(ports)),
    listAlerts: unaryWithCaller(listAlertsHandler(ports)),
    updateAlert: unaryWithCaller(updateAlertHandler(ports)),
    deleteAlert: unaryWithCaller(deleteAlertHandler(ports)),
  };
}

/** What the acl-query gRPC server serves (grpc.health.v1 is added by startGrpcServer). */
export function aclQueryGrpcServices(
  ports: AclQueryPorts,
  cache: VisibilityCache,
): GrpcServiceRegistration[] {
  return [
    {
      name: RETRIEVER_SERVICE_NAME,
      definition: retrieverV1.RetrieverServiceService,
      implementation: buildRetrieverService(ports),
    },
    {
      name: ALERT_SERVICE_NAME,
      definition: alertV1.AlertServiceService,
      implementation: buildAlertService(ports),
    },
    {
      name: ACL_SERVICE_NAME,
      definition: aclV1.AclServiceService,
      implementation: buildAclService(ports, cache),
    },
  ];
}
