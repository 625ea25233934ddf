import { useEffect, useState, type ReactNode } from 'react';
import { useDb } from '../db/db-context';
import { classifyOpenError, openLocalData, type LocalDataProblem } from '../db/open-local-data';
import { ensurePersistentStorage } from '../db/storage-safety';
import type { LoadDemoTours } from '../db/seed-demo';
import { useT } from '../i18n/use-t';
import { ProblemScreen } from './ProblemScreen';
import { ServerModeProvider, type FetchServerInfo } from './ServerModeProvider';

type GateState = { status: 'opening' } | { status: 'ready' } | { status: 'blocked' } | { status: LocalDataProblem; error: unknown };

const loadBundledDemoTours: LoadDemoTours = async () => (await import('../db/demo-source')).loadDemoTours();

/**
 * Renders its children once the local database is open (upgraded; the demo seeded only when the
 * server says it runs the demo, see ServerModeProvider); until then a short loading line, and a
 * plain explanation when IndexedDB cannot be used. `fetchServerInfo`: tests answer for the server.
 */
export function LocalDataGate({
  children,
  loadDemoTours = loadBundledDemoTours,
  fetchServerInfo,
}: {
  children: ReactNode;
  loadDemoTours?: LoadDemoTours;
  fetchServerInfo?: FetchServerInfo;
}) {
  const db = useDb();
  const t = useT();
  const [state, setState] = useState<GateState>({ status: 'opening' });

  useEffect(() => {
    let isCurrent = true;
    // another tab holding an older schema version delays our upgrade until it closes
    const onBlocked = () => isCurrent && setState({ status: 'blocked' });
    db.on('blocked', onBlocked);
    openLocalData(db, loadDemoTours).then(
      () => {
        if (isCurrent) setState({ status: 'ready' });
        // first start: ask the browser not to evict our data (asked once, answer kept in meta);
        // not awaited: the app is usable at once whatever the answer
        ensurePersistentStorage(db).catch((error: unknown) => console.warn('Guanmo could not ask for persistent storage', error));
      },
      (error: unknown) => {
        console.error('Guanmo could not open its local database', error);
        if (isCurrent) setState({ status: classifyOpenError(error), error });
      },
    );
    return () => {
      isCurrent = false;
      db.on('blocked').unsubscribe(onBlocked);
    };
  }, [db, loadDemoTours]);

  switch (state.status) {
    case 'ready':
      return (
        <ServerModeProvider loadDemoTours={loadDemoTours} fetchInfo={fetchServerInfo}>
          {children}
        </ServerModeProvider>
      );
    case 'opening':
      return (
        <p className="gate-loading" role="status">
          {t('app.loading')}
        </p>
      );
    case 'blocked':
      return <ProblemScreen titleKey="error.dbBlockedTitle" bodyKey="error.dbBlockedBody" />;
    case 'unavailable':
      return <ProblemScreen titleKey="error.dbUnavailableTitle" bodyKey="error.dbUnavailableBody" details={describe(state.error)} canReload={false} />;
    case 'failed':
      return <ProblemScreen titleKey="error.title" bodyKey="error.body" details={describe(state.error)} />;
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}
