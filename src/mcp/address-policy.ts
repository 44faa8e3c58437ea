import { BlockList, isIP } from "node:net";

/**
 * Addresses a tenant's config must never make this server connect to: private networks, loopback,
 * link-local (cloud metadata at 169.254.169.254 and fd00:ec2::254), carrier-grade NAT, multicast,
 * reserved and documentation ranges. IPv4-mapped IPv6 addresses (::ffff:127.0.0.1) are checked
 * by BlockList against the IPv4 ranges; NAT64 local-use and 6to4 prefixes, which can embed any
 * IPv4 address, are blocked whole.
 */
const BLOCKED_RANGES: ReadonlyArray<[string, number, "ipv4" | "ipv6"]> = [
  ["0.0.0.0", 8, "ipv4"],
  ["10.0.0.0", 8, "ipv4"],
  ["100.64.0.0", 10, "ipv4"],
  ["127.0.0.0", 8, "ipv4"],
  ["169.254.0.0", 16, "ipv4"],
  ["172.16.0.0", 12, "ipv4"],
  ["192.0.0.0", 24, "ipv4"],
  ["192.0.2.0", 24, "ipv4"],
  ["192.88.99.0", 24, "ipv4"],
  ["192.168.0.0", 16, "ipv4"],
  ["198.18.0.0", 15, "ipv4"],
  ["198.51.100.0", 24, "ipv4"],
  ["203.0.113.0", 24, "ipv4"],
  ["224.0.0.0", 4, "ipv4"],
  ["240.0.0.0", 4, "ipv4"],
  ["::", 128, "ipv6"],
  ["::1", 128, "ipv6"],
  ["64:ff9b:1::", 48, "ipv6"],
  ["100::", 64, "ipv6"],
  ["2001:db8::", 32, "ipv6"],
  ["2002::", 16, "ipv6"],
  ["fc00::", 7, "ipv6"],
  ["fe80::", 10, "ipv6"],
  ["fec0::", 10, "ipv6"],
  ["ff00::", 8, "ipv6"],
];

const blocked = new BlockList();
for (const [network, prefix, family] of BLOCKED_RANGES) blocked.addSubnet(network, prefix, family);

/** Whether an IP address (v4 or v6, without brackets) is one the server must not connect to. */
export function isBlockedAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return true;
  return blocked.check(address, family === 4 ? "ipv4" : "ipv6");
}

/** Names that always mean this machine, whatever DNS says. */
function isLocalName(hostname: string): boolean {
  return hostname === "localhost" || hostname.endsWith(".localhost") || hostname === "localhost.";
}

export function unbracket(hostname: string): string {
  return hostname.startsWith("[") && hostname.endsWith("]") ? hostname.slice(1, -1) : hostname;
}

export function defaultPort(protocol: string): string {
  return protocol === "https:" ? "443" : "80";
}

/** The operator's allow-list (`host` or `host:port` entries) opens specific hosts. */
export function isAllowListed(allowedHosts: readonly string[], hostname: string, port: string): boolean {
  const host = hostname.toLowerCase();
  const bracketed = isIP(unbracket(host)) === 6 ? `[${unbracket(host)}]` : host;
  return allowedHosts.some((entry) => entry === bracketed || entry === `${bracketed}:${port}`);
}

export type UrlVerdict = { allowed: true } | { allowed: false; reason: string };

/**
 * What can be decided about a URL without DNS: its scheme, and its host when that is a literal
 * address or a local name. Names are resolved and checked again on every connection.
 */
export function checkUrlWithoutDns(url: string, allowedHosts: readonly string[]): UrlVerdict {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { allowed: false, reason: "is not a valid URL" };
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    return { allowed: false, reason: "must be an http(s) URL" };
  }
  if (parsed.username !== "" || parsed.password !== "") {
    return { allowed: false, reason: "must not carry credentials; use token_secret_ref" };
  }
  const host = unbracket(parsed.hostname.toLowerCase());
  const port = parsed.port || defaultPort(parsed.protocol);
  if (isAllowListed(allowedHosts, parsed.hostname, port)) return { allowed: true };
  if (isLocalName(host) || (isIP(host) !== 0 && isBlockedAddress(host))) {
    return {
      allowed: false,
      reason: `points at a private, loopback or link-local address (${parsed.host}); an operator can allow it in SWITCHBOARD_MCP_ALLOWED_HOSTS`,
    };
  }
  return { allowed: true };
}
