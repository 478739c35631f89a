import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { ServerStateProvider } from './api/server-state';
import { App } from './app';
import './styles/base.css';
import './styles/shell.css';
import './styles/connections.css';
import './styles/pipeline.css';
import './styles/jobs.css';
import './styles/designer.css';
import './styles/diagram.css';
import './styles/workers.css';
import './styles/notifications.css';
import './styles/settings.css';
import './styles/data.css';
import './styles/migrations.css';
import './styles/dark.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <ServerStateProvider>
      <App />
    </ServerStateProvider>
  </StrictMode>,
);
