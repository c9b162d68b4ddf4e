/**
 * Paths must be canonical before they are signed or routed. SigV4 removes dot segments before it
 * signs, and URL parsing turns `%2e%2e` and `\` into `..` and `/`, so `/v1/suggestions/%2e%2e/viewer`
 * would be signed and routed as `/v1/viewer`. Like API Gateway, refuse such a path outright.
 * Returns why the raw path (as it arrived on the wire, query included or not) is refused, or undefined.
 */
export function nonCanonicalPath(rawPath: string): string | undefined {
  const path = rawPath.split('?')[0] ?? '';
  if (/\\|%5c/i.test(path)) return 'Paths may not contain a backslash, raw or encoded (%5C).';
  const dotSegment = path.split('/').some((segment) => /^(?:\.|%2e){1,2}$/i.test(segment));
  if (dotSegment) return 'Paths may not contain "." or ".." segments, raw or encoded (%2E). Send the path as it is meant.';
  return undefined;
}
