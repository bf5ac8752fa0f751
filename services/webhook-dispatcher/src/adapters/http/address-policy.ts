import { BlockList, isIP } from "node:net";

/**
 * Where webhooks may not go unless STRATA_WEBHOOK_ALLOWED_CIDRS opens it: loopback, private,
 * link-local (cloud metadata at 169.254.169.254 among them), CGNAT (100.100.100.200, another
 * metadata address), multicast, reserved and documentation ranges, IPv6 ULA (fd00:ec2::254),
 * link-local, site-local, multicast, NAT64 and discard prefixes.
 */
const BLOCKED_V4 = [
  "0.0.0.0/8",
  "10.0.0.0/8",
  "100.64.0.0/10",
  "127.0.0.0/8",
  "169.254.0.0/16",
  "172.16.0.0/12",
  "192.0.0.0/24",
  "192.0.2.0/24",
  "192.88.99.0/24",
  "192.168.0.0/16",
  "198.18.0.0/15",
  "198.51.100.0/24",
  "203.0.113.0/24",
  "224.0.0.0/4",
  "240.0.0.0/4",
];
const BLOCKED_V6 = [
  "::/127",
  "64:ff9b::/96",
  "64:ff9b:1::/48",
  "100::/64",
  "2001::/23",
  "2001:db8::/32",
  "2002::/16",
  "fc00::/7",
  "fe80::/10",
  "fec0::/10",
  "ff00::/8",
];

export interface AddressPolicy {
  /** Why the address may not be reached, or undefined when it may. */
  refusal(address: string): string | undefined;
}

function addCidr(list: BlockList, cidr: string): void {
  const [network, bits] = cidr.split("/");
  const family = isIP(network ?? "");
  const prefix = Number(bits);
  if (family === 0 || !Number.isInteger(prefix)) throw new Error(`not a CIDR range: '${cidr}'`);
  list.addSubnet(network as string, prefix, family === 4 ? "ipv4" : "ipv6");
}

/** The default blocks with `allowedCidrs` opened (they win over the blocks). Throws on a bad range. */
export function createAddressPolicy(allowedCidrs: readonly string[]): AddressPolicy {
  const blocked = new BlockList();
  for (const cidr of [...BLOCKED_V4, ...BLOCKED_V6]) addCidr(blocked, cidr);
  const allowed = new BlockList();
  for (const cidr of allowedCidrs) addCidr(allowed, cidr);
  return {
    refusal(raw) {
      const address = unmapped(raw.replace(/^\[|\]$/g, ""));
      const family = isIP(address);
      if (family === 0) return `'${raw}' is not an IP address`;
      const type = family === 4 ? "ipv4" : "ipv6";
      if (allowed.check(address, type)) return undefined;
      return blocked.check(address, type)
        ? `${address} is in a blocked range (loopback, private, link-local, metadata or reserved)`
        : undefined;
    },
  };
}

/** `::ffff:127.0.0.1` (and its hex spelling) is 127.0.0.1: judged as IPv4. */
function unmapped(address: string): string {
  const lower = address.toLowerCase();
  const dotted = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (dotted?.[1] !== undefined) return dotted[1];
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower);
  if (hex?.[1] !== undefined && hex[2] !== undefined) {
    const high = Number.parseInt(hex[1], 16);
    const low = Number.parseInt(hex[2], 16);
    return `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`;
  }
  return address;
}

/** The creation-time check: a URL whose host is a literal blocked address is refused at once. */
export function literalUrlRefusal(policy: AddressPolicy): (url: URL) => string | undefined {
  return (url) => {
    const host = url.hostname.replace(/^\[|\]$/g, "");
    return isIP(host) === 0 ? undefined : policy.refusal(host);
  };
}
