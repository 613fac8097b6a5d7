/**
 * A scene carried in a URL: its text (YAML or JSON), deflate-raw compressed (the browser's own
 * CompressionStream, no dependency), then base64url. Decompression stops at MAX_SCENE_BYTES, so a
 * small hostile value cannot expand into a huge one.
 */

/** Largest decompressed scene accepted, bytes. */
export const MAX_SCENE_BYTES = 64 * 1024;

function toBase64Url(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i++) bin += String.fromCharCode(bytes[i]);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): Uint8Array | null {
  try {
    const bin = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  } catch {
    return null;
  }
}

async function readAll(stream: ReadableStream<Uint8Array>, limit: number): Promise<Uint8Array | 'too-large'> {
  const reader = stream.getReader();
  const parts: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > limit) {
      await reader.cancel().catch(() => {});
      return 'too-large';
    }
    parts.push(value);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Compresses scene text for the `data` parameter. */
export async function encodeSceneText(text: string): Promise<string> {
  const input = new Blob([new TextEncoder().encode(text)]).stream().pipeThrough(new CompressionStream('deflate-raw'));
  const bytes = await readAll(input as ReadableStream<Uint8Array>, Infinity);
  return toBase64Url(bytes as Uint8Array);
}

export type DecodeResult = { ok: true; text: string } | { ok: false; error: string };

/** Decompresses a `data` parameter back to scene text, or says why it cannot. */
export async function decodeSceneText(data: string): Promise<DecodeResult> {
  const bytes = fromBase64Url(data);
  if (!bytes || bytes.length === 0) return { ok: false, error: 'data: not valid base64url' };
  try {
    const stream = new Blob([bytes as BlobPart]).stream().pipeThrough(new DecompressionStream('deflate-raw'));
    const out = await readAll(stream as ReadableStream<Uint8Array>, MAX_SCENE_BYTES);
    if (out === 'too-large') return { ok: false, error: `data: the scene is larger than ${MAX_SCENE_BYTES / 1024} KB once decompressed` };
    const text = new TextDecoder('utf-8', { fatal: true }).decode(out);
    return { ok: true, text };
  } catch {
    return { ok: false, error: 'data: not a deflate-compressed UTF-8 scene' };
  }
}
