/**
 * What the simulation worker loads only for a scene that uses it: the programs built on TLS, QUIC
 * and HTTP (with noble's crypto), and the dissectors behind match expressions (a `drop: { match }`
 * fault). The worker's bundle holds neither (vite.config.ts swaps `apps/index.ts` for `apps/light.ts`
 * and `protocols/builtin.ts` for `worker-builtin.ts`); each is a lazy chunk. Elsewhere (Node, the
 * page's fallback) everything is already registered and these imports cost nothing.
 */

/** The programs `apps/index.ts` registers beyond `apps/light.ts`, by name. */
const PROGRAMS: Record<string, () => Promise<unknown>> = {
  curl: () => import('../apps/curl/curl'),
  'http-server': () => import('../apps/http-server/http-server'),
  'page-load': () => import('../apps/page-load/page-load'),
  'h3-server': () => import('../apps/h3-server/h3-server'),
  'reverse-proxy': () => import('../apps/reverse-proxy/reverse-proxy'),
};

async function allDissectors(): Promise<void> {
  const { registerBuiltinProtocols } = await import('../protocols/builtin-all');
  registerBuiltinProtocols();
}

/**
 * Loads what scene text may need: each program whose name occurs in it, and every dissector when
 * `match` does. Over-inclusive on purpose (a name in a title loads that program): the text is not
 * parsed yet. With `everything`, loads all of it (used to re-check a scene that failed to load, so
 * its errors are exactly those of a run with every program registered).
 */
export async function loadOnDemand(text: string, everything = false): Promise<void> {
  const wanted = Object.entries(PROGRAMS).filter(([name]) => everything || text.includes(name));
  await Promise.all([...wanted.map(([, load]) => load()), ...(everything || text.includes('match') ? [allDissectors()] : [])]);
}

/** Names of the programs loaded on demand (for tests). */
export const ON_DEMAND_PROGRAMS = Object.keys(PROGRAMS);
