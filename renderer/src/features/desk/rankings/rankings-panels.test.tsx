// @vitest-environment happy-dom
/**
 * Layout contracts of the rankings page's side panels (usability review): the rules panel uses
 * the desk's form fields (.desk-field: label above a full-height input, not bare browser
 * controls), and the audit log's refresh button is an ordinary button beside its heading, not
 * heading text.
 */
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
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
  it('puts every number and choice in a desk form field, and every checkbox in a check row', () => {
    render(
      <I18nProvider initialLocale="zh-CN">
        <RulesPanel tour={tour} rules={trimmed} weightGroups={['领导', '部门']} isReadOnly={false} isSaving={false} saveError={null} onChange={vi.fn()} onSave={vi.fn()} onReset={vi.fn()} />
      </I18nProvider>,
    );
    const panel = screen.getByTestId('rules-panel');
    const fields = [...panel.querySelectorAll('input:not([type="checkbox"]), select')];
    expect(fields.length).toBeGreaterThanOrEqual(7); // 3 trim numbers, unit score, indicator weight, tie break, 2 group weights
    for (const field of fields) expect(field.closest('label')?.classList.contains('desk-field')).toBe(true);
    const checks = [...panel.querySelectorAll('input[type="checkbox"]')];
    expect(checks.length).toBe(4);
    for (const check of checks) expect(check.closest('label')?.classList.contains('rules-panel__check')).toBe(true);
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
