/**
 * `<packetarium-scene scene="router-ping" view="ladder" ...>`: the script-tag form of an embed.
 * Built as its own small file (dist/packetarium-embed.js, no dependencies). It creates an iframe to
 * embed.html (resolved relative to this script's own URL, so it works from any sub-path) for
 * isolation, passes its attributes as the iframe's options plus `host=<this page's origin>`, and
 * re-dispatches the embed's postMessage events as DOM events: `packetarium-ready`, `packetarium-time`,
 * `packetarium-step`, `packetarium-error` (the message is in `event.detail`). Methods: play(), pause(),
 * seek(t), step(direction). See docs/embed.md.
 */
import { EMBED_OPTION_NAMES, embedQuery, readEmbedOptions } from './options';
import { parseEmbedEvent, type HostCommand } from './protocol';

const EMBED_FILE = 'embed.html';

/** embed.html beside this script (the build puts both at the root of dist/). */
function defaultEmbedUrl(): string {
  if (import.meta.env.DEV) return new URL('/' + EMBED_FILE, window.location.href).href;
  return import.meta.url.replace(/[^/]*$/, '') + EMBED_FILE;
}

const STYLE = `
:host { display: block; position: relative; width: 100%; height: var(--packetarium-height, 360px); min-height: 160px; contain: content; }
iframe { display: block; width: 100%; height: 100%; border: 0; border-radius: 8px; background: transparent; }
`;

const darkQuery = typeof window !== 'undefined' && window.matchMedia ? window.matchMedia('(prefers-color-scheme: dark)') : null;

export class PacketariumSceneElement extends HTMLElement {
  static get observedAttributes(): string[] {
    return [...EMBED_OPTION_NAMES.filter((n) => n !== 'host'), 'height', 'src', 'title'];
  }

  private frame: HTMLIFrameElement | null = null;
  private frameOrigin = '';
  private pending = false;

  constructor() {
    super();
    const root = this.attachShadow({ mode: 'open' });
    const style = document.createElement('style');
    style.textContent = STYLE;
    root.append(style);
  }

  connectedCallback(): void {
    window.addEventListener('message', this.onMessage);
    darkQuery?.addEventListener('change', this.onScheme);
    this.render();
  }

  disconnectedCallback(): void {
    window.removeEventListener('message', this.onMessage);
    darkQuery?.removeEventListener('change', this.onScheme);
  }

  attributeChangedCallback(): void {
    if (!this.isConnected || this.pending) return;
    this.pending = true;
    queueMicrotask(() => {
      this.pending = false;
      this.render();
    });
  }

  /** The iframe inside (for tests and hosts that want it). */
  get iframe(): HTMLIFrameElement | null {
    return this.frame;
  }

  play(): void {
    this.send({ type: 'packetarium:play' });
  }

  pause(): void {
    this.send({ type: 'packetarium:pause' });
  }

  /** Seeks to `t`: ns, or a string such as "12ms". */
  seek(t: number | string): void {
    this.send({ type: 'packetarium:seek', t } as HostCommand);
  }

  step(direction: 'forward' | 'back' = 'forward'): void {
    this.send({ type: 'packetarium:step', direction });
  }

  private send(cmd: HostCommand): void {
    const win = this.frame?.contentWindow;
    if (win && this.frameOrigin) win.postMessage(cmd, this.frameOrigin);
  }

  /** The theme to ask for: the attribute, or for `auto` the host page's colour scheme. */
  private theme(): 'light' | 'dark' {
    const attr = (this.getAttribute('theme') ?? 'auto').toLowerCase();
    if (attr === 'light' || attr === 'dark') return attr;
    const scheme = getComputedStyle(this).colorScheme || '';
    if (/\bdark\b/.test(scheme) && !/\blight\b/.test(scheme)) return 'dark';
    if (/\blight\b/.test(scheme) && !/\bdark\b/.test(scheme)) return 'light';
    return darkQuery?.matches ? 'dark' : 'light';
  }

  private render(): void {
    const root = this.shadowRoot!;
    const { options } = readEmbedOptions((n) => this.getAttribute(n));
    options.theme = this.theme();
    options.host = window.location.origin;
    const height = this.getAttribute('height');
    if (height) this.style.setProperty('--packetarium-height', /^\d+$/.test(height) ? `${height}px` : height);
    let base: URL;
    try {
      base = new URL(this.getAttribute('src') || defaultEmbedUrl(), window.location.href);
    } catch {
      base = new URL(defaultEmbedUrl());
    }
    if (base.protocol !== 'http:' && base.protocol !== 'https:') base = new URL(defaultEmbedUrl());
    base.search = embedQuery(options);
    if (!this.frame) {
      this.frame = document.createElement('iframe');
      this.frame.setAttribute('loading', 'lazy');
      // No top navigation, no forms: an embed can never take over the host page.
      this.frame.setAttribute('sandbox', 'allow-scripts allow-same-origin allow-popups');
      this.frame.setAttribute('allow', 'clipboard-write');
      root.append(this.frame);
    }
    this.frame.title = this.getAttribute('title') || `Packetarium network simulation: ${options.data ? 'embedded scene' : options.scene}`;
    this.frameOrigin = base.origin;
    if (this.frame.src !== base.href) this.frame.src = base.href;
  }

  private readonly onScheme = (): void => {
    const attr = (this.getAttribute('theme') ?? 'auto').toLowerCase();
    if (attr === 'auto') this.send({ type: 'packetarium:theme', theme: this.theme() });
  };

  private readonly onMessage = (e: MessageEvent): void => {
    if (!this.frame || e.source !== this.frame.contentWindow || e.origin !== this.frameOrigin) return;
    const ev = parseEmbedEvent(e.data);
    if (!ev) return;
    this.dispatchEvent(new CustomEvent(ev.type.replace(':', '-'), { detail: ev, bubbles: true, composed: true }));
  };
}

if (typeof customElements !== 'undefined' && !customElements.get('packetarium-scene')) {
  customElements.define('packetarium-scene', PacketariumSceneElement);
}
