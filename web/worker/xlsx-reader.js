// @ts-check
/**
 * A small streaming reader for .xlsx workbooks (Office Open XML, ECMA-376), written for
 * LoyaltyLens so no third-party spreadsheet library (and its advisories) is needed.
 *
 * What it does, and no more: reads the ZIP central directory from the end of the Blob, inflates
 * entries with `DecompressionStream('deflate-raw')` (checking each entry's CRC-32), reads the
 * shared strings, the date styles and the first visible worksheet, then streams that sheet's XML
 * row by row: at no time is the sheet XML (hundreds of MB for a large export) held whole.
 * Works wherever Blob, ReadableStream, DecompressionStream and TextDecoder are global (browser
 * workers, Node ≥ 18).
 *
 * Not supported, with a clear InputError: ZIP64 archives, encrypted entries, compression other
 * than stored/deflate. Formulas are read through their cached values, as Excel saved them.
 */

/** @typedef {{name: string, method: number, flags: number, crc: number, compressedSize: number, size: number, offset: number}} ZipEntry */

/** @param {string} message */
export function inputError(message) {
  const error = new Error(message);
  error.name = 'InputError';
  return error;
}

// ---------------------------------------------------------------------------------------------
// ZIP: central directory, entry streams (APPNOTE.TXT §4.3)

const EOCD_SIG = 0x06054b50;
const ZIP64_LOCATOR_SIG = 0x07064b50;
const CENTRAL_SIG = 0x02014b50;
const LOCAL_SIG = 0x04034b50;

/** @param {Blob} blob @param {number} start @param {number} end */
const bytesAt = async (blob, start, end) => new DataView(await blob.slice(start, end).arrayBuffer());

/**
 * Reads the central directory: every entry by name.
 * @param {Blob} blob
 * @param {string} what  how to name the file in messages
 * @returns {Promise<Map<string, ZipEntry>>}
 */
export async function readZipEntries(blob, what = 'This ZIP file') {
  // The end-of-central-directory record: 22 bytes plus a comment of up to 65,535 bytes.
  const tailStart = Math.max(0, blob.size - 22 - 0xffff);
  const tail = await bytesAt(blob, tailStart, blob.size);
  let eocd = -1;
  for (let i = tail.byteLength - 22; i >= 0; i--) {
    if (tail.getUint32(i, true) === EOCD_SIG) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) {
    throw inputError(`${what} is not a complete ZIP archive: its closing directory is missing, so it is truncated or damaged. Download or export it again.`);
  }
  const count = tail.getUint16(eocd + 10, true);
  const cdSize = tail.getUint32(eocd + 12, true);
  const cdOffset = tail.getUint32(eocd + 16, true);
  const zip64 = (eocd >= 20 && tail.getUint32(eocd - 20, true) === ZIP64_LOCATOR_SIG) || count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff;
  if (zip64) throw inputError(`${what} is a ZIP64 archive (over 4 GB or 65,535 entries), which LoyaltyLens cannot read. Export the data as CSV instead.`);
  if (cdOffset + cdSize > tailStart + eocd) {
    throw inputError(`${what} is damaged: its ZIP directory points past the end of the data (truncated?). Download or export it again.`);
  }
  const cd = await bytesAt(blob, cdOffset, cdOffset + cdSize);
  const utf8 = new TextDecoder();
  /** @type {Map<string, ZipEntry>} */
  const entries = new Map();
  for (let p = 0, i = 0; i < count; i++) {
    if (p + 46 > cd.byteLength || cd.getUint32(p, true) !== CENTRAL_SIG) {
      throw inputError(`${what} is damaged: entry ${i + 1} of its ZIP directory is unreadable. Download or export it again.`);
    }
    const nameLength = cd.getUint16(p + 28, true);
    const next = p + 46 + nameLength + cd.getUint16(p + 30, true) + cd.getUint16(p + 32, true);
    const entry = {
      name: utf8.decode(new Uint8Array(cd.buffer, cd.byteOffset + p + 46, nameLength)),
      flags: cd.getUint16(p + 8, true),
      method: cd.getUint16(p + 10, true),
      crc: cd.getUint32(p + 16, true),
      compressedSize: cd.getUint32(p + 20, true),
      size: cd.getUint32(p + 24, true),
      offset: cd.getUint32(p + 42, true),
    };
    if (entry.compressedSize === 0xffffffff || entry.size === 0xffffffff || entry.offset === 0xffffffff) {
      throw inputError(`${what} uses ZIP64 entries (over 4 GB), which LoyaltyLens cannot read. Export the data as CSV instead.`);
    }
    entries.set(entry.name, entry);
    p = next;
  }
  return entries;
}

/** CRC-32 (IEEE 802.3, reflected 0xEDB88320), as ZIP stores it. */
const CRC_TABLE = new Int32Array(256).map((_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c;
});

/**
 * The uncompressed bytes of one entry, as a stream; the stream errors if the CRC-32 or the size
 * does not match the directory.
 * @param {Blob} blob
 * @param {ZipEntry} entry
 * @returns {Promise<ReadableStream<Uint8Array>>}
 */
export async function zipEntryStream(blob, entry) {
  const where = `"${entry.name}" in the workbook`;
  const damaged = (/** @type {string} */ why) => inputError(`${where} is damaged (${why}). Download or export the file again.`);
  if (entry.flags & 1) throw inputError(`${where} is encrypted. Remove the password in Excel, or export the data as CSV.`);
  if (entry.method !== 0 && entry.method !== 8) {
    throw inputError(
      `${where} uses ZIP compression method ${entry.method}; only stored and deflate are supported. Re-save the file in Excel or export it as CSV.`,
    );
  }
  const local = await bytesAt(blob, entry.offset, entry.offset + 30);
  if (local.byteLength < 30 || local.getUint32(0, true) !== LOCAL_SIG) throw damaged('no ZIP entry header at its offset');
  const start = entry.offset + 30 + local.getUint16(26, true) + local.getUint16(28, true);
  if (start + entry.compressedSize > blob.size) {
    throw inputError(`${where} is cut short: the file is truncated. Download or export it again.`);
  }
  let raw = blob.slice(start, start + entry.compressedSize).stream();
  if (entry.method === 8) raw = raw.pipeThrough(new DecompressionStream('deflate-raw'));
  const reader = raw.getReader();
  let crc = -1,
    size = 0;
  return new ReadableStream(
    {
      async pull(controller) {
        const next = await reader.read().catch(() => {
          throw damaged('unreadable compressed data');
        });
        if (next.done) {
          if ((crc ^ -1) >>> 0 !== entry.crc || size !== entry.size) throw damaged('checksum mismatch');
          controller.close();
          return;
        }
        const chunk = next.value;
        for (let i = 0; i < chunk.length; i++) crc = CRC_TABLE[(crc ^ chunk[i]) & 0xff] ^ (crc >>> 8);
        size += chunk.length;
        controller.enqueue(chunk);
      },
      cancel: (reason) => reader.cancel(reason),
    },
    { highWaterMark: 0 },
  );
}

// ---------------------------------------------------------------------------------------------
// XML: just enough for SpreadsheetML (no DTDs; namespace prefixes allowed and ignored)

const NAMED = /** @type {Record<string, string>} */ ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" });
const ENTITY = /&(?:#(\d+)|#x([0-9a-fA-F]+)|(amp|lt|gt|quot|apos));/g;

/** Decodes XML entities, named and numeric. @param {string} s */
export function unescapeXml(s) {
  if (!s.includes('&')) return s;
  return s.replace(ENTITY, (m, dec, hex, name) => {
    if (name) return NAMED[name];
    const code = dec ? Number(dec) : parseInt(hex, 16);
    return code <= 0x10ffff ? String.fromCodePoint(code) : m;
  });
}

/** The inside of a start tag: attribute values may hold `>` or `/`. */
const TAG_BODY = `(?:[^>"']|"[^"]*"|'[^']*')*?`;
const START_TAG = new RegExp(`^<[^\\s/>]+(${TAG_BODY})/?>`);

/** Attributes of an element's start tag, by qualified name. @param {string} element */
function attributes(element) {
  /** @type {Record<string, string>} */
  const out = {};
  const body = START_TAG.exec(element)?.[1] ?? '';
  for (const m of body.matchAll(/([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) out[m[1]] = unescapeXml(m[2] ?? m[3]);
  return out;
}

/** Every `<tag …>…</tag>` or `<tag …/>` in `xml`, any namespace prefix. @param {string} xml @param {string} tag */
function elements(xml, tag) {
  const re = new RegExp(`<(?:[\\w.-]+:)?${tag}(?=[\\s/>])${TAG_BODY}(?:/>|>[\\s\\S]*?</(?:[\\w.-]+:)?${tag}\\s*>)`, 'g');
  return xml.match(re) ?? [];
}

const RUN_TEXT = /<(?:[\w.-]+:)?t(?=[\s/>])([^>]*?)(?:\/>|>([\s\S]*?)<\/(?:[\w.-]+:)?t\s*>)/g;
const PHONETIC = /<(?:[\w.-]+:)?rPh(?=[\s/>])[\s\S]*?<\/(?:[\w.-]+:)?rPh\s*>/g;

/**
 * The text of a string item (`<si>` or `<is>`): every `<t>`, rich-text runs concatenated,
 * phonetic guides (`<rPh>`) left out. Without `xml:space="preserve"` the run is trimmed; Excel's
 * own `_xHHHH_` escapes (for control characters) are decoded.
 * @param {string} xml
 */
function stringItem(xml) {
  let text = '';
  for (const m of xml.replace(PHONETIC, '').matchAll(RUN_TEXT)) {
    const run = unescapeXml(m[2] ?? '');
    text += /xml:space\s*=\s*["']preserve/.test(m[1]) ? run : run.trim();
  }
  return text.includes('_x') ? text.replace(/_x([0-9A-Fa-f]{4})_/g, (_, h) => String.fromCharCode(parseInt(h, 16))) : text;
}

/**
 * Streams the `<tag>` elements of an XML byte stream, in batches (one batch per input chunk),
 * holding only the unfinished tail between chunks.
 * @param {ReadableStream<Uint8Array>} stream
 * @param {string} tag
 * @returns {AsyncGenerator<string[]>}
 */
async function* streamElements(stream, tag) {
  const open = new RegExp(`<(?:[\\w.-]+:)?${tag}[\\s/>]`, 'g');
  const close = new RegExp(`</(?:[\\w.-]+:)?${tag}\\s*>`, 'g');
  const decoder = new TextDecoder();
  const reader = stream.getReader();
  let buf = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      buf += done ? decoder.decode() : decoder.decode(value, { stream: true });
      /** @type {string[]} */
      const batch = [];
      let pos = 0;
      for (;;) {
        open.lastIndex = pos;
        const m = open.exec(buf);
        if (!m) {
          pos = Math.max(pos, buf.length - 64);
          break;
        } // keep a possibly cut start tag
        const gt = buf.indexOf('>', m.index);
        if (gt < 0) {
          pos = m.index;
          break;
        }
        let end = gt + 1;
        if (buf[gt - 1] !== '/') {
          close.lastIndex = gt;
          const c = close.exec(buf);
          if (!c) {
            pos = m.index;
            break;
          }
          end = c.index + c[0].length;
        }
        batch.push(buf.slice(m.index, end));
        pos = end;
      }
      buf = buf.slice(pos);
      if (batch.length) yield batch;
      if (done) return;
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
}

// ---------------------------------------------------------------------------------------------
// Workbook parts

/** Built-in number formats (ECMA-376 §18.8.30) that show a date, or only a time of day. */
const BUILTIN_DATES = new Set([14, 15, 16, 17, 22]);
const BUILTIN_TIMES = new Set([18, 19, 20, 21, 45, 46, 47]);

/**
 * Whether a custom number format shows a date ('date', possibly with a time), only a time of day
 * ('time': h or s but no d or y) or neither (''). Tokens count outside quoted text, `[…]` sections
 * (colours, locales) and `\`- or `_`/`*`-escaped characters; elapsed time (`[h]:mm`) is a
 * duration, left as a number.
 * @param {string} code
 * @returns {'date' | 'time' | ''}
 */
export function dateFormatKind(code) {
  const bare = code.replace(/"[^"]*"|\[[^\]]*\]|\\.|[_*]./g, '');
  if (!/[dmyh]/i.test(bare) || /\[(h+|m+|s+)\]/i.test(code)) return ''; // [h]:mm is a duration
  return /[dy]/i.test(bare) || !/[hs]/i.test(bare) ? 'date' : 'time'; // m alone is a month
}

/** Per cell style index (`s`): the kind of its number format. @param {string} xml */
function styleKinds(xml) {
  /** @type {Map<number, string>} */
  const custom = new Map();
  for (const f of elements(xml, 'numFmt')) {
    const a = attributes(f);
    custom.set(Number(a.numFmtId), a.formatCode ?? '');
  }
  const cellXfs = elements(xml, 'cellXfs')[0] ?? '';
  return elements(cellXfs, 'xf').map((xf) => {
    const id = Number(attributes(xf).numFmtId ?? 0);
    const code = custom.get(id);
    if (code !== undefined) return dateFormatKind(code);
    return BUILTIN_DATES.has(id) ? 'date' : BUILTIN_TIMES.has(id) ? 'time' : '';
  });
}

/**
 * An Excel serial date as `YYYY-MM-DD HH:MM:SS` (`HH:MM:SS` for a time-only format), to the
 * nearest second. The 1900 system keeps Lotus's phantom 1900-02-29 (serial 60): serials from
 * 61 on count from 1899-12-30, those below 60 from 1899-12-31. The 1904 system counts from
 * 1904-01-01.
 * @param {number} serial  ≥ 0
 * @param {boolean} date1904
 * @param {boolean} [timeOnly]
 */
export function excelSerialToText(serial, date1904, timeOnly = false) {
  const seconds = Math.round(serial * 86400);
  const clock = formatUtc((seconds % 86400) * 1000).slice(11);
  if (timeOnly) return clock;
  if (!date1904 && seconds >= 60 * 86400 && seconds < 61 * 86400) return `1900-02-29 ${clock}`;
  const epoch = date1904 ? Date.UTC(1904, 0, 1) : seconds < 60 * 86400 ? Date.UTC(1899, 11, 31) : Date.UTC(1899, 11, 30);
  return formatUtc(epoch + seconds * 1000);
}

/** Milliseconds since the epoch as `YYYY-MM-DD HH:MM:SS` in UTC. @param {number} ms */
export function formatUtc(ms) {
  const iso = new Date(ms).toISOString(); // 2010-12-01T08:26:00.000Z (±YYYYYY outside 0..9999)
  const t = iso.indexOf('T');
  return `${iso.slice(0, t)} ${iso.slice(t + 1, t + 9)}`;
}

/** Resolves a relationship target against the part's folder (`xl/`). @param {string} target */
function partPath(target) {
  const parts = target.startsWith('/') ? [] : ['xl'];
  for (const seg of target.split('/')) {
    if (seg === '..') parts.pop();
    else if (seg && seg !== '.') parts.push(seg);
  }
  return parts.join('/');
}

/** Column index (0-based) of a cell reference like `AB12`. @param {string} ref */
function columnOf(ref) {
  let col = 0;
  for (let i = 0, c; i < ref.length && (c = ref.charCodeAt(i) | 32) >= 97 && c <= 122; i++) col = col * 26 + (c - 96);
  return col - 1;
}

const CELL = /<(?:[\w.-]+:)?c(?=[\s/>])([^>]*?)(?:\/>|>([\s\S]*?)<\/(?:[\w.-]+:)?c\s*>)/g;
const VALUE = /<(?:[\w.-]+:)?v(?:\s[^>]*)?>([\s\S]*?)<\/(?:[\w.-]+:)?v\s*>/;
const INLINE = /<(?:[\w.-]+:)?is(?=[\s>])[\s\S]*?<\/(?:[\w.-]+:)?is\s*>/;
const CELL_ATTR = /(?:^|\s)([rts])\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

/** @typedef {{sheetName: string, sheetCount: number, rows: () => AsyncGenerator<string[][]>}} Workbook */

/**
 * Opens a workbook: reads the shared strings and styles, finds the first visible worksheet.
 * `rows()` then streams that sheet as batches of rows, each row an array of cell texts with the
 * gaps left by missing cells filled with ''. Rows with no value at all are skipped.
 * @param {Blob} blob
 * @param {Map<string, ZipEntry>} entries  from readZipEntries
 * @returns {Promise<Workbook>}
 */
export async function openWorkbook(blob, entries) {
  /** @param {string} path */
  const text = async (path) => {
    const entry = entries.get(path); // small parts, read whole
    return entry ? new Response(await zipEntryStream(blob, entry)).text() : '';
  };
  const workbook = await text('xl/workbook.xml');
  if (!workbook) throw inputError('This ZIP file is not an Excel workbook (it has no xl/workbook.xml). Export the data as CSV or .xlsx.');
  /** @type {Map<string, {type: string, path: string}>} relationship id → part */
  const rels = new Map();
  for (const r of elements(await text('xl/_rels/workbook.xml.rels'), 'Relationship')) {
    const a = attributes(r);
    rels.set(a.Id, { type: (a.Type ?? '').replace(/.*\//, ''), path: partPath(a.Target ?? '') });
  }
  const sheets = elements(workbook, 'sheet')
    .map((s) => {
      const a = attributes(s);
      const idKey = Object.keys(a).find((k) => /^[\w.-]+:id$/.test(k)) ?? 'id';
      return { name: a.name ?? '', hidden: a.state === 'hidden' || a.state === 'veryHidden', part: rels.get(a[idKey]) };
    })
    .filter((s) => s.part?.type === 'worksheet' && entries.has(s.part.path));
  const sheet = sheets.find((s) => !s.hidden) ?? sheets[0];
  if (!sheet?.part) throw inputError('This Excel workbook has no worksheet with data (only charts?). Export the data as CSV.');
  const sheetEntry = /** @type {ZipEntry} */ (entries.get(sheet.part.path));

  const date1904 = elements(workbook, 'workbookPr').some((p) => /^(1|true)$/.test(attributes(p).date1904 ?? ''));
  const partOf = (/** @type {string} */ type, /** @type {string} */ fallback) => [...rels.values()].find((r) => r.type === type)?.path ?? fallback;
  const kinds = styleKinds(await text(partOf('styles', 'xl/styles.xml')));
  /** @type {string[]} */
  const shared = [];
  const sstEntry = entries.get(partOf('sharedStrings', 'xl/sharedStrings.xml'));
  if (sstEntry) {
    for await (const batch of streamElements(await zipEntryStream(blob, sstEntry), 'si')) {
      for (const si of batch) shared.push(stringItem(si));
    }
  }

  // Dates repeat row after row (one invoice, many lines): remember the last one converted.
  const lastDate = { raw: '', kind: '', text: '' };

  /** @param {string} rowXml @returns {string[] | null} */
  function parseRow(rowXml) {
    /** @type {string[]} */
    const out = [];
    let col = -1;
    let any = false;
    let m;
    CELL.lastIndex = 0;
    while ((m = CELL.exec(rowXml))) {
      let ref = '',
        type = '',
        style = '',
        at;
      CELL_ATTR.lastIndex = 0;
      while ((at = CELL_ATTR.exec(m[1]))) {
        const v = at[2] ?? at[3];
        if (at[1] === 'r') ref = v;
        else if (at[1] === 't') type = v;
        else style = v;
      }
      col = ref ? columnOf(ref) : col + 1;
      const body = m[2] ?? '';
      let value = '';
      if (type === 'inlineStr') {
        const is = INLINE.exec(body);
        value = is ? stringItem(is[0]) : '';
      } else {
        const v = VALUE.exec(body);
        const raw = v ? unescapeXml(v[1]) : '';
        if (raw === '' || type === 'e') value = '';
        else if (type === 's') value = shared[Number(raw)] ?? '';
        else if (type === 'str') value = raw;
        else if (type === 'b') value = raw === '1' ? 'TRUE' : 'FALSE';
        else if (type === 'd') value = raw.replace('T', ' ').replace(/(\.\d+)?Z?$/, '');
        else {
          const n = Number(raw);
          const kind = style ? kinds[Number(style)] : '';
          if (!Number.isFinite(n)) value = raw.trim();
          else if (!kind || n < 0) value = String(n);
          else if (raw === lastDate.raw && kind === lastDate.kind) value = lastDate.text;
          else {
            value = excelSerialToText(n, date1904, kind === 'time');
            Object.assign(lastDate, { raw, kind, text: value });
          }
        }
      }
      if (value === '' || col < 0) continue;
      while (out.length < col) out.push('');
      out[col] = value;
      any = true;
    }
    return any ? out : null;
  }

  return {
    sheetName: sheet.name,
    sheetCount: sheets.length,
    async *rows() {
      for await (const batch of streamElements(await zipEntryStream(blob, sheetEntry), 'row')) {
        /** @type {string[][]} */
        const rows = [];
        for (const rowXml of batch) {
          const row = parseRow(rowXml);
          if (row) rows.push(row);
        }
        if (rows.length) yield rows;
      }
    },
  };
}
