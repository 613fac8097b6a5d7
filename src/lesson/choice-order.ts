/**
 * The order a question's choices are shown in. Authors may write the right answer anywhere (often
 * first); showing choices in the written order would teach students that position. The order is a
 * shuffle seeded by the lesson id and step index, so it is the same on every reload, for every
 * student and on the presenter's screen, and answers are still stored by written index.
 */

/** Display order of `count` choices: `order[displayPosition] = writtenIndex`. */
export function choiceOrder(lessonId: string, stepIndex: number, count: number): number[] {
  const order = Array.from({ length: count }, (_, i) => i);
  let state = fnv1a(`${lessonId}#${stepIndex}`) || 1;
  for (let i = count - 1; i > 0; i--) {
    // xorshift32: small, fast and the same in every engine.
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    const j = state % (i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}
