// The lesson format: errors name file, line and problem; Markdown never becomes markup.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { evaluateCondition, formatLessonError, parseLesson, parseMarkdown, parseMetric, LessonSession } from '../../src/lesson';

const good = `---
title: T
summary: S
level: beginner
minutes: 5
objectives: [o]
scene: router-ping
---
Intro.

## Step: One

\`\`\`step
until: "icmp.type == 0"
\`\`\`

Text.
`;

describe('parseLesson', () => {
  it('parses a small lesson', () => {
    const r = parseLesson(good, 'lessons/x.md');
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.lesson.id).toBe('x');
      expect(r.lesson.steps).toHaveLength(1);
      expect(r.lesson.steps[0].directives.until).toMatchObject({ kind: 'frame', match: 'icmp.type == 0' });
    }
  });

  it('names file, line and problem for a bad match expression', () => {
    const r = parseLesson(good.replace('icmp.type == 0', 'icmp.typo == 0'), 'lessons/x.md');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(formatLessonError(r.errors[0])).toMatch(/^lessons\/x\.md:14: step 1 \("One"\).*until.*icmp\.typo/);
  });

  it('names the line of a bad frontmatter field', () => {
    const r = parseLesson(good.replace('minutes: 5', 'minutes: five'), 'lessons/x.md');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(formatLessonError(r.errors[0])).toMatch(/^lessons\/x\.md:5: frontmatter: minutes/);
  });

  it('reports unknown directives, unknown section kinds and a missing question block', () => {
    const text = good.replace('until:', 'untill:') + '\n## Quiz: what\n\n## Question: Q\n\nNo block.\n';
    const r = parseLesson(text, 'l.md');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      const msgs = r.errors.map(formatLessonError).join('\n');
      expect(msgs).toMatch(/l\.md:14: .*untill/);
      expect(msgs).toMatch(/l\.md:\d+: "## Quiz: what": a section heading is/);
      expect(msgs).toMatch(/l\.md:\d+: step 2 \("Q"\): needs a ```question block/);
    }
  });

  it('the malformed fixture lists its errors with lines', () => {
    const r = parseLesson(readFileSync('test/lesson/fixtures/malformed.md', 'utf8'), 'test/lesson/fixtures/malformed.md');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.errors.length).toBeGreaterThanOrEqual(2);
      for (const e of r.errors) expect(e.line).toBeGreaterThan(0);
    }
  });
});

describe('markdown', () => {
  it('keeps raw HTML as text', () => {
    const blocks = parseMarkdown('Hello <script>alert(1)</script> **bold** [x](javascript:alert(1))');
    expect(JSON.stringify(blocks)).not.toMatch(/"href":"javascript/);
    expect(blocks[0]).toMatchObject({ type: 'paragraph' });
    const texts = JSON.stringify(blocks);
    expect(texts).toContain('<script>alert(1)</script>');
  });
  it('reads headings, lists and code', () => {
    const b = parseMarkdown('# H\n\n- a\n- b\n\n```\ncode\n```\n\n1. x\n2. y');
    expect(b.map((x) => x.type)).toEqual(['heading', 'list', 'code', 'list']);
  });
});

describe('conditions', () => {
  it('parses metric conditions', () => {
    expect(parseMetric('goodput < 100 between 3s and 5s')).toMatchObject({ name: 'goodput', op: '<', value: 100, from: 3e9, to: 5e9 });
    expect(parseMetric('p99 > 200ms on clients-a')).toMatchObject({ value: 200e6, on: ['clients-a'] });
    expect(typeof parseMetric('goodness < 1')).toBe('string');
  });
  it('frame, log and not conditions on router-ping', () => {
    const r = parseLesson(good, 'x.md');
    if (!r.ok) throw new Error('bad');
    const s = new LessonSession(r.lesson, readFileSync('scenes/router-ping.yaml', 'utf8'));
    const idx = s.runFor(0).index;
    const reply = evaluateCondition(idx, { kind: 'frame', match: 'icmp.type == 0', to: 'h1', count: 1 });
    expect(reply.met).toBe(true);
    expect(evaluateCondition(idx, { kind: 'log', text: '3 received', on: 'h1', count: 1 }).met).toBe(true);
    expect(evaluateCondition(idx, { kind: 'not', of: { kind: 'drop', match: 'any', count: 1 } }).met).toBe(true);
    expect(evaluateCondition(idx, { kind: 'frame', match: 'icmp.type == 0', to: 'h1', count: 1 }, reply.time + 1).time).toBeGreaterThan(reply.time);
  });
});
