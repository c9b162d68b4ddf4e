/** Page cursors: opaque to callers, a base64url JSON array of strings inside. */
export class InvalidCursor extends Error {
  constructor() {
    super('The page cursor is not one this API gave out. Start again from the first page.');
    this.name = 'InvalidCursor';
  }
}

export function encodeCursor(parts: readonly string[]): string {
  return Buffer.from(JSON.stringify(parts), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string, length: number): string[] {
  try {
    const parts = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(parts) && parts.length === length && parts.every((p) => typeof p === 'string' && p.length <= 1_000)) return parts as string[];
  } catch {
    // fall through
  }
  throw new InvalidCursor();
}
