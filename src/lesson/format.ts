/**
 * The lesson file format: Markdown with YAML frontmatter, one `## Kind: Title` section per step,
 * each with at most one fenced block of directives (```step, ```question or ```try, YAML). See
 * lessons/README.md. `parseLesson` validates everything it can without running the scene and
 * reports `file:line: problem` errors; nothing is half-loaded.
 */
import { LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { conditionSchema } from './conditions';
import { parseMarkdown, type Block } from './markdown';

/** An error in a lesson file: which file, which line (1-based), what is wrong. */
export interface LessonError {
  readonly file: string;
  readonly line: number;
  readonly message: string;
}

/** `lessons/01-devices.md:12: step 3 (```step): until: unknown field "tcp.flgs"`. */
export function formatLessonError(e: LessonError): string {
  return `${e.file}:${e.line}: ${e.message}`;
}

const camera = z.enum(['top', 'perspective', 'side']);
const panel = z.enum(['inspector', 'ladder', 'console', 'events']);
const stringList = z.union([z.string().min(1), z.array(z.string().min(1))]).transform((v) => (Array.isArray(v) ? v : [v]));

/** Directives of a ```step block: where the playhead goes and what the view shows. */
const stepSchema = z.strictObject({
  /** Run until this condition holds (looked for after the previous step's moment). */
  until: conditionSchema.optional(),
  /** Or jump to a moment. */
  at: z.union([z.string(), z.number()]).optional(),
  /** Device or link ids to draw attention to. */
  highlight: stringList.optional(),
  /** Select the packet that met `until` (`packet`), or a device by id. */
  select: z.string().min(1).optional(),
  camera: camera.optional(),
  panel: panel.optional(),
  /** Scene faults added from this step on (scene data, as in a scene's `faults:`); the run is re-simulated. */
  fault: z
    .union([z.record(z.string(), z.unknown()), z.array(z.record(z.string(), z.unknown()))])
    .transform((v) => (Array.isArray(v) ? v : [v]))
    .optional(),
  /** Start playing on arrival (default: paused). */
  play: z.boolean().optional(),
  pause: z.boolean().optional(),
});

const choiceSchema = z.strictObject({
  text: z.string().min(1),
  /** The simulation decides: this choice is right exactly when its condition holds. */
  when: conditionSchema,
  /** Why, shown after answering. */
  why: z.string().min(1),
});

const questionSchema = z.strictObject({
  /** `choice`: about the whole run; `predict`: about what happens after this step's moment. */
  kind: z.enum(['choice', 'predict']).default('choice'),
  prompt: z.string().optional(),
  choices: z.array(choiceSchema).min(2).max(6),
});

const scalar = z.union([z.string(), z.number(), z.boolean()]);
const optionSchema = z.union([scalar.transform((v) => ({ label: String(v), value: v as unknown })), z.strictObject({ label: z.string(), value: z.unknown() })]);

/** One thing the student may change, and where it lands in the scene data. */
const controlSchema = z
  .strictObject({
    id: z.string().regex(/^[\w-]+$/, 'ids are letters, digits, _ and -'),
    label: z.string().min(1),
    /** Target: a link's field (`link: r1-h2, field: loss`), a node's field, or an argument of a `run` command. */
    link: z.string().optional(),
    node: z.string().optional(),
    run: z.number().int().min(0).optional(),
    field: z.string().optional(),
    /** With `run`: the flag whose value is replaced (`--retry`); without: the whole command. */
    arg: z.string().optional(),
    options: z.array(optionSchema).min(2),
  })
  .superRefine((c, ctx) => {
    const targets = [c.link, c.node, c.run].filter((x) => x !== undefined).length;
    if (targets !== 1) ctx.addIssue({ code: 'custom', message: 'a control needs exactly one target: link, node or run' });
    if ((c.link !== undefined || c.node !== undefined) && !c.field)
      ctx.addIssue({ code: 'custom', message: 'a link or node control needs a field (e.g. field: loss)' });
  });
export type Control = z.infer<typeof controlSchema>;

const trySchema = z.strictObject({
  controls: z.array(controlSchema).min(1),
  /** Values the exercise starts from (default: the scene's own), by control id. */
  start: z.record(z.string(), z.unknown()).optional(),
  /** The goal, evaluated on a fresh run of the scene with the student's values. */
  goal: conditionSchema,
  /** The documented change that reaches the goal, by control id (tests check it does, and that `start` does not). */
  solution: z.record(z.string(), z.unknown()),
  success: z.string().min(1),
  hint: z.string().min(1),
});

type StepDirectives = z.infer<typeof stepSchema>;
type Question = z.infer<typeof questionSchema>;
export type TryIt = z.infer<typeof trySchema>;

type SectionKind = 'step' | 'question' | 'try';

/** One step of a lesson (a `## Step:`, `## Question:` or `## Try it:` section). */
export interface LessonStep {
  readonly kind: SectionKind;
  readonly title: string;
  readonly body: Block[];
  /** Text after the directives block (shown below the question or the exercise). */
  readonly after: Block[];
  readonly directives: StepDirectives;
  readonly question?: Question;
  readonly tryIt?: TryIt;
  /** 1-based line of the section heading. */
  readonly line: number;
  readonly blockLine: number;
}

const frontmatterSchema = z.strictObject({
  title: z.string().min(1),
  summary: z.string().min(1),
  level: z.enum(['beginner', 'intermediate', 'advanced']),
  minutes: z.number().int().min(1).max(60),
  objectives: z.array(z.string().min(1)).min(1),
  scene: z.string().regex(/^[\w.-]+$/, 'a scene name from scenes/, without .yaml'),
  order: z.number().int().optional(),
});
type LessonMeta = z.infer<typeof frontmatterSchema>;

export interface Lesson extends LessonMeta {
  /** From the file name: `01-devices.md` -> `01-devices`. */
  readonly id: string;
  readonly file: string;
  readonly intro: Block[];
  readonly steps: LessonStep[];
}

export type ParseLessonResult = { ok: true; lesson: Lesson } | { ok: false; errors: LessonError[] };

const SECTION = /^##\s+(Step|Question|Try it)\s*:\s*(.+?)\s*$/i;
const KIND_OF: Record<string, SectionKind> = { step: 'step', question: 'question', 'try it': 'try' };

/** The line of a zod issue's path inside a YAML block starting at `firstLine`. */
function lineOfPath(text: string, firstLine: number, path: readonly PropertyKey[]): number {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc });
  let node: unknown = doc.contents;
  let offset: number | undefined = (node as { range?: number[] } | null)?.range?.[0];
  for (const seg of path) {
    const n = node as { items?: unknown[]; get?: (k: unknown, keep: boolean) => unknown } | null;
    if (!n?.items) break;
    let next: unknown;
    if (typeof seg === 'number') next = n.items[seg];
    else {
      const pair = (n.items as { key?: { value?: unknown; range?: number[] }; value?: unknown }[]).find((p) => p.key?.value === seg);
      if (pair) {
        offset = pair.key?.range?.[0] ?? offset;
        next = pair.value;
      }
    }
    if (!next) break;
    node = next;
    offset = (next as { range?: number[] }).range?.[0] ?? offset;
  }
  return firstLine + (offset !== undefined ? lc.linePos(offset).line - 1 : 0);
}

function pathText(path: readonly PropertyKey[]): string {
  let out = '';
  for (const seg of path) out += typeof seg === 'number' ? `[${seg}]` : out ? `.${String(seg)}` : String(seg);
  return out;
}

/** Validates a YAML block; errors name the line of the offending key. */
function parseBlock<T>(schema: z.ZodType<T, unknown>, text: string, firstLine: number, file: string, what: string, errors: LessonError[]): T | undefined {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, uniqueKeys: true });
  if (doc.errors.length) {
    for (const e of doc.errors)
      errors.push({
        file,
        line: firstLine + lc.linePos(e.pos[0]).line - 1,
        message: `${what}: YAML syntax: ${e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`,
      });
    return undefined;
  }
  const r = schema.safeParse(doc.toJS() ?? {});
  if (r.success) return r.data;
  for (const issue of r.error.issues) {
    const deepest = deepestIssue(issue);
    const p = pathText(deepest.path);
    errors.push({ file, line: lineOfPath(text, firstLine, deepest.path), message: `${what}: ${p ? `${p}: ` : ''}${deepest.message}` });
  }
  return undefined;
}

/** For a union that failed, the issue of the branch that got furthest (the most useful message). */
function deepestIssue(issue: z.core.$ZodIssue): { path: PropertyKey[]; message: string } {
  if (issue.code === 'invalid_union' && issue.errors.length) {
    let best: { path: PropertyKey[]; message: string } | null = null;
    let bestScore = -1;
    for (const branch of issue.errors) {
      for (const sub of branch) {
        const d = deepestIssue(sub);
        // Prefer branches that failed on a key they know (unrecognized keys or type errors deep inside).
        const score = d.path.length * 2 + (sub.code === 'unrecognized_keys' ? 0 : 1) + (sub.code === 'invalid_type' && d.path.length === 0 ? -5 : 0);
        if (score > bestScore) {
          bestScore = score;
          best = { path: [...issue.path, ...d.path], message: d.message };
        }
      }
    }
    if (best && bestScore > 0) return best;
    return { path: [...issue.path], message: 'not a condition: use a match expression string, or one of frame, drop, log, state, metric, at, all, any, not' };
  }
  return { path: [...issue.path], message: issue.message };
}

/** Parses a lesson file. `file` is used in errors; the id comes from its base name. */
// eslint-disable-next-line max-lines-per-function -- one pass over the file's lines (frontmatter, steps, activities) that keeps line numbers for errors
export function parseLesson(text: string, file: string): ParseLessonResult {
  const errors: LessonError[] = [];
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const id = file.replace(/^.*\//, '').replace(/\.md$/i, '');
  if (lines[0]?.trim() !== '---') {
    return {
      ok: false,
      errors: [{ file, line: 1, message: 'a lesson starts with YAML frontmatter between two "---" lines (title, summary, level, minutes, objectives, scene)' }],
    };
  }
  let fmEnd = -1;
  for (let i = 1; i < lines.length; i++)
    if (lines[i].trim() === '---') {
      fmEnd = i;
      break;
    }
  if (fmEnd < 0) return { ok: false, errors: [{ file, line: 1, message: 'the frontmatter is not closed: add a "---" line after it' }] };
  const meta = parseBlock(frontmatterSchema, lines.slice(1, fmEnd).join('\n'), 2, file, 'frontmatter', errors);

  // Split into sections.
  interface Raw {
    kind: SectionKind;
    title: string;
    line: number;
    lines: { text: string; line: number }[];
  }
  const intro: string[] = [];
  const sections: Raw[] = [];
  let inFence = false;
  for (let i = fmEnd + 1; i < lines.length; i++) {
    const l = lines[i];
    if (/^\s*(```|~~~)/.test(l)) inFence = !inFence;
    const m = !inFence ? SECTION.exec(l) : null;
    if (m) {
      sections.push({ kind: KIND_OF[m[1].toLowerCase()], title: m[2], line: i + 1, lines: [] });
      continue;
    }
    if (!inFence && /^##\s/.test(l)) {
      errors.push({ file, line: i + 1, message: `"${l.trim()}": a section heading is "## Step: title", "## Question: title" or "## Try it: title"` });
      continue;
    }
    if (sections.length) sections[sections.length - 1].lines.push({ text: l, line: i + 1 });
    else intro.push(l);
  }
  if (inFence) errors.push({ file, line: lines.length, message: 'a ``` code block is not closed' });
  if (sections.length === 0) errors.push({ file, line: fmEnd + 2, message: 'a lesson needs at least one "## Step: title" section' });

  const steps: LessonStep[] = [];
  sections.forEach((s, n) => {
    const what = `step ${n + 1} ("${s.title}")`;
    const before: string[] = [];
    const after: string[] = [];
    let block: { lang: string; text: string; line: number } | null = null;
    for (let i = 0; i < s.lines.length; i++) {
      const fence = /^\s*```\s*(step|question|try)\s*$/.exec(s.lines[i].text);
      if (fence) {
        const body: string[] = [];
        const start = s.lines[i].line;
        i++;
        while (i < s.lines.length && !/^\s*```\s*$/.test(s.lines[i].text)) body.push(s.lines[i++].text);
        if (block) errors.push({ file, line: start, message: `${what}: only one directives block per step (found a second \`\`\`${fence[1]})` });
        else block = { lang: fence[1], text: body.join('\n'), line: start + 1 };
        continue;
      }
      (block ? after : before).push(s.lines[i].text);
    }
    const wantLang = s.kind;
    if (block && block.lang !== 'step' && block.lang !== wantLang) {
      errors.push({
        file,
        line: block.line - 1,
        message: `${what}: a "## ${s.kind === 'try' ? 'Try it' : s.kind[0].toUpperCase() + s.kind.slice(1)}:" section takes a \`\`\`${wantLang} block, not \`\`\`${block.lang}`,
      });
      return;
    }
    if (s.kind !== 'step' && (!block || block.lang !== wantLang)) {
      errors.push({ file, line: s.line, message: `${what}: needs a \`\`\`${wantLang} block` });
      return;
    }
    let directives: StepDirectives = {};
    let question: Question | undefined;
    let tryIt: TryIt | undefined;
    if (block) {
      if (block.lang === 'step') directives = parseBlock(stepSchema, block.text, block.line, file, `${what} (\`\`\`step)`, errors) ?? {};
      else {
        // question / try blocks may carry step directives too, under `step:`.
        const schema = block.lang === 'question' ? questionSchema.extend({ step: stepSchema.optional() }) : trySchema.extend({ step: stepSchema.optional() });
        const parsed = parseBlock(
          schema as z.ZodType<(Question | TryIt) & { step?: StepDirectives }, unknown>,
          block.text,
          block.line,
          file,
          `${what} (\`\`\`${block.lang})`,
          errors,
        );
        if (parsed) {
          directives = parsed.step ?? {};
          if (block.lang === 'question') question = parsed as Question;
          else tryIt = parsed as TryIt;
        }
      }
      if (directives.at !== undefined && directives.until !== undefined)
        errors.push({ file, line: block.line, message: `${what}: give either until or at, not both` });
    }
    if (tryIt) {
      const ids = new Set(tryIt.controls.map((c) => c.id));
      for (const k of Object.keys(tryIt.solution))
        if (!ids.has(k))
          errors.push({ file, line: block!.line, message: `${what}: solution names "${k}", which is not a control (controls: ${[...ids].join(', ')})` });
      for (const k of Object.keys(tryIt.start ?? {}))
        if (!ids.has(k)) errors.push({ file, line: block!.line, message: `${what}: start names "${k}", which is not a control` });
    }
    steps.push({
      kind: s.kind,
      title: s.title,
      body: parseMarkdown(before.join('\n')),
      after: parseMarkdown(after.join('\n')),
      directives,
      question,
      tryIt,
      line: s.line,
      blockLine: block?.line ?? s.line,
    });
  });
  if (errors.length || !meta) return { ok: false, errors: errors.sort((a, b) => a.line - b.line) };
  return { ok: true, lesson: { ...meta, id, file, intro: parseMarkdown(intro.join('\n')), steps } };
}
