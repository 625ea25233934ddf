/**
 * Is a sync server address safe to use over plain http? Passwords and session tokens travel in
 * every request: over http on the open internet anyone on the way reads them. On this laptop
 * (loopback) and on a private network (the office LAN, the tour's own hotspot) plain http is how
 * the server is normally run, and is allowed without a word; an http address anywhere else gets
 * a warning that the user must accept (electron/config/server-settings.ts, the sign-in form).
 *
 * Private: loopback, RFC 1918 (10/8, 172.16/12, 192.168/16), link-local (169.254/16, fe80::/10),
 * carrier-grade NAT (100.64/10), IPv6 unique local (fc00::/7), and host names that cannot be
 * public DNS names: `localhost`, one label without dots (an intranet name), `.local`, `.lan`,
 * `.internal`, `.home.arpa`. Every other host name counts as public: the app cannot know where a
 * DNS name points without resolving it, and a wrong "private" would be the silent case.
 *
 * Pure: no Node, DOM or Electron (shared/).
 */

export type ServerAddressKind = 'https' | 'loopback' | 'private' | 'public-http';

function ipv4Parts(host: string): number[] | null {
  if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(host)) return null;
  const parts = host.split('.').map(Number);
  return parts.every((p) => p <= 255) ? parts : null;
}

function ipv4Kind([a, b]: number[]): 'loopback' | 'private' | 'public' {
  if (a === 127) return 'loopback';
  if (a === 10 || (a === 172 && b! >= 16 && b! <= 31) || (a === 192 && b === 168)) return 'private';
  if (a === 169 && b === 254) return 'private';
  if (a === 100 && b! >= 64 && b! <= 127) return 'private';
  if (a === 0) return 'loopback';
  return 'public';
}

function ipv6Kind(host: string): 'loopback' | 'private' | 'public' {
  const h = host.toLowerCase();
  if (h === '::1' || h === '::') return 'loopback';
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/.exec(h);
  if (mapped) {
    const parts = ipv4Parts(mapped[1]!);
    return parts ? ipv4Kind(parts) : 'public';
  }
  const first = parseInt(h.split(':')[0] || '0', 16);
  if ((first & 0xfe00) === 0xfc00) return 'private'; // fc00::/7 unique local
  if ((first & 0xffc0) === 0xfe80) return 'private'; // fe80::/10 link-local
  return 'public';
}

const privateSuffixes = ['.local', '.lan', '.internal', '.home.arpa', '.localhost'];

/** What kind of address a server URL (an origin such as http://10.0.0.5:8787) has; null when it is no http(s) URL. */
export function serverAddressKind(url: string): ServerAddressKind | null {
  // scheme and host by hand: shared/ has no URL class (no DOM or Node globals)
  const match = /^\s*(https?):\/\/(?:[^@/?#]*@)?(\[[0-9a-fA-F:.]+\]|[^:/?#]+)(?::\d*)?(?:[/?#]|\s*$)/i.exec(url);
  if (!match) return null;
  if (match[1]!.toLowerCase() === 'https') return 'https';
  const host = match[2]!.replace(/^\[(.*)\]$/, '$1').toLowerCase().replace(/\.$/, '');
  if (host === '') return null;
  const v4 = ipv4Parts(host);
  if (v4) {
    const kind = ipv4Kind(v4);
    return kind === 'public' ? 'public-http' : kind;
  }
  if (host.includes(':')) {
    const kind = ipv6Kind(host);
    return kind === 'public' ? 'public-http' : kind;
  }
  if (host === 'localhost') return 'loopback';
  if (!host.includes('.') || privateSuffixes.some((suffix) => host.endsWith(suffix))) return 'private';
  return 'public-http';
}

/** true for plain http to an address that is not this computer or a private network: warn and ask first */
export function isPlainHttpOnPublicAddress(url: string): boolean {
  return serverAddressKind(url) === 'public-http';
}
