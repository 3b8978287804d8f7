// Builds small .xlsx workbooks (and plain ZIP archives) in memory for the container tests: a
// tiny ZIP writer (deflate-raw from node:zlib, CRC-32, local headers, central directory) and
// the minimum set of SpreadsheetML parts Excel itself writes.
import zlib from 'node:zlib';

const CRC_TABLE = new Uint32Array(256).map((_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

/** CRC-32 as ZIP stores it. @param {Uint8Array} bytes */
export function crc32(bytes) {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/**
 * A ZIP archive. Each file is deflated unless `store` is set; `encrypted` only sets the flag
 * (to test that readers refuse it).
 * @param {{name: string, data: string | Uint8Array, store?: boolean, encrypted?: boolean}[]} files
 * @returns {Uint8Array}
 */
export function makeZip(files) {
  const chunks = [];
  const central = [];
  let offset = 0;
  for (const file of files) {
    const data = typeof file.data === 'string' ? Buffer.from(file.data, 'utf8') : Buffer.from(file.data);
    const packed = file.store ? data : zlib.deflateRawSync(data);
    const name = Buffer.from(file.name, 'utf8');
    const flags = 0x0800 | (file.encrypted ? 1 : 0); // bit 11: UTF-8 names
    const method = file.store ? 0 : 8;
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4); // version needed: 2.0
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(0, 10); // time
    local.writeUInt16LE(0x21, 12); // date: 1980-01-01
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const entry = Buffer.alloc(46);
    entry.writeUInt32LE(0x02014b50, 0);
    entry.writeUInt16LE(20, 4); // made by
    entry.writeUInt16LE(20, 6);
    entry.writeUInt16LE(flags, 8);
    entry.writeUInt16LE(method, 10);
    entry.writeUInt16LE(0x21, 14);
    entry.writeUInt32LE(crc, 16);
    entry.writeUInt32LE(packed.length, 20);
    entry.writeUInt32LE(data.length, 24);
    entry.writeUInt16LE(name.length, 28);
    entry.writeUInt32LE(offset, 42);
    chunks.push(local, name, packed);
    central.push(entry, name);
    offset += local.length + name.length + packed.length;
  }
  const cd = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...chunks, cd, end]));
}

const NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

/** Escapes text for XML content or a double-quoted attribute. @param {string} s */
export function xmlText(s) {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/**
 * An .xlsx workbook with one sheet (plus optional others before or after it).
 * @param {{
 *   sheetData: string,            // the <row> elements
 *   sheetName?: string,
 *   sharedStrings?: string[],     // raw <si> contents, e.g. '<t>a</t>'
 *   cellXfs?: number[],           // numFmtId per style index (index 0 is the default style)
 *   numFmts?: Record<number, string>,  // custom formats by id (≥ 164)
 *   date1904?: boolean,
 *   storeSheet?: boolean,         // write the sheet uncompressed
 *   prefix?: string,              // namespace prefix for sheet elements, e.g. 'x:'
 *   before?: {name: string, state?: string, sheetData: string}[],  // sheets listed first
 * }} spec
 * @returns {Uint8Array}
 */
export function makeXlsx(spec) {
  const p = spec.prefix ?? '';
  const sheets = [...(spec.before ?? []), { name: spec.sheetName ?? 'Sheet1', sheetData: spec.sheetData }];
  const ns = p ? `xmlns:${p.slice(0, -1)}="${NS}"` : `xmlns="${NS}"`;
  const files = [
    {
      name: '[Content_Types].xml',
      data:
        `${XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
        '<Default Extension="xml" ContentType="application/xml"/></Types>',
    },
    {
      name: '_rels/.rels',
      data:
        `${XML}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
        `<Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    },
    {
      name: 'xl/workbook.xml',
      data:
        `${XML}<workbook xmlns="${NS}" xmlns:r="${REL}">` +
        `<workbookPr${spec.date1904 ? ' date1904="1"' : ''}/><sheets>` +
        sheets.map((s, i) => `<sheet name="${xmlText(s.name)}" sheetId="${i + 1}"${s.state ? ` state="${s.state}"` : ''} r:id="rId${i + 1}"/>`).join('') +
        '</sheets></workbook>',
    },
    {
      name: 'xl/_rels/workbook.xml.rels',
      data:
        `${XML}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
        sheets.map((_, i) => `<Relationship Id="rId${i + 1}" Type="${REL}/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`).join('') +
        `<Relationship Id="rIdS" Type="${REL}/styles" Target="styles.xml"/>` +
        `<Relationship Id="rIdT" Type="${REL}/sharedStrings" Target="/xl/sharedStrings.xml"/></Relationships>`,
    },
    {
      name: 'xl/styles.xml',
      data:
        `${XML}<styleSheet xmlns="${NS}"><numFmts>` +
        Object.entries(spec.numFmts ?? {})
          .map(([id, code]) => `<numFmt numFmtId="${id}" formatCode="${xmlText(code)}"/>`)
          .join('') +
        '</numFmts><cellStyleXfs count="1"><xf numFmtId="0"/></cellStyleXfs><cellXfs>' +
        [0, ...(spec.cellXfs ?? [])].map((id) => `<xf numFmtId="${id}" fontId="0" applyNumberFormat="1"><alignment/></xf>`).join('') +
        '</cellXfs></styleSheet>',
    },
    {
      name: 'xl/sharedStrings.xml',
      data:
        `${XML}<sst xmlns="${NS}" count="${(spec.sharedStrings ?? []).length}">` + (spec.sharedStrings ?? []).map((si) => `<si>${si}</si>`).join('') + '</sst>',
    },
    ...sheets.map((s, i) => ({
      name: `xl/worksheets/sheet${i + 1}.xml`,
      store: s === sheets.at(-1) && spec.storeSheet,
      data: `${XML}<${p}worksheet ${ns}><${p}dimension ref="A1"/><${p}sheetData>${s.sheetData}</${p}sheetData>` + `<${p}rowBreaks count="0"/></${p}worksheet>`,
    })),
  ];
  return makeZip(files);
}

/**
 * Sheet rows from plain values: strings as shared strings (appended to `shared`), numbers as
 * numbers, `{serial, s}` as a styled number (a date when style `s` has a date format).
 * @param {(string | number | {serial: number, s: number} | null)[][]} rows
 * @param {string[]} shared  receives the <si> contents
 */
export function sheetRows(rows, shared) {
  return rows
    .map(
      (cells, r) =>
        `<row r="${r + 1}">` +
        cells
          .map((v, c) => {
            const ref = `${String.fromCharCode(65 + c)}${r + 1}`;
            if (v === null || v === '') return '';
            if (typeof v === 'number') return `<c r="${ref}"><v>${v}</v></c>`;
            if (typeof v === 'object') return `<c r="${ref}" s="${v.s}"><v>${v.serial}</v></c>`;
            shared.push(`<t xml:space="preserve">${xmlText(v)}</t>`);
            return `<c r="${ref}" t="s"><v>${shared.length - 1}</v></c>`;
          })
          .join('') +
        '</row>',
    )
    .join('');
}
