import { type GrpcServiceRegistration, unaryWithCaller } from "@strata/grpc";
import { webhookV1 } from "@strata/proto";
import type { WebhookPorts } from "./domain/ports.js";
import { webhookHandlers } from "./handlers/webhook-handlers.js";

export const WEBHOOK_SERVICE_NAME = "strata.webhook.v1.WebhookService";

export function buildWebhookService(ports: WebhookPorts): webhookV1.WebhookServiceServer {
  const h = webhookHandlers(ports);
  return {
    createWebhook: unaryWithCaller(h.create),
    getWebhook: unaryWithCaller(h.get),
    listWebhooks: unaryWithCaller(h.list),
    updateWebhook: unaryWithCaller(h.update),
    deleteWebhook: unaryWithCaller(h.remove),
    rotateSecret: unaryWithCaller(h.rotate),
    listDeliveries: unaryWithCaller(h.deliveries),
    replayDelivery: unaryWithCaller(h.replay),
    recoverFailed: unaryWithCaller(h.recover),
    sendTest: unaryWithCaller(h.test),
  };
}

/** What the dispatcher's gRPC server serves (grpc.health.v1 is added by startGrpcServer). */
export function webhookGrpcServices(ports: WebhookPorts): GrpcServiceRegistration[] {
  return [
    {
      name: WEBHOOK_SERVICE_NAME,
      definition: webhookV1.WebhookServiceService,
      implementation: buildWebhookService(ports),
    },
  ];
}
