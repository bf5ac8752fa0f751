import { type AppError, notFound, ok, type Result } from "@strata/errors";
import { z } from "zod";
import { done, listEveryPage, type OwningServices } from "../adapters/grpc/owning-services.js";
import type { ActContext, ResourceKind, Spec } from "../domain/ports.js";

const schema = z.strictObject({
  url: z.string().url(),
  events: z.array(z.string().min(1)).min(1),
  /** Header values are secrets: an export writes each as `${{ secrets.NAME }}`. */
  headers: z.record(z.string(), z.string()).default({}),
  is_active: z.boolean().default(true),
});

type WebhookSpec = z.infer<typeof schema>;

/**
 * The namespace's webhooks (webhook dispatcher). The signing secret stays with the dispatcher and is
 * never in a manifest; header values (often credentials) are exported as secret references.
 */
export function webhookKind(services: OwningServices): ResourceKind {
  const client = services.webhook;
  const list = (context: ActContext) =>
    listEveryPage(async (cursor) => {
      const page = await client.listWebhooks(
        { namespaceId: context.namespaceId, limit: 100, cursor },
        { caller: context.caller },
      );
      return page.ok ? ok({ items: page.value.webhooks, next: page.value.nextCursor }) : page;
    });
  const idOf = async (context: ActContext, name: string): Promise<Result<string, AppError>> => {
    const webhooks = await list(context);
    if (!webhooks.ok) return webhooks;
    const found = webhooks.value.find((w) => w.webhookName === name);
    return found === undefined ? { ok: false, error: notFound("webhook", name) } : ok(found.webhookId);
  };
  return {
    section: "webhooks",
    order: 70,
    schema,
    replaceReason: () => undefined,
    sensitive: ["headers"],
    references: () => [],
    list: async (context) => {
      const webhooks = await list(context);
      if (!webhooks.ok) return webhooks;
      return ok(
        webhooks.value.map((w) => ({
          name: w.webhookName,
          spec: { url: w.url, events: w.events, headers: w.headers, is_active: w.isActive } satisfies Spec,
        })),
      );
    },
    create: async ({ caller, namespaceId }, name, spec) => {
      const s = spec as WebhookSpec;
      return done(
        await client.createWebhook(
          {
            namespaceId,
            webhookName: name,
            url: s.url,
            events: s.events,
            namespaces: [],
            headers: s.headers,
            isActive: s.is_active,
          },
          { caller },
        ),
      );
    },
    update: async (context, name, _before, after) => {
      const s = after as WebhookSpec;
      const id = await idOf(context, name);
      if (!id.ok) return id;
      return done(
        await client.updateWebhook(
          {
            namespaceId: context.namespaceId,
            webhookId: id.value,
            url: s.url,
            events: s.events,
            hasEvents: true,
            headers: s.headers,
            hasHeaders: true,
            isActive: s.is_active,
            namespaces: [],
            hasNamespaces: false,
          },
          { caller: context.caller },
        ),
      );
    },
    remove: async (context, name) => {
      const id = await idOf(context, name);
      if (!id.ok) return id;
      return done(
        await client.deleteWebhook(
          { namespaceId: context.namespaceId, webhookId: id.value },
          { caller: context.caller },
        ),
      );
    },
  };
}
