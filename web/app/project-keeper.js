// @ts-check
/**
 * The last project, kept in this browser (IndexedDB) when the user saves or opens one, so the
 * next visit can offer it; the user can forget it. Only a project's text is kept: its settings
 * and fitted model, which hold no customer-level data (cpp/core/model.h). Nothing is kept
 * otherwise, and a browser without IndexedDB (or that refuses it) just keeps nothing.
 */

const DB = 'loyaltylens';
const STORE = 'projects';
const KEY = 'last';

/** @typedef {{text: string, fileName: string, savedAt: string}} KeptProject */

/** @returns {Promise<IDBDatabase>} */
function open() {
  return new Promise((resolve, reject) => {
    if (typeof indexedDB === 'undefined') {
      reject(new Error('This browser keeps no data for pages (no IndexedDB).'));
      return;
    }
    const request = indexedDB.open(DB, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB could not be opened.'));
  });
}

/**
 * One transaction on the store.
 * @template T
 * @param {IDBTransactionMode} mode
 * @param {(store: IDBObjectStore) => IDBRequest<T>} work
 * @returns {Promise<T>}
 */
async function transact(mode, work) {
  const db = await open();
  try {
    return await new Promise((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const request = work(tx.objectStore(STORE));
      tx.oncomplete = () => resolve(request.result);
      tx.onerror = () => reject(tx.error ?? new Error('IndexedDB refused the change.'));
      tx.onabort = () => reject(tx.error ?? new Error('IndexedDB refused the change.'));
    });
  } finally {
    db.close();
  }
}

/**
 * Keeps a project as the last one (replacing the one kept before).
 * @param {{text: string, fileName: string}} project
 * @returns {Promise<KeptProject>}
 */
export async function keepProject({ text, fileName }) {
  const kept = { text, fileName, savedAt: new Date().toISOString() };
  await transact('readwrite', (store) => store.put(kept, KEY));
  return kept;
}

/** The project kept, or null (none, or no IndexedDB). @returns {Promise<KeptProject | null>} */
export async function keptProject() {
  try {
    const value = await transact('readonly', (store) => store.get(KEY));
    return value && typeof value.text === 'string' && typeof value.fileName === 'string' ? value : null;
  } catch {
    return null;
  }
}

/** Forgets the project kept (the database stays, empty). */
export async function forgetKeptProject() {
  await transact('readwrite', (store) => store.delete(KEY));
}
