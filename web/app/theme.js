// @ts-check
/** The theme the page starts with, and the user's choice kept for the next visit. */

const THEME_KEY = 'loyaltylens-theme';

/** @returns {import('../state.js').Theme} */
export function preferredTheme() {
  try {
    const saved = localStorage.getItem(THEME_KEY);
    if (saved === 'light' || saved === 'dark') return saved;
  } catch {
    // Storage can be blocked (private mode, sandboxed frames): fall back to the system theme.
  }
  return matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

/** @param {import('../state.js').Theme} theme */
export function saveTheme(theme) {
  try {
    localStorage.setItem(THEME_KEY, theme);
  } catch {
    // Not saved: the toggle still works for this visit.
  }
}
