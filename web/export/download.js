// @ts-check
/**
 * Saves text as a file through the browser's download (Blob + a[download]); nothing is sent anywhere.
 */

/**
 * Saves a Blob under `fileName`: an object URL clicked through a hidden a[download].
 * @param {Blob} blob
 * @param {string} fileName
 */
function downloadBlob(blob, fileName) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  // Revoke later: the download may still be reading the blob after click() returns.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/**
 * @param {string} text      exact contents (encoded as UTF-8)
 * @param {string} fileName  suggested name, e.g. "segments.csv"
 * @param {string} type      MIME type
 */
export function downloadText(text, fileName, type) {
  downloadBlob(new Blob([text], { type }), fileName);
}

/**
 * Saves bytes as a file (e.g. a PNG), as downloadText does.
 * @param {Uint8Array<ArrayBuffer>} bytes
 * @param {string} fileName
 * @param {string} type
 */
export function downloadBytes(bytes, fileName, type) {
  downloadBlob(new Blob([bytes], { type }), fileName);
}
