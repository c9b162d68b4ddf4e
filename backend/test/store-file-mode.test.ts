import { chmodSync, existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_SETTINGS } from '@pm-agent/shared';
import { updateSettings } from '../src/domain/settings';
import { SqliteStore } from '../src/store/sqlite/sqlite-store';

/** The SQLite store holds approvals, settings and the audit trail: only its owner may read it. */
const dir = mkdtempSync(join(tmpdir(), 'pm-agent-mode-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const mode = (file: string) => statSync(file).mode & 0o777;
const ADMIN = { principal: 'forge' as const, actor: { principal: 'forge' as const, id: '712020:admin' }, admin: true };

describe('the SQLite file', () => {
  it('is created 0600, and so are its WAL and shared-memory files', async () => {
    const file = join(dir, 'new.sqlite');
    const store = new SqliteStore(file);
    try {
      await updateSettings({ store, now: () => new Date() }, ADMIN, { ...DEFAULT_SETTINGS, paused: true });
      expect(mode(file)).toBe(0o600);
      for (const side of [`${file}-wal`, `${file}-shm`]) if (existsSync(side)) expect(mode(side)).toBe(0o600);
      expect(existsSync(`${file}-wal`)).toBe(true);
    } finally {
      await store.close();
    }
  });

  it('an existing file readable by others is narrowed to 0600 when opened', () => {
    const file = join(dir, 'old.sqlite');
    writeFileSync(file, '');
    chmodSync(file, 0o644);
    new SqliteStore(file).close();
    expect(mode(file)).toBe(0o600);
  });
});
