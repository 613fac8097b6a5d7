/** Every lesson bundled with the app: lessons/*.md (not the README), by path. */
export const LESSON_FILES = import.meta.glob(['/lessons/*.md', '!/lessons/README.md'], { query: '?raw', import: 'default', eager: true }) as Record<
  string,
  string
>;
