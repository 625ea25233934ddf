/**
 * Trial rules (试算规则): ranking rules the secretariat is trying on the rankings page without
 * saving them. The rankings page writes them here; the workbook export and the bulletin read them
 * from here, so whatever shows trial figures says so ("试算，未保存的规则").
 *
 *   const [trial, setTrial] = useTrialRules(tourId);      // trial rules of the tour, or null
 *   const { rules, isTrial } = useRulesInForce(tour);      // what the tables should be computed with
 *
 * Kept per tour in sessionStorage: they survive going from the rankings page to the bulletin and
 * back (and a reload), but not closing the window — a trial is part of one working session and
 * must never turn up days later as if it were the tour's rules. Values read back are validated
 * with the shared schema (anything else is dropped). Rules equal to the saved ones are no trial.
 */
import { useCallback, useSyncExternalStore } from 'react';
import { isSameRules, rankingRulesSchema, type RankingRules, type Tour } from '@shared/domain/schemas';

const storageKey = (tourId: string) => `guanmo.trialRules.v1.${tourId}`;
const listeners = new Set<() => void>();
/** tourId → rules (null: none); what the hook hands out, so that a snapshot is stable between changes */
const cache = new Map<string, RankingRules | null>();

function storage(): Storage | null {
  try {
    return globalThis.sessionStorage ?? null;
  } catch {
    // storage refused (privacy settings): trials then last while the page is open
    return null;
  }
}

export function readTrialRules(tourId: string): RankingRules | null {
  if (cache.has(tourId)) return cache.get(tourId)!;
  let rules: RankingRules | null = null;
  const text = storage()?.getItem(storageKey(tourId)) ?? null;
  if (text !== null) {
    try {
      const parsed = rankingRulesSchema.safeParse(JSON.parse(text));
      rules = parsed.success ? parsed.data : null;
    } catch {
      rules = null;
    }
  }
  cache.set(tourId, rules);
  return rules;
}

/** Sets (or, with null, ends) the tour's trial rules and tells every reader. */
export function writeTrialRules(tourId: string, rules: RankingRules | null): void {
  cache.set(tourId, rules);
  try {
    if (rules === null) storage()?.removeItem(storageKey(tourId));
    else storage()?.setItem(storageKey(tourId), JSON.stringify(rules));
  } catch {
    // full or refused: the trial still holds in memory for this page
  }
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The tour's trial rules (null when none) and a setter (null ends the trial). */
export function useTrialRules(tourId: string): [RankingRules | null, (rules: RankingRules | null) => void] {
  const trial = useSyncExternalStore(subscribe, () => readTrialRules(tourId));
  const setTrial = useCallback((rules: RankingRules | null) => writeTrialRules(tourId, rules), [tourId]);
  return [trial, setTrial];
}

/** Whether `trial` differs from the tour's saved rules (equal rules are not a trial). */
export function isTrialOf(trial: RankingRules | null, saved: RankingRules): trial is RankingRules {
  return trial !== null && !isSameRules(trial, saved);
}

/**
 * The rules to compute with: the trial rules when there are some that differ from the saved
 * ones (and `mayUseTrial`: only the secretariat tries rules), else the saved rules.
 */
export function useRulesInForce(tour: Tour | null | undefined, mayUseTrial = true): { rules: RankingRules | null; isTrial: boolean } {
  const [trial] = useTrialRules(tour?.id ?? '');
  if (!tour) return { rules: null, isTrial: false };
  const isTrial = mayUseTrial && isTrialOf(trial, tour.rules);
  return { rules: isTrial && trial ? trial : tour.rules, isTrial };
}

/** Forgets every trial held in memory (tests; storage itself is per window). */
export function resetTrialRulesForTests(): void {
  cache.clear();
}
