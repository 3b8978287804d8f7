#include "cleaning.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>
#include <unordered_set>

#include "csv_writer.h"
#include "dates.h"
#include "errors.h"
#include "flat_hash.h"

namespace core {
namespace {

constexpr std::size_t kExamples = 3;

std::string money(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  return buf;
}

std::string num(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.10g", v);
  return buf;
}

// Linear-interpolated percentile of sorted values (numpy's default), p in [0, 100].
double percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0;
  const double pos = p / 100.0 * static_cast<double>(sorted.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(pos));
  const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - static_cast<double>(lo));
}

// The day N months before `day` (same day of month, clamped to the month's length).
std::int32_t months_before(std::int32_t day, int months) {
  const std::string s = format_date(day);
  int y = std::stoi(s.substr(0, 4)), m = std::stoi(s.substr(5, 2)), d = std::stoi(s.substr(8, 2));
  m -= months;
  while (m < 1) {
    m += 12;
    --y;
  }
  while (!valid_date(y, m, d) && d > 28) --d;
  return days_from_civil(y, m, d);
}

class LedgerBuilder {
 public:
  LedgerBuilder(const TransactionTable& t, CleanResult& r, std::vector<std::int32_t>& rows_per_customer,
                const std::vector<std::int32_t>& customer_of_row)
      : t_(t), r_(r), rows_per_customer_(rows_per_customer), customer_of_row_(customer_of_row) {}

  LedgerEntry& begin(const char* rule, const char* title, std::string detail, bool enabled) {
    r_.ledger.entries.push_back(LedgerEntry{rule, title, std::move(detail), enabled, 0, 0, 0, {}});
    return r_.ledger.entries.back();
  }

  void remove(std::size_t i) {
    LedgerEntry& e = r_.ledger.entries.back();
    r_.removed_by[i] = static_cast<std::uint8_t>(r_.ledger.entries.size());
    ++e.rows;
    e.revenue += t_.amount(i);
    const std::int32_t c = customer_of_row_[i];
    if (c >= 0 && --rows_per_customer_[static_cast<std::size_t>(c)] == 0) ++e.customers;
    if (e.examples.size() < kExamples) e.examples.push_back(describe_row(t_, i));
  }

 private:
  const TransactionTable& t_;
  CleanResult& r_;
  std::vector<std::int32_t>& rows_per_customer_;
  const std::vector<std::int32_t>& customer_of_row_;
};

}  // namespace

std::vector<std::string> CleaningRules::default_non_product_codes() {
  // UCI Online Retail's service and adjustment codes (postage, carriage, manual, discount,
  // charity, fees, samples, adjustments, gift vouchers).
  return {"POST", "DOT", "M", "m", "D", "C2", "CRUK", "BANK CHARGES", "AMAZONFEE", "S", "PADS", "B",
          "ADJUST", "ADJUST2", "TEST001", "TEST002", "gift_0001_10", "gift_0001_20", "gift_0001_30",
          "gift_0001_40", "gift_0001_50", "DCGSSBOY", "DCGSSGIRL"};
}

std::string describe_row(const TransactionTable& t, std::size_t i) {
  std::string s = "line " + std::to_string(t.line[i]) + ": " + format_date(t.day[i]) + " · invoice " +
                  t.invoices[t.invoice[i]];
  if (t.product[i] >= 0) {
    s += " · " + t.products[t.product[i]];
    const std::int32_t d = t.product_description[static_cast<std::size_t>(t.product[i])];
    if (d >= 0 && !t.descriptions[d].empty()) s += " " + t.descriptions[d];
  }
  s += t.has_price ? " · " + num(t.quantity[i]) + " × " + num(t.value[i]) : " · " + num(t.value[i]);
  s += " · customer " + (t.customer[i] >= 0 ? t.customers[t.customer[i]] : std::string("(none)"));
  if (t.country[i] >= 0) s += " · " + t.countries[t.country[i]];
  return s;
}

CleanResult clean(const TransactionTable& t, const CleaningRules& rules) {
  if (rules.window_months < 0) throw InvalidArgument("window_months=" + std::to_string(rules.window_months) + " should be >= 0");
  // Parameters of a rule that is off are not checked: the page keeps them while the rule is off.
  if (rules.outliers == CleaningRules::Outliers::kPercentile &&
      (rules.outlier_percentile <= 50 || rules.outlier_percentile > 100))
    throw InvalidArgument("outlier_percentile=" + num(rules.outlier_percentile) + " should be in (50, 100]");
  if (rules.outliers == CleaningRules::Outliers::kIqr && rules.iqr_factor < 0)
    throw InvalidArgument("iqr_factor=" + num(rules.iqr_factor) + " should be >= 0");
  if (rules.min_product_customers < 0)
    throw InvalidArgument("min_product_customers=" + std::to_string(rules.min_product_customers) + " should be >= 0");
  if (rules.window_start != INT32_MIN && rules.window_end != INT32_MAX && rules.window_start > rules.window_end)
    throw InvalidArgument("the date range starts (" + format_date(rules.window_start) + ") after it ends (" +
                          format_date(rules.window_end) + ")");

  const std::size_t n = t.rows();
  CleanResult r;
  r.removed_by.assign(n, 0);
  r.net_returns = rules.cancellations == CleaningRules::Cancellations::kNet;
  r.synthetic_customers = rules.missing_customer == CleaningRules::MissingCustomer::kSynthetic;

  // Customers for the ledger's counts: a synthetic customer per invoice when asked.
  std::vector<std::int32_t> customer_of_row(t.customer);
  std::int32_t n_customers = t.customers.size();
  if (r.synthetic_customers) {
    std::vector<std::int32_t> synthetic(static_cast<std::size_t>(t.invoices.size()), -1);
    for (std::size_t i = 0; i < n; ++i) {
      if (customer_of_row[i] >= 0) continue;
      std::int32_t& s = synthetic[static_cast<std::size_t>(t.invoice[i])];
      if (s < 0) s = n_customers++;
      customer_of_row[i] = s;
    }
  }
  std::vector<std::int32_t> rows_per_customer(static_cast<std::size_t>(n_customers), 0);
  Ledger& L = r.ledger;
  for (std::size_t i = 0; i < n; ++i) {
    L.revenue_before += t.amount(i);
    if (customer_of_row[i] >= 0) ++rows_per_customer[static_cast<std::size_t>(customer_of_row[i])];
  }
  L.rows_before = static_cast<std::int64_t>(n);
  for (std::int32_t c : rows_per_customer) L.customers_before += c > 0;

  LedgerBuilder b(t, r, rows_per_customer, customer_of_row);
  auto kept = [&](std::size_t i) { return r.removed_by[i] == 0; };

  // 1 missing customer id
  b.begin("missing_customer", "Missing customer id",
          r.synthetic_customers ? "kept: each invoice without a customer id becomes its own customer"
                                : "rows without a customer id are dropped",
          true);
  if (!r.synthetic_customers)
    for (std::size_t i = 0; i < n; ++i)
      if (t.customer[i] < 0) b.remove(i);

  // 2 exact duplicates
  b.begin("duplicates", "Exact duplicate lines", "extra copies of an identical line are dropped", rules.drop_duplicates);
  if (rules.drop_duplicates)
    for (std::size_t i = 0; i < n; ++i)
      if (kept(i) && (t.flags[i] & kDuplicate)) b.remove(i);

  // 3 cancellations
  b.begin("cancellations", "Cancellations and returns",
          r.net_returns ? "kept as returns: netted against purchases (invoice starting with C, or negative quantity)"
                        : "invoices starting with C and negative quantities are dropped",
          true);
  if (!r.net_returns)
    for (std::size_t i = 0; i < n; ++i)
      if (kept(i) && t.cancelled(i)) b.remove(i);

  // 4 non-product codes
  std::string codes;
  for (const auto& c : rules.non_product_codes) codes += (codes.empty() ? "" : ", ") + c;
  b.begin("non_product", "Non-product codes",
          t.has_product ? "stock codes dropped: " + codes : "the file has no product column", rules.drop_non_product && t.has_product);
  if (rules.drop_non_product && t.has_product) {
    std::vector<bool> bad(static_cast<std::size_t>(t.products.size()), false);
    for (const auto& c : rules.non_product_codes) {
      const std::int32_t code = t.products.find(c);
      if (code >= 0) bad[static_cast<std::size_t>(code)] = true;
    }
    for (std::size_t i = 0; i < n; ++i)
      if (kept(i) && t.product[i] >= 0 && bad[static_cast<std::size_t>(t.product[i])]) b.remove(i);
  }

  // 5 bad unit price
  b.begin("bad_price", "Zero or negative unit price", "purchase rows with a unit price ≤ 0 are dropped", rules.drop_bad_price);
  if (rules.drop_bad_price)
    for (std::size_t i = 0; i < n; ++i) {
      if (!kept(i)) continue;
      const double p = t.unit_price(i);
      if (!t.cancelled(i) && !(p > 0)) b.remove(i);
    }

  // 6 country
  const bool country_rule = !rules.countries.empty() && t.has_country;
  std::string names;
  for (const auto& c : rules.countries) names += (names.empty() ? "" : ", ") + c;
  b.begin("country", "Country filter",
          !country_rule ? "every country" : (rules.exclude_countries ? "excluded: " : "kept only: ") + names, country_rule);
  if (country_rule) {
    std::vector<bool> listed(static_cast<std::size_t>(t.countries.size()), false);
    for (const auto& c : rules.countries) {
      const std::int32_t code = t.countries.find(c);
      if (code >= 0) listed[static_cast<std::size_t>(code)] = true;
    }
    for (std::size_t i = 0; i < n; ++i) {
      if (!kept(i)) continue;
      const bool in = t.country[i] >= 0 && listed[static_cast<std::size_t>(t.country[i])];
      if (in == rules.exclude_countries) b.remove(i);
    }
  }

  // 7 analysis window
  std::int32_t start = rules.window_start, end = rules.window_end;
  std::string window = "the whole file";
  if (rules.window_months > 0 && n > 0) {
    const std::int32_t last = *std::max_element(t.day.begin(), t.day.end());
    start = std::max(start, months_before(last, rules.window_months) + 1);
    end = std::min(end, last);
  }
  const bool window_rule = start != INT32_MIN || end != INT32_MAX;
  if (window_rule)
    window = (start != INT32_MIN ? format_date(start) : std::string("…")) + " to " +
             (end != INT32_MAX ? format_date(end) : std::string("…")) +
             (rules.window_months > 0 ? " (last " + std::to_string(rules.window_months) + " months)" : "");
  b.begin("window", "Analysis window", window, window_rule);
  r.window_end = end;
  if (window_rule)
    for (std::size_t i = 0; i < n; ++i)
      if (kept(i) && (t.day[i] < start || t.day[i] > end)) b.remove(i);

  // 8 outliers
  const bool outlier_rule = rules.outliers != CleaningRules::Outliers::kOff;
  double q_lo = -INFINITY, q_hi = INFINITY, a_lo = -INFINITY, a_hi = INFINITY;
  if (outlier_rule) {
    std::vector<double> q, a;
    for (std::size_t i = 0; i < n; ++i)
      if (kept(i)) {
        q.push_back(t.quantity[i]);
        a.push_back(t.amount(i));
      }
    std::sort(q.begin(), q.end());
    std::sort(a.begin(), a.end());
    if (rules.outliers == CleaningRules::Outliers::kPercentile) {
      const double p = rules.outlier_percentile;
      q_hi = percentile(q, p);
      a_hi = percentile(a, p);
      q_lo = percentile(q, 100 - p);
      a_lo = percentile(a, 100 - p);
    } else {
      const double k = rules.iqr_factor;
      const double q1 = percentile(q, 25), q3 = percentile(q, 75), a1 = percentile(a, 25), a3 = percentile(a, 75);
      q_lo = q1 - k * (q3 - q1);
      q_hi = q3 + k * (q3 - q1);
      a_lo = a1 - k * (a3 - a1);
      a_hi = a3 + k * (a3 - a1);
    }
  }
  b.begin("outliers", "Outliers",
          !outlier_rule ? "off"
                        : "quantity outside [" + num(q_lo) + ", " + num(q_hi) + "] or line amount outside [" +
                              money(a_lo) + ", " + money(a_hi) + "] (" +
                              (rules.outliers == CleaningRules::Outliers::kPercentile
                                   ? num(100 - rules.outlier_percentile) + "–" + num(rules.outlier_percentile) + " percentiles"
                                   : "IQR × " + num(rules.iqr_factor)) +
                              ")",
          outlier_rule);
  if (outlier_rule)
    for (std::size_t i = 0; i < n; ++i) {
      if (!kept(i)) continue;
      const double q = t.quantity[i], a = t.amount(i);
      if (q < q_lo || q > q_hi || a < a_lo || a > a_hi) b.remove(i);
    }

  // 9 rare products
  const bool rare_rule = rules.min_product_customers > 0 && t.has_product;
  b.begin("rare_products", "Rarely bought products",
          rare_rule ? "products bought by fewer than " + std::to_string(rules.min_product_customers) + " customers are dropped"
                    : "off",
          rare_rule);
  if (rare_rule) {
    FlatSet64 pairs;
    std::vector<std::int32_t> buyers(static_cast<std::size_t>(t.products.size()), 0);
    for (std::size_t i = 0; i < n; ++i) {
      if (!kept(i) || t.product[i] < 0 || customer_of_row[i] < 0) continue;
      const std::uint64_t key = (static_cast<std::uint64_t>(static_cast<std::uint32_t>(t.product[i])) << 32) |
                                static_cast<std::uint32_t>(customer_of_row[i]);
      if (pairs.insert(key)) ++buyers[static_cast<std::size_t>(t.product[i])];
    }
    for (std::size_t i = 0; i < n; ++i)
      if (kept(i) && t.product[i] >= 0 && buyers[static_cast<std::size_t>(t.product[i])] < rules.min_product_customers)
        b.remove(i);
  }

  for (std::size_t i = 0; i < n; ++i)
    if (kept(i)) {
      ++L.rows_after;
      L.revenue_after += t.amount(i);
    }
  for (std::int32_t c : rows_per_customer) L.customers_after += c > 0;
  return r;
}

std::string ledger_csv(const Ledger& l) {
  const auto cell = csv_cell;
  std::string out = "step,rule,enabled,detail,rows_removed,customers_removed,revenue_removed,examples\n";
  out += "0,before cleaning,,," + std::to_string(l.rows_before) + "," + std::to_string(l.customers_before) + "," +
         money(l.revenue_before) + ",\n";
  for (std::size_t i = 0; i < l.entries.size(); ++i) {
    const LedgerEntry& e = l.entries[i];
    std::string ex;
    for (const auto& x : e.examples) ex += (ex.empty() ? "" : " | ") + x;
    out += std::to_string(i + 1) + "," + cell(e.title) + "," + (e.enabled ? "yes" : "no") + "," + cell(e.detail) + "," +
           std::to_string(e.rows) + "," + std::to_string(e.customers) + "," + money(e.revenue) + "," + cell(ex) + "\n";
  }
  out += std::to_string(l.entries.size() + 1) + ",after cleaning,,," + std::to_string(l.rows_after) + "," +
         std::to_string(l.customers_after) + "," + money(l.revenue_after) + ",\n";
  return out;
}

}  // namespace core
