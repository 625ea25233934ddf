// @vitest-environment happy-dom
/**
 * Layout contracts of the rankings page's side panels (usability review): the rules panel uses
 * the desk's form fields (.desk-field: label above a full-height input, not bare browser
 * controls; .rule-check: a checkbox with its label, the explanation below), and the audit log's refresh button is an ordinary button beside its heading, not
 * heading text.
 */
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RankingRules } from '@shared/domain/schemas';
import { I18nProvider } from '../../../i18n/I18nProvider';
import { AuditLogPanel } from './AuditLogPanel';
import { handWorkedTour } from './hand-worked-tour';
import { RulesPanel } from './RulesPanel';

afterEach(cleanup);

const { tour } = handWorkedTour();
const trimmed: RankingRules = { ...tour.rules, trim: { dropHighest: 1, dropLowest: 1, minSheets: 5 }, groupWeights: { 领导: 1, 部门: 1 } };

describe('rules panel', () => {
  const renderPanel = (rules: RankingRules, onChange = vi.fn()) =>
    render(
      <I18nProvider initialLocale="zh-CN">
        <RulesPanel tour={tour} rules={rules} weightGroups={['领导', '部门']} isReadOnly={false} isSaving={false} saveError={null} onChange={onChange} onSave={vi.fn()} onReset={vi.fn()} />
      </I18nProvider>,
    );

  it('puts every number and choice in a desk form field, every checkbox in a check row, and each rank scope in its own group', () => {
    renderPanel(trimmed);
    const panel = screen.getByTestId('rules-panel');
    const fields = [...panel.querySelectorAll('input:not([type="checkbox"]):not([type="radio"]), select')];
    expect(fields.length).toBeGreaterThanOrEqual(7); // 3 trim numbers, unit score, indicator weight, tie break, 2 group weights
    for (const field of fields) {
      expect(field.closest('.desk-field'), field.outerHTML).not.toBeNull();
      expect((field as HTMLInputElement).labels?.length, field.outerHTML).toBe(1);
    }
    const checks = [...panel.querySelectorAll('input[type="checkbox"]')];
    expect(checks.length).toBe(3); // trim, recusal, group weights
    for (const check of checks) expect(check.closest('.rule-check > label'), check.outerHTML).not.toBeNull();
    // 项目排名范围 and 单位排名范围: two choices each, said the same way as in the tour editor
    for (const [testId, legend] of [
      ['project-scope', '项目排名范围'],
      ['unit-scope', '单位排名范围'],
    ] as const) {
      const group = screen.getByTestId(testId);
      expect(group.querySelector('legend')!.textContent).toBe(legend);
      expect([...group.querySelectorAll('label')].map((l) => l.textContent!.trim())).toEqual(['全部统一排名', '各组分别排名']);
    }
    expect(screen.getByTestId('project-scope').textContent).toContain('不改变项目得分');
  });

  it('changes one scope without the other', () => {
    const onChange = vi.fn();
    renderPanel(trimmed, onChange);
    fireEvent.click(within(screen.getByTestId('unit-scope')).getByLabelText('全部统一排名'));
    expect(onChange).toHaveBeenLastCalledWith(expect.objectContaining({ projectScope: 'group', unitScope: 'tour' }));
  });

  it('shows a rank-vote tour only the rules that apply to ballots', () => {
    renderPanel({ ...trimmed, method: 'rankVote' });
    const panel = screen.getByTestId('rules-panel');
    // no unit score from projects, no tie-break criterion, no project scope
    expect(panel.querySelectorAll('select')).toHaveLength(0);
    expect(screen.queryByTestId('project-scope')).toBeNull();
    expect(screen.getByTestId('unit-scope').textContent).toContain('每张排序票');
    // trimming and group weights do apply to ballots (shared/ranking/rank-vote-scores.ts)
    expect(screen.getByLabelText('至少有几张排序票时才去掉')).toBeTruthy();
    expect(screen.getByLabelText('评委不给本单位排序（跳过本单位，后面的单位依次上移）')).toBeTruthy();
    expect(screen.getByLabelText('领导 权重')).toBeTruthy();
  });
});

describe('audit log panel', () => {
  it('offers refresh as a button beside the heading, not inside it', () => {
    const onRefresh = vi.fn();
    render(
      <I18nProvider initialLocale="zh-CN">
        <AuditLogPanel entries={[]} error={null} isLoading={false} describeRecord={() => ''} onRefresh={onRefresh} />
      </I18nProvider>,
    );
    const heading = screen.getByRole('heading', { level: 2 });
    const refresh = screen.getByRole('button');
    expect(heading.contains(refresh)).toBe(false);
    expect(heading.textContent).not.toContain(refresh.textContent ?? '');
    fireEvent.click(refresh);
    expect(onRefresh).toHaveBeenCalledTimes(1);
  });
});
