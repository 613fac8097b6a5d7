/** The embed and its surroundings: media queries, whether it is on screen at all, its color scheme. */
import { useEffect, useMemo, useState } from 'react';

/** Whether the media query matches, following changes. */
export function useMedia(query: string): boolean {
  const mq = useMemo(() => (window.matchMedia ? window.matchMedia(query) : null), [query]);
  const [match, setMatch] = useState(() => mq?.matches ?? false);
  useEffect(() => {
    if (!mq) return;
    const on = () => setMatch(mq.matches);
    mq.addEventListener('change', on);
    return () => mq.removeEventListener('change', on);
  }, [mq]);
  return match;
}

/** True while any part of the embed is inside the top-level viewport (works inside iframes). */
export function useVisible(): boolean {
  const [visible, setVisible] = useState(() => typeof IntersectionObserver === 'undefined');
  useEffect(() => {
    if (typeof IntersectionObserver === 'undefined') return;
    const io = new IntersectionObserver((entries) => {
      for (const e of entries) setVisible(e.isIntersecting);
    });
    io.observe(document.documentElement);
    const onVis = () => {
      if (document.visibilityState === 'hidden') setVisible(false);
    };
    document.addEventListener('visibilitychange', onVis);
    return () => {
      io.disconnect();
      document.removeEventListener('visibilitychange', onVis);
    };
  }, []);
  return visible;
}

/** Sets the page's `color-scheme` (form controls, scrollbars) to the embed's theme. */
export function useColorScheme(theme: 'light' | 'dark'): void {
  useEffect(() => {
    document.documentElement.style.colorScheme = theme;
  }, [theme]);
}
