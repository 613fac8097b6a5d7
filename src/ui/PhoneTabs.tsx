/**
 * On a phone (one column) the panels share one area below the 3D view and the timeline; these tabs
 * pick which one shows (the app's root carries the choice as `data-phone-panel`, the CSS hides the
 * rest). Hidden on wider screens, where every panel has its own place.
 */
import { rovingKey } from './keys';

/** Which panel the phone layout shows. */
export type PhonePanel = 'events' | 'inspector' | 'console' | 'lesson';

export function PhoneTabs({ value, onChange, lesson, editing }: { value: PhonePanel; onChange(p: PhonePanel): void; lesson: boolean; editing: boolean }) {
  const tabs: [PhonePanel, string][] = editing
    ? [['inspector', 'Editor']]
    : [
        ['events', 'Events'],
        ['inspector', 'Inspector'],
        ['console', 'Panels'],
      ];
  if (lesson) tabs.push(['lesson', 'Lesson']);
  return (
    <nav className="phone-tabs" role="tablist" aria-label="Panels" onKeyDown={(e) => rovingKey(e, '[role=tab]', 'horizontal', true)}>
      {tabs.map(([id, label]) => (
        <button key={id} role="tab" aria-selected={value === id} tabIndex={value === id ? 0 : -1} data-testid={`phone-tab-${id}`} onClick={() => onChange(id)}>
          {label}
        </button>
      ))}
    </nav>
  );
}
