import { BlockList, isIP } from 'node:net';
import { ValidationError } from './errors';

// Where a webhook may be sent (SSRF): a manager names a URL and our servers call it, so it must
// not reach into our own network. On AWS (`public`) only https, and only hosts whose every address
// is public: no private, loopback, link-local (the instance metadata service at 169.254.169.254 and
// fd00:ec2::254 among them), unique-local, multicast or reserved addresses. The host is resolved
// and every address checked at registration and again before each attempt, and the request goes to
// the checked address (functions/adapters/webhook-sender.ts), so a DNS answer that changes between
// the check and the connect (rebinding) cannot slip through. Locally (`loopback`) http and the
// loopback addresses are allowed too, for the demo's and the tests' receivers on 127.0.0.1.

export const TARGET_RULES = ['public', 'loopback'] as const;
export type TargetRules = (typeof TARGET_RULES)[number];

const blocked = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  blocked.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 128],
  ['::1', 128],
  // IPv4-mapped and NAT64 addresses are checked by their IPv4 part (below); these are refused whole.
  ['::', 96],
  ['100::', 64],
  ['2001::', 23],
  ['2001:db8::', 32],
  ['2002::', 16],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
] as const)
  blocked.addSubnet(net, prefix, 'ipv6');

const loopback = new BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addAddress('::1', 'ipv6');

/** An IPv6 address that carries an IPv4 one (::ffff:a.b.c.d, 64:ff9b::a.b.c.d): that IPv4 address. */
function embeddedIpv4(address: string): string | null {
  const m = /^(?:::ffff:|64:ff9b::)(?:(\d+\.\d+\.\d+\.\d+)|([0-9a-f]{1,4}):([0-9a-f]{1,4}))$/i.exec(address);
  if (!m) return null;
  if (m[1]) return m[1];
  const hi = Number.parseInt(m[2] ?? '0', 16);
  const lo = Number.parseInt(m[3] ?? '0', 16);
  return [hi >> 8, hi & 255, lo >> 8, lo & 255].join('.');
}

/** Why an address may not be a webhook target under `rules`, or null when it may. */
export function refusedAddress(address: string, rules: TargetRules): string | null {
  const family = isIP(address);
  if (!family) return 'not an IP address';
  const v4 = family === 6 ? embeddedIpv4(address) : address;
  if (v4 && v4 !== address) return refusedAddress(v4, rules);
  const type = family === 4 ? 'ipv4' : 'ipv6';
  if (rules === 'loopback' && loopback.check(address, type)) return null;
  return blocked.check(address, type) ? 'a private, loopback, link-local or reserved address' : null;
}

const refused = (message: string) =>
  new ValidationError(`The webhook URL is not allowed: ${message}`, [{ path: 'url', message }]);

/** The URL's form: absolute, https (or http where the rules allow loopback), no credentials in it. */
export function checkUrl(raw: string, rules: TargetRules): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw refused('not an absolute URL');
  }
  const schemes = rules === 'public' ? ['https:'] : ['https:', 'http:'];
  if (!schemes.includes(url.protocol))
    throw refused(`must be ${rules === 'public' ? 'https' : 'http or https'}`);
  if (url.username || url.password) throw refused('must not carry credentials');
  if (url.hash) throw refused('must not have a fragment');
  return url;
}

/** A URL whose host resolved to `address`, which passed the rules: where the request connects. */
export interface CheckedTarget {
  url: URL;
  address: string;
  family: 4 | 6;
}

export type Resolve = (host: string) => Promise<string[]>;

/** The hostname as the resolver and the address check take it (an IPv6 literal loses its brackets). */
const hostOf = (url: URL) => url.hostname.replace(/^\[(.*)\]$/, '$1');

/**
 * Checks the URL and every address its host resolves to; the first address is where to connect.
 * A host that resolves to nothing, or to one refused address among public ones, is refused whole.
 */
export async function checkTarget(raw: string, rules: TargetRules, resolve: Resolve): Promise<CheckedTarget> {
  const url = checkUrl(raw, rules);
  const host = hostOf(url);
  let addresses: string[];
  if (isIP(host)) addresses = [host];
  else {
    try {
      addresses = await resolve(host);
    } catch {
      addresses = [];
    }
    if (!addresses.length) throw refused('its host does not resolve');
  }
  for (const address of addresses) {
    const why = refusedAddress(address, rules);
    if (why) throw refused(`${address === host ? 'its host is' : 'its host resolves to'} ${why}`);
  }
  const address = addresses[0] as string;
  return { url, address, family: isIP(address) === 6 ? 6 : 4 };
}
