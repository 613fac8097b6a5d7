/** Entry of embed.html: reads the options from the URL and mounts the embed (docs/embed.md). */
import { createRoot } from 'react-dom/client';
import { readEmbedOptions } from '../embed/options';
import '../embed/embed.css';
import { EmbedApp } from './embed-app';

const { options, problems } = readEmbedOptions((n) => new URLSearchParams(window.location.search).get(n));

createRoot(document.getElementById('root')!, {
  // A refused WebGL context is handled (ladder fallback with a note): report it quietly.
  onCaughtError: (error) => console.warn('packetarium embed:', error instanceof Error ? error.message : error),
}).render(<EmbedApp options={options} problems={problems} />);
