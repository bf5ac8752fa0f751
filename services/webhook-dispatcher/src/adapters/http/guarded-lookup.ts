import { promises as dns, type LookupAddress } from "node:dns";
import type { LookupFunction } from "node:net";
import type { AddressPolicy } from "./address-policy.js";

export class BlockedAddressError extends Error {
  readonly code = "EBLOCKEDADDRESS";
}

/** Resolves a name to all its addresses; the system resolver unless a test injects its own. */
export type NameResolver = (hostname: string, family: number) => Promise<LookupAddress[]>;

export const systemResolver: NameResolver = (hostname, family) =>
  dns.lookup(hostname, { all: true, family: family as 0 | 4 | 6 });

/**
 * The socket's own DNS lookup: resolves, refuses the name if any of its addresses is blocked, and
 * hands the socket the address it checked, so a second resolution (DNS rebinding) cannot swap in
 * another one between the check and the connect.
 */
export function guardedLookup(policy: AddressPolicy, resolve: NameResolver = systemResolver): LookupFunction {
  return (hostname, options, callback) => {
    const family = typeof options.family === "number" ? options.family : 0;
    resolve(hostname, family).then(
      (addresses) => {
        const refused = addresses.map((a) => policy.refusal(a.address)).find((r) => r !== undefined);
        const first = addresses[0];
        if (refused !== undefined || first === undefined) {
          return callback(new BlockedAddressError(`${hostname}: ${refused ?? "no address"}`), "", 0);
        }
        if (options.all === true) return (callback as unknown as AllCallback)(null, [first]);
        return callback(null, first.address, first.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, "", 0),
    );
  };
}

type AllCallback = (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void;
