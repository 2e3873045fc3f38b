// Before anything that builds a zod schema (see zodConfig).
import './api/zodConfig';
// Tokens and page defaults first: component stylesheets, imported by their components, build on them.
import './theme.css';
import './base.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import type { HopscopeApi } from '@shared/ipc';
import { App } from './app/App';
import { traceStore } from './store/traceStore';

const root = document.getElementById('root');
if (root === null) throw new Error('index.html has no #root');

function render(api: HopscopeApi): void {
  createRoot(root!).render(
    <StrictMode>
      <App api={api} store={traceStore} />
    </StrictMode>,
  );
}

// In the desktop app the preload provides the API; only the browser harness
// needs the WebSocket client, so only it loads that code.
if (window.hopscope) render(window.hopscope);
else void import('./api').then(({ getHopscopeApi }) => render(getHopscopeApi()));
