/**
 * The lesson side panel: a catalogue with progress, then the player (text, questions, exercises,
 * step navigation by button and keyboard), and presenter mode (full screen, large type, chrome
 * hidden, keyboard-only stepping, a pointer highlight). State lives in src/store/lesson.ts.
 */
import { useEffect, useMemo, useRef, type ChangeEvent } from 'react';
import { choiceOrder, describeCondition, type Lesson, type LessonStep } from '../../lesson';
import type { Scene } from '../../scenario/scene';
import { formatTime, playbackStore, sceneStore, useStore } from '../../store';
import {
  addLessonFile,
  answer,
  backToStep,
  closeLesson,
  dismissNotice,
  dismissResume,
  exportProgressText,
  goto,
  importProgressText,
  initLessons,
  isStepDone,
  lessonDoneCount,
  lessonStore,
  nextStep,
  openLesson,
  openNextLesson,
  prevStep,
  questionPending,
  questionVerdict,
  resumeLesson,
  runTry,
  cancelTry,
  setPresenter,
  setTryValue,
  toggleLessons,
  type LessonEntry,
  type LessonHost,
} from '../../store/lesson';
import { ownsKey, rovingKey } from '../keys';
import { InlineMarkdown, MarkdownBlocks } from './Markdown';
import { LESSON_FILES } from './files';
import './lesson.css';

const LETTERS = 'abcdef';

/** The "Lessons" entry of the top bar. */
export function LessonsButton() {
  const open = useStore(lessonStore, (s) => s.open);
  return (
    <button
      className={open ? 'lessons-btn on' : 'lessons-btn'}
      aria-pressed={open}
      data-testid="lessons-button"
      onClick={() => toggleLessons()}
      title="Guided lessons (L)"
    >
      Lessons
    </button>
  );
}

/** Offers the lesson left open last time (a link or a plain visit never reopens it on its own). */
export function LessonResume() {
  const resume = useStore(lessonStore, (s) => s.resume);
  const open = useStore(lessonStore, (s) => s.open);
  const entry = useStore(lessonStore, (s) => s.entries.find((e) => e.id === s.resume));
  if (!resume || open || !entry?.lesson) return null;
  return (
    <div className="lesson-resume" role="status" data-testid="lesson-resume-offer">
      <span>
        Resume your lesson <strong>{entry.lesson.title}</strong>?
      </span>
      <button onClick={() => resumeLesson()} data-testid="lesson-resume">
        Resume
      </button>
      <button className="link-btn" onClick={() => dismissResume()} aria-label="No thanks">
        ×
      </button>
    </div>
  );
}

/** The scene as the 3D view should show it: with the current step's highlight. */
export function useLessonScene<T extends Scene | null>(scene: T): T {
  const highlight = useStore(lessonStore, (s) => (s.open && s.active ? s.highlight : null));
  return useMemo(() => (scene && highlight ? ({ ...scene, view: { ...scene.view, highlight } } as T) : scene), [scene, highlight]);
}

/** Class names for the app's root: room for the panel, presenter mode. */
export function useLessonAppClass(): string {
  const open = useStore(lessonStore, (s) => s.open);
  const presenter = useStore(lessonStore, (s) => s.presenter);
  return presenter ? ' with-lesson presenter' : open ? ' with-lesson' : '';
}

function openPanel(name: string): void {
  if (name === 'ladder' || name === 'console') {
    const label = name === 'ladder' ? 'Ladder' : 'Console';
    const tab = [...document.querySelectorAll<HTMLButtonElement>('.console [role=tab]')].find((b) => b.textContent?.includes(label));
    tab?.click();
  }
  const el = document.querySelector(name === 'events' ? '.panel.events' : name === 'inspector' ? '.panel.inspector' : '.panel.console');
  if (el) {
    el.classList.remove('lesson-flash');
    void (el as HTMLElement).offsetWidth;
    el.classList.add('lesson-flash');
  }
}

function download(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function readFile(e: ChangeEvent<HTMLInputElement>, then: (text: string, name: string) => void): void {
  const f = e.target.files?.[0];
  e.target.value = '';
  if (f) void f.text().then((t) => then(t, f.name));
}

function Catalogue({ entries }: { entries: LessonEntry[] }) {
  const progress = useStore(lessonStore, (s) => s.progress);
  return (
    <div className="lesson-catalogue" data-testid="lesson-catalogue">
      <div className="lesson-cat-head">
        <h2>Lessons</h2>
        <p>
          Guided tours through the simulator. Every answer is checked against the simulation itself. <kbd>N</kbd> opens the next lesson.
        </p>
      </div>
      <ol className="lesson-list">
        {entries.map((e, i) => {
          const l = e.lesson;
          const p = progress.lessons[e.id];
          const done = l ? lessonDoneCount(l, p) : 0;
          return (
            <li key={e.id} className={l ? 'lesson-card' : 'lesson-card bad'} data-testid={`lesson-card-${e.id}`}>
              {l ? (
                <button className="lesson-open" onClick={() => openLesson(e.id)} autoFocus={i === 0}>
                  <span className="lesson-card-title">{l.title}</span>
                  <span className="lesson-card-meta">
                    {l.level} · {l.minutes} min · {l.steps.length} steps{p?.completedAt ? ' · ✓ done' : ''}
                  </span>
                  <span className="lesson-card-summary">{l.summary}</span>
                  <span className="lesson-meter" aria-label={`${done} of ${l.steps.length} steps done`}>
                    <span style={{ width: `${(100 * done) / l.steps.length}%` }} />
                  </span>
                  <span className="lesson-card-go">{p?.completedAt ? 'Review' : done > 0 || p ? 'Continue' : 'Start'} →</span>
                </button>
              ) : (
                <LessonErrors file={e.file} errors={e.errors} />
              )}
            </li>
          );
        })}
      </ol>
      <div className="lesson-tools">
        <button onClick={() => download('packetarium-progress.json', exportProgressText())} data-testid="export-progress">
          Export progress
        </button>
        <label className="file-btn">
          Import progress
          <input type="file" accept=".json,application/json" data-testid="import-progress" onChange={(e) => readFile(e, (t) => importProgressText(t))} />
        </label>
        <label className="file-btn">
          Open a lesson file…
          <input type="file" accept=".md,text/markdown" data-testid="open-lesson-file" onChange={(e) => readFile(e, (t, n) => addLessonFile(t, n))} />
        </label>
      </div>
    </div>
  );
}

function LessonErrors({ file, errors }: { file: string; errors: string[] }) {
  return (
    <div className="lesson-errors" data-testid="lesson-errors" role="alert">
      <strong>
        {file} has {errors.length === 1 ? 'an error' : `${errors.length} errors`}
      </strong>
      <ul>
        {errors.map((e, i) => (
          <li key={i} className="mono">
            {e}
          </li>
        ))}
      </ul>
    </div>
  );
}

function QuestionView({ lesson, index, step }: { lesson: Lesson; index: number; step: LessonStep }) {
  const saved = useStore(lessonStore, (s) => s.progress.lessons[lesson.id]?.answers[index]);
  const q = step.question!;
  const verdict = saved ? questionVerdict() : null;
  return (
    <div className="lesson-question" data-testid="lesson-question">
      {q.prompt && <p className="lesson-prompt">{q.prompt}</p>}
      <ol className="lesson-choices" data-roving aria-label="Choices" onKeyDown={(e) => rovingKey(e, '.choice', 'both')}>
        {choiceOrder(lesson.id, index, q.choices.length).map((k, shown) => {
          const c = q.choices[k];
          const chosen = saved?.choice === k;
          const cls = chosen ? (saved!.correct ? 'choice right' : 'choice wrong') : 'choice';
          return (
            <li key={k}>
              <button
                className={cls}
                onClick={() => answer(k)}
                data-testid={`choice-${LETTERS[shown]}`}
                aria-pressed={chosen}
                tabIndex={(saved ? chosen : shown === 0) ? 0 : -1}
              >
                <span className="choice-key">{LETTERS[shown].toUpperCase()}</span>
                <span>
                  <InlineMarkdown text={c.text} />
                </span>
              </button>
            </li>
          );
        })}
      </ol>
      {saved && (
        <div className={saved.correct ? 'lesson-feedback right' : 'lesson-feedback wrong'} data-testid="lesson-feedback">
          <strong>{saved.correct ? '✓ Right.' : '✗ Not quite.'}</strong> <InlineMarkdown text={q.choices[saved.choice].why} />
          {!saved.correct && <div className="lesson-hint">Try another answer.</div>}
          {saved.correct && verdict && verdict.results[saved.choice]?.row >= 0 && (
            <button className="link-btn" onClick={() => playbackStore.getState().seek(verdict.results[saved.choice].time)}>
              Show me in the simulation ({formatTime(verdict.results[saved.choice].time)})
            </button>
          )}
        </div>
      )}
    </div>
  );
}

function TryView({ lesson, index, step }: { lesson: Lesson; index: number; step: LessonStep }) {
  const values = useStore(lessonStore, (s) => s.tryValues);
  const verdict = useStore(lessonStore, (s) => s.tryVerdict);
  const progress = useStore(lessonStore, (s) => s.tryProgress);
  const passed = useStore(lessonStore, (s) => s.progress.lessons[lesson.id]?.tries[index]?.passed === true);
  const t = step.tryIt!;
  return (
    <div className="lesson-try" data-testid="lesson-try">
      {t.controls.map((c, ci) => (
        <div key={c.id} className="try-control" role="radiogroup" aria-label={c.label} onKeyDown={(e) => rovingKey(e, '[role=radio]', 'both', true)}>
          <div className="try-label">{c.label}</div>
          <div className="try-options">
            {c.options.map((o, k) => {
              const on = JSON.stringify(values[c.id]) === JSON.stringify(o.value);
              return (
                <button
                  key={k}
                  role="radio"
                  aria-checked={on}
                  tabIndex={on || (k === 0 && !c.options.some((x) => JSON.stringify(values[c.id]) === JSON.stringify(x.value))) ? 0 : -1}
                  className={on ? 'opt on' : 'opt'}
                  onClick={() => setTryValue(c.id, o.value)}
                  data-testid={`try-${c.id}-${k}`}
                >
                  {ci === 0 && <span className="choice-key">{LETTERS[k].toUpperCase()}</span>}
                  {o.label}
                </button>
              );
            })}
          </div>
        </div>
      ))}
      <button className="try-run" onClick={() => runTry()} data-testid="try-run">
        ▶ Run the scene with my change <kbd>Enter</kbd>
      </button>
      {progress && (
        <div className="try-progress" data-testid="try-progress">
          Simulating your change… <progress max={1} value={progress.durationNs > 0 ? progress.simNs / progress.durationNs : 0} />
          <button onClick={() => cancelTry()} data-testid="try-cancel">
            Cancel
          </button>
        </div>
      )}
      <div className="try-goal">
        Goal: <InlineMarkdown text={describeCondition(t.goal)} />
      </div>
      {verdict && !verdict.ok && (
        <div className="lesson-feedback wrong">
          {verdict.errors.map((e, i) => (
            <div key={i} className="mono">
              {e}
            </div>
          ))}
        </div>
      )}
      {verdict && verdict.ok && (
        <div className={verdict.passed ? 'lesson-feedback right' : 'lesson-feedback wrong'} data-testid="try-feedback">
          <strong>{verdict.passed ? `✓ Goal reached at ${formatTime(verdict.result.time)}.` : '✗ Not yet: the goal never happened in this run.'}</strong>{' '}
          <InlineMarkdown text={verdict.passed ? t.success : t.hint} />
        </div>
      )}
      {!verdict && passed && <div className="lesson-feedback right">✓ You solved this one already.</div>}
    </div>
  );
}

/** While the lesson's runs simulate (in the worker): which scene, and how far it has got. */
function LessonBusy({ scene }: { scene: string }) {
  const p = useStore(lessonStore, (s) => s.stepProgress);
  return (
    <div className="lesson-busy" data-testid="lesson-busy" role="status" aria-live="polite">
      Simulating {scene}
      {p && p.parts > 1 ? ` (run ${p.part} of ${p.parts})` : ''}…{' '}
      {p && <progress data-testid="lesson-progress" max={1} value={p.durationNs > 0 ? Math.min(1, p.simNs / p.durationNs) : 0} />}
    </div>
  );
}

// eslint-disable-next-line max-lines-per-function -- the step view: text, question, exercise and navigation all follow the lesson store's current step
function Player({ entry }: { entry: LessonEntry }) {
  const step = useStore(lessonStore, (s) => s.step);
  const busy = useStore(lessonStore, (s) => s.busy);
  const runErrors = useStore(lessonStore, (s) => s.runErrors);
  const presenter = useStore(lessonStore, (s) => s.presenter);
  const progress = useStore(lessonStore, (s) => s.progress.lessons[entry.id]);
  const stepTime = useStore(lessonStore, (s) => s.stepTime);
  const time = useStore(playbackStore, (s) => s.time);
  const sceneName = useStore(sceneStore, (s) => s.name);
  // Notes under a question may give its answer away: shown once it is answered right.
  const askPending = useStore(lessonStore, questionPending);
  const body = useRef<HTMLDivElement>(null);
  const root = useRef<HTMLDivElement>(null);
  useEffect(() => {
    body.current?.scrollTo?.({ top: 0 });
  }, [step]);
  // Opening a lesson (Enter on its card) removes the focused card: the focus moves into the lesson.
  useEffect(() => {
    const a = document.activeElement;
    if (!a || a === document.body || !a.isConnected) root.current?.focus();
  }, [entry.id]);
  if (!entry.lesson) {
    return (
      <div className="lesson-player">
        <div className="lesson-head">
          <button onClick={() => closeLesson()} className="link-btn">
            ← All lessons
          </button>
        </div>
        <LessonErrors file={entry.file} errors={entry.errors} />
      </div>
    );
  }
  const lesson = entry.lesson;
  const s = step >= 0 ? lesson.steps[step] : null;
  const away = step >= 0 && !busy && (Math.abs(time - stepTime) > 1 || sceneName !== lesson.scene);
  const kindLabel = s?.kind === 'question' ? (s.question?.kind === 'predict' ? 'Predict' : 'Question') : s?.kind === 'try' ? 'Try it' : 'Step';
  return (
    <div className="lesson-player" data-testid="lesson-player" data-step={step} ref={root} tabIndex={-1} aria-label={lesson.title}>
      <div className="lesson-head">
        {!presenter && (
          <button onClick={() => closeLesson()} className="link-btn" title="Back to the catalogue">
            ← All lessons
          </button>
        )}
        <span className="lesson-count" data-testid="lesson-count">
          {step < 0 ? 'Introduction' : `${step + 1} / ${lesson.steps.length}`}
        </span>
        <button
          className={presenter ? 'on' : ''}
          onClick={() => setPresenter(!presenter)}
          data-testid="presenter-toggle"
          title="Presenter mode: full screen, large type (Esc leaves)"
        >
          {presenter ? 'Exit presenter' : 'Present'}
        </button>
      </div>
      <div className="lesson-dots" role="tablist" aria-label="Steps" onKeyDown={(e) => rovingKey(e, '[role=tab]', 'horizontal')}>
        {lesson.steps.map((st, i) => (
          <button
            key={i}
            role="tab"
            aria-selected={i === step}
            tabIndex={i === Math.max(0, step) ? 0 : -1}
            aria-label={`Step ${i + 1}: ${st.title}`}
            title={`${i + 1}. ${st.title}`}
            className={`dot${i === step ? ' here' : ''}${isStepDone(lesson, progress, i) ? ' done' : ''}${st.kind !== 'step' ? ' ask' : ''}`}
            onClick={() => goto(i)}
          />
        ))}
      </div>
      <div className="lesson-body" ref={body}>
        {runErrors.length > 0 && <LessonErrors file={lesson.file} errors={runErrors} />}
        {busy && <LessonBusy scene={lesson.scene} />}
        {!s ? (
          <div className="lesson-intro">
            <div className="lesson-kind">
              Lesson · {lesson.level} · {lesson.minutes} min
            </div>
            <h2 data-testid="lesson-title">{lesson.title}</h2>
            <p className="lesson-summary">{lesson.summary}</p>
            <div className="lesson-objectives">
              <strong>You will be able to</strong>
              <ul>
                {lesson.objectives.map((o, i) => (
                  <li key={i}>
                    <InlineMarkdown text={o} />
                  </li>
                ))}
              </ul>
            </div>
            <MarkdownBlocks blocks={lesson.intro} />
          </div>
        ) : (
          <div className={`lesson-step kind-${s.kind}`}>
            <div className="lesson-kind">{kindLabel}</div>
            <h2 data-testid="lesson-step-title">{s.title}</h2>
            <MarkdownBlocks blocks={s.body} />
            {s.question && <QuestionView lesson={lesson} index={step} step={s} />}
            {s.tryIt && <TryView lesson={lesson} index={step} step={s} />}
            {!askPending && <MarkdownBlocks blocks={s.after} />}
          </div>
        )}
        {step === lesson.steps.length - 1 && progress?.completedAt && (
          <div className="lesson-feedback right" data-testid="lesson-complete">
            ✓ Lesson complete.{' '}
            <button className="link-btn" onClick={() => closeLesson()}>
              Choose another lesson
            </button>
          </div>
        )}
      </div>
      <div className="lesson-nav">
        <button onClick={() => prevStep()} disabled={step < 0 || busy} data-testid="lesson-prev" title="Previous step (P, PageUp)">
          ← Back
        </button>
        {away && (
          <button onClick={() => backToStep()} className="lesson-return" data-testid="lesson-return" title="Return to this step's moment (R)">
            ⟲ Back to this step
          </button>
        )}
        <button
          onClick={() => nextStep()}
          disabled={step >= lesson.steps.length - 1 || busy}
          className="lesson-next"
          data-testid="lesson-next"
          title="Next step (N, PageDown)"
        >
          {step < 0 ? 'Start →' : 'Next →'}
        </button>
      </div>
      <div className="lesson-keys">
        <kbd>N</kbd> next · <kbd>P</kbd> back ·{' '}
        {s?.question || s?.tryIt ? (
          <>
            <kbd>A</kbd>–<kbd>{LETTERS[Math.max(0, (s.question?.choices.length ?? s.tryIt?.controls[0].options.length ?? 1) - 1)].toUpperCase()}</kbd> choose
            ·{' '}
          </>
        ) : null}
        {s?.tryIt ? (
          <>
            <kbd>Enter</kbd> run ·{' '}
          </>
        ) : null}
        <kbd>R</kbd> back to step
      </div>
    </div>
  );
}

function PointerHighlight() {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const move = (e: PointerEvent) => {
      const el = ref.current;
      if (!el) return;
      el.style.display = 'block';
      el.style.transform = `translate(${e.clientX - 28}px, ${e.clientY - 28}px)`;
    };
    window.addEventListener('pointermove', move);
    return () => window.removeEventListener('pointermove', move);
  }, []);
  return <div className="presenter-pointer" ref={ref} data-testid="presenter-pointer" aria-hidden />;
}

function onKey(e: KeyboardEvent): void {
  const s = lessonStore.getState();
  const el = e.target as HTMLElement | null;
  const tag = el?.tagName;
  if (e.ctrlKey || e.metaKey || e.altKey) return;
  if (tag === 'INPUT' || tag === 'SELECT' || tag === 'TEXTAREA' || ownsKey(e.target, e.key)) return;
  if ((e.key === 'l' || e.key === 'L') && !s.presenter) {
    toggleLessons();
  } else if (!s.open) {
    return;
  } else if (!s.active) {
    if (e.key !== 'n' && e.key !== 'N' && e.key !== 'PageDown') return;
    openNextLesson();
  } else {
    const entry = s.entries.find((x) => x.id === s.active);
    const step = entry?.lesson?.steps[s.step];
    const k = LETTERS.indexOf(e.key.toLowerCase());
    const next = e.key === 'n' || e.key === 'N' || e.key === 'PageDown' || (s.presenter && (e.key === 'ArrowRight' || e.key === ' '));
    const prev = e.key === 'p' || e.key === 'P' || e.key === 'PageUp' || (s.presenter && e.key === 'ArrowLeft');
    if (next) nextStep();
    else if (prev) prevStep();
    else if (e.key === 'r' || e.key === 'R') backToStep();
    else if (e.key === 'Escape' && s.presenter) setPresenter(false);
    else if (k >= 0 && step?.question && k < step.question.choices.length) answer(choiceOrder(s.active, s.step, step.question.choices.length)[k]);
    else if (k >= 0 && step?.tryIt && k < step.tryIt.controls[0].options.length)
      setTryValue(step.tryIt.controls[0].id, step.tryIt.controls[0].options[k].value);
    else if (e.key === 'Enter' && step?.tryIt && tag !== 'BUTTON') runTry();
    else return;
  }
  e.preventDefault();
  e.stopImmediatePropagation();
}

/** The side panel; renders nothing while closed. `host` gives it the app's scenes. */
export function LessonPanel({ host }: { host: LessonHost }) {
  const open = useStore(lessonStore, (s) => s.open);
  const presenter = useStore(lessonStore, (s) => s.presenter);
  const active = useStore(lessonStore, (s) => s.active);
  const entries = useStore(lessonStore, (s) => s.entries);
  const notice = useStore(lessonStore, (s) => s.notice);
  const panel = useStore(lessonStore, (s) => s.panel);
  const hostRef = useRef(host);
  useEffect(() => {
    initLessons(LESSON_FILES, { sceneText: (n) => hostRef.current.sceneText(n), loadScene: (n) => hostRef.current.loadScene(n) });
  }, []);
  useEffect(() => {
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, []);
  useEffect(() => {
    if (panel) setTimeout(() => openPanel(panel.name), 50);
  }, [panel]);
  useEffect(() => {
    if (presenter) {
      void document.documentElement.requestFullscreen?.().catch(() => undefined);
      return () => {
        if (document.fullscreenElement) void document.exitFullscreen().catch(() => undefined);
      };
    }
  }, [presenter]);
  if (!open) return null;
  const entry = entries.find((e) => e.id === active);
  return (
    <aside className={presenter ? 'lesson-panel presenter-panel' : 'lesson-panel'} data-testid="lesson-panel" aria-label="Lesson">
      {notice && (
        <div className="lesson-notice" role="status" data-testid="lesson-notice">
          {notice}{' '}
          <button className="link-btn" onClick={() => dismissNotice()}>
            Dismiss
          </button>
        </div>
      )}
      {entry ? <Player entry={entry} /> : <Catalogue entries={entries} />}
      {!presenter && (
        <button className="lesson-close" onClick={() => toggleLessons(false)} title="Close the lesson panel (L)" aria-label="Close lessons">
          ×
        </button>
      )}
      {presenter && <PointerHighlight />}
    </aside>
  );
}
