import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '../ui/styles.css';
import { App } from './App';
import { registerBuiltinProtocols } from '../protocols/builtin';

// The app's panels (inspector, event list, filters) dissect every protocol it knows.
registerBuiltinProtocols();

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
