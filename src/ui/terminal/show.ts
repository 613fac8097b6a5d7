/** Opening a host's terminal from elsewhere (the inspector's button, the T key). */
import { viewStore } from '../../store';
import { openTerminal } from '../../store/terminal';

/** Shows `host`'s terminal in the Terminal tab and puts the keyboard in it. */
export function showTerminal(host: string): void {
  openTerminal(host);
  viewStore.getState().showPanel('terminal');
  // The tab mounts (and may load its code) first; focus once the terminal is there.
  let tries = 0;
  const focus = () => {
    const input = document.querySelector<HTMLElement>('[data-testid="terminal-input"]');
    if (input) input.focus();
    if (!input && ++tries < 120) requestAnimationFrame(focus);
  };
  requestAnimationFrame(focus);
}
