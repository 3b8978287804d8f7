#include "cleaning.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <string>
#include <tuple>

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

// The customer of each row for the ledger's counts: its own, or with synthetic customers on, one
// per invoice without a customer id (numbered after the real ones, in order of first row).
class RowCustomer {
 public:
  RowCustomer(const TransactionTable& t, bool synthetic) : t_(t), count_(t.customers.size()) {
    if (!synthetic) return;
    synthetic_.assign(static_cast<std::size_t>(t.invoices.size()), -1);
    for_each_block(t.rows(), [&](std::size_t begin, std::size_t end) {
      for (std::size_t i = begin; i < end; ++i) {
        if (t.customer[i] >= 0) continue;
        std::int32_t& s = synthetic_[static_cast<std::size_t>(t.invoice[i])];
        if (s < 0) s = count_++;
      }
    });
  }
  std::int32_t operator()(std::size_t i) const {
    const std::int32_t c = t_.customer[i];
    return c >= 0 || synthetic_.empty() ? c : synthetic_[static_cast<std::size_t>(t_.invoice[i])];
  }
  std::int32_t count() const { return count_; }

 private:
  const TransactionTable& t_;
  std::vector<std::int32_t> synthetic_;  // invoice code → synthetic customer, -1
  std::int32_t count_;
};

class LedgerBuilder {
 public:
  LedgerBuilder(const TransactionTable& t, CleanResult& r, std::vector<LedgerEntry> entries,
                std::vector<std::int32_t>& rows_per_customer, const RowCustomer& customer_of_row)
      : t_(t),
        r_(r),
        entries_(std::move(entries)),
        rows_per_customer_(rows_per_customer),
        customer_of_row_(customer_of_row) {}

  // Moves on to the next rule's entry (entries_ holds them all, counters at zero).
  void next() { r_.ledger.entries.push_back(std::move(entries_[r_.ledger.entries.size()])); }

  // Removes the rows still kept for which drop(i) holds.
  template <class Drop>
  void remove_where(Drop drop) {
    LedgerEntry& e = r_.ledger.entries.back();
    const auto rule = static_cast<std::uint8_t>(r_.ledger.entries.size());
    for_each_block(t_.rows(), [&](std::size_t begin, std::size_t end) {
      for (std::size_t i = begin; i < end; ++i) {
        if (r_.removed_by[i] != 0 || !drop(i)) continue;
        r_.removed_by[i] = rule;
        ++e.rows;
        e.revenue += t_.amount(i);
        const std::int32_t c = customer_of_row_(i);
        if (c >= 0 && --rows_per_customer_[static_cast<std::size_t>(c)] == 0) ++e.customers;
        if (e.examples.size() < kExamples) add_example(e, i);
      }
    });
  }

 private:
  const TransactionTable& t_;
  CleanResult& r_;
  std::vector<LedgerEntry> entries_;
  std::vector<std::int32_t>& rows_per_customer_;
  const RowCustomer& customer_of_row_;

  void add_example(LedgerEntry& e, std::size_t i) { e.examples.push_back(describe_row(t_, i)); }
};

// Σ line amount of the rows removed by none of the rules (all rows when nothing is removed yet),
// and how many.
std::pair<std::int64_t, double> kept_totals(const TransactionTable& t, const std::vector<std::uint8_t>& removed_by) {
  std::int64_t rows = 0;
  double revenue = 0;
  for_each_block(t.rows(), [&](std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i)
      if (removed_by[i] == 0) {
        ++rows;
        revenue += t.amount(i);
      }
  });
  return {rows, revenue};
}

// Rows per customer (synthetic ones included).
std::vector<std::int32_t> count_rows(const TransactionTable& t, const RowCustomer& customer_of_row) {
  std::vector<std::int32_t> rows(static_cast<std::size_t>(customer_of_row.count()), 0);
  for_each_block(t.rows(), [&](std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) {
      const std::int32_t c = customer_of_row(i);
      if (c >= 0) ++rows[static_cast<std::size_t>(c)];
    }
  });
  return rows;
}

// Quantities and line amounts of the kept rows, sorted.
std::pair<std::vector<double>, std::vector<double>> kept_values(const TransactionTable& t,
                                                                const std::vector<std::uint8_t>& removed_by) {
  std::vector<double> q, a;
  for (std::size_t i = 0; i < t.rows(); ++i)
    if (removed_by[i] == 0) {
      q.push_back(t.quantity[i]);
      a.push_back(t.amount(i));
    }
  std::sort(q.begin(), q.end());
  std::sort(a.begin(), a.end());
  return {std::move(q), std::move(a)};
}

// Distinct customers per product over the kept rows.
std::vector<std::int32_t> buyers_per_product(const TransactionTable& t, const std::vector<std::uint8_t>& removed_by,
                                             const RowCustomer& customer_of_row) {
  FlatSet64 pairs;
  std::vector<std::int32_t> buyers(static_cast<std::size_t>(t.products.size()), 0);
  for (std::size_t i = 0; i < t.rows(); ++i) {
    const std::int32_t c = customer_of_row(i), product = t.product[i];
    if (removed_by[i] != 0 || product < 0 || c < 0) continue;
    const std::uint64_t key =
        (static_cast<std::uint64_t>(static_cast<std::uint32_t>(product)) << 32) | static_cast<std::uint32_t>(c);
    if (pairs.insert(key)) ++buyers[static_cast<std::size_t>(product)];
  }
  return buyers;
}

}  // namespace

std::vector<std::string> CleaningRules::default_non_product_codes() {
  // UCI Online Retail's service and adjustment codes (postage, carriage, manual, discount,
  // charity, fees, samples, adjustments, gift vouchers).
  return {"POST",
          "DOT",
          "M",
          "m",
          "D",
          "C2",
          "CRUK",
          "BANK CHARGES",
          "AMAZONFEE",
          "S",
          "PADS",
          "B",
          "ADJUST",
          "ADJUST2",
          "TEST001",
          "TEST002",
          "gift_0001_10",
          "gift_0001_20",
          "gift_0001_30",
          "gift_0001_40",
          "gift_0001_50",
          "DCGSSBOY",
          "DCGSSGIRL"};
}

bool operator==(const CleaningRules& a, const CleaningRules& b) {
  return a.missing_customer == b.missing_customer && a.drop_duplicates == b.drop_duplicates &&
         a.cancellations == b.cancellations && a.drop_non_product == b.drop_non_product &&
         a.non_product_codes == b.non_product_codes && a.drop_bad_price == b.drop_bad_price &&
         a.countries == b.countries && a.exclude_countries == b.exclude_countries &&
         a.window_months == b.window_months && a.window_start == b.window_start && a.window_end == b.window_end &&
         a.outliers == b.outliers && a.outlier_percentile == b.outlier_percentile && a.iqr_factor == b.iqr_factor &&
         a.min_product_customers == b.min_product_customers && a.cancel_prefix == b.cancel_prefix &&
         a.warn_share == b.warn_share;
}

std::string describe_row(const TransactionTable& t, std::size_t i) {
  return describe_row(t, RowValues{t.line[i], t.day[i], t.customer[i], t.invoice[i], t.product[i], t.country[i],
                                   t.quantity[i], t.value[i], t.flags[i]});
}

std::string describe_row(const TransactionTable& t, const RowValues& r) {
  std::string s = "line " + std::to_string(r.line) + ": " + format_date(r.day) + " · invoice " + t.invoices[r.invoice];
  if (r.product >= 0) {
    s += " · " + t.products[r.product];
    const std::int32_t d = t.product_description[static_cast<std::size_t>(r.product)];
    if (d >= 0 && !t.descriptions[d].empty()) s += " " + t.descriptions[d];
  }
  s += t.has_price ? " · " + num(r.quantity) + " × " + num(r.value) : " · " + num(r.value);
  s += " · customer " + (r.customer >= 0 ? t.customers[r.customer] : std::string("(none)"));
  if (r.country >= 0) s += " · " + t.countries[r.country];
  return s;
}

std::vector<LedgerEntry> ledger_entries(const CleaningRules& rules, const TransactionTable& t, std::int32_t start,
                                        std::int32_t end) {
  const bool synthetic = rules.missing_customer == CleaningRules::MissingCustomer::kSynthetic;
  const bool net = rules.cancellations == CleaningRules::Cancellations::kNet;
  std::string codes, names, window = "the whole file";
  for (const auto& c : rules.non_product_codes) codes += (codes.empty() ? "" : ", ") + c;
  for (const auto& c : rules.countries) names += (names.empty() ? "" : ", ") + c;
  const bool country_rule = !rules.countries.empty() && t.has_country;
  const bool window_rule = start != INT32_MIN || end != INT32_MAX;
  if (window_rule)
    window = (start != INT32_MIN ? format_date(start) : std::string("…")) + " to " +
             (end != INT32_MAX ? format_date(end) : std::string("…")) +
             (rules.window_months > 0 ? " (last " + std::to_string(rules.window_months) + " months)" : "");
  const bool rare_rule = rules.min_product_customers > 0 && t.has_product;
  return {
      {"missing_customer",
       "Missing customer id",
       synthetic && t.has_invoice ? "kept: each invoice without a customer id becomes its own customer"
       : synthetic                ? "dropped: synthetic customers need an invoice column, which this file lacks"
                                  : "rows without a customer id are dropped",
       true,
       0,
       0,
       0,
       {},
       false,
       {},
       {}},
      {"duplicates",
       "Exact duplicate lines",
       "extra copies of an identical line are dropped",
       rules.drop_duplicates,
       0,
       0,
       0,
       {},
       false,
       {},
       {}},
      {"cancellations",
       "Cancellations and returns",
       net ? "kept as returns: netted against purchases (negative quantities, rows flagged as returns, and invoices "
             "starting with C where that convention holds)"
           : "negative quantities, rows flagged as returns, and invoices starting with C where that convention holds "
             "are dropped",
       true,
       0,
       0,
       0,
       {},
       false,
       {},
       {}},
      {"non_product",
       "Non-product codes",
       t.has_product ? "stock codes dropped: " + codes : "the file has no product column",
       rules.drop_non_product && t.has_product,
       0,
       0,
       0,
       {},
       false,
       {},
       {}},
      {"bad_price",
       "Zero or negative unit price",
       "purchase rows with a unit price ≤ 0 are dropped",
       rules.drop_bad_price,
       0,
       0,
       0,
       {},
       false,
       {},
       {}},
      {"country",
       "Country filter",
       !country_rule ? "every country" : (rules.exclude_countries ? "excluded: " : "kept only: ") + names,
       country_rule,
       0,
       0,
       0,
       {},
       false,
       {},
       {}},
      {"window", "Analysis window", window, window_rule, 0, 0, 0, {}, false, {}, {}},
      {"outliers", "Outliers", "off", rules.outliers != CleaningRules::Outliers::kOff, 0, 0, 0, {}, false, {}, {}},
      {"rare_products",
       "Rarely bought products",
       rare_rule
           ? "products bought by fewer than " + std::to_string(rules.min_product_customers) + " customers are dropped"
           : "off",
       rare_rule,
       0,
       0,
       0,
       {},
       false,
       {},
       {}},
  };
}

std::string rule_needing_all_rows(const CleaningRules& rules) {
  if (rules.drop_duplicates) return "duplicates";
  if (rules.window_months > 0) return "window";
  if (rules.outliers != CleaningRules::Outliers::kOff) return "outliers";
  if (rules.min_product_customers > 0) return "rare_products";
  return "";
}

RowRules::RowRules(const CleaningRules& rules) : rules_(rules) {}

std::uint8_t RowRules::removed_by(const RowValues& r, const TransactionTable& t) {
  const bool cancelled = t.cancelled(r.flags, r.quantity, r.value, cancel_prefix_);
  const bool drop_missing = rules_.missing_customer == CleaningRules::MissingCustomer::kDrop || !t.has_invoice;
  if (r.customer < 0 && drop_missing) return 1;
  if (cancelled && rules_.cancellations == CleaningRules::Cancellations::kDrop) return 3;
  if (rules_.drop_non_product && t.has_product && r.product >= 0) {
    // Codes are dense and come in order of first appearance: each is decided once.
    while (static_cast<std::size_t>(r.product) >= bad_products_.size())
      bad_products_.push_back(drop_as_non_product(rules_, t, static_cast<std::int32_t>(bad_products_.size())));
    if (bad_products_[static_cast<std::size_t>(r.product)] != 0) return 4;
  }
  if (rules_.drop_bad_price && !cancelled && !(t.unit_price(r.quantity, r.value) > 0)) return 5;
  if (!rules_.countries.empty() && t.has_country) {
    const bool in = r.country >= 0 && listed(listed_countries_, t.countries, rules_.countries, r.country);
    if (in == rules_.exclude_countries) return 6;
  }
  if (r.day < rules_.window_start || r.day > rules_.window_end) return 7;
  return 0;
}

bool RowRules::listed(std::vector<std::int8_t>& known, const Dictionary& dict, const std::vector<std::string>& list,
                      std::int32_t code) {
  // Codes are dense and come in order of first appearance: each is looked up in the list once.
  while (static_cast<std::size_t>(code) >= known.size()) {
    const std::string& s = dict[static_cast<std::int32_t>(known.size())];
    known.push_back(std::find(list.begin(), list.end(), s) != list.end());
  }
  return known[static_cast<std::size_t>(code)] != 0;
}

namespace {

// The default list's codes and what their description says in the files they come from (UCI Online
// Retail and Online Retail II): a code is confirmed where its description contains the word.
const char* non_product_keyword(const std::string& code) {
  static const std::vector<std::pair<const char*, const char*>> kKeywords = {{"POST", "postage"},
                                                                             {"DOT", "postage"},
                                                                             {"M", "manual"},
                                                                             {"m", "manual"},
                                                                             {"D", "discount"},
                                                                             {"C2", "carriage"},
                                                                             {"CRUK", "cruk"},
                                                                             {"BANK CHARGES", "bank charges"},
                                                                             {"AMAZONFEE", "amazon fee"},
                                                                             {"S", "samples"},
                                                                             {"PADS", "pads"},
                                                                             {"B", "bad debt"},
                                                                             {"ADJUST", "adjust"},
                                                                             {"ADJUST2", "adjust"},
                                                                             {"TEST001", "test"},
                                                                             {"TEST002", "test"},
                                                                             {"gift_0001_10", "voucher"},
                                                                             {"gift_0001_20", "voucher"},
                                                                             {"gift_0001_30", "voucher"},
                                                                             {"gift_0001_40", "voucher"},
                                                                             {"gift_0001_50", "voucher"},
                                                                             {"DCGSSBOY", "party bag"},
                                                                             {"DCGSSGIRL", "party bag"}};
  for (const auto& [c, k] : kKeywords)
    if (code == c) return k;
  return nullptr;
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string description_of(const TransactionTable& t, std::int32_t product) {
  const std::int32_t d = static_cast<std::size_t>(product) < t.product_description.size()
                             ? t.product_description[static_cast<std::size_t>(product)]
                             : -1;
  return d >= 0 ? t.descriptions[d] : std::string();
}

std::string share_text(double share) {
  char buf[32];
  std::snprintf(buf, sizeof buf, share < 0.995 ? "%.0f%%" : "%.1f%%", share * 100);
  return buf;
}

}  // namespace

bool drop_as_non_product(const CleaningRules& rules, const TransactionTable& t, std::int32_t product) {
  const std::string& code = t.products[product];
  if (std::find(rules.non_product_codes.begin(), rules.non_product_codes.end(), code) == rules.non_product_codes.end())
    return false;
  // The user's own list is taken as given; the default list is a guess from UCI's files.
  if (rules.non_product_codes != CleaningRules::default_non_product_codes()) return true;
  const char* keyword = non_product_keyword(code);
  const std::string description = description_of(t, product);
  return keyword == nullptr || description.empty() || lower(description).find(keyword) != std::string::npos;
}

Decision non_product_decision(const CleaningRules& rules, const TransactionTable& t) {
  Decision d;
  d.key = "non_product";
  d.title = "Non-product codes";
  if (!t.has_product) {
    d.outcome = "not applicable: the file has no product column";
    return d;
  }
  const bool defaults = rules.non_product_codes == CleaningRules::default_non_product_codes();
  std::string found, kept;
  std::size_t occurring = 0, confirmed = 0;
  for (const std::string& code : rules.non_product_codes) {
    const std::int32_t p = t.products.find(code);
    if (p < 0) continue;
    ++occurring;
    const std::string desc = description_of(t, p);
    std::string shown = code;
    if (!desc.empty()) shown.append(" (").append(desc).append(")");
    if (drop_as_non_product(rules, t, p)) {
      ++confirmed;
      found += (found.empty() ? "" : ", ") + shown;
      if (d.examples.size() < 3) d.examples.push_back(shown);
    } else {
      kept += (kept.empty() ? "" : ", ") + shown;
    }
  }
  d.applies = confirmed > 0;
  d.forced = !defaults;
  d.evidence =
      std::to_string(occurring) + " of the " + std::to_string(rules.non_product_codes.size()) +
      " listed codes occur in this file" + (found.empty() ? "" : ": " + found) +
      (kept.empty() ? "" : "; kept, because their description is not what the code means in UCI's files: " + kept);
  if (occurring == 0)
    d.outcome = "not applicable: none of the listed codes occurs in this file";
  else if (confirmed == 0)
    d.outcome = "not applicable: the listed codes that occur are products here";
  else
    d.outcome = "applies to " + std::to_string(confirmed) + " code" + (confirmed == 1 ? "" : "s") + " of this file";
  return d;
}

Decision synthetic_decision(const CleaningRules& rules, const TransactionTable& t) {
  Decision d;
  d.key = "synthetic_customers";
  d.title = "Rows without a customer id as customers of their own";
  const bool asked = rules.missing_customer == CleaningRules::MissingCustomer::kSynthetic;
  d.forced = asked;
  d.applies = asked && t.has_invoice;
  if (!asked)
    d.outcome = "off: rows without a customer id are dropped";
  else if (!t.has_invoice)
    d.outcome =
        "not applicable: the file has no invoice column, so rows without a customer id cannot be told apart by order; "
        "they are dropped instead";
  else
    d.outcome = "each invoice without a customer id becomes one customer";
  return d;
}

Decision cancel_prefix_decision(const CleaningRules& rules, const TransactionTable& t) {
  return t.cancel_evidence.decide(rules.cancel_prefix, [&](std::string_view id) { return t.invoices.find(id) >= 0; });
}

void set_decisions(Ledger& l, const CleaningRules& rules, const TransactionTable& t, const Decision& prefix) {
  for (LedgerEntry& e : l.entries) {
    if (e.rule == "missing_customer" && rules.missing_customer == CleaningRules::MissingCustomer::kSynthetic) {
      e.heuristic = true;
      e.decision = synthetic_decision(rules, t);
    } else if (e.rule == "cancellations" && prefix.key == "cancel_prefix" &&
               (prefix.forced || t.cancel_evidence.prefixed_invoices() > 0)) {
      e.heuristic = true;
      e.decision = prefix;
    } else if (e.rule == "non_product" && e.enabled) {
      e.heuristic = true;
      e.decision = non_product_decision(rules, t);
    }
  }
}

void add_share_warnings(Ledger& l, double share) {
  if (!(share > 0)) return;
  for (LedgerEntry& e : l.entries) {
    if (!e.enabled || e.rows == 0) continue;
    const double rows = l.rows_before > 0 ? static_cast<double>(e.rows) / static_cast<double>(l.rows_before) : 0;
    const double revenue = l.revenue_before != 0 ? std::fabs(e.revenue) / std::fabs(l.revenue_before) : 0;
    if (rows <= share && revenue <= share) continue;
    e.warning = "\"" + e.title + "\" removed " + share_text(rows) + " of the rows (" + thousands(e.rows) + " of " +
                thousands(l.rows_before) + ") and " + share_text(revenue) + " of the revenue (" + money(e.revenue) +
                " of " + money(l.revenue_before) + "): check that it applies to this file";
    for (std::size_t k = 0; k < e.examples.size() && k < 2; ++k)
      e.warning += (k == 0 ? ". Examples: " : "; ") + e.examples[k];
  }
}

CleanResult clean(const TransactionTable& t, const CleaningRules& rules) {
  if (rules.window_months < 0)
    throw InvalidArgument("window_months=" + std::to_string(rules.window_months) + " should be >= 0");
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
  if (rules.drop_duplicates && !t.duplicates_found)
    throw InvalidArgument("the file was read without looking for duplicate lines: read it again to drop them");

  const std::size_t n = t.rows();
  CleanResult r;
  r.removed_by.assign(n, 0);
  r.net_returns = rules.cancellations == CleaningRules::Cancellations::kNet;
  r.synthetic_customers = rules.missing_customer == CleaningRules::MissingCustomer::kSynthetic && t.has_invoice;
  const Decision prefix = cancel_prefix_decision(rules, t);
  r.cancel_prefix = prefix.applies;

  const RowCustomer customer_of_row(t, r.synthetic_customers);
  std::vector<std::int32_t> rows_per_customer = count_rows(t, customer_of_row);
  Ledger& L = r.ledger;
  L.rows_before = static_cast<std::int64_t>(n);
  L.revenue_before = kept_totals(t, r.removed_by).second;
  for (std::int32_t c : rows_per_customer) L.customers_before += c > 0;

  // The analysis window: a date range, or the last N months up to the file's last day.
  std::int32_t start = rules.window_start, end = rules.window_end;
  if (rules.window_months > 0 && n > 0) {
    const std::int32_t last = *std::max_element(t.day.begin(), t.day.end());
    start = std::max(start, months_before(last, rules.window_months) + 1);
    end = std::min(end, last);
  }
  r.window_end = end;
  LedgerBuilder b(t, r, ledger_entries(rules, t, start, end), rows_per_customer, customer_of_row);

  // 1 missing customer id
  b.next();
  if (!r.synthetic_customers) b.remove_where([&](std::size_t i) { return t.customer[i] < 0; });

  // 2 exact duplicates
  b.next();
  if (rules.drop_duplicates) b.remove_where([&](std::size_t i) { return (t.flags[i] & kDuplicate) != 0; });

  // 3 cancellations
  b.next();
  if (!r.net_returns) b.remove_where([&](std::size_t i) { return t.cancelled(i, r.cancel_prefix); });

  // 4 non-product codes
  b.next();
  if (L.entries.back().enabled) {
    std::vector<bool> bad(static_cast<std::size_t>(t.products.size()), false);
    for (const auto& c : rules.non_product_codes) {
      const std::int32_t code = t.products.find(c);
      if (code >= 0) bad[static_cast<std::size_t>(code)] = drop_as_non_product(rules, t, code);
    }
    b.remove_where([&](std::size_t i) { return t.product[i] >= 0 && bad[static_cast<std::size_t>(t.product[i])]; });
  }

  // 5 bad unit price
  b.next();
  if (rules.drop_bad_price)
    b.remove_where([&](std::size_t i) { return !t.cancelled(i, r.cancel_prefix) && !(t.unit_price(i) > 0); });

  // 6 country
  b.next();
  if (L.entries.back().enabled) {
    std::vector<bool> listed(static_cast<std::size_t>(t.countries.size()), false);
    for (const auto& c : rules.countries) {
      const std::int32_t code = t.countries.find(c);
      if (code >= 0) listed[static_cast<std::size_t>(code)] = true;
    }
    b.remove_where([&](std::size_t i) {
      const bool in = t.country[i] >= 0 && listed[static_cast<std::size_t>(t.country[i])];
      return in == rules.exclude_countries;
    });
  }

  // 7 analysis window
  b.next();
  if (L.entries.back().enabled) b.remove_where([&](std::size_t i) { return t.day[i] < start || t.day[i] > end; });

  // 8 outliers
  b.next();
  if (L.entries.back().enabled) {
    const auto [q, a] = kept_values(t, r.removed_by);
    double q_lo, q_hi, a_lo, a_hi;
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
    L.entries.back().detail =
        "quantity outside [" + num(q_lo) + ", " + num(q_hi) + "] or line amount outside [" + money(a_lo) + ", " +
        money(a_hi) + "] (" +
        (rules.outliers == CleaningRules::Outliers::kPercentile
             ? num(100 - rules.outlier_percentile) + "–" + num(rules.outlier_percentile) + " percentiles"
             : "IQR × " + num(rules.iqr_factor)) +
        ")";
    b.remove_where([&](std::size_t i) {
      const double qi = t.quantity[i], ai = t.amount(i);
      return qi < q_lo || qi > q_hi || ai < a_lo || ai > a_hi;
    });
  }

  // 9 rare products
  b.next();
  if (L.entries.back().enabled) {
    const std::vector<std::int32_t> buyers = buyers_per_product(t, r.removed_by, customer_of_row);
    b.remove_where([&](std::size_t i) {
      return t.product[i] >= 0 && buyers[static_cast<std::size_t>(t.product[i])] < rules.min_product_customers;
    });
  }

  std::tie(L.rows_after, L.revenue_after) = kept_totals(t, r.removed_by);
  for (std::int32_t c : rows_per_customer) L.customers_after += c > 0;
  set_decisions(L, rules, t, prefix);
  add_share_warnings(L, rules.warn_share);
  return r;
}

std::string ledger_csv(const Ledger& l) {
  const auto cell = csv_cell;
  std::string out = "step,rule,enabled,detail,rows_removed,customers_removed,revenue_removed,examples,check,warning\n";
  out += "0,before cleaning,,," + std::to_string(l.rows_before) + "," + std::to_string(l.customers_before) + "," +
         money(l.revenue_before) + ",,,\n";
  for (std::size_t i = 0; i < l.entries.size(); ++i) {
    const LedgerEntry& e = l.entries[i];
    std::string ex;
    for (const auto& x : e.examples) ex += (ex.empty() ? "" : " | ") + x;
    out += std::to_string(i + 1) + "," + cell(e.title) + "," + (e.enabled ? "yes" : "no") + "," + cell(e.detail) + "," +
           std::to_string(e.rows) + "," + std::to_string(e.customers) + "," + money(e.revenue) + "," + cell(ex) + "," +
           cell(e.heuristic ? e.decision.outcome + (e.decision.evidence.empty() ? "" : " (" + e.decision.evidence + ")")
                            : "") +
           "," + cell(e.warning) + "\n";
  }
  out += std::to_string(l.entries.size() + 1) + ",after cleaning,,," + std::to_string(l.rows_after) + "," +
         std::to_string(l.customers_after) + "," + money(l.revenue_after) + ",,,\n";
  return out;
}

}  // namespace core
