// ll_generate: deterministic synthetic transactions in the UCI Online Retail II layout, with the
// quirks of the real exports, for benchmarks at any size.
//
//   ll_generate --rows N [--seed S] --out FILE
//
// Shape (calibrated on the real UCI file: ~21 lines an invoice, median quantity 3, median price
// 2.08, ~4,000 stock codes, 91% of rows from the UK): one customer per ~180 rows with heavy-tailed
// activity (Pareto, α = 1.2); invoices in time order from 2009-12-01 to 2011-12-09; 23% of
// invoices without a customer id; 2% cancellations (C prefix, negative quantities); 1% exact
// duplicate lines; service codes (POST, DOT, M, BANK CHARGES); zero prices; descriptions with
// quoted commas and non-ASCII text; ids written as 13085.0, as pandas exports them.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

#include "dates.h"
#include "random.h"

namespace {

const char* kWords[] = {"WHITE",   "HANGING",   "HEART",  "T-LIGHT", "HOLDER",  "METAL",     "LANTERN",  "CREAM",
                        "CUPID",   "HEARTS",    "COAT",   "HANGER",  "KNITTED", "UNION",     "FLAG",     "HOT",
                        "WATER",   "BOTTLE",    "RED",    "WOOLLY",  "HOTTIE",  "SET",       "BABUSHKA", "NESTING",
                        "BOXES",   "GLASS",     "STAR",   "FROSTED", "HAND",    "WARMER",    "JACK",     "POLKADOT",
                        "VINTAGE", "PAPER",     "CHAIN",  "KIT",     "REGENCY", "CAKESTAND", "TIER",     "JUMBO",
                        "BAG",     "RETROSPOT", "LUNCH",  "BOX",     "PACK",    "MUG",       "CERAMIC",  "ROSE",
                        "CAFÉ",    "CRÈME",     "BRÛLÉE", "GARDEN",  "PARTY"};
const char* kCountries[] = {"United Kingdom", "Germany",     "France",   "EIRE",      "Spain",  "Netherlands",
                            "Belgium",        "Switzerland", "Portugal", "Australia", "Norway", "Italy"};
const double kCountryWeights[] = {0.914,  0.018,  0.016,  0.015,  0.005, 0.0044,
                                  0.0038, 0.0037, 0.0028, 0.0023, 0.002, 0.0015};

struct Product {
  std::string code, description;
  double price;
};

struct Invoice {
  std::int64_t minute;  // minutes since 1970
  int customer;         // -1: none
  int lines;
};

std::string quote_if_needed(const std::string& s) {
  if (s.find_first_of(",\"") == std::string::npos) return s;
  std::string q = "\"";
  for (char c : s) {
    if (c == '"') q += '"';
    q += c;
  }
  return q + "\"";
}

}  // namespace

int main(int argc, char** argv) {
  long long rows = 0;
  std::uint64_t seed = 42;
  std::string out;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--rows" && i + 1 < argc)
      rows = std::atoll(argv[++i]);
    else if (a == "--seed" && i + 1 < argc)
      seed = std::strtoull(argv[++i], nullptr, 10);
    else if (a == "--out" && i + 1 < argc)
      out = argv[++i];
    else {
      std::fprintf(stderr, "usage: ll_generate --rows N [--seed S] --out FILE\n");
      return 2;
    }
  }
  if (rows <= 0 || out.empty()) {
    std::fprintf(stderr, "usage: ll_generate --rows N [--seed S] --out FILE\n");
    return 2;
  }
  core::Rng rng(seed);

  // Products: codes like 85123A, prices log-normal around 2, a few service codes.
  std::vector<Product> products;
  const int n_products = 4000;
  for (int p = 0; p < n_products; ++p) {
    Product pr;
    pr.code = std::to_string(10000 + static_cast<int>(rng.below(89999)));
    if (rng.uniform() < 0.15) pr.code += static_cast<char>('A' + rng.below(6));
    const int words = 2 + static_cast<int>(rng.below(4));
    for (int w = 0; w < words; ++w) {
      if (w) pr.description += (rng.uniform() < 0.06 && w == words - 1) ? ", " : " ";
      pr.description += kWords[rng.below(sizeof kWords / sizeof *kWords)];
    }
    // exp(N(0.7, 0.9)) via Box–Muller on the core generator.
    const double u1 = rng.uniform() + 1e-12, u2 = rng.uniform();
    const double z = std::sqrt(-2 * std::log(u1)) * std::cos(6.283185307179586 * u2);
    pr.price = std::max(0.06, std::round(std::exp(0.7 + 0.9 * z) * 100) / 100);
    products.push_back(pr);
  }
  products.push_back({"POST", "POSTAGE", 18.0});
  products.push_back({"DOT", "DOTCOM POSTAGE", 30.0});
  products.push_back({"M", "Manual", 1.0});
  products.push_back({"BANK CHARGES", "Bank Charges", 15.0});

  // Customers with heavy-tailed activity.
  const int n_customers = std::max<long long>(10, rows / 180);
  std::vector<double> weight(static_cast<std::size_t>(n_customers));
  std::vector<int> country(static_cast<std::size_t>(n_customers));
  double total = 0;
  for (int c = 0; c < n_customers; ++c) {
    weight[static_cast<std::size_t>(c)] = std::pow(1 - rng.uniform(), -1 / 1.2);
    total += weight[static_cast<std::size_t>(c)];
    double u = rng.uniform(), acc = 0;
    int k = 0;
    for (; k < 11; ++k) {
      acc += kCountryWeights[k];
      if (u < acc) break;
    }
    country[static_cast<std::size_t>(c)] = k;
  }
  std::vector<double> cumulative(static_cast<std::size_t>(n_customers));
  double acc = 0;
  for (int c = 0; c < n_customers; ++c)
    cumulative[static_cast<std::size_t>(c)] = (acc += weight[static_cast<std::size_t>(c)] / total);

  // Invoices: ~21 lines on average (geometric), in time order.
  const std::int64_t start = static_cast<std::int64_t>(core::days_from_civil(2009, 12, 1)) * 1440;
  const std::int64_t end = static_cast<std::int64_t>(core::days_from_civil(2011, 12, 9)) * 1440;
  std::vector<Invoice> invoices;
  long long planned = 0;
  while (planned < rows) {
    Invoice inv;
    inv.minute = start + static_cast<std::int64_t>(rng.below(static_cast<std::uint64_t>(end - start)));
    const double u = rng.uniform();
    inv.lines = std::max(1, static_cast<int>(std::ceil(std::log(1 - u + 1e-12) / std::log(1 - 1.0 / 21))));
    inv.lines = static_cast<int>(std::min<long long>(inv.lines, rows - planned));
    if (rng.uniform() < 0.23) {
      inv.customer = -1;
    } else {
      const double t = rng.uniform();
      inv.customer = static_cast<int>(std::lower_bound(cumulative.begin(), cumulative.end(), t) - cumulative.begin());
      inv.customer = std::min(inv.customer, n_customers - 1);
    }
    planned += inv.lines;
    invoices.push_back(inv);
  }
  std::sort(invoices.begin(), invoices.end(), [](const Invoice& a, const Invoice& b) { return a.minute < b.minute; });

  std::FILE* f = std::fopen(out.c_str(), "wb");
  if (!f) {
    std::perror(out.c_str());
    return 1;
  }
  std::string buf = "Invoice,StockCode,Description,Quantity,InvoiceDate,Price,Customer ID,Country\n";
  long long written = 0;
  int number = 489434;
  std::string line;
  for (const Invoice& inv : invoices) {
    ++number;
    const bool cancelled = inv.customer >= 0 && rng.uniform() < 0.02;
    const std::string invoice = (cancelled ? "C" : "") + std::to_string(number);
    const std::int64_t day = inv.minute / 1440, minute = 7 * 60 + inv.minute % (12 * 60);
    const std::string date = core::format_date(static_cast<std::int32_t>(day));
    char when[32];
    std::snprintf(when, sizeof when, "%s %02d:%02d:00", date.c_str(), static_cast<int>(minute / 60),
                  static_cast<int>(minute % 60));
    const std::string customer = inv.customer >= 0 ? std::to_string(12346 + inv.customer) + ".0" : "";
    const char* ctry = kCountries[inv.customer >= 0 ? country[static_cast<std::size_t>(inv.customer)] : 0];
    for (int l = 0; l < inv.lines && written < rows; ++l) {
      const double u = rng.uniform();
      const Product& p = u < 0.004 ? products[static_cast<std::size_t>(n_products) + rng.below(4)]
                                   : products[rng.below(static_cast<std::uint64_t>(n_products))];
      long long qty = 1 + static_cast<long long>(std::floor(std::pow(1 - rng.uniform(), -1 / 1.5)));
      if (rng.uniform() < 0.3) qty = std::max(1LL, qty * 6);
      if (cancelled) qty = -qty;
      const double price = rng.uniform() < 0.004 ? 0.0 : p.price;
      char tail[160];
      std::snprintf(tail, sizeof tail, ",%lld,%s,%.2f,%s,%s\n", qty, when, price, customer.c_str(), ctry);
      line = invoice + "," + p.code + "," + quote_if_needed(p.description) + tail;
      buf += line;
      ++written;
      if (written < rows && rng.uniform() < 0.01) {  // an exact duplicate line, as in the real exports
        buf += line;
        ++written;
      }
      if (buf.size() > (1 << 22)) {
        std::fwrite(buf.data(), 1, buf.size(), f);
        buf.clear();
      }
    }
  }
  std::fwrite(buf.data(), 1, buf.size(), f);
  std::fclose(f);
  std::fprintf(stderr, "%s: %lld rows, %d customers, %zu invoices\n", out.c_str(), written, n_customers,
               invoices.size());
  return 0;
}
