import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import type { LookupFunction } from "node:net";
import type { AddressPolicy } from "./address-policy.js";

export class BlockedAddressError extends Error {
  readonly code = "EBLOCKEDADDRESS";
}

/**
 * The socket's own DNS lookup: resolves, refuses the name if any of its addresses is blocked, and
 * hands the socket the address it checked, so a second resolution (DNS rebinding) cannot swap in
 * another one between the check and the connect.
 */
export function guardedLookup(policy: AddressPolicy): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { all: true, family: options.family ?? 0 }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error, "", 0);
      const refused = addresses.map((a) => policy.refusal(a.address)).find((r) => r !== undefined);
      const first = addresses[0];
      if (refused !== undefined || first === undefined) {
        return callback(new BlockedAddressError(`${hostname}: ${refused ?? "no address"}`), "", 0);
      }
      if (options.all === true) return (callback as unknown as AllCallback)(null, [first]);
      return callback(null, first.address, first.family);
    });
  };
}

type AllCallback = (error: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void;
