/** The match language (Wireshark-like display filters): parse, then test frames. */
export { parseMatch } from './parse';
export { compileMatch } from './evaluate';
