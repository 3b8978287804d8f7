// @ts-check
/**
 * The notice panel: errors (bad file, crashed worker) and information (cancelled), each with
 * what happened and what to do. Text only: messages may quote the file's contents.
 */
import { byId } from '../ui/dom.js';

/**
 * @param {{onDismiss: () => void}} actions
 */
export function createNoticeView({ onDismiss }) {
  const panel = byId('notice');
  const title = byId('notice-title');
  const message = byId('notice-message');
  const hint = byId('notice-hint');

  byId('notice-close').addEventListener('click', onDismiss);

  /** @param {import('../state.js').AppState} state @param {import('../state.js').AppState} [previous] */
  return function render(state, previous) {
    const { notice } = state;
    if (previous && notice === previous.notice) return;
    panel.hidden = !notice;
    if (!notice) return;
    panel.dataset.kind = notice.kind;
    panel.setAttribute('role', notice.kind === 'error' ? 'alert' : 'status');
    title.textContent = notice.title;
    message.textContent = notice.message;
    hint.textContent = notice.hint;
    hint.hidden = !notice.hint;
  };
}

/** @typedef {import('../state.js').Notice} Notice */

/** What to do after each kind of error (by the error's name). @type {Record<string, Omit<Notice, 'message'>>} */
const ERROR_NOTICES = {
  InputError: {
    kind: 'error',
    title: "This file can't be used",
    hint:
      'LoyaltyLens needs one row per invoice line with a customer id, invoice number, invoice date, ' +
      'quantity and unit price, as in the UCI Online Retail and Online Retail II exports saved as CSV. ' +
      'Fix the file and drop it again, or try the sample data.',
  },
  InvalidArgument: {
    kind: 'error',
    title: "These settings can't be used",
    hint: 'Choose other settings, or drop another file.',
  },
  OutOfMemory: {
    kind: 'error',
    title: 'The file is too large for this browser tab',
    hint: 'Close other tabs and try again, or analyse a shorter period of the data.',
  },
  WorkerCrashError: {
    kind: 'error',
    title: 'The analysis stopped unexpectedly',
    hint:
      'LoyaltyLens has restarted it; nothing was uploaded. Drop the file again or try the sample data. ' +
      'If it keeps happening, the file may be too large for this browser tab.',
  },
};

/**
 * The notice for an error from loading or segmenting a file.
 * @param {unknown} err
 * @returns {Notice}
 */
export function noticeFromError(err) {
  const name = err instanceof Error || err instanceof DOMException ? err.name : 'Error';
  const message = err instanceof Error || err instanceof DOMException ? err.message : String(err);
  const known = ERROR_NOTICES[name] ?? {
    kind: 'error',
    title: 'Something went wrong',
    hint: 'Drop the file again or try the sample data. Nothing was uploaded.',
  };
  return { ...known, message };
}
