// @ts-check
/**
 * A task of its own, soon: a message (no 4 ms clamp like a nested setTimeout, no wait for a
 * frame). Work cut into such tasks leaves the browser room for input and frames in between.
 * Or later, in idle time: for work nobody waits for yet (what the page loads after its start).
 */

/** @type {MessageChannel | null} made on first use (a module that only imports this, e.g. in a Node test, starts nothing) */
let channel = null;
/** @type {(() => void)[]} */
const waiting = [];

/** @returns {Promise<void>} */
export function nextTask() {
  return new Promise((resolve) => {
    if (typeof MessageChannel === 'undefined') {
      setTimeout(resolve, 0);
      return;
    }
    if (!channel) {
      channel = new MessageChannel();
      channel.port1.onmessage = () => waiting.shift()?.();
      /** @type {any} */ (channel.port1).unref?.(); // Node: an idle channel keeps nothing alive
    }
    waiting.push(resolve);
    channel.port2.postMessage(null);
  });
}

/**
 * Idle time: resolves in an idle callback, or after `timeout` ms on a page that is never idle
 * (and in a task of its own where there are no idle callbacks, e.g. Safari).
 * @param {number} [timeout]
 * @returns {Promise<void>}
 */
export function idle(timeout = 1000) {
  return new Promise((resolve) => {
    if (typeof requestIdleCallback === 'function') requestIdleCallback(() => resolve(), { timeout });
    else setTimeout(resolve, 20);
  });
}
