/** The match language (Wireshark-like display filters): parse, then test frames. */
export type { CompareOp, MatchExpr, MatchValue } from './ast';
export { formatMatchError, parseMatch, type MatchParseError } from './parse';
export { compileMatch, evaluateMatch, FrameMatcher, frameFields, FrameFields, TcpSeqBases } from './evaluate';
export { isKnownField, knownFields, registerMatchFields, suggestField, COMPUTED_FIELDS, MATCH_PROTOCOLS } from './fields';
