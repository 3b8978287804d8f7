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
#include <deque>
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
  double returns_only_value = 0;       ///< Σ line amount of those customers' returns (negative)
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

/// What a cohort table adds up, gathered row by row: per (customer, month) the net spend and
/// whether there was a purchase, in order of first appearance. compute_cohorts() and the streaming
/// read both fill one from the kept rows in file order, so their tables agree to the bit; memory
/// follows customers × active months, not rows.
class CohortSums {
 public:
  /// A kept purchase row of `customer` (a dictionary code, or kSyntheticCustomer | invoice code).
  void purchase(std::uint32_t customer, std::int32_t day, double amount);
  /// A kept return (cancellations netted) of a real customer: revenue in its month, no cohort.
  void net_return(std::int32_t customer, std::int32_t day, double amount);
  /// Sums the cells into the table: customer by customer (real ones by code, then synthetic ones),
  /// each customer's months newest-added first — one fixed order, whoever filled the sums.
  /// @throws InputError when the purchases span more than 600 months (some dates are wrong)
  Cohorts cohorts() const;

  static constexpr std::uint32_t kSyntheticCustomer = 0x80000000u;

 private:
  // 16 bytes a (customer, month): in a deque, so growing never copies (nor doubles the peak).
  struct Cell {
    double revenue;
    std::int32_t month2;  // month × 2 + 1 if the customer bought in it (not only returned)
    std::int32_t next;    // the customer's previously added cell, -1
  };
  struct Customer {
    std::int32_t last_cell = -1, first_month = INT32_MAX;
  };
  Customer& customer_of(std::uint32_t key);
  Cell& cell(Customer& c, std::int32_t month);
  std::int32_t month_of_day(std::int32_t day);
  void add_customer(Cohorts& out, const Customer& c) const;

  std::deque<Cell> cells_;
  std::vector<Customer> real_, synthetic_;  // by customer code; by invoice code
  std::int32_t min_month_ = INT32_MAX, max_month_ = INT32_MIN;
  std::int32_t last_day_ = INT32_MIN, last_month_ = 0;
};

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
  /// Whether C-prefixed invoices cancel, for the rows from now on (the reader decides it from the
  /// invoices before the first such row streams by).
  void set_cancel_prefix(bool on);
  /// After the last rows. @throws InputError when no customer has a purchase left
  void finish(const TransactionTable& t, CleanResult& cleaned, CustomerTable& customers);
  /// The kept rows' cohort sums and every readable row per country code (call after finish()).
  CohortSums take_cohorts();
  std::vector<std::int64_t> take_country_rows();

 private:
  struct State;
  std::unique_ptr<State> s_;
};

}  // namespace core
