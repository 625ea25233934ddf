import { createRoot } from 'react-dom/client';
import { Root } from './Root';
import { registerServiceWorker } from '../sw/register-service-worker';

const container = document.getElementById('root');
if (!container) throw new Error('index.html has no #root element');
createRoot(container).render(<Root />);
registerServiceWorker();
