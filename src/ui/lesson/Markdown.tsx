/** Renders the lesson Markdown tree (src/lesson/markdown.ts) as React elements: text is always text, never HTML. */
import type { Block, Inline } from '../../lesson';
import { parseInline } from '../../lesson';

function Inlines({ nodes }: { nodes: Inline[] }) {
  return (
    <>
      {nodes.map((n, i) => {
        switch (n.type) {
          case 'text':
            return <span key={i}>{n.text}</span>;
          case 'code':
            return <code key={i}>{n.text}</code>;
          case 'kbd':
            return <kbd key={i}>{n.text}</kbd>;
          case 'em':
            return (
              <em key={i}>
                <Inlines nodes={n.children} />
              </em>
            );
          case 'strong':
            return (
              <strong key={i}>
                <Inlines nodes={n.children} />
              </strong>
            );
          case 'link':
            return (
              <a key={i} href={n.href} target="_blank" rel="noreferrer noopener">
                <Inlines nodes={n.children} />
              </a>
            );
        }
      })}
    </>
  );
}

export function MarkdownBlocks({ blocks }: { blocks: Block[] }) {
  return (
    <>
      {blocks.map((b, i) => {
        switch (b.type) {
          case 'heading': {
            const H = `h${Math.min(6, b.level + 2)}` as 'h3';
            return (
              <H key={i}>
                <Inlines nodes={b.children} />
              </H>
            );
          }
          case 'paragraph':
            return (
              <p key={i}>
                <Inlines nodes={b.children} />
              </p>
            );
          case 'code':
            return (
              <pre key={i}>
                <code>{b.text}</code>
              </pre>
            );
          case 'quote':
            return (
              <blockquote key={i}>
                <MarkdownBlocks blocks={b.children} />
              </blockquote>
            );
          case 'list': {
            const L = b.ordered ? 'ol' : 'ul';
            return (
              <L key={i}>
                {b.items.map((it, k) => (
                  <li key={k}>
                    <Inlines nodes={it} />
                  </li>
                ))}
              </L>
            );
          }
        }
      })}
    </>
  );
}

/** Markdown text (inline only: a choice, a feedback line). */
export function InlineMarkdown({ text }: { text: string }) {
  return <Inlines nodes={parseInline(text)} />;
}
