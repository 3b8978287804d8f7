// @ts-check
/**
 * Turns any supported upload into a stream of CSV bytes for the wasm reader (issue 4, item 7).
 *
 *   plain text (CSV, TSV, …)  → `file.stream()` as is: the core detects encoding and delimiter
 *   gzip (1F 8B)              → `DecompressionStream('gzip')`
 *   Parquet (`PAR1`)          → hyparquet, one row group at a time, written as UTF-8 CSV
 *   .xlsx (ZIP + workbook)    → ./xlsx-reader.js, the first visible sheet streamed row by row
 *   other ZIP, .xls (OLE2)    → InputError saying what the file is and what to do
 *
 * The container is decided by the first bytes; the file name only breaks ties (a `.gz` or `.xls`
 * name on plain text, a `.parquet`/`.xlsx` name on something else). Memory stays bounded: gzip
 * and xlsx stream, Parquet holds one decoded row group, and CSV text is handed on in ~1 MB
 * chunks as the reader pulls them. Runs in a browser worker and in Node ≥ 20 alike (only
 * Blob, ReadableStream, DecompressionStream and TextEncoder are needed).
 */
import { formatUtc, inputError, openWorkbook, readZipEntries } from './xlsx-reader.js';

/**
 * @typedef {'csv' | 'gzip' | 'parquet' | 'xlsx'} Container
 * @typedef {{container: Container, stream: ReadableStream<Uint8Array>, size: number | null, note: string}} CsvStream
 * @typedef {(note: string) => void} NoteFn
 */

/** Characters of CSV text gathered before one TextEncoder call and one chunk out (~1 MB). */
const CHUNK_CHARS = 1 << 20;

/** Parquet compression codecs hyparquet decodes without extra packages. */
const PARQUET_CODECS = new Set(['UNCOMPRESSED', 'SNAPPY']);

/**
 * Opens `file` as a stream of CSV bytes.
 *
 * `note` describes the container for the page ('' for plain text); `onNote` receives it too
 * when it is not empty, and for gzip and xlsx once more when the stream has been read to the
 * end, with what is known only then (bytes unpacked, rows written).
 * `size` is the byte count of the stream when known (plain text), else null.
 * @param {Blob & {name?: string}} file
 * @param {{onNote?: NoteFn}} [options]
 * @returns {Promise<CsvStream>}
 */
export async function openCsvStream(file, { onNote } = {}) {
  const name = file.name ?? '';
  const head = new Uint8Array(await file.slice(0, 8).arrayBuffer());
  const magic = (/** @type {number[]} */ ...bytes) => bytes.every((b, i) => head[i] === b);
  const ext = (/** @type {string} */ suffix) => name.toLowerCase().endsWith(suffix);
  const label = name ? `"${name}"` : 'This file';
  const note = (/** @type {string} */ text) => {
    if (text) onNote?.(text);
    return text;
  };

  /** @type {CsvStream} */
  let opened;
  if (magic(0x1f, 0x8b)) {
    opened = openGzip(file, label, onNote);
  } else if (magic(0x50, 0x41, 0x52, 0x31)) {
    // PAR1
    opened = await openParquet(file, label);
  } else if (magic(0x50, 0x4b, 0x03, 0x04) || magic(0x50, 0x4b, 0x05, 0x06)) {
    // PK: a ZIP
    opened = await openZip(file, label, onNote);
  } else if (magic(0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1)) {
    throw inputError(
      `${label} is an Excel 97–2003 workbook (.xls) or a password-protected workbook, which LoyaltyLens cannot read. Open it in Excel and save it as CSV or .xlsx (without a password).`,
    );
  } else if (ext('.parquet') || ext('.xlsx') || ext('.xlsm')) {
    throw inputError(
      `${label} is named like a ${ext('.parquet') ? 'Parquet' : 'Excel'} file but does not start like one: it is damaged or misnamed. Export the data again, as CSV, .xlsx or Parquet.`,
    );
  } else {
    // Plain text. Browsers sometimes unpack a .gz download but keep its name; some systems
    // write tab-separated text under an .xls name: both are read as the text they are.
    const misnamed = ext('.gz') || ext('.xls');
    return {
      container: 'csv',
      stream: file.stream(),
      size: file.size,
      note: note(misnamed ? `${label} holds plain text despite its name; reading it as delimited text.` : ''),
    };
  }
  note(opened.note);
  return opened;
}

// ---------------------------------------------------------------------------------------------
// gzip

/** @param {Blob} file @param {string} label @param {NoteFn | undefined} onNote @returns {CsvStream} */
function openGzip(file, label, onNote) {
  const reader = file.stream().pipeThrough(new DecompressionStream('gzip')).getReader();
  let unpacked = 0;
  const stream = new ReadableStream({
    async pull(controller) {
      const next = await reader.read().catch(() => {
        throw inputError(`${label} is a damaged or truncated gzip file. Compress or download it again, or drop the CSV itself.`);
      });
      if (next.done) {
        controller.close();
        onNote?.(`gzip-compressed CSV: ${megabytes(file.size)} unpacked to ${megabytes(unpacked)}`);
        return;
      }
      unpacked += next.value.byteLength;
      controller.enqueue(next.value);
    },
    cancel: (reason) => reader.cancel(reason),
  });
  return { container: 'gzip', stream, size: null, note: `gzip-compressed CSV (${megabytes(file.size)}), unpacked as it is read` };
}

// ---------------------------------------------------------------------------------------------
// Parquet

/**
 * @param {Blob} file
 * @param {string} label
 * @returns {Promise<CsvStream>}  its note goes to onNote with the others' (openCsvStream)
 */
async function openParquet(file, label) {
  // Loaded on first use: the worker bundle stays small for the common plain-CSV case.
  const { parquetMetadataAsync, parquetRead, parquetSchema } = await import('hyparquet');
  /** @type {import('hyparquet').AsyncBuffer} */
  const buffer = { byteLength: file.size, slice: (start, end) => file.slice(start, end).arrayBuffer() };
  /** @type {import('hyparquet').FileMetaData} */
  let metadata;
  try {
    metadata = await parquetMetadataAsync(buffer);
  } catch (err) {
    throw inputError(`${label} starts like a Parquet file but cannot be read (${errorText(err)}): it may be truncated. Export it again, or as CSV.`);
  }
  const groups = metadata.row_groups;
  const codecs = [...new Set(groups.flatMap((g) => g.columns.map((c) => c.meta_data?.codec ?? 'UNCOMPRESSED')))];
  const unsupported = codecs.filter((c) => !PARQUET_CODECS.has(c));
  if (unsupported.length) {
    throw inputError(
      `${label} is a Parquet file compressed with ${unsupported.join(', ')}; LoyaltyLens reads Snappy or uncompressed Parquet. Re-save it with compression='snappy' (the default of pandas, DuckDB and Spark), or export it as CSV.`,
    );
  }
  const columns = parquetSchema(metadata).children.map((c) => c.element.name);
  const rows = Number(metadata.num_rows);
  const about = `Parquet: ${plural(groups.length, 'row group')}, ${plural(rows, 'row')}, ${codecs.map((c) => c.toLowerCase()).join(', ') || 'no data'}`;

  /** @returns {AsyncGenerator<string>} */
  async function* csv() {
    yield csvLine(columns);
    let groupStart = 0;
    for (const group of groups) {
      const groupRows = Number(group.num_rows);
      const groupEnd = groupStart + groupRows;
      /** @type {{start: number, data: ArrayLike<unknown>}[][]} decoded pages, per column */
      const chunks = columns.map(() => []);
      try {
        await parquetRead({
          file: buffer,
          metadata,
          rowStart: groupStart,
          rowEnd: groupEnd,
          onChunk: ({ columnName, columnData, rowStart }) => {
            chunks[columns.indexOf(columnName)]?.push({ start: rowStart, data: columnData });
          },
        });
      } catch (err) {
        throw inputError(`${label}: Parquet row group at row ${groupStart + 1} cannot be decoded (${errorText(err)}). Export the data as CSV.`);
      }
      for (const list of chunks) list.sort((a, b) => a.start - b.start);
      const at = columns.map(() => 0); // per column: index of the chunk holding the current row
      /** @type {string[]} */
      let lines = [];
      let length = 0;
      const fields = new Array(columns.length);
      for (let row = groupStart; row < groupEnd; row++) {
        for (let c = 0; c < columns.length; c++) {
          const list = chunks[c];
          while (at[c] < list.length && list[at[c]].start + list[at[c]].data.length <= row) at[c]++;
          const chunk = list[at[c]];
          const v = chunk && chunk.start <= row ? chunk.data[row - chunk.start] : null;
          fields[c] = typeof v === 'string' ? csvField(v) : typeof v === 'number' ? valueText(v) : csvField(valueText(v));
        }
        const line = fields.join(',') + '\n';
        lines.push(line);
        length += line.length;
        if (length >= CHUNK_CHARS) {
          yield lines.join('');
          lines = [];
          length = 0;
        }
      }
      if (lines.length) yield lines.join('');
      groupStart = groupEnd;
    }
  }
  return { container: 'parquet', stream: textStream(csv()), size: null, note: about };
}

/**
 * One Parquet value as CSV text: numbers as JS prints them (17850.0 → 17850), BigInt in full,
 * dates and timestamps as `YYYY-MM-DD HH:MM:SS` UTC, null/NaN/±Infinity empty, bytes in hex,
 * nested values (lists, structs, maps) as JSON.
 * @param {unknown} v
 * @returns {string}
 */
export function valueText(v) {
  switch (typeof v) {
    case 'string':
      return v;
    case 'number':
      return Number.isFinite(v) ? String(v) : '';
    case 'bigint':
      return String(v);
    case 'boolean':
      return v ? 'true' : 'false';
    case 'undefined':
      return '';
  }
  if (v === null) return '';
  if (v instanceof Date) return Number.isNaN(v.getTime()) ? '' : formatUtc(v.getTime());
  if (v instanceof Uint8Array) return Array.from(v, (b) => b.toString(16).padStart(2, '0')).join('');
  return JSON.stringify(v, (_, x) => (typeof x === 'bigint' ? String(x) : x));
}

// ---------------------------------------------------------------------------------------------
// ZIP: .xlsx, or an explanation

/**
 * @param {Blob} file
 * @param {string} label
 * @param {NoteFn | undefined} onNote
 * @returns {Promise<CsvStream>}
 */
async function openZip(file, label, onNote) {
  const entries = await readZipEntries(file, label);
  if (!entries.has('xl/workbook.xml')) {
    const names = [...entries.keys()].filter((n) => !n.endsWith('/'));
    const text = names.filter((n) => /\.(csv|tsv|txt)$/i.test(n));
    if (entries.has('content.xml') && entries.has('mimetype')) {
      throw inputError(`${label} is an OpenDocument file (LibreOffice or Numbers), not an Excel workbook. Save it as CSV or .xlsx.`);
    }
    if (entries.has('xl/workbook.bin')) {
      throw inputError(`${label} is an Excel binary workbook (.xlsb), which LoyaltyLens cannot read. Open it in Excel and save it as .xlsx or CSV.`);
    }
    if (entries.has('word/document.xml') || entries.has('ppt/presentation.xml')) {
      throw inputError(`${label} is a Word or PowerPoint document, not a data file. Export the transactions as CSV or .xlsx.`);
    }
    throw inputError(
      text.length
        ? `${label} is a ZIP archive holding ${list(text)}. Unzip it and drop the CSV file itself (or a .csv.gz).`
        : `${label} is a ZIP archive (${plural(names.length, 'file')}: ${list(names)}), not a CSV or Excel workbook. Unzip it, or export the data as CSV or .xlsx.`,
    );
  }
  const book = await openWorkbook(file, entries);
  const sheet = `sheet “${book.sheetName}”${book.sheetCount > 1 ? ` (first of ${book.sheetCount})` : ''}`;
  let written = 0;

  /** @returns {AsyncGenerator<string>} */
  async function* csv() {
    let width = 0;
    for await (const rows of book.rows()) {
      let text = '';
      for (const row of rows) {
        if (written++ === 0) width = row.length; // the header row sets the width
        while (row.length < width) row.push('');
        text += csvLine(row);
      }
      yield text;
    }
  }
  const done = () => onNote?.(`Excel workbook: ${sheet}, ${plural(Math.max(0, written - 1), 'row')}`);
  return { container: 'xlsx', stream: textStream(csv(), done), size: null, note: `Excel workbook: ${sheet}` };
}

// ---------------------------------------------------------------------------------------------
// CSV text

/** RFC 4180: quote a field holding a comma, a quote or a line break. @param {string} s */
export function csvField(s) {
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** @param {string[]} fields */
function csvLine(fields) {
  return fields.map(csvField).join(',') + '\n';
}

/**
 * A byte stream over generated text: UTF-8 chunks of about CHUNK_CHARS, produced only as the
 * reader pulls (so a slow reader holds back the generator). Generator errors error the stream.
 * @param {AsyncGenerator<string>} parts
 * @param {() => void} [onEnd]
 * @returns {ReadableStream<Uint8Array>}
 */
function textStream(parts, onEnd) {
  const encoder = new TextEncoder();
  return new ReadableStream(
    {
      async pull(controller) {
        /** @type {string[]} */
        const pending = [];
        let length = 0;
        while (length < CHUNK_CHARS) {
          const { value, done } = await parts.next();
          if (done) {
            if (length) controller.enqueue(encoder.encode(pending.join('')));
            controller.close();
            onEnd?.();
            return;
          }
          pending.push(value);
          length += value.length;
        }
        controller.enqueue(encoder.encode(pending.join('')));
      },
      async cancel() {
        await parts.return(undefined);
      },
    },
    { highWaterMark: 0 },
  );
}

// ---------------------------------------------------------------------------------------------
// Wording

/** @param {number} n @param {string} word */
function plural(n, word) {
  return `${String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',')} ${word}${n === 1 ? '' : 's'}`;
}

/** @param {number} bytes */
function megabytes(bytes) {
  return bytes < 1e6 ? `${Math.max(1, Math.round(bytes / 1e3))} kB` : `${(bytes / 1e6).toFixed(1)} MB`;
}

/** @param {string[]} names up to three, then "and N more" */
function list(names) {
  const shown = names
    .slice(0, 3)
    .map((n) => `"${n}"`)
    .join(', ');
  return names.length > 3 ? `${shown} and ${names.length - 3} more` : shown;
}

/** @param {unknown} err */
function errorText(err) {
  return err instanceof Error ? err.message : String(err);
}
