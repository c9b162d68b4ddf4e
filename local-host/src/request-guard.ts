/**
 * The local host drives real approvals and settings changes with the local users' identities, so
 * another site must not be able to drive it from a browser: neither by a cross-site form or fetch
 * (CSRF), nor by pointing a DNS name of its own at 127.0.0.1 (DNS rebinding).
 *
 * - Host must name this host exactly (127.0.0.1:<port> or localhost:<port>) on every request:
 *   a rebound name (attacker.example) arrives with its own Host header.
 * - A state-changing request (anything but GET/HEAD/OPTIONS) must be `application/json`, which a
 *   cross-site form cannot send and a cross-site fetch cannot send without a preflight we never
 *   answer; and if it carries Origin (every browser sends it on POST) or Sec-Fetch-Site, they must
 *   say this host. Non-browser clients (tests, curl) send neither and are judged by Host and type.
 */
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface Refusal {
  status: 403;
  message: string;
}

export function allowedHosts(origin: string): Set<string> {
  const { port } = new URL(origin);
  return new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
}

export function checkRequest(req: Request, ownOrigin: string): Refusal | null {
  const hosts = allowedHosts(ownOrigin);
  const host = (req.headers.get('host') ?? new URL(req.url).host).toLowerCase();
  if (!hosts.has(host)) {
    return { status: 403, message: `This local host answers only to ${[...hosts].join(' or ')}, not to Host "${host.slice(0, 100)}". Open it at ${ownOrigin}.` };
  }
  if (SAFE_METHODS.has(req.method)) return null;
  const origin = req.headers.get('origin');
  if (origin !== null && !hosts.has(hostOf(origin))) {
    return { status: 403, message: `Requests from ${origin.slice(0, 100)} are refused: only pages served by this local host (${ownOrigin}) may change anything here.` };
  }
  const site = req.headers.get('sec-fetch-site');
  if (site !== null && site !== 'same-origin' && site !== 'none') {
    return { status: 403, message: `A ${site} request is refused: only pages served by this local host (${ownOrigin}) may change anything here.` };
  }
  const type = (req.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') {
    return { status: 403, message: `This local host accepts changes only as application/json (got ${type ? `"${type.slice(0, 100)}"` : 'no content type'}).` };
  }
  return null;
}

function hostOf(origin: string): string {
  try {
    const u = new URL(origin);
    return u.protocol === 'http:' ? u.host.toLowerCase() : `(${u.protocol})`;
  } catch {
    return '(not an origin)';
  }
}
