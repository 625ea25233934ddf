// @vitest-environment happy-dom
/**
 * One wording for a rule: the tour editor's rules section and the rankings page's rules panel
 * render the same label and the same explanation for every rule, in both languages and for both
 * methods (a rank-vote tour words some rules for ballots).
 */
import { cleanup, render } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RankingRules, Tour } from '@shared/domain/schemas';
import { DbContext } from '../../db/db-context';
import { I18nProvider } from '../../i18n/I18nProvider';
import type { Locale } from '../../i18n/catalogs';
import { createTestDb } from '../../test-support/test-db';
import { RulesSection } from './prepare/RulesSection';
import { handWorkedTour } from './rankings/hand-worked-tour';
import { RulesPanel } from './rankings/RulesPanel';

afterEach(cleanup);

type Wording = Record<string, { label: string; hint: string | null }>;

/** rule → its label and hint as rendered, from the data-rule marks RuleField, RuleCheck and RankScopeField put on them */
function wordingOf(container: HTMLElement): Wording {
  const out: Wording = {};
  for (const rule of container.querySelectorAll<HTMLElement>('[data-rule]')) {
    const name = rule.dataset.rule!;
    expect(out[name], `${name} is rendered once`).toBeUndefined();
    const label = rule.querySelector('[data-rule-label]')?.textContent?.trim();
    expect(label, `${name} has a label`).toBeTruthy();
    out[name] = { label: label!, hint: rule.querySelector('[data-rule-hint]')?.textContent?.trim() ?? null };
  }
  return out;
}

function tourWith(method: RankingRules['method']): Tour {
  const { tour } = handWorkedTour();
  // every rule shown on both screens: trimming on (its three numbers), group weights set
  return { ...tour, rules: { ...tour.rules, method, trim: { dropHighest: 1, dropLowest: 1, minSheets: 5 }, groupWeights: { 市领导: 0.6, 部门: 0.4 } } };
}

function renderEditor(tour: Tour, locale: Locale): Wording {
  const db = createTestDb();
  const { container, unmount } = render(
    <I18nProvider initialLocale={locale}>
      <DbContext.Provider value={db}>
        <RulesSection tour={tour} />
      </DbContext.Provider>
    </I18nProvider>,
  );
  const wording = wordingOf(container);
  unmount();
  db.close();
  return wording;
}

function renderPanel(tour: Tour, locale: Locale): Wording {
  const { container, unmount } = render(
    <I18nProvider initialLocale={locale}>
      <RulesPanel tour={tour} rules={tour.rules} weightGroups={['市领导', '部门']} isReadOnly={false} isSaving={false} saveError={null} onChange={vi.fn()} onSave={vi.fn()} onReset={vi.fn()} />
    </I18nProvider>,
  );
  const wording = wordingOf(container);
  unmount();
  return wording;
}

describe('one wording for a rule in the tour editor and on the rankings page', () => {
  const cases = (['zh-CN', 'en'] as const).flatMap((locale) => (['score', 'rankVote'] as const).map((method) => [locale, method] as const));

  it.each(cases)('%s, %s: every rule the rankings page shows has the editor’s label and hint', (locale, method) => {
    const tour = tourWith(method);
    const editor = renderEditor(tour, locale);
    const panel = renderPanel(tour, locale);
    // the method is chosen in the editor only (the page's trial rules keep the tour's method)
    expect(Object.keys(editor).sort()).toEqual([...Object.keys(panel), 'method'].sort());
    for (const [rule, wording] of Object.entries(panel)) expect({ rule, ...wording }).toEqual({ rule, ...editor[rule] });
    const shown = Object.keys(panel);
    if (method === 'rankVote') expect(shown).not.toEqual(expect.arrayContaining(['unitScore']));
    else expect(shown).toEqual(expect.arrayContaining(['unitScore', 'tieBreak', 'projectScope']));
    expect(shown).toEqual(expect.arrayContaining(['trim', 'dropHighest', 'dropLowest', 'minSheets', 'recusal', 'indicatorWeight', 'groupWeights', 'unitScope']));
  });

  it('words the threshold, recusal and weights for ballots in a rank vote', () => {
    const score = renderPanel(tourWith('score'), 'zh-CN');
    const vote = renderPanel(tourWith('rankVote'), 'zh-CN');
    expect([score.minSheets!.label, vote.minSheets!.label]).toEqual(['至少有几张评分表时才去掉', '至少有几张排序票时才去掉']);
    expect(vote.recusal!.label).toBe('评委不给本单位排序（跳过本单位，后面的单位依次上移）');
    expect(vote.indicatorWeight!.hint).toContain('排序得分');
    expect(vote.groupWeights!.hint).toContain('每张排序票同等计算');
    expect(score.groupWeights!.hint).toContain('每张评分表同等计算');
  });
});
