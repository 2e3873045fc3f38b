// Tokens and page defaults first: component stylesheets, imported by their components, build on them.
import './theme.css';
import './base.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { getHopscopeApi } from './api';
import { App } from './app/App';
import { traceStore } from './store/traceStore';

const root = document.getElementById('root');
if (root === null) throw new Error('index.html has no #root');

createRoot(root).render(
  <StrictMode>
    <App api={getHopscopeApi()} store={traceStore} />
  </StrictMode>,
);
