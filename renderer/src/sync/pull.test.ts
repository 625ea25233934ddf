import { formatHlc } from '@shared/sync/hlc';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { GuanmoDb } from '../db/guanmo-db';
import { getMeta, ensureClientId } from '../db/meta-repo';
import { createTestDb } from '../test-support/test-db';
import { applyPage } from './pull';

describe('applyPage', () => {
  let db: GuanmoDb;
  beforeEach(async () => {
    db = createTestDb();
    await ensureClientId(db);
  });
  afterEach(() => db.close());

  const scope = { serverUrl: 'http://server.test', userId: 'u-alice' };
  const note = (id: string, hlc: string) => ({
    collection: 'notes' as const,
    id,
    tourId: 't1',
    data: { id, tourId: 't1', stopId: 's1', authorId: 'u-bob', kind: 'highlight', text: '亮点', createdAt: '2021-12-08T03:00:00.000Z', updatedAt: '2021-12-08T03:00:00.000Z', deletedAt: null },
    versions: { text: hlc, kind: hlc },
    deleted: false,
  });

  it('moves the device clock past the page in the same transaction, before the next page is asked for', async () => {
    const now = Date.now();
    // another laptop's clock a minute ahead: a local edit right after this page must still be later
    const ahead = formatHlc({ millis: now + 60_000, counter: 7, node: 'other-laptop' });
    const result = await applyPage(db, scope, undefined, [note('n1', formatHlc({ millis: now - 5_000, counter: 0, node: 'x' })), note('n2', ahead)], 'c-1', () => now);
    expect(result.isCurrent).toBe(true);
    const clock = await getMeta(db, 'hlc');
    expect(clock! > ahead).toBe(true);
  });

  it('leaves the clock alone when the page is stale (another window moved the cursor)', async () => {
    await applyPage(db, scope, undefined, [], 'c-1');
    const before = await getMeta(db, 'hlc');
    const ahead = formatHlc({ millis: Date.now() + 60_000, counter: 0, node: 'other-laptop' });
    const result = await applyPage(db, scope, undefined, [note('n1', ahead)], 'c-2');
    expect(result.isCurrent).toBe(false);
    expect(await getMeta(db, 'hlc')).toBe(before);
  });
});
