/**
 * Lesson text as a small tree: headings, paragraphs, emphasis, strong, inline code, code blocks,
 * lists, block quotes, links and `[[Key]]` keyboard hints. CommonMark parsing is done by
 * mdast-util-from-markdown; this module keeps only the node kinds lessons use and never keeps HTML:
 * raw HTML in a lesson comes out as the text it is, and links other than http(s), anchors and
 * relative paths become plain text. The renderer (src/ui/lesson/Markdown.tsx) turns nodes into
 * elements, so nothing in a lesson can ever run.
 */
import { fromMarkdown } from 'mdast-util-from-markdown';
import type { Nodes, PhrasingContent, RootContent } from 'mdast';

export type Inline =
  | { type: 'text'; text: string }
  | { type: 'code'; text: string }
  | { type: 'em' | 'strong'; children: Inline[] }
  | { type: 'link'; href: string; children: Inline[] }
  | { type: 'kbd'; text: string };

export type Block =
  | { type: 'heading'; level: number; children: Inline[] }
  | { type: 'paragraph'; children: Inline[] }
  | { type: 'code'; lang: string; text: string }
  | { type: 'list'; ordered: boolean; items: Inline[][] }
  | { type: 'quote'; children: Block[] };

/** Only these link targets are kept; anything else (javascript:, data:) becomes plain text. */
function safeHref(href: string): string | null {
  return /^(https?:\/\/|#|\.{0,2}\/|\?)/i.test(href.trim()) ? href.trim() : null;
}

/** Splits `[[Key]]` keyboard hints out of plain text. */
function textWithKeys(text: string, out: Inline[]): void {
  const re = /\[\[([^\]\n]{1,20})\]\]/g;
  let last = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m.index > last) out.push({ type: 'text', text: text.slice(last, m.index) });
    out.push({ type: 'kbd', text: m[1] });
    last = m.index + m[0].length;
  }
  if (last < text.length) out.push({ type: 'text', text: text.slice(last) });
}

/** Plain text of any node (for HTML shown as text, images shown as their alt text). */
function plain(node: Nodes): string {
  if ('value' in node && typeof node.value === 'string') return node.value;
  if ('alt' in node && typeof node.alt === 'string') return node.alt;
  if ('children' in node) return (node.children as Nodes[]).map(plain).join('');
  return '';
}

/** Joins neighbouring text nodes (HTML split into tags and text comes back as one run of text). */
function mergeText(nodes: Inline[]): Inline[] {
  const out: Inline[] = [];
  for (const n of nodes) {
    const prev = out[out.length - 1];
    if (n.type === 'text' && prev?.type === 'text') out[out.length - 1] = { type: 'text', text: prev.text + n.text };
    else out.push(n);
  }
  return out;
}

function inlines(nodes: readonly PhrasingContent[]): Inline[] {
  return mergeText(collectInlines(nodes));
}

function collectInlines(nodes: readonly PhrasingContent[]): Inline[] {
  const out: Inline[] = [];
  for (const n of nodes) {
    switch (n.type) {
      case 'text':
        textWithKeys(n.value, out);
        break;
      case 'inlineCode':
        out.push({ type: 'code', text: n.value });
        break;
      case 'emphasis':
        out.push({ type: 'em', children: inlines(n.children) });
        break;
      case 'strong':
        out.push({ type: 'strong', children: inlines(n.children) });
        break;
      case 'link': {
        const href = safeHref(n.url);
        const children = inlines(n.children);
        if (href) out.push({ type: 'link', href, children });
        else out.push(...children);
        break;
      }
      case 'break':
        out.push({ type: 'text', text: ' ' });
        break;
      default:
        // html, images, footnote references...: shown as their text, never as markup.
        textWithKeys(plain(n), out);
    }
  }
  return out;
}

function blocks(nodes: readonly RootContent[]): Block[] {
  const out: Block[] = [];
  for (const n of nodes) {
    switch (n.type) {
      case 'heading':
        out.push({ type: 'heading', level: n.depth, children: inlines(n.children) });
        break;
      case 'paragraph':
        out.push({ type: 'paragraph', children: inlines(n.children) });
        break;
      case 'code':
        out.push({ type: 'code', lang: n.lang ?? '', text: n.value });
        break;
      case 'list':
        out.push({
          type: 'list',
          ordered: n.ordered === true,
          items: n.children.map((item) =>
            item.children.flatMap((c) => (c.type === 'paragraph' ? inlines(c.children) : [{ type: 'text' as const, text: plain(c) }])),
          ),
        });
        break;
      case 'blockquote':
        out.push({ type: 'quote', children: blocks(n.children) });
        break;
      case 'thematicBreak':
        break;
      default: {
        const text = plain(n).trim();
        if (text) out.push({ type: 'paragraph', children: [{ type: 'text', text }] });
      }
    }
  }
  return out;
}

/** Parses inline Markdown (one line of text) into inline nodes. */
export function parseInline(src: string): Inline[] {
  const tree = parseMarkdown(src);
  return tree.flatMap((b) => (b.type === 'paragraph' || b.type === 'heading' ? b.children : []));
}

/** Parses block Markdown into a tree. Never throws; never keeps HTML as markup. */
export function parseMarkdown(src: string): Block[] {
  try {
    return blocks(fromMarkdown(src).children);
  } catch {
    return [{ type: 'paragraph', children: [{ type: 'text', text: src }] }];
  }
}
