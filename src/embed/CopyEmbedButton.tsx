/**
 * "Embed" button for the app's top bar: shows the two ways to put the current scene, at the current
 * moment, into a blog post (an iframe, or the <packetarium-scene> element) with copy buttons.
 */
import { useEffect, useRef, useState, type CSSProperties } from 'react';
import { createPortal } from 'react-dom';
import { useStore } from 'zustand';
import { playbackStore } from '../store/playback';
import { embedQuery, readEmbedOptions, type EmbedControls, type EmbedOptions, type EmbedView } from './options';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Both embed snippets for a scene at a moment. `base` is the URL of the folder holding embed.html. */
function embedSnippets(base: string, o: Partial<EmbedOptions> & { title?: string }): { iframe: string; element: string; url: string } {
  const url = `${base}embed.html?${embedQuery(o)}`;
  const title = esc(`Packetarium: ${o.title || o.scene || 'network simulation'}`);
  // No `sandbox`: the embed loads its modules and worker from its own origin, which a sandbox without
  // allow-same-origin makes opaque (they would need CORS), and with it browsers warn that the frame
  // "can escape its sandboxing". The cross-origin frame boundary is what protects the host page.
  const iframe = `<iframe src="${esc(url)}" title="${title}" width="100%" height="360" loading="lazy" style="border:0;max-width:100%" referrerpolicy="strict-origin-when-cross-origin"></iframe>`;
  const attrs = Object.entries({
    scene: o.data ? undefined : o.scene,
    data: o.data,
    seed: o.seed,
    t: new URLSearchParams(embedQuery({ t: o.t })).get('t') ?? undefined,
    view: o.view,
    controls: o.controls,
    theme: o.theme,
  })
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => ` ${k}="${esc(String(v))}"`)
    .join('');
  // The link inside shows until the element starts (and stays if its script cannot load, e.g. a host
  // without CORS headers for module scripts): the reader still gets to the simulation.
  const element = `<script type="module" src="${esc(base)}packetarium-embed.js"></script>\n<packetarium-scene${attrs}${o.autoplay ? ' autoplay' : ''} title="${title}"><a href="${esc(url)}">${title} (opens the interactive simulation)</a></packetarium-scene>`;
  return { iframe, element, url };
}

const panel: CSSProperties = {
  position: 'absolute',
  right: 0,
  top: 'calc(100% + 6px)',
  zIndex: 50,
  width: 'min(560px, 90vw)',
  padding: 12,
  background: 'var(--panel, #111722)',
  border: '1px solid var(--line, #233047)',
  borderRadius: 8,
  boxShadow: '0 8px 30px rgba(0,0,0,.45)',
  display: 'flex',
  flexDirection: 'column',
  gap: 8,
  textAlign: 'left',
};
const area: CSSProperties = {
  width: '100%',
  height: 74,
  resize: 'vertical',
  fontFamily: 'ui-monospace, Menlo, Consolas, monospace',
  fontSize: 11,
  background: 'var(--bg, #0b0f17)',
  color: 'inherit',
  border: '1px solid var(--line, #233047)',
  borderRadius: 6,
  padding: 6,
};

/**
 * The button and its panel. With `into` (a CSS selector, e.g. `.topbar`) it renders inside that
 * element once it exists, so the app can add it to its top bar without touching the bar's code.
 */
export function CopyEmbedButton({ scene, title, into, data }: { scene: string; title?: string; into?: string; data?: string }) {
  const [host, setHost] = useState<Element | null>(null);
  useEffect(() => {
    if (!into) return;
    const id = requestAnimationFrame(() => setHost(document.querySelector(into)));
    return () => cancelAnimationFrame(id);
  }, [into]);
  if (into && !host) return null;
  const button = <EmbedButton scene={scene} title={title} data={data} />;
  return host ? createPortal(button, host) : button;
}

/** `data`: the scene itself, compressed (a scene built in the editor), instead of a bundled scene's name. */
function EmbedButton({ scene, title, data }: { scene: string; title?: string; data?: string }) {
  const [open, setOpen] = useState(false);
  const [copied, setCopied] = useState('');
  const [view, setView] = useState<EmbedView>('3d');
  const [controls, setControls] = useState<EmbedControls>('full');
  const time = useStore(playbackStore, (s) => (open ? s.time : 0));
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!open) return;
    const onDown = (e: PointerEvent) => {
      if (box.current && !box.current.contains(e.target as Node)) setOpen(false);
    };
    window.addEventListener('pointerdown', onDown);
    return () => window.removeEventListener('pointerdown', onDown);
  }, [open]);
  if (!scene) return null;
  const seed = readEmbedOptions((n) => new URLSearchParams(window.location.search).get(n)).options.seed;
  const base = new URL('./', window.location.href).href;
  const shown = { seed, t: Math.round(time), title, view, controls };
  const snippets = embedSnippets(base, data ? { data, ...shown } : { scene, ...shown });
  const copy = async (label: string, text: string, el: HTMLTextAreaElement | null) => {
    try {
      await navigator.clipboard.writeText(text);
    } catch {
      el?.select();
      document.execCommand?.('copy');
    }
    setCopied(label);
  };
  return (
    <div ref={box} style={{ position: 'relative' }} onKeyDown={(e) => e.key === 'Escape' && (setOpen(false), e.stopPropagation())}>
      <button
        type="button"
        onClick={() => (setOpen((o) => !o), setCopied(''))}
        title="Copy embed code for this scene at this moment"
        aria-expanded={open}
        data-testid="copy-embed"
      >
        Embed
      </button>
      {open && (
        <div style={panel} role="dialog" aria-label="Embed this scene">
          <div style={{ display: 'flex', gap: 12, flexWrap: 'wrap', fontSize: 12 }}>
            <label>
              Show{' '}
              <select value={view} onChange={(e) => setView(e.target.value as EmbedView)} data-testid="embed-view">
                <option value="3d">the 3D view</option>
                <option value="ladder">the ladder diagram</option>
                <option value="both">both</option>
              </select>
            </label>
            <label>
              Controls{' '}
              <select value={controls} onChange={(e) => setControls(e.target.value as EmbedControls)} data-testid="embed-controls">
                <option value="full">full (play, scrub, narration)</option>
                <option value="minimal">minimal (play and scrub)</option>
                <option value="none">none (a still picture)</option>
              </select>
            </label>
          </div>
          <EmbedSnippet label="iframe" text={snippets.iframe} copied={copied === 'iframe'} onCopy={copy} />
          <EmbedSnippet label="web component" text={snippets.element} copied={copied === 'web component'} onCopy={copy} />
          <a href={snippets.url} target="_blank" rel="noopener noreferrer" style={{ color: 'var(--accent, #5b8cff)', fontSize: 12 }}>
            Preview the embed ↗
          </a>
        </div>
      )}
    </div>
  );
}

function EmbedSnippet({
  label,
  text,
  copied,
  onCopy,
}: {
  label: string;
  text: string;
  copied: boolean;
  onCopy(label: string, text: string, el: HTMLTextAreaElement | null): void;
}) {
  const ref = useRef<HTMLTextAreaElement>(null);
  return (
    <label style={{ display: 'flex', flexDirection: 'column', gap: 4, fontSize: 12 }}>
      <span style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center' }}>
        <span>
          As {/^[aeiou]/.test(label) ? 'an' : 'a'} {label}
        </span>
        <button type="button" onClick={() => onCopy(label, text, ref.current)} data-testid={`copy-${label.replace(' ', '-')}`}>
          {copied ? 'Copied ✓' : 'Copy'}
        </button>
      </span>
      <textarea ref={ref} readOnly value={text} style={area} aria-label={`Embed code (${label})`} onFocus={(e) => e.currentTarget.select()} />
    </label>
  );
}
