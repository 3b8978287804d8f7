// @ts-check
/**
 * One floating tooltip for every element with a `data-tip` (term definitions, column headers):
 * shown on hover and on keyboard focus, hidden with Escape, kept inside the window. Fixed
 * position, so a scrolling table never clips it. Text only.
 */
import { byId } from './dom.js';

export function createTooltip() {
  const tip = byId('tip');
  /** @type {HTMLElement | null} */
  let anchor = null;

  /** @param {HTMLElement} target */
  function show(target) {
    const text = target.dataset.tip;
    if (!text) return;
    anchor = target;
    tip.textContent = text;
    tip.hidden = false;
    target.setAttribute('aria-describedby', 'tip');
    const a = target.getBoundingClientRect();
    const t = tip.getBoundingClientRect();
    const margin = 8;
    let left = a.left + a.width / 2 - t.width / 2;
    left = Math.max(margin, Math.min(left, window.innerWidth - t.width - margin));
    let top = a.bottom + 6;
    if (top + t.height > window.innerHeight - margin) top = a.top - t.height - 6;
    tip.style.left = `${Math.round(left)}px`;
    tip.style.top = `${Math.round(Math.max(margin, top))}px`;
  }

  function hide() {
    anchor?.removeAttribute('aria-describedby');
    anchor = null;
    tip.hidden = true;
  }

  /** @param {EventTarget | null} target */
  const tipTarget = (target) => (target instanceof Element ? /** @type {HTMLElement | null} */ (target.closest('[data-tip]')) : null);

  document.addEventListener('pointerover', (event) => {
    const target = tipTarget(event.target);
    if (target && target !== anchor) show(target);
    else if (!target && anchor && document.activeElement !== anchor) hide();
  });
  document.addEventListener('focusin', (event) => {
    const target = tipTarget(event.target);
    if (target) show(target);
    else hide();
  });
  document.addEventListener('focusout', () => hide());
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape') hide();
  });
  window.addEventListener('scroll', hide, { passive: true, capture: true });
}
