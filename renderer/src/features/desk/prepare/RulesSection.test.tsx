// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DbContext } from '../../../db/db-context';
import type { GuanmoDb } from '../../../db/guanmo-db';
import { createTestDb } from '../../../test-support/test-db';
import { createTour } from './desk-repo';
import { RulesSection } from './RulesSection';

let db: GuanmoDb;
beforeEach(() => {
  db = createTestDb();
});
afterEach(() => {
  cleanup();
  db.close();
});

describe('ranking rules form', () => {
  it('refuses an impossible trim with a Chinese message, then saves every rule through the outbox', async () => {
    const tour = await createTour(db, 't-rules', { name: '规则', kind: 'scored', startDate: '2021-12-08', endDate: '2021-12-08' });
    render(
      <DbContext.Provider value={db}>
        <RulesSection tour={tour} />
      </DbContext.Provider>,
    );
    fireEvent.click(screen.getByLabelText('去掉最高分和最低分'));
    fireEvent.change(await screen.findByLabelText('去掉最高分个数'), { target: { value: '2' } });
    fireEvent.change(screen.getByLabelText('至少有几张评分表时才去掉'), { target: { value: '3' } });
    fireEvent.change(screen.getByLabelText('按权重组加权'), { target: { value: '市领导=0.6\n部门=0.4' } });
    fireEvent.change(screen.getByLabelText('单位现场得分'), { target: { value: 'investmentWeighted' } });
    fireEvent.click(screen.getByRole('button', { name: '保存排名规则' }));
    await screen.findByText('张数须大于去掉的最高分和最低分个数之和');
    expect((await db.tours.get('t-rules'))!.rules.trim).toBeNull();

    fireEvent.change(screen.getByLabelText('至少有几张评分表时才去掉'), { target: { value: '5' } });
    fireEvent.click(screen.getByRole('button', { name: '保存排名规则' }));
    await waitFor(async () => expect((await db.tours.get('t-rules'))!.rules.trim).toEqual({ dropHighest: 2, dropLowest: 1, minSheets: 5 }));
    const saved = (await db.tours.get('t-rules'))!.rules;
    expect(saved).toMatchObject({ groupWeights: { 市领导: 0.6, 部门: 0.4 }, unitScore: 'investmentWeighted', recusal: true });
    const last = await db.outbox.orderBy('seq').last();
    expect(last).toMatchObject({ collection: 'tours', recordId: 't-rules', changedFields: ['rules'] });
  });

  it('locks every rule once the results are published (they stand on the saved rules), and says why', async () => {
    const tour = await createTour(db, 't-locked', { name: '规则', kind: 'scored', startDate: '2021-12-08', endDate: '2021-12-08' });
    render(
      <DbContext.Provider value={db}>
        <RulesSection tour={{ ...tour, status: 'results_published' }} />
      </DbContext.Provider>,
    );
    const section = screen.getByTestId('rules-section');
    expect(screen.getByTestId('rules-locked').textContent).toBe('结果已公布，排名规则已锁定，不能再修改。');
    const controls = [...section.querySelectorAll<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>('input, select, textarea')];
    expect(controls.length).toBeGreaterThan(5);
    // disabled through the fieldset around them (the browser's rule: :disabled covers descendants)
    for (const control of controls) expect(control.closest('fieldset[disabled]'), control.outerHTML).not.toBeNull();
    expect(section.querySelector('button[type=submit]')).toBeNull();
  });

  it('sets the project and the unit rank scope apart, and saves both', async () => {
    const tour = await createTour(db, 't-scopes', { name: '规则', kind: 'scored', startDate: '2021-12-08', endDate: '2021-12-08' });
    render(
      <DbContext.Provider value={db}>
        <RulesSection tour={tour} />
      </DbContext.Provider>,
    );
    const projectScope = screen.getByTestId('project-scope');
    const unitScope = screen.getByTestId('unit-scope');
    expect(projectScope.querySelector('legend')!.textContent).toBe('项目排名范围');
    expect(unitScope.querySelector('legend')!.textContent).toBe('单位排名范围');
    // both start within groups (the default), each says what it affects
    expect((within(projectScope).getByLabelText('各组分别排名') as HTMLInputElement).checked).toBe(true);
    expect(projectScope.textContent).toContain('项目名次在哪些项目之间比较');
    expect(unitScope.textContent).toContain('单位名次在哪些单位之间比较');
    fireEvent.click(within(projectScope).getByLabelText('全部统一排名'));
    fireEvent.click(screen.getByRole('button', { name: '保存排名规则' }));
    await waitFor(async () => expect((await db.tours.get('t-scopes'))!.rules).toMatchObject({ projectScope: 'tour', unitScope: 'group' }));
  });

  it('shows a rank-vote tour only the rules that apply to ballots', async () => {
    const tour = await createTour(db, 't-vote', { name: '排序', kind: 'scored', startDate: '2021-12-08', endDate: '2021-12-08' });
    render(
      <DbContext.Provider value={db}>
        <RulesSection tour={tour} />
      </DbContext.Provider>,
    );
    expect(screen.getByLabelText('单位现场得分')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('计分方法'), { target: { value: 'rankVote' } });
    await waitFor(() => expect(screen.queryByLabelText('单位现场得分')).toBeNull());
    expect(screen.queryByLabelText('同分时比较的评分项目')).toBeNull();
    expect(screen.queryByTestId('project-scope')).toBeNull();
    expect(screen.getByTestId('unit-scope').textContent).toContain('每张排序票');
    expect(screen.getByLabelText('评委不给本单位排序（跳过本单位，后面的单位依次上移）')).toBeTruthy();
    fireEvent.click(screen.getByLabelText('去掉最高分和最低分'));
    expect(await screen.findByLabelText('至少有几张排序票时才去掉')).toBeTruthy();
    fireEvent.click(within(screen.getByTestId('unit-scope')).getByLabelText('全部统一排名'));
    fireEvent.click(screen.getByRole('button', { name: '保存排名规则' }));
    await waitFor(async () => expect((await db.tours.get('t-vote'))!.rules).toMatchObject({ method: 'rankVote', unitScope: 'tour', trim: { dropHighest: 1, dropLowest: 1, minSheets: 5 } }));
  });
});
