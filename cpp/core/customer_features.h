// Per-customer features (stage 5): one pass over the kept rows of the transaction table; memory
// grows with customers (and customer × invoice pairs), not rows. Definitions, as shown in the page:
//
//   recency            as_of − day of the last purchase (as_of defaults to the day after the last
//                      transaction in the file, or after the analysis window's end)
//   frequency          distinct purchase invoices (returns excluded)
//   monetary           net spend: Σ line amount of purchases − returned value
//   avg_order_value    monetary / frequency
//   items_per_order    Σ purchased quantity / frequency
//   distinct_products  distinct products purchased (0 when the file has no product column)
//   returns_count      distinct return invoices (cancellations kept as returns)
//   returns_value      Σ |line amount| of returns
//   tenure             as_of − day of the first purchase
//   days_between       (last − first purchase day) / (frequency − 1); empty (NaN) when frequency < 2
//   purchase_rate      frequency / months of tenure (30.4375 days a month, at least one month)
//   visits_4w          distinct purchase invoices in the 28 days before as_of
//   spend_4w           net spend in the 28 days before as_of
// Customers with returns but no purchase are left out (counted in returns_only).
#pragma once

#include <climits>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "cleaning.h"
#include "transactions.h"

namespace core {

struct FeatureParams {
  std::int32_t as_of = INT32_MIN;  ///< days since 1970-01-01; INT32_MIN: the day after the last row
  int recent_days = 28;
};

/// Names of the numeric features, in CustomerTable::columns order.
const std::vector<std::string>& feature_names();

struct CustomerTable {
  std::vector<std::string> ids;
  std::vector<std::string> country;  ///< of the customer's first purchase ("" when absent)
  std::vector<std::string> email, phone;
  std::vector<std::vector<double>> columns;  ///< one per feature_names() entry
  std::vector<std::int32_t> first_day, last_day;
  std::int32_t as_of = 0;
  std::int64_t returns_only = 0;
  double returns_only_value = 0;  ///< Σ line amount of those customers' returns (negative)
  std::int64_t negative_monetary = 0;  ///< customers who returned more than they bought

  std::size_t size() const { return ids.size(); }
  const std::vector<double>& column(const std::string& name) const;
  const std::vector<double>& recency() const { return columns[0]; }
  const std::vector<double>& frequency() const { return columns[1]; }
  const std::vector<double>& monetary() const { return columns[2]; }
};

/// @throws InputError when no customer has a purchase left (with the counts)
CustomerTable compute_features(const TransactionTable& t, const CleanResult& cleaned, const FeatureParams& params = {});

/// Monthly acquisition cohorts: rows = month of first purchase, columns = months since then.
struct Cohorts {
  std::vector<std::string> months;                ///< "YYYY-MM" per cohort row
  std::vector<std::vector<std::int64_t>> active;  ///< customers with a purchase in that month
  std::vector<std::vector<double>> revenue;       ///< net spend in that month
  std::vector<std::int64_t> size;                 ///< customers acquired (= active[r][0])
};

Cohorts compute_cohorts(const TransactionTable& t, const CleanResult& cleaned);

/// Cleaning and features while the rows stream by, for files too big to keep as a table: memory
/// follows customers, orders and (customer, product) pairs, not rows. The rules and parameters are
/// fixed before the first row, and only the rules that decide a row on its own run this way
/// (rule_needing_all_rows() names the others). The ledger (without per-row results) and the
/// customer table equal what clean() and compute_features() give for the same rows, to the bit:
/// the same sums in the same order.
class StreamingAnalysis {
 public:
  /// @throws InvalidArgument for a rule that needs every row at once, or a parameter out of range
  StreamingAnalysis(const CleaningRules& rules, const FeatureParams& params);
  ~StreamingAnalysis();
  /// The next rows, in file order, days resolved; `t` holds the dictionaries their codes refer to
  /// (and no rows).
  void add(const RowBatch& rows, const TransactionTable& t);
  /// After the last rows. @throws InputError when no customer has a purchase left
  void finish(const TransactionTable& t, CleanResult& cleaned, CustomerTable& customers);

 private:
  struct State;
  std::unique_ptr<State> s_;
};

}  // namespace core
