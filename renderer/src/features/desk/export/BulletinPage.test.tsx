// @vitest-environment happy-dom
/**
 * The bulletin page rendered from IndexedDB (fake-indexeddb) with the hand-worked tour: the
 * document (tables first, 县组 before 区组, Chinese dates, the rules sentence), the header form
 * saving through the outbox and printing where an official document has them, 印发日期 blank
 * until set, no photo pages without photos, and a scorer seeing no form.
 */
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Role } from '@shared/domain/schemas';
import { DbContext } from '../../../db/db-context';
import type { GuanmoDb } from '../../../db/guanmo-db';
import type { Locale } from '../../../i18n/catalogs';
import { I18nProvider } from '../../../i18n/I18nProvider';
import { setSyncState } from '../../../sync/sync-tables';
import { createTestDb } from '../../../test-support/test-db';
import { handWorkedTour } from '../rankings/hand-worked-tour';
import { BulletinPage } from './BulletinPage';

let db: GuanmoDb;
beforeEach(() => {
  localStorage.clear();
  Object.defineProperty(navigator, 'onLine', { value: false, configurable: true });
  db = createTestDb();
});
afterEach(() => {
  cleanup();
  db.close();
});

async function setUp(role: Role, status: 'closed' | 'results_published' = 'closed') {
  await setSyncState(db, 'session', {
    serverUrl: 'http://127.0.0.1:9',
    token: 't',
    expiresAt: '2099-01-01T00:00:00.000Z',
    user: { id: 'u-1', username: 'u', displayName: '用户', role },
  });
  const input = handWorkedTour();
  await db.tours.put({ ...input.tour, status, startDate: '2018-12-30', endDate: '2019-01-02' });
  await db.units.bulkPut([...input.units]);
  await db.stops.bulkPut([...input.stops]);
  await db.scorers.bulkPut([...input.scorers]);
  await db.sheets.bulkPut([...input.sheets]);
  return input.tour.id;
}

function renderPage(tourId: string, locale: Locale = 'zh-CN') {
  return render(
    <I18nProvider initialLocale={locale}>
      <DbContext.Provider value={db}>
        <BulletinPage tourId={tourId} />
      </DbContext.Provider>
    </I18nProvider>,
  );
}

const text = (el: Element) => (el.textContent ?? '').replace(/\s+/g, '');

describe('bulletin page', () => {
  it('prints an official document: tables first in tour order, Chinese dates, the rules; the header saved with the tour', async () => {
    const tourId = await setUp('secretariat');
    renderPage(tourId);
    const doc = await screen.findByTestId('bulletin-document');
    expect(doc.getAttribute('lang')).toBe('zh-CN');
    const body = text(doc);
    expect(body).toContain('关于测试观摩结果的通报');
    expect(body).toContain('测试观摩于2018年12月30日至2019年1月2日举行，共观摩3个参评单位的4个项目。');
    expect(body).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    // units, then projects, 县组 before 区组 in each; then the method, 特此通报 and the blank date
    const order = ['一、参评单位排名', '（一）县组', '（二）区组', '二、项目排名', '（一）县组', '（二）区组', '三、评议办法', '特此通报。', '年月日'];
    let at = -1;
    for (const part of order) {
      const found = body.indexOf(part, at + 1);
      expect(found, `${part} after position ${at} in ${body}`).toBeGreaterThan(at);
      at = found;
    }
    expect(screen.getByTestId('bulletin-rules').textContent).toContain('项目和参评单位均在县组、区组各组分别排名');
    // no page per project without a photo, and the option says why it is off
    expect(screen.queryAllByTestId('bulletin-project')).toHaveLength(0);
    const photos = screen.getByTestId('bulletin-photo-pages') as HTMLInputElement;
    expect(photos.checked).toBe(false);
    expect(photos.disabled).toBe(true);
    // nothing in the header yet: no masthead, and the unset date is said plainly (on screen only)
    expect(screen.queryByTestId('bulletin-issuer')).toBeNull();
    expect(screen.getByTestId('bulletin-issue-date-unset').textContent).toContain('印发日期还没有填写');
    expect(screen.getByTestId('bulletin-issue-date').querySelector('.no-print')?.textContent).toContain('印发日期未填写');
    expect(screen.getByTestId('bulletin-not-published')).toBeTruthy();

    // fill in the header: brackets and a trailing colon are tidied, the record and its outbox entry written
    const form = screen.getByTestId('bulletin-header-form');
    const fill = (label: string, value: string) => fireEvent.change(within(form).getByLabelText(label), { target: { value } });
    fill('发文机关（红头）', '聊城市重点项目观摩活动办公室');
    fill('文号', '聊观办[2018]5号');
    fill('主送机关', '各县（市、区）党委和人民政府：');
    fill('落款', '聊城市重点项目观摩活动办公室');
    fill('印发日期', '2019-01-03');
    fireEvent.click(within(form).getByRole('button', { name: '保存文头' }));
    await waitFor(() => expect(screen.getByTestId('bulletin-issuer').textContent).toBe('聊城市重点项目观摩活动办公室'));
    expect(screen.getByTestId('bulletin-doc-number').textContent).toBe('聊观办〔2018〕5号');
    expect(screen.getByTestId('bulletin-addressees').textContent).toBe('各县（市、区）党委和人民政府：');
    expect(text(screen.getByTestId('bulletin-signoff'))).toBe('聊城市重点项目观摩活动办公室2019年1月3日');
    expect(screen.queryByTestId('bulletin-issue-date-unset')).toBeNull();
    expect((await db.tours.get(tourId))?.bulletin).toEqual({
      issuingAuthority: '聊城市重点项目观摩活动办公室',
      documentNumber: '聊观办〔2018〕5号',
      addressees: '各县（市、区）党委和人民政府',
      signedBy: '聊城市重点项目观摩活动办公室',
      issueDate: '2019-01-03',
    });
    expect(await db.outbox.where('collection').equals('tours').last()).toMatchObject({ recordId: tourId, changedFields: ['bulletin'] });
    // the masthead comes before the title, the 主送 line after it
    const bodyNow = text(doc);
    expect(bodyNow.indexOf('聊城市重点项目观摩活动办公室聊观办〔2018〕5号关于测试观摩结果的通报各县（市、区）党委和人民政府：')).toBe(0);
  });

  it('refuses an impossible date with a message, keeping what is saved', async () => {
    const tourId = await setUp('secretariat');
    renderPage(tourId, 'en');
    const form = await screen.findByTestId('bulletin-header-form');
    fireEvent.change(within(form).getByLabelText('Date of issue (印发日期)'), { target: { value: '2019-02-30' } });
    fireEvent.change(within(form).getByLabelText('Document number (文号)'), { target: { value: 'x'.repeat(61) } });
    fireEvent.click(within(form).getByRole('button', { name: 'Save header' }));
    await within(form).findByText('At most 60 characters');
    expect((await db.tours.get(tourId))?.bulletin).toBeUndefined();
    expect(screen.getByTestId('bulletin-issue-date-unset').textContent).toContain('The date of issue is not set');
  });

  it('shows a scorer the published document without the form', async () => {
    const tourId = await setUp('scorer', 'results_published');
    renderPage(tourId);
    await screen.findByTestId('bulletin-document');
    expect(screen.queryByTestId('bulletin-header-form')).toBeNull();
    expect(screen.queryByTestId('bulletin-not-published')).toBeNull();
    expect(screen.getAllByTestId('bulletin-project-ranking')).toHaveLength(2);
  });
});
