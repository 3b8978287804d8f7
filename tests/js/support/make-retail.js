// @ts-check
// A small retail CSV in the Online Retail layout, made from a seed, with something for every
// cleaning rule to do: rows without a customer id, cancellations (some before the customer's first
// purchase), exact duplicate lines, non-product codes, zero prices, several countries, and invoice
// dates over two years in no particular order. For tests comparing read modes.

/**
 * @param {{invoices?: number, seed?: number}} [options]
 * @returns {string}
 */
export function makeRetailCsv({ invoices = 600, seed = 7 } = {}) {
  let x = BigInt(seed);
  /** A deterministic integer in [0, n). @param {number} n */
  const next = (n) => {
    x = (x * 6364136223846793005n + 1442695040888963407n) & 0xffffffffffffffffn;
    return Number((x >> 33n) % BigInt(n));
  };
  const countries = ['United Kingdom', 'France', 'Germany', 'EIRE'];
  const codes = ['85123A', '71053', '22633', 'POST', '84406B', 'M', '22752'];
  const lines = ['InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country'];
  for (let i = 0; i < invoices; i++) {
    const cancel = next(9) === 0;
    const customer = next(10) === 0 ? '' : String(12000 + next(120));
    const date = `20${10 + next(2)}-${String(1 + next(12)).padStart(2, '0')}-${String(1 + next(28)).padStart(2, '0')} 1${next(10)}:${10 + next(50)}:00`;
    const country = countries[next(countries.length)];
    for (let k = 0, n = 1 + next(5); k < n; k++) {
      const code = codes[next(codes.length)];
      const quantity = (cancel ? -1 : 1) * (1 + next(12));
      const price = next(25) === 0 ? '0' : `${1 + next(9)}.${String(next(100)).padStart(2, '0')}`;
      const line = `${cancel ? 'C' : ''}${536000 + i},${code},ITEM ${code},${quantity},${date},${price},${customer},${country}`;
      lines.push(line);
      if (next(15) === 0) lines.push(line); // an exact duplicate
    }
  }
  return `${lines.join('\n')}\n`;
}
