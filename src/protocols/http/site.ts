/**
 * Generated web sites for the HTTP demos: an `index.html` that references N sub-resources of given
 * sizes, every byte deterministic. Images are SVG (valid XML padded with a comment to their size),
 * so Wireshark dissects the bodies without complaint.
 */

/** One file of a site. */
export interface SiteFile {
  readonly path: string;
  readonly contentType: string;
  readonly body: Uint8Array;
}

/** What a site holds: the page and its sub-resources. */
export interface SiteSpec {
  readonly name: string;
  /** Number of images the page references. */
  readonly images: number;
  /** Size of each image, bytes. */
  readonly imageBytes: number;
  /** Whether the page also references a stylesheet (`/style.css`). */
  readonly stylesheet: boolean;
}

/** Built-in sites for `http-server --site NAME`. */
export const SITES: Readonly<Record<string, SiteSpec>> = {
  /** One small page, nothing else. */
  hello: { name: 'hello', images: 0, imageBytes: 0, stylesheet: false },
  /** A page, a stylesheet and six 20 kB images: the HTTP evolution demo. */
  gallery: { name: 'gallery', images: 6, imageBytes: 20_000, stylesheet: true },
  /** A page, a stylesheet and twelve 1 kB icons: many small requests, where round trips dominate. */
  icons: { name: 'icons', images: 12, imageBytes: 1_000, stylesheet: true },
  /** A page referencing twenty resources (a stylesheet and nineteen 2 kB images): http-evolution. */
  twenty: { name: 'twenty', images: 19, imageBytes: 2_000, stylesheet: true },
};

const enc = new TextEncoder();

function svg(i: number, size: number): Uint8Array {
  const hue = (i * 47) % 360;
  const head = `<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64"><rect width="64" height="64" fill="hsl(${hue},60%,50%)"/><!-- `;
  const tail = ` --></svg>\n`;
  const fill = Math.max(0, size - head.length - tail.length);
  let pad = '';
  const word = `image ${i} `;
  while (pad.length < fill) pad += word;
  return enc.encode(head + pad.slice(0, fill) + tail);
}

function css(): Uint8Array {
  return enc.encode('body { font-family: sans-serif; margin: 2em; }\nimg { width: 64px; height: 64px; margin: 4px; }\n');
}

/** The site's files by path, `/` and `/index.html` both being the page. */
export function generateSite(spec: SiteSpec): Map<string, SiteFile> {
  const files = new Map<string, SiteFile>();
  const refs: string[] = [];
  if (spec.stylesheet) {
    files.set('/style.css', { path: '/style.css', contentType: 'text/css', body: css() });
    refs.push('  <link rel="stylesheet" href="/style.css">');
  }
  const imgs: string[] = [];
  for (let i = 1; i <= spec.images; i++) {
    const path = `/img/${i}.svg`;
    files.set(path, { path, contentType: 'image/svg+xml', body: svg(i, spec.imageBytes) });
    imgs.push(`  <img src="${path}" alt="image ${i}">`);
  }
  const html = [
    '<!DOCTYPE html>',
    '<html>',
    '<head>',
    `  <title>${spec.name}</title>`,
    ...refs,
    '</head>',
    '<body>',
    `  <h1>Welcome to ${spec.name}</h1>`,
    ...imgs,
    '</body>',
    '</html>',
    '',
  ].join('\n');
  const page: SiteFile = { path: '/index.html', contentType: 'text/html', body: enc.encode(html) };
  files.set('/', { ...page, path: '/' });
  files.set('/index.html', page);
  return files;
}

/**
 * The sub-resources a browser would fetch for this HTML, in document order: `src="..."` of img and
 * script, `href="..."` of stylesheet links. Only same-origin absolute paths are kept.
 */
export function subresources(html: string): string[] {
  const out: string[] = [];
  const re = /<(img|script)\b[^>]*\bsrc="([^"]+)"|<link\b[^>]*\brel="stylesheet"[^>]*\bhref="([^"]+)"/g;
  for (let m = re.exec(html); m; m = re.exec(html)) {
    const url = m[2] ?? m[3];
    if (url.startsWith('/') && !out.includes(url)) out.push(url);
  }
  return out;
}
