import { StrictMode } from 'react';
import { App } from './app/App';
import { ErrorBoundary } from './app/ErrorBoundary';
import { LocalDataGate } from './app/LocalDataGate';
import { I18nProvider } from './i18n/I18nProvider';
import './styles/base.css';

/** Everything the app needs around it: error boundary, language, an open local database. */
export function Root() {
  return (
    <StrictMode>
      <ErrorBoundary>
        <I18nProvider>
          <LocalDataGate>
            <App />
          </LocalDataGate>
        </I18nProvider>
      </ErrorBoundary>
    </StrictMode>
  );
}
