/**
 * Who sent the email, in the plain words a Jira comment or a reply needs. Pure string work on
 * the already-validated sender: no lookups.
 */

export function domainOf(address: string): string {
  const at = address.lastIndexOf('@');
  return at < 0 ? '' : address.slice(at + 1).toLowerCase().replace(/\.$/, '');
}

/** Internal when the domain is one of ours or a subdomain of one ("evil-northwind.com" is not "northwind.com"). */
export function isInternalSender(address: string, internalDomains: readonly string[]): boolean {
  const d = domainOf(address);
  return internalDomains.some((raw) => {
    const ours = raw.trim().toLowerCase().replace(/^@/, '').replace(/\.$/, '');
    return ours.length > 0 && (d === ours || d.endsWith(`.${ours}`));
  });
}

/**
 * A readable organisation name from the domain: the label before the public suffix, capitalised
 * ("dana@northwind.example" → "Northwind", "x@mail.acme.co.uk" → "Acme"). Two-label suffixes are
 * recognised by shape (short second-level label under a two-letter country code).
 */
export function organisationOf(address: string): string {
  const labels = domainOf(address).split('.').filter(Boolean);
  if (labels.length < 2) return labels[0] ?? '';
  const last = labels[labels.length - 1]!;
  const second = labels[labels.length - 2]!;
  const suffixLen = last.length === 2 && second.length <= 3 && labels.length >= 3 ? 2 : 1;
  const name = labels[labels.length - 1 - suffixLen] ?? second;
  return name.charAt(0).toUpperCase() + name.slice(1);
}

/** The sender's name if given, else the address's local part. */
export function senderName(from: { name?: string | undefined; address: string }): string {
  const name = from.name?.trim();
  if (name) return name;
  const at = from.address.indexOf('@');
  return at > 0 ? from.address.slice(0, at) : from.address;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

/** "23 Nov 2026" (UTC), or null when the timestamp does not parse. */
export function dayOf(timestamp: string): string | null {
  const t = new Date(timestamp);
  if (Number.isNaN(t.getTime())) return null;
  return `${t.getUTCDate()} ${MONTHS[t.getUTCMonth()]} ${t.getUTCFullYear()}`;
}
