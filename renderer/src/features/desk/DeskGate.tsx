import type { ReactNode } from 'react';
import { Link } from '../../app/Link';
import { useT } from '../../i18n/use-t';
import { withNodes } from './message-nodes';
import { useDeskAccess } from './use-desk-access';

/** Shows the desk only to a signed-in secretariat or admin account. */
export function DeskGate({ children }: { children: ReactNode }) {
  const t = useT();
  const access = useDeskAccess();
  if (access === 'loading') {
    return (
      <p className="muted" role="status">
        {t('common.loading')}
      </p>
    );
  }
  if (access === 'denied') {
    return (
      <section className="page">
        <h1 className="page__title" tabIndex={-1}>
          {t('nav.desk')}
        </h1>
        <p className="empty" role="alert">
          {withNodes(t('desk.gate.denied'), { signInLink: <Link to={{ name: 'sync' }}>{t('desk.gate.signInLink')}</Link> })}
        </p>
      </section>
    );
  }
  return <>{children}</>;
}
