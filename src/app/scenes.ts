/** Every scene file bundled with the app, by name (file name without extension). */
const files = import.meta.glob('/scenes/*.{yaml,yml,json}', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;

export interface SceneFile {
  readonly name: string;
  readonly fileName: string;
  readonly text: string;
}

export const SCENE_FILES: ReadonlyMap<string, SceneFile> = new Map(
  Object.entries(files)
    .map(([path, text]) => {
      const fileName = path.replace(/^\//, '');
      const name = fileName.replace(/^scenes\//, '').replace(/\.(ya?ml|json)$/, '');
      return [name, { name, fileName, text }] as const;
    })
    .sort(([a], [b]) => a.localeCompare(b)),
);

export const DEFAULT_SCENE = 'router-ping';
