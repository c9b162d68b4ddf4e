/**
 * Canonical JSON in the manner of RFC 8785 (JCS): object keys sorted by UTF-16 code units, no
 * whitespace, numbers and strings as ECMAScript's JSON.stringify writes them. Panels and backend
 * compute the payload hash over these bytes, so the same payload always has the same hash.
 * https://www.rfc-editor.org/rfc/rfc8785
 */
export function canonicalJson(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'boolean':
      return value ? 'true' : 'false';
    case 'string':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError('canonical JSON cannot hold NaN or Infinity');
      return JSON.stringify(value);
    case 'object':
      return Array.isArray(value) ? canonicalArray(value) : canonicalObject(value as Record<string, unknown>);
    default:
      throw new TypeError(`canonical JSON cannot hold a ${typeof value}`);
  }
}

function canonicalArray(items: unknown[]): string {
  return `[${items.map(canonicalJson).join(',')}]`;
}

function canonicalObject(obj: Record<string, unknown>): string {
  const keys = Object.keys(obj).sort(); // default sort compares UTF-16 code units, as JCS requires
  const members = keys.map((k) => {
    if (obj[k] === undefined) throw new TypeError(`canonical JSON cannot hold undefined (key "${k}")`);
    return `${JSON.stringify(k)}:${canonicalJson(obj[k])}`;
  });
  return `{${members.join(',')}}`;
}
