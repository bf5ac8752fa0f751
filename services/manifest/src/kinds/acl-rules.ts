import { ok } from "@strata/errors";
import { z } from "zod";
import { done, listEveryPage, type OwningServices } from "../adapters/grpc/owning-services.js";
import type { ResourceKind, Spec } from "../domain/ports.js";
import { collectionIdsNow, collectionNames } from "./collection-names.js";

const schema = z.strictObject({
  effect: z.enum(["allow", "deny"]),
  /** The filter language's JSON form; may reference $user.* (checked by the ACL service). */
  condition: z.record(z.string(), z.unknown()),
  /** Collection names; empty: every collection of the namespace. */
  collections: z.array(z.string().min(1)).default([]),
});

type AclRuleSpec = z.infer<typeof schema>;

/**
 * Document ACL rules (acl-query's AclService), by name. The service holds collection ids; the
 * manifest names the collections, resolved at each call. Every field is changed in place.
 */
export function aclRuleKind(services: OwningServices): ResourceKind {
  const client = services.acl;
  return {
    section: "acl_rules",
    order: 60,
    schema,
    replaceReason: () => undefined,
    references: (spec) =>
      (spec as AclRuleSpec).collections.map((name, index) => ({
        section: "collections",
        name,
        field: `collections[${index}]`,
      })),
    list: async (context) => {
      const names = await collectionNames(services, context);
      if (!names.ok) return names;
      return listEveryPage(async (cursor) => {
        const page = await client.listAclRules(
          { namespaceId: context.namespaceId, limit: 100, cursor },
          { caller: context.caller },
        );
        if (!page.ok) return page;
        const items = page.value.rules.map((rule) => ({
          name: rule.ruleName,
          spec: {
            effect: rule.effect,
            condition: rule.condition ?? {},
            collections: rule.collectionIds.map(names.value.nameOf),
          } satisfies Spec,
        }));
        return ok({ items, next: page.value.nextCursor });
      });
    },
    create: async (context, name, spec) => {
      const s = spec as AclRuleSpec;
      const ids = await collectionIdsNow(services, context, s.collections);
      if (!ids.ok) return ids;
      return done(
        await client.createAclRule(
          {
            namespaceId: context.namespaceId,
            ruleName: name,
            effect: s.effect,
            condition: s.condition,
            collectionIds: ids.value,
          },
          { caller: context.caller },
        ),
      );
    },
    update: async (context, name, _before, after) => {
      const s = after as AclRuleSpec;
      const ids = await collectionIdsNow(services, context, s.collections);
      if (!ids.ok) return ids;
      return done(
        await client.updateAclRule(
          {
            namespaceId: context.namespaceId,
            rule: name,
            effect: s.effect,
            condition: s.condition,
            setCollectionIds: true,
            collectionIds: ids.value,
          },
          { caller: context.caller },
        ),
      );
    },
    remove: async ({ caller, namespaceId }, name) =>
      done(await client.deleteAclRule({ namespaceId, rule: name }, { caller })),
  };
}
