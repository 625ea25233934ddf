// @vitest-environment happy-dom
/**
 * Trial rules (试算): kept per tour for the working session, validated when read back, no trial
 * when equal to the saved rules; the bulletin computes with them and says so, for the
 * secretariat only.
 */
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rankingRulesSchema } from '@shared/domain/schemas';
import type { RankingInput } from '@shared/ranking';
import { DbContext } from '../../../db/db-context';
import type { GuanmoDb } from '../../../db/guanmo-db';
import { I18nProvider } from '../../../i18n/I18nProvider';
import { setSyncState } from '../../../sync/sync-tables';
import { createTestDb } from '../../../test-support/test-db';
import { BulletinPage } from '../export/BulletinPage';
import { handWorkedTour } from './hand-worked-tour';
import { isTrialOf, readTrialRules, resetTrialRulesForTests, writeTrialRules } from './trial-rules';

let db: GuanmoDb;
beforeEach(() => {
  sessionStorage.clear();
  resetTrialRulesForTests();
  db = createTestDb();
});
afterEach(() => {
  cleanup();
  db.close();
});

describe('trial rules store', () => {
  it('keeps a tour’s trial in sessionStorage and reads it back validated', () => {
    const rules = rankingRulesSchema.parse({ projectScope: 'tour', unitScope: 'group', trim: null });
    writeTrialRules('t1', rules);
    resetTrialRulesForTests(); // a new page of the same window
    expect(readTrialRules('t1')).toMatchObject({ projectScope: 'tour', unitScope: 'group', trim: null });
    expect(readTrialRules('t2')).toBeNull();
    writeTrialRules('t1', null);
    resetTrialRulesForTests();
    expect(readTrialRules('t1')).toBeNull();
    // anything else in storage is no trial
    sessionStorage.setItem('guanmo.trialRules.v1.t3', JSON.stringify({ trim: { dropHighest: 5, dropLowest: 5, minSheets: 3 } }));
    sessionStorage.setItem('guanmo.trialRules.v1.t4', '{not json');
    expect([readTrialRules('t3'), readTrialRules('t4')]).toEqual([null, null]);
  });

  it('rules equal to the saved ones are no trial', () => {
    const saved = rankingRulesSchema.parse({});
    expect(isTrialOf(null, saved)).toBe(false);
    expect(isTrialOf({ ...saved }, saved)).toBe(false);
    expect(isTrialOf({ ...saved, unitScope: 'tour' }, saved)).toBe(true);
  });
});

describe('bulletin with trial rules', () => {
  async function store(input: RankingInput, role: 'secretariat' | 'scorer') {
    await db.tours.put({ ...input.tour, status: 'results_published' });
    await db.units.bulkPut([...input.units]);
    await db.stops.bulkPut([...input.stops]);
    await db.scorers.bulkPut([...input.scorers]);
    await db.sheets.bulkPut([...input.sheets]);
    await setSyncState(db, 'session', {
      serverUrl: 'http://127.0.0.1:9',
      token: 't',
      expiresAt: '2099-01-01T00:00:00.000Z',
      user: { id: 'u-1', username: 'u', displayName: '某人', role },
    });
  }
  const renderBulletin = (tourId: string) =>
    render(
      <I18nProvider initialLocale="zh-CN">
        <DbContext.Provider value={db}>
          <BulletinPage tourId={tourId} />
        </DbContext.Provider>
      </I18nProvider>,
    );

  it('computes with the trial rules and says so at the top of the document', async () => {
    const input = handWorkedTour();
    await store(input, 'secretariat');
    writeTrialRules(input.tour.id, { ...input.tour.rules, projectScope: 'tour' });
    renderBulletin(input.tour.id);
    const banner = await screen.findByTestId('bulletin-trial');
    expect(banner.textContent).toBe('试算，未保存的规则：本通报按尚未保存的试算规则计算，不是正式结果。');
    // inside the printed document, before everything else
    expect(screen.getByTestId('bulletin-document').firstElementChild).toBe(banner);
    // projects ranked over the whole tour, as the trial says
    expect(screen.getAllByTestId('bulletin-project-ranking')).toHaveLength(1);
  });

  it('without a trial (or for anyone but the secretariat) shows the saved rules and no banner', async () => {
    const input = handWorkedTour();
    await store(input, 'scorer');
    writeTrialRules(input.tour.id, { ...input.tour.rules, projectScope: 'tour' });
    renderBulletin(input.tour.id);
    await waitFor(() => expect(screen.getAllByTestId('bulletin-project-ranking')).toHaveLength(2));
    expect(screen.queryByTestId('bulletin-trial')).toBeNull();
  });
});
