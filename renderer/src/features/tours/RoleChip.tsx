import type { Scorer, Tour } from '@shared/domain/schemas';
import { useT } from '../../i18n/use-t';

/** What the user does on this tour: 评委 (scores) or 观摩 (photos and notes only). */
export function RoleChip({ tour, scorer }: { tour: Tour; scorer: Scorer }) {
  const t = useT();
  const isScoring = tour.kind === 'scored' && scorer.role === 'scorer';
  return <span className={`role-chip ${isScoring ? 'role-chip--scorer' : 'role-chip--observer'}`}>{t(isScoring ? 'role.scorer' : 'role.observer')}</span>;
}
