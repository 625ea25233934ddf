import type { KnownPerson } from '../../db/current-user-repo';
import { useT } from '../../i18n/use-t';

/** One person to choose: a large button with their initial, name and what they do on which tours. */
export function PersonButton({ person, isCurrent, onChoose }: { person: KnownPerson; isCurrent: boolean; onChoose: () => void }) {
  const t = useT();
  const roles = [
    person.scoredTours > 0 ? t('who.scores', { count: person.scoredTours }) : null,
    person.observedTours > 0 ? t('who.observes', { count: person.observedTours }) : null,
  ].filter((x): x is string => x !== null);
  return (
    <button type="button" className={`person${isCurrent ? ' is-current' : ''}`} onClick={onChoose} aria-pressed={isCurrent} data-testid="person">
      <span className="person__avatar" aria-hidden="true">
        {Array.from(person.name)[0]}
      </span>
      <span className="person__text">
        <span className="person__name">{person.name}</span>
        <span className="person__roles">{roles.join(t('common.listSeparator'))}</span>
      </span>
      {isCurrent && <span className="person__current">{t('who.current')}</span>}
    </button>
  );
}
