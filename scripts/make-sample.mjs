// Writes public/samples/online-retail-sample.csv: a deterministic subset of the real UCI Online
// Retail data (CC BY 4.0) in the shape most people download it (Windows-1252 bytes, M/D/YYYY H:MM
// dates, ids like 17850.0, LF line ends), quirks included: rows without customer id, C-prefixed
// cancellations, exact duplicates, quoted commas, the `£` byte 0xA3.
//
// Keeps every row of one customer in five (CustomerID mod 5 == 0) and the rows without a customer
// id of one invoice in five, so RFM distributions and the file's quirks keep their real shape.
//
//   node scripts/make-sample.mjs [path/to/online_retail_kaggle_style.csv]
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const src = process.argv[2] ?? path.join(root, '..', 'shared', 'data', 'real', 'online_retail', 'online_retail_kaggle_style.csv');
const dst = path.join(root, 'public', 'samples', 'online-retail-sample.csv');

// latin1 maps bytes 1:1 to code units, so the Windows-1252 bytes survive the round trip.
const text = fs.readFileSync(src, 'latin1');
const lines = text.split('\n');
const out = [lines[0]];
for (let i = 1; i < lines.length; i++) {
  const line = lines[i];
  if (line === '') continue;
  // CustomerID and Country are the last two fields and never quoted in this file.
  const end = line.lastIndexOf(',');
  const start = line.lastIndexOf(',', end - 1);
  const customer = line.slice(start + 1, end);
  const invoice = line.slice(0, line.indexOf(','));
  const keep = customer === '' ? Number(invoice.replace(/^[A-Z]/, '')) % 5 === 0 : Math.round(Number(customer)) % 5 === 0;
  if (keep) out.push(line);
}
fs.mkdirSync(path.dirname(dst), { recursive: true });
fs.writeFileSync(dst, out.join('\n') + '\n', 'latin1');
console.log(`${path.relative(root, dst)}: ${out.length - 1} rows, ${fs.statSync(dst).size} bytes`);
