#include "customer_features.h"

#include <algorithm>
#include <cmath>

#include "dates.h"
#include "errors.h"
#include "flat_hash.h"

namespace core {
namespace {

enum Column {
  kRecency, kFrequency, kMonetary, kAov, kItems, kProducts, kReturnsCount, kReturnsValue, kTenure,
  kDaysBetween, kRate, kVisits4w, kSpend4w, kColumnCount
};

// Month index (year × 12 + month − 1) of a day.
std::int32_t month_of(std::int32_t day) {
  const std::string s = format_date(day);
  return std::stoi(s.substr(0, 4)) * 12 + std::stoi(s.substr(5, 2)) - 1;
}

std::string month_name(std::int32_t m) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d", m / 12, m % 12 + 1);
  return buf;
}

// Customer code per row, synthetic customers (one per invoice) after the real ones.
struct RowCustomers {
  std::vector<std::int32_t> synthetic;  // invoice code → synthetic customer code, -1
  std::int32_t count = 0;

  RowCustomers(const TransactionTable& t, bool make_synthetic) : count(t.customers.size()) {
    if (make_synthetic) synthetic.assign(static_cast<std::size_t>(t.invoices.size()), -1);
  }
  std::int32_t of(const TransactionTable& t, std::size_t i) {
    if (t.customer[i] >= 0) return t.customer[i];
    if (synthetic.empty()) return -1;
    std::int32_t& s = synthetic[static_cast<std::size_t>(t.invoice[i])];
    if (s < 0) s = count++;
    return s;
  }
};

}  // namespace

const std::vector<std::string>& feature_names() {
  static const std::vector<std::string> kNames = {
      "recency", "frequency", "monetary", "avg_order_value", "items_per_order", "distinct_products",
      "returns_count", "returns_value", "tenure", "days_between", "purchase_rate", "visits_4w", "spend_4w"};
  return kNames;
}

const std::vector<double>& CustomerTable::column(const std::string& name) const {
  const auto& names = feature_names();
  for (std::size_t i = 0; i < names.size(); ++i)
    if (names[i] == name) return columns[i];
  throw InvalidArgument("no feature named \"" + name + "\"");
}

CustomerTable compute_features(const TransactionTable& t, const CleanResult& cleaned, const FeatureParams& p) {
  const std::size_t n = t.rows();
  if (cleaned.removed_by.size() != n) throw InvalidArgument("the cleaning result does not belong to this table");
  if (p.recent_days < 1) throw InvalidArgument("recent_days=" + std::to_string(p.recent_days) + " should be >= 1");
  const bool returns = cleaned.net_returns;
  RowCustomers rc(t, cleaned.synthetic_customers);

  struct Acc {
    std::int32_t first = INT32_MAX, last = INT32_MIN;
    std::int32_t orders = 0, returns = 0, products = 0, visits = 0, country = -1;
    double net = 0, returned = 0, items = 0, spend_recent = 0;
  };
  std::vector<Acc> acc(static_cast<std::size_t>(t.customers.size()));
  // Default as-of: the day after the last transaction in the file (or the window's end).
  std::int32_t last_day = INT32_MIN;
  for (std::size_t i = 0; i < n; ++i) last_day = std::max(last_day, t.day[i]);
  last_day = std::min(last_day, cleaned.window_end);
  if (n == 0) last_day = 0;  // nothing read: no customers either (refused below)
  const std::int32_t as_of = p.as_of != INT32_MIN ? p.as_of : last_day + 1;
  const std::int64_t recent_from = static_cast<std::int64_t>(as_of) - p.recent_days;

  FlatSet64 orders, product_pairs, recent_orders;
  // Distinct (customer, product) pairs are typically a third to a half of the rows: one allocation
  // instead of a series of rehashes.
  product_pairs.reserve(n / 3);
  orders.reserve(static_cast<std::size_t>(t.invoices.size()));
  auto pair_key = [](std::int32_t a, std::int32_t b) {
    return (static_cast<std::uint64_t>(static_cast<std::uint32_t>(a)) << 32) | static_cast<std::uint32_t>(b);
  };
  std::uint64_t last_key = ~std::uint64_t{0};
  bool last_was_return = false;
  for (std::size_t i = 0; i < n; ++i) {
    if (cleaned.removed_by[i] != 0) continue;
    const std::int32_t c = rc.of(t, i);
    if (c < 0) continue;
    if (static_cast<std::size_t>(c) >= acc.size()) acc.resize(static_cast<std::size_t>(c) + 1);
    Acc& a = acc[static_cast<std::size_t>(c)];
    const double amount = t.amount(i);
    const std::int32_t day = t.day[i];
    const bool is_return = returns && t.cancelled(i);
    if (day >= as_of) continue;  // after the as-of date: not yet happened
    a.net += amount;
    if (day >= recent_from) a.spend_recent += amount;
    // Orders and returns are counted once per (customer, invoice); bit 31 of the invoice key tells
    // returns from purchases apart.
    const std::uint64_t key = pair_key(c, t.invoice[i]);
    // Rows of one invoice come together: only a new (customer, invoice) pair needs the sets.
    const bool same_order = key == last_key && is_return == last_was_return;
    last_key = key;
    last_was_return = is_return;
    if (is_return) {
      a.returned += std::fabs(amount);
      if (!same_order && orders.insert(key | (std::uint64_t{1} << 31))) ++a.returns;
      continue;
    }
    a.first = std::min(a.first, day);
    a.last = std::max(a.last, day);
    a.items += t.quantity[i];
    if (a.country < 0) a.country = t.country[i];
    if (!same_order && orders.insert(key)) ++a.orders;
    if (!same_order && day >= recent_from && recent_orders.insert(key)) ++a.visits;
    if (t.product[i] >= 0 && product_pairs.insert(pair_key(c, t.product[i]))) ++a.products;
  }

  CustomerTable out;
  out.as_of = as_of;
  out.columns.assign(kColumnCount, {});
  for (std::size_t c = 0; c < acc.size(); ++c) {
    const Acc& a = acc[c];
    if (a.orders == 0) {
      if (a.returns > 0) {
        ++out.returns_only;
        out.returns_only_value += a.net;
      }
      continue;
    }
    const auto code = static_cast<std::int32_t>(c);
    if (code < t.customers.size()) {
      out.ids.push_back(t.customers[code]);
    } else {
      // Synthetic customer: named after its invoice.
      const auto& syn = rc.synthetic;
      const auto it = std::find(syn.begin(), syn.end(), code);
      out.ids.push_back("guest-" + t.invoices[static_cast<std::int32_t>(it - syn.begin())]);
    }
    out.country.push_back(a.country >= 0 ? t.countries[a.country] : std::string());
    const bool known = code < t.customers.size();
    auto contact = [&](const std::vector<std::int32_t>& v) {
      return known && c < v.size() && v[c] >= 0 ? t.contacts[v[c]] : std::string();
    };
    out.email.push_back(contact(t.customer_email));
    out.phone.push_back(contact(t.customer_phone));
    out.first_day.push_back(a.first);
    out.last_day.push_back(a.last);
    const double f = a.orders;
    const double tenure = as_of - a.first;
    double* row[kColumnCount];
    for (int k = 0; k < kColumnCount; ++k) {
      out.columns[static_cast<std::size_t>(k)].push_back(0);
      row[k] = &out.columns[static_cast<std::size_t>(k)].back();
    }
    *row[kRecency] = as_of - a.last;
    *row[kFrequency] = f;
    *row[kMonetary] = a.net;
    out.negative_monetary += a.net < 0;
    *row[kAov] = a.net / f;
    *row[kItems] = a.items / f;
    *row[kProducts] = a.products;
    *row[kReturnsCount] = a.returns;
    *row[kReturnsValue] = a.returned;
    *row[kTenure] = tenure;
    *row[kDaysBetween] = a.orders >= 2 ? static_cast<double>(a.last - a.first) / (f - 1) : std::nan("");
    *row[kRate] = f / std::max(tenure / 30.4375, 1.0);
    *row[kVisits4w] = a.visits;
    *row[kSpend4w] = a.spend_recent;
  }
  if (out.ids.empty())
    throw InputError("no purchases are left to analyse: of " + std::to_string(cleaned.ledger.rows_before) +
                     " readable rows, the cleaning rules removed " +
                     std::to_string(cleaned.ledger.rows_before - cleaned.ledger.rows_after) +
                     " (see the cleaning ledger). Check that the file holds purchases with customer ids, "
                     "or relax the rules.");
  return out;
}

Cohorts compute_cohorts(const TransactionTable& t, const CleanResult& cleaned) {
  const std::size_t n = t.rows();
  RowCustomers rc(t, cleaned.synthetic_customers);
  std::vector<std::int32_t> row_customer(n, -1);
  std::vector<std::int32_t> first(static_cast<std::size_t>(t.customers.size()), INT32_MAX);
  std::int32_t min_month = INT32_MAX, max_month = INT32_MIN;
  for (std::size_t i = 0; i < n; ++i) {
    if (cleaned.removed_by[i] != 0) continue;
    if (cleaned.net_returns && t.cancelled(i)) {
      // A return widens the table to its month (its revenue counts there), but starts no cohort.
      if (t.customer[i] >= 0) max_month = std::max(max_month, month_of(t.day[i]));
      continue;
    }
    const std::int32_t c = rc.of(t, i);
    if (c < 0) continue;
    if (static_cast<std::size_t>(c) >= first.size()) first.resize(static_cast<std::size_t>(c) + 1, INT32_MAX);
    row_customer[i] = c;
    const std::int32_t m = month_of(t.day[i]);
    first[static_cast<std::size_t>(c)] = std::min(first[static_cast<std::size_t>(c)], m);
    min_month = std::min(min_month, m);
    max_month = std::max(max_month, m);
  }
  Cohorts out;
  if (min_month == INT32_MAX) return out;
  constexpr std::int32_t kMaxMonths = 600;  // 50 years: a span² matrix beyond that is a data error
  if (max_month - min_month + 1 > kMaxMonths)
    throw InputError("the purchases span " + std::to_string(max_month - min_month + 1) + " months (" +
                     month_name(min_month) + " to " + month_name(max_month) +
                     "), too many for a cohort table; some dates are probably wrong. Set an analysis window "
                     "(cleaning rules) to leave them out.");
  const auto span = static_cast<std::size_t>(max_month - min_month + 1);
  out.active.assign(span, std::vector<std::int64_t>(span, 0));
  out.revenue.assign(span, std::vector<double>(span, 0));
  out.size.assign(span, 0);
  for (std::size_t r = 0; r < span; ++r) out.months.push_back(month_name(min_month + static_cast<std::int32_t>(r)));
  FlatSet64 seen;
  for (std::size_t i = 0; i < n; ++i) {
    if (cleaned.removed_by[i] != 0) continue;
    // Returns count towards revenue in the month they happen, for customers who have purchases.
    std::int32_t c = row_customer[i];
    if (c < 0 && cleaned.net_returns && t.cancelled(i) && t.customer[i] >= 0) c = t.customer[i];
    if (c < 0 || first[static_cast<std::size_t>(c)] == INT32_MAX) continue;
    const std::int32_t m = month_of(t.day[i]);
    const auto row = static_cast<std::size_t>(first[static_cast<std::size_t>(c)] - min_month);
    if (m < first[static_cast<std::size_t>(c)]) continue;  // a return before the first purchase
    const auto col = static_cast<std::size_t>(m - first[static_cast<std::size_t>(c)]);
    out.revenue[row][col] += t.amount(i);
    if (row_customer[i] >= 0 &&
        seen.insert((static_cast<std::uint64_t>(static_cast<std::uint32_t>(c)) << 32) | static_cast<std::uint32_t>(m)))
      ++out.active[row][col];
  }
  for (std::size_t r = 0; r < span; ++r) out.size[r] = out.active[r][0];
  return out;
}

}  // namespace core
