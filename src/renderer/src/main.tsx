import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { getHopscopeApi } from './api';
import { App } from './app/App';
import { traceStore } from './store/traceStore';
import './theme.css';
import './app.css';

const root = document.getElementById('root');
if (root === null) throw new Error('index.html has no #root');

createRoot(root).render(
  <StrictMode>
    <App api={getHopscopeApi()} store={traceStore} />
  </StrictMode>,
);
