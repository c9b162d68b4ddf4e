import { createHash } from 'node:crypto';
import { canonicalJson, payloadHash } from '../src';

describe('canonical JSON and payload hash', () => {
  it('sorts keys at every depth and drops whitespace', () => {
    expect(canonicalJson({ b: 1, a: [true, null, 'x', { d: 2, c: 'é' }] })).toBe('{"a":[true,null,"x",{"c":"é","d":2}],"b":1}');
  });

  it('gives the same hash whatever the key order, and a different one for any change', async () => {
    const one = await payloadHash({ issueKey: 'ABC-123', body: 'Deadline moved to 12 Dec' });
    const two = await payloadHash({ body: 'Deadline moved to 12 Dec', issueKey: 'ABC-123' });
    const changed = await payloadHash({ issueKey: 'ABC-123', body: 'Deadline moved to 13 Dec' });
    expect(one).toBe(two);
    expect(one).not.toBe(changed);
  });

  it('equals SHA-256 of the canonical bytes computed independently', async () => {
    const payload = { z: 'ß\u2028<script>', a: 1.5, m: [] };
    const expected = createHash('sha256').update(canonicalJson(payload), 'utf8').digest('hex');
    expect(await payloadHash(payload)).toBe(expected);
  });

  it('orders keys by UTF-16 code units as RFC 8785 does', () => {
    // U+20AC (€) sorts before U+1F600 (😀, a surrogate pair starting 0xD83D) by code unit.
    expect(canonicalJson({ '😀': 1, '€': 2, a: 3 })).toBe('{"a":3,"€":2,"😀":1}');
  });

  it('refuses values JSON cannot hold rather than hashing something ambiguous', () => {
    expect(() => canonicalJson({ a: undefined })).toThrow(/undefined/);
    expect(() => canonicalJson({ a: Number.NaN })).toThrow(/NaN/);
    expect(() => canonicalJson({ a: () => 1 })).toThrow(/function/);
  });
});
