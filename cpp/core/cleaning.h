// Cleaning rules (stage 4), applied in one fixed, documented order to the transaction table. Each
// rule is a switch with parameters; the ledger says, per rule, how many rows, customers and how
// much revenue it removed, with example rows, and the totals before and after.
//
// Order (a row removed by an earlier rule is not seen by later ones):
//   1 missing customer id   drop, or give each such invoice its own synthetic customer
//   2 exact duplicates      extra copies of an identical line
//   3 cancellations         negative quantities, rows a returns-flag column marks, and
//                           C-prefixed invoices where the file follows that convention (checked
//                           on its invoices, see CancelPrefixEvidence): drop, or keep and net
//                           them against purchases as returns
//   4 non-product codes     POST, DOT, M, BANK CHARGES, … (editable list; needs a product column;
//                           the default list's codes only where their description says so)
//   5 bad unit price        zero or negative unit price (purchases only)
//   6 country               keep only, or exclude, the listed countries
//   7 analysis window       the last N months up to the last date in the file, or a date range
//   8 outliers             quantity or line amount beyond a percentile, or an IQR fence
//   9 rare products         products bought by fewer than N distinct customers
// Rows the reader could not parse are reported by the reader (ReadSummary) and never reach here.
// A rule that guesses (the C prefix, the non-product list, synthetic customers) reports what it
// checked (LedgerEntry::decision); any rule that removes more than CleaningRules::warn_share of
// the rows or of the revenue carries a warning naming the share and examples.
#pragma once

#include <climits>
#include <cstdint>
#include <string>
#include <vector>

#include "transactions.h"

namespace core {

struct CleaningRules {
  enum class MissingCustomer { kDrop, kSynthetic } missing_customer = MissingCustomer::kDrop;
  bool drop_duplicates = false;
  enum class Cancellations { kDrop, kNet } cancellations = Cancellations::kDrop;
  /// Whether an invoice starting with C cancels: decided from the file (kAuto), or forced.
  Auto cancel_prefix = Auto::kAuto;
  bool drop_non_product = false;
  std::vector<std::string> non_product_codes = default_non_product_codes();
  bool drop_bad_price = false;
  std::vector<std::string> countries;     ///< empty: every country
  bool exclude_countries = false;         ///< true: drop the listed countries; false: keep only them
  int window_months = 0;                  ///< > 0: keep the last N months
  std::int32_t window_start = INT32_MIN;  ///< days since 1970-01-01, inclusive
  std::int32_t window_end = INT32_MAX;    ///< inclusive
  enum class Outliers { kOff, kPercentile, kIqr } outliers = Outliers::kOff;
  double outlier_percentile = 99.9;  ///< kPercentile: drop above this percentile (of |quantity|, |amount|)
  double iqr_factor = 3.0;           ///< kIqr: drop beyond Q3 + factor × IQR (and below Q1 − factor × IQR)
  int min_product_customers = 0;     ///< > 0: drop products bought by fewer customers
  double warn_share = 0.2;           ///< a rule removing more than this share of rows or revenue warns

  static std::vector<std::string> default_non_product_codes();
};

bool operator==(const CleaningRules& a, const CleaningRules& b);
inline bool operator!=(const CleaningRules& a, const CleaningRules& b) { return !(a == b); }

struct LedgerEntry {
  std::string rule;    ///< stable key: "missing_customer", "duplicates", …
  std::string title;   ///< for people
  std::string detail;  ///< the parameters in words
  bool enabled = false;
  std::int64_t rows = 0;
  std::int64_t customers = 0;  ///< customers left with no row after this rule
  double revenue = 0;          ///< Σ line amount of the removed rows
  std::vector<std::string> examples;
  bool heuristic = false;  ///< the rule guesses: `decision` says what it checked on this file
  Decision decision;
  std::string warning;  ///< set when the rule removes more than CleaningRules::warn_share
};

struct Ledger {
  std::int64_t rows_before = 0, customers_before = 0;
  double revenue_before = 0;
  std::int64_t rows_after = 0, customers_after = 0;
  double revenue_after = 0;
  std::vector<LedgerEntry> entries;
};

struct CleanResult {
  std::vector<std::uint8_t> removed_by;  ///< per row: 0 kept, else 1-based index into ledger.entries
  Ledger ledger;
  bool net_returns = false;          ///< cancellations kept as returns
  bool synthetic_customers = false;  ///< missing ids become one customer per invoice (needs an invoice column)
  bool cancel_prefix = false;  ///< C-prefixed invoices count as cancellations (CleaningRules::cancel_prefix, decided)
  std::int32_t window_end = INT32_MAX;  ///< last day the window rule keeps
};

/// @throws InvalidArgument on parameters out of range (with the values)
CleanResult clean(const TransactionTable& t, const CleaningRules& rules);

/// Each heuristic rule's decision on `t`, in its ledger entry.
void set_decisions(Ledger& ledger, const CleaningRules& rules, const TransactionTable& t, const Decision& prefix);
/// The warnings of the ledger's rules that removed more than `share` of the rows or of the revenue.
void add_share_warnings(Ledger& ledger, double share);

/// The non-product codes to drop in a file like `t`: listed and present; a code of the default
/// list only where the file has no description for it or its description says what the code is
/// (POST: postage, M: manual, …). `product` is a product code of `t`.
bool drop_as_non_product(const CleaningRules& rules, const TransactionTable& t, std::int32_t product);
/// What the non-product rule found in `t`: which listed codes occur, which were confirmed.
Decision non_product_decision(const CleaningRules& rules, const TransactionTable& t);
/// Missing customer ids as synthetic customers needs an invoice column (one customer per invoice).
Decision synthetic_decision(const CleaningRules& rules, const TransactionTable& t);
/// The cancellation prefix for these rules on `t` (its evidence, or the user's setting).
Decision cancel_prefix_decision(const CleaningRules& rules, const TransactionTable& t);

/// The ledger as CSV (rule, rows, customers, revenue, examples) for export.
std::string ledger_csv(const Ledger& ledger);

/// One row rendered for the ledger's examples: "line 12: 536365 · 85123A · 6 × 2.55 · 17850 · …".
std::string describe_row(const TransactionTable& t, std::size_t i);

/// One row's values: a row of the table, or one streaming by (then `t` lends its dictionaries).
struct RowValues {
  std::int32_t line, day, customer, invoice, product, country;
  double quantity, value;
  std::uint8_t flags;
};
std::string describe_row(const TransactionTable& t, const RowValues& r);

/// The ledger's entries for these rules on a file like `t` (its columns), counters at zero; the
/// window is [start, end] (INT32_MIN / INT32_MAX: open). The outliers' thresholds depend on the
/// data: clean() fills that detail in.
std::vector<LedgerEntry> ledger_entries(const CleaningRules& rules, const TransactionTable& t, std::int32_t start,
                                        std::int32_t end);

/// The key of the first rule that is on and needs every row at once — exact duplicates (lines
/// anywhere in the file), the last N months (the file's last day), outliers (percentiles), rare
/// products (buyers per product) — or "" when every rule that is on decides a row on its own.
std::string rule_needing_all_rows(const CleaningRules& rules);

/// The rules that decide a row on its own — 1 missing customer id (drop), 3 cancellations (drop),
/// 4 non-product codes, 5 bad unit price, 6 country, 7 a fixed date range — for rows that stream
/// by instead of being kept (see rule_needing_all_rows for the others).
class RowRules {
 public:
  explicit RowRules(const CleaningRules& rules);
  /// 0 when the row is kept, else the 1-based index of the first rule that removes it.
  std::uint8_t removed_by(const RowValues& r, const TransactionTable& t);
  /// Whether C-prefixed invoices cancel (decided by the reader before such rows stream by).
  void set_cancel_prefix(bool on) { cancel_prefix_ = on; }
  bool cancel_prefix() const { return cancel_prefix_; }

 private:
  static bool listed(std::vector<std::int8_t>& known, const Dictionary& dict, const std::vector<std::string>& list,
                     std::int32_t code);
  CleaningRules rules_;
  bool cancel_prefix_ = false;
  std::vector<std::int8_t> bad_products_, listed_countries_;  // per dictionary code, filled as codes appear
};

}  // namespace core
