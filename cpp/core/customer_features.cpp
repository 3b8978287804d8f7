#include "customer_features.h"

#include <algorithm>
#include <cmath>

#include "dates.h"
#include "errors.h"
#include "flat_hash.h"

namespace core {
namespace {

enum Column {
  kRecency,
  kFrequency,
  kMonetary,
  kAov,
  kItems,
  kProducts,
  kReturnsCount,
  kReturnsValue,
  kTenure,
  kDaysBetween,
  kRate,
  kVisits4w,
  kSpend4w,
  kColumnCount
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

// A customer as the feature sums know it: a real one by dictionary code, a synthetic one (an
// invoice without a customer id, with that rule on) by its order of first kept row, flagged in
// the top bit. The same key whether the rows come from the table or stream by.
constexpr std::uint32_t kSynthetic = 0x80000000u;

// Distinct (customer, product) pairs: per customer a row of bits over the product codes, rows of
// 1,024 customers to a chunk (49,000 customers × 4,000 products is 25 MB) — a bit test instead of
// a hash probe, and a quarter of the memory of a hash set of as many pairs. More customers add
// chunks (nothing is copied); higher product codes widen every row (doubling). Should the bits
// outgrow a hash set of the pairs seen (many customers and products, few pairs each), the pairs
// move to one.
class PairSet {
 public:
  explicit PairSet(std::size_t products = 0) : stride_((products + 63) / 64 + (products == 0)) {}
  /// True when the pair was not there yet.
  bool insert(std::uint32_t customer, std::int32_t product) {
    if (!moved_ && !fits(customer, product)) move_to_set();
    if (moved_) return set_.insert(key(customer, product));
    const std::size_t row = index(customer);
    std::uint64_t& word = chunks_[row / kRows][row % kRows * stride_ + static_cast<std::size_t>(product) / 64];
    const std::uint64_t mask = std::uint64_t{1} << (product % 64);
    const bool fresh = (word & mask) == 0;
    word |= mask;
    pairs_ += fresh;
    return fresh;
  }

 private:
  static constexpr std::size_t kRows = 1024;
  static constexpr std::size_t kFloorBytes = std::size_t{64} << 20;
  static std::uint64_t key(std::uint32_t customer, std::int32_t product) {
    return (std::uint64_t{customer} << 32) | static_cast<std::uint32_t>(product);
  }
  // Real customers in even chunks, synthetic ones in odd chunks.
  static std::size_t index(std::uint32_t customer) {
    const std::size_t i = customer & ~kSynthetic;
    return (i / kRows * 2 + ((customer & kSynthetic) != 0)) * kRows + i % kRows;
  }
  // Makes room for the pair's bit; false when the bits would then outgrow a hash set of the pairs.
  bool fits(std::uint32_t customer, std::int32_t product) {
    const auto word = static_cast<std::size_t>(product) / 64;
    const std::size_t chunk = index(customer) / kRows;
    if (word < stride_ && chunk < chunks_.size() && !chunks_[chunk].empty()) return true;
    if (word >= stride_) restride(std::max(2 * stride_, word + 1));
    if (chunk >= chunks_.size()) chunks_.resize(chunk + 1);
    if (chunks_[chunk].empty()) chunks_[chunk].assign(kRows * stride_, 0);
    std::size_t words = 0;
    for (const auto& c : chunks_) words += c.size();
    return words * 8 <= kFloorBytes + 16 * pairs_;
  }
  void restride(std::size_t stride) {
    for (auto& chunk : chunks_) {
      if (chunk.empty()) continue;
      std::vector<std::uint64_t> wider(kRows * stride, 0);
      for (std::size_t r = 0; r < kRows; ++r)
        std::copy_n(chunk.begin() + static_cast<std::ptrdiff_t>(r * stride_), stride_,
                    wider.begin() + static_cast<std::ptrdiff_t>(r * stride));
      chunk.swap(wider);
    }
    stride_ = stride;
  }
  void move_to_set() {
    for (std::size_t c = 0; c < chunks_.size(); ++c) {
      for (std::size_t w = 0; w < chunks_[c].size(); ++w)
        for (std::uint64_t b = chunks_[c][w]; b != 0; b &= b - 1) {
          const std::size_t row = c / 2 * kRows + w / stride_;  // index() undone
          set_.insert(key(static_cast<std::uint32_t>(row) | (c % 2 != 0 ? kSynthetic : 0u),
                          static_cast<std::int32_t>(w % stride_ * 64 + static_cast<std::size_t>(__builtin_ctzll(b)))));
        }
      std::vector<std::uint64_t>().swap(chunks_[c]);
    }
    moved_ = true;
  }
  std::size_t stride_;  // words a customer's row
  std::vector<std::vector<std::uint64_t>> chunks_;
  std::size_t pairs_ = 0;
  bool moved_ = false;
  FlatSet64 set_;
};

struct Acc {
  std::int32_t first = INT32_MAX, last = INT32_MIN;
  std::int32_t orders = 0, returns = 0, products = 0, visits = 0, country = -1;
  double net = 0, returned = 0, items = 0, spend_recent = 0;
};

// One kept row, as the feature sums need it.
struct FeatureRow {
  std::uint32_t customer;  // see kSynthetic
  std::int32_t invoice, day, product, country;
  double amount, quantity;
  bool is_return;
};

// The per-customer sums behind compute_features, fed the kept rows in file order. The 4-week
// window starts at recent_from; when that is not known yet (rows streaming by, the as-of date to
// be the day after the last one), the rows that may fall in it wait in `recent_` and are summed in
// finish_recent(), in the same order.
class FeatureSums {
 public:
  FeatureSums(std::int32_t as_of, std::int64_t recent_from, bool recent_known, std::size_t products = 0)
      : as_of_(as_of), recent_from_(recent_from), recent_known_(recent_known), product_pairs_(products) {}

  void reserve(std::size_t customers, std::size_t orders) {
    acc_.reserve(customers);
    orders_.reserve(orders);
  }

  [[gnu::always_inline]] void add(const FeatureRow& r) {
    Acc& a = acc_of(r.customer);
    if (r.day >= as_of_) return;  // after the as-of date: not yet happened
    a.net += r.amount;
    // Orders and returns are counted once per (customer, invoice); bit 31 of the invoice key tells
    // returns from purchases apart. Rows of one invoice come together: only a new (customer,
    // invoice) pair needs the sets.
    const std::uint64_t key = (std::uint64_t{r.customer} << 32) | static_cast<std::uint32_t>(r.invoice);
    const bool same_order = key == last_key_ && r.is_return == last_was_return_;
    last_key_ = key;
    last_was_return_ = r.is_return;
    recent(a, r, key, !same_order && !r.is_return);
    if (r.is_return) {
      a.returned += std::fabs(r.amount);
      if (!same_order && orders_.insert(key | (std::uint64_t{1} << 31))) ++a.returns;
      return;
    }
    a.first = std::min(a.first, r.day);
    a.last = std::max(a.last, r.day);
    a.items += r.quantity;
    if (a.country < 0) a.country = r.country;
    if (!same_order && orders_.insert(key)) ++a.orders;
    if (r.product >= 0) a.products += product_pairs_.insert(r.customer, r.product);  // no branch on a coin flip
  }

  /// Rows streaming by: none before `day` can fall in the 4-week window any more (it ends at the
  /// last day, which is at least this one).
  void last_day_at_least(std::int32_t day, int recent_days) {
    if (recent_known_ || day - recent_days + 1 <= recent_floor_) return;
    recent_floor_ = day - recent_days + 1;
    if (recent_.size() < 2 * kept_recent_ + 1024) return;  // compact now and then, not at every new day
    recent_.erase(
        std::remove_if(recent_.begin(), recent_.end(), [&](const Recent& e) { return e.day < recent_floor_; }),
        recent_.end());
    kept_recent_ = recent_.size();
  }

  /// The 4-week sums, once the window is known.
  void finish_recent(std::int64_t recent_from) {
    if (recent_known_) return;
    for (const Recent& e : recent_) {
      if (e.day < recent_from) continue;
      Acc& a = acc_of(e.customer);
      a.spend_recent += e.amount;
      if (e.visit && recent_orders_.insert(e.key)) ++a.visits;
    }
    std::vector<Recent>().swap(recent_);
  }

  const std::vector<Acc>& real() const { return acc_; }
  const std::vector<Acc>& synthetic() const { return synthetic_; }

 private:
  struct Recent {
    std::uint32_t customer;
    std::int32_t day;
    std::uint64_t key;
    double amount;
    bool visit;  // the first row of a purchase order
  };
  Acc& acc_of(std::uint32_t customer) {
    auto& accs = (customer & kSynthetic) != 0 ? synthetic_ : acc_;
    const std::size_t i = customer & ~kSynthetic;
    if (i >= accs.size()) accs.resize(i + 1);
    return accs[i];
  }
  void recent(Acc& a, const FeatureRow& r, std::uint64_t key, bool visit) {
    if (!recent_known_) {
      if (r.day >= recent_floor_) recent_.push_back(Recent{r.customer, r.day, key, r.amount, visit});
      return;
    }
    if (r.day < recent_from_) return;
    a.spend_recent += r.amount;
    if (visit && recent_orders_.insert(key)) ++a.visits;
  }
  std::int32_t as_of_;
  std::int64_t recent_from_;
  bool recent_known_;
  PairSet product_pairs_;
  std::vector<Acc> acc_, synthetic_;
  FlatSet64 orders_, recent_orders_;
  std::uint64_t last_key_ = ~std::uint64_t{0};
  bool last_was_return_ = false;
  std::vector<Recent> recent_;
  std::int64_t recent_floor_ = INT64_MIN;
  std::size_t kept_recent_ = 0;
};

// The customer table from the sums: real customers in code order, then synthetic ones (named
// after their invoice) in order of first kept row; customers with returns only are counted, not
// listed.
CustomerTable customer_table(const FeatureSums& sums, const std::vector<std::int32_t>& synthetic_invoice,
                             const TransactionTable& t, std::int32_t as_of, const Ledger& ledger) {
  CustomerTable out;
  out.as_of = as_of;
  out.columns.assign(kColumnCount, {});
  auto add = [&](const Acc& a, std::string id, std::int32_t code) {
    if (a.orders == 0) {
      if (a.returns > 0) {
        ++out.returns_only;
        out.returns_only_value += a.net;
      }
      return;
    }
    out.ids.push_back(std::move(id));
    out.country.push_back(a.country >= 0 ? t.countries[a.country] : std::string());
    auto contact = [&](const std::vector<std::int32_t>& v) {
      return code >= 0 && static_cast<std::size_t>(code) < v.size() && v[static_cast<std::size_t>(code)] >= 0
                 ? t.contacts[v[static_cast<std::size_t>(code)]]
                 : std::string();
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
  };
  for (std::size_t c = 0; c < sums.real().size(); ++c)
    add(sums.real()[c], t.customers[static_cast<std::int32_t>(c)], static_cast<std::int32_t>(c));
  for (std::size_t s = 0; s < sums.synthetic().size(); ++s)
    add(sums.synthetic()[s], "guest-" + t.invoices[synthetic_invoice[s]], -1);
  if (out.ids.empty())
    throw InputError("no purchases are left to analyse: of " + std::to_string(ledger.rows_before) +
                     " readable rows, the cleaning rules removed " +
                     std::to_string(ledger.rows_before - ledger.rows_after) +
                     " (see the cleaning ledger). Check that the file holds purchases with customer ids, "
                     "or relax the rules.");
  return out;
}

// Synthetic customers for the features: one per invoice without a customer id, numbered in order
// of first kept row.
class SyntheticCustomers {
 public:
  std::uint32_t of(std::int32_t invoice) {
    if (static_cast<std::size_t>(invoice) >= index_.size()) index_.resize(static_cast<std::size_t>(invoice) + 1, -1);
    std::int32_t& s = index_[static_cast<std::size_t>(invoice)];
    if (s < 0) {
      s = static_cast<std::int32_t>(invoices_.size());
      invoices_.push_back(invoice);
    }
    return static_cast<std::uint32_t>(s) | kSynthetic;
  }
  const std::vector<std::int32_t>& invoices() const { return invoices_; }

 private:
  std::vector<std::int32_t> index_;     // invoice code → synthetic index, -1
  std::vector<std::int32_t> invoices_;  // synthetic index → invoice code
};

std::int32_t last_day_of(const TransactionTable& t) {
  std::int32_t last = INT32_MIN;
  for_each_block(t.rows(), [&](std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) last = std::max(last, t.day[i]);
  });
  return last;
}

// One kept row into the cohort sums, as compute_cohorts() and the streaming read both give it:
// purchases by customer (a synthetic one per invoice without customer id, with that rule on),
// netted returns of real customers.
void add_cohort_row(CohortSums& sums, std::int32_t customer, std::int32_t invoice, std::int32_t day, double amount,
                    bool is_return, bool synthetic) {
  if (is_return) {
    if (customer >= 0) sums.net_return(customer, day, amount);
  } else if (customer >= 0) {
    sums.purchase(static_cast<std::uint32_t>(customer), day, amount);
  } else if (synthetic) {
    sums.purchase(CohortSums::kSyntheticCustomer | static_cast<std::uint32_t>(invoice), day, amount);
  }
}

}  // namespace

const std::vector<std::string>& feature_names() {
  static const std::vector<std::string> kNames = {
      "recency",           "frequency",     "monetary",      "avg_order_value", "items_per_order",
      "distinct_products", "returns_count", "returns_value", "tenure",          "days_between",
      "purchase_rate",     "visits_4w",     "spend_4w"};
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
  // Default as-of: the day after the last transaction in the file (or the window's end).
  const std::int32_t last_day = n == 0 ? 0 : std::min(last_day_of(t), cleaned.window_end);  // n == 0: refused below
  const std::int32_t as_of = p.as_of != INT32_MIN ? p.as_of : last_day + 1;
  FeatureSums sums(as_of, static_cast<std::int64_t>(as_of) - p.recent_days, true,
                   static_cast<std::size_t>(t.products.size()));
  sums.reserve(static_cast<std::size_t>(t.customers.size()), static_cast<std::size_t>(t.invoices.size()));
  SyntheticCustomers synthetic;
  const bool returns = cleaned.net_returns;
  for_each_block(n, [&](std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) {
      if (cleaned.removed_by[i] != 0) continue;
      const std::int32_t c = t.customer[i];
      if (c < 0 && !cleaned.synthetic_customers) continue;
      sums.add(FeatureRow{c >= 0 ? static_cast<std::uint32_t>(c) : synthetic.of(t.invoice[i]), t.invoice[i], t.day[i],
                          t.product[i], t.country[i], t.amount(i), t.quantity[i],
                          returns && t.cancelled(i, cleaned.cancel_prefix)});
    }
  });
  return customer_table(sums, synthetic.invoices(), t, as_of, cleaned.ledger);
}

// The ledger's customers (real ones, and with that rule on one per invoice without a customer id,
// numbered in order of first row of any kind): how many rows, whether one was kept, and the last
// rule that removed one — the rule that left the customer without rows, if none was kept.
struct LedgerCustomer {
  std::int64_t rows = 0;
  bool kept = false;
  std::uint8_t last_rule = 0;
};

struct StreamingAnalysis::State {
  State(const CleaningRules& r, const FeatureParams& p)
      : rules(r),
        params(p),
        row_rules(r),
        sums(p.as_of != INT32_MIN ? p.as_of : INT32_MAX, static_cast<std::int64_t>(p.as_of) - p.recent_days,
             p.as_of != INT32_MIN) {}
  CleaningRules rules;
  FeatureParams params;
  RowRules row_rules;
  FeatureSums sums;
  SyntheticCustomers synthetic;
  Ledger ledger;
  std::vector<LedgerCustomer> customers, synthetic_customers;
  std::vector<std::int32_t> ledger_synthetic;  // invoice code → index into synthetic_customers, -1
  std::int32_t last_day = INT32_MIN;           // over every row
  CohortSums cohorts;                          // of the kept rows
  std::vector<std::int64_t> country_rows;      // every row, by country code

  bool synthetic_on = false;  // missing ids as customers of their own: asked for, and an invoice column
  void start(const TransactionTable& t) {
    if (!ledger.entries.empty()) return;
    ledger.entries = ledger_entries(rules, t, rules.window_start, rules.window_end);
    synthetic_on = rules.missing_customer == CleaningRules::MissingCustomer::kSynthetic && t.has_invoice;
  }
  LedgerCustomer* ledger_customer(std::int32_t customer, std::int32_t invoice) {
    if (customer >= 0) {
      if (static_cast<std::size_t>(customer) >= customers.size())
        customers.resize(static_cast<std::size_t>(customer) + 1);
      return &customers[static_cast<std::size_t>(customer)];
    }
    if (!synthetic_on) return nullptr;
    if (static_cast<std::size_t>(invoice) >= ledger_synthetic.size())
      ledger_synthetic.resize(static_cast<std::size_t>(invoice) + 1, -1);
    std::int32_t& s = ledger_synthetic[static_cast<std::size_t>(invoice)];
    if (s < 0) {
      s = static_cast<std::int32_t>(synthetic_customers.size());
      synthetic_customers.emplace_back();
    }
    return &synthetic_customers[static_cast<std::size_t>(s)];
  }
  void row(const RowValues& r, const TransactionTable& t) {
    const double amount = t.line_amount(r.quantity, r.value, r.flags);
    if (r.country >= 0) {
      if (static_cast<std::size_t>(r.country) >= country_rows.size())
        country_rows.resize(static_cast<std::size_t>(r.country) + 1);
      ++country_rows[static_cast<std::size_t>(r.country)];
    }
    ++ledger.rows_before;
    ledger.revenue_before += amount;
    last_day = std::max(last_day, r.day);
    if (params.as_of == INT32_MIN) sums.last_day_at_least(std::min(last_day, rules.window_end), params.recent_days);
    LedgerCustomer* lc = ledger_customer(r.customer, r.invoice);
    if (lc != nullptr) ++lc->rows;
    if (const std::uint8_t rule = row_rules.removed_by(r, t)) {
      LedgerEntry& e = ledger.entries[rule - 1u];
      ++e.rows;
      e.revenue += amount;
      if (e.examples.size() < 3) e.examples.push_back(describe_row(t, r));
      if (lc != nullptr) lc->last_rule = std::max(lc->last_rule, rule);
      return;
    }
    ++ledger.rows_after;
    ledger.revenue_after += amount;
    if (lc == nullptr) return;
    lc->kept = true;
    const bool is_return = rules.cancellations == CleaningRules::Cancellations::kNet &&
                           t.cancelled(r.flags, r.quantity, r.value, row_rules.cancel_prefix());
    sums.add(FeatureRow{r.customer >= 0 ? static_cast<std::uint32_t>(r.customer) : synthetic.of(r.invoice), r.invoice,
                        r.day, r.product, r.country, amount, r.quantity, is_return});
    add_cohort_row(cohorts, r.customer, r.invoice, r.day, amount, is_return, synthetic_on);
  }
};

StreamingAnalysis::StreamingAnalysis(const CleaningRules& rules, const FeatureParams& params) {
  const std::string rule = rule_needing_all_rows(rules);
  if (!rule.empty())
    throw InvalidArgument("the rule \"" + rule +
                          "\" needs every row at once, and this file is read without keeping "
                          "them (it is too big to hold): turn the rule off, or run the native command-line tool");
  if (params.recent_days < 1)
    throw InvalidArgument("recent_days=" + std::to_string(params.recent_days) + " should be >= 1");
  if (rules.window_start != INT32_MIN && rules.window_end != INT32_MAX && rules.window_start > rules.window_end)
    throw InvalidArgument("the date range starts (" + format_date(rules.window_start) + ") after it ends (" +
                          format_date(rules.window_end) + ")");
  s_ = std::make_unique<State>(rules, params);
}

StreamingAnalysis::~StreamingAnalysis() = default;

void StreamingAnalysis::add(const RowBatch& b, const TransactionTable& t) {
  s_->start(t);
  for (std::size_t k = 0; k < b.size; ++k)
    s_->row(RowValues{b.line[k], b.day[k], b.customer[k], b.invoice[k], b.product[k], b.country[k],
                      b.quantity[k].to_double(), b.value[k].to_double(), b.flags[k]},
            t);
}

void StreamingAnalysis::finish(const TransactionTable& t, CleanResult& cleaned, CustomerTable& customers) {
  State& s = *s_;
  s.start(t);
  Ledger& L = s.ledger;
  for (const auto* group : {&s.customers, &s.synthetic_customers})
    for (const LedgerCustomer& c : *group) {
      if (c.rows == 0) continue;
      ++L.customers_before;
      if (c.kept)
        ++L.customers_after;
      else
        ++L.entries[c.last_rule - 1u].customers;
    }
  Decision prefix = cancel_prefix_decision(s.rules, t);
  prefix.applies =
      s.row_rules.cancel_prefix();  // as the rows were cleaned (the reader checks it held for the whole file)
  set_decisions(L, s.rules, t, prefix);
  add_share_warnings(L, s.rules.warn_share);
  cleaned = CleanResult{};
  cleaned.ledger = L;
  cleaned.net_returns = s.rules.cancellations == CleaningRules::Cancellations::kNet;
  cleaned.synthetic_customers = s.synthetic_on;
  cleaned.cancel_prefix = s.row_rules.cancel_prefix();
  cleaned.window_end = s.rules.window_end;
  // Default as-of: the day after the last transaction in the file (or the window's end).
  const std::int32_t last_day = L.rows_before == 0 ? 0 : std::min(s.last_day, s.rules.window_end);
  const std::int32_t as_of = s.params.as_of != INT32_MIN ? s.params.as_of : last_day + 1;
  s.sums.finish_recent(static_cast<std::int64_t>(as_of) - s.params.recent_days);
  customers = customer_table(s.sums, s.synthetic.invoices(), t, as_of, L);
}

void StreamingAnalysis::set_cancel_prefix(bool on) { s_->row_rules.set_cancel_prefix(on); }

CohortSums StreamingAnalysis::take_cohorts() { return std::move(s_->cohorts); }

std::vector<std::int64_t> StreamingAnalysis::take_country_rows() { return std::move(s_->country_rows); }

Cohorts compute_cohorts(const TransactionTable& t, const CleanResult& cleaned) {
  if (cleaned.removed_by.size() != t.rows()) throw InvalidArgument("the cleaning result does not belong to this table");
  CohortSums sums;
  for (std::size_t i = 0; i < t.rows(); ++i)
    if (cleaned.removed_by[i] == 0)
      add_cohort_row(sums, t.customer[i], t.invoice[i], t.day[i], t.amount(i),
                     cleaned.net_returns && t.cancelled(i, cleaned.cancel_prefix), cleaned.synthetic_customers);
  return sums.cohorts();
}

std::int32_t CohortSums::month_of_day(std::int32_t day) {
  // Rows of an invoice share its day: one date formatting per run of days, not per row.
  if (day != last_day_) {
    last_day_ = day;
    last_month_ = month_of(day);
  }
  return last_month_;
}

CohortSums::Customer& CohortSums::customer_of(std::uint32_t key) {
  auto& group = (key & kSyntheticCustomer) != 0 ? synthetic_ : real_;
  const std::size_t i = key & ~kSyntheticCustomer;
  if (i >= group.size()) group.resize(i + 1);
  return group[i];
}

// The customer's cell for the month. Its newest cell comes first in its chain, and a customer's
// rows mostly move forward in time: usually the first cell looked at.
CohortSums::Cell& CohortSums::cell(Customer& c, std::int32_t month) {
  for (std::int32_t i = c.last_cell; i >= 0; i = cells_[static_cast<std::size_t>(i)].next)
    if (cells_[static_cast<std::size_t>(i)].month2 >> 1 == month) return cells_[static_cast<std::size_t>(i)];
  cells_.push_back(Cell{0, month * 2, c.last_cell});
  c.last_cell = static_cast<std::int32_t>(cells_.size() - 1);
  return cells_.back();
}

void CohortSums::purchase(std::uint32_t customer, std::int32_t day, double amount) {
  const std::int32_t m = month_of_day(day);
  Customer& c = customer_of(customer);
  Cell& x = cell(c, m);
  x.revenue += amount;
  x.month2 |= 1;
  c.first_month = std::min(c.first_month, m);
  min_month_ = std::min(min_month_, m);
  max_month_ = std::max(max_month_, m);
}

void CohortSums::net_return(std::int32_t customer, std::int32_t day, double amount) {
  // A return widens the table to its month (its revenue counts there), but starts no cohort.
  const std::int32_t m = month_of_day(day);
  cell(customer_of(static_cast<std::uint32_t>(customer)), m).revenue += amount;
  max_month_ = std::max(max_month_, m);
}

void CohortSums::add_customer(Cohorts& out, const Customer& c) const {
  // Returns count towards revenue in the month they happen, for customers who have purchases.
  if (c.first_month == INT32_MAX) return;
  const auto row = static_cast<std::size_t>(c.first_month - min_month_);
  for (std::int32_t i = c.last_cell; i >= 0; i = cells_[static_cast<std::size_t>(i)].next) {
    const Cell& x = cells_[static_cast<std::size_t>(i)];
    const std::int32_t month = x.month2 >> 1;
    if (month < c.first_month) continue;  // a return before the first purchase
    const auto col = static_cast<std::size_t>(month - c.first_month);
    out.revenue[row][col] += x.revenue;
    out.active[row][col] += x.month2 & 1;
  }
}

Cohorts CohortSums::cohorts() const {
  Cohorts out;
  if (min_month_ == INT32_MAX) return out;
  constexpr std::int32_t kMaxMonths = 600;  // 50 years: a span² matrix beyond that is a data error
  if (max_month_ - min_month_ + 1 > kMaxMonths)
    throw InputError("the purchases span " + std::to_string(max_month_ - min_month_ + 1) + " months (" +
                     month_name(min_month_) + " to " + month_name(max_month_) +
                     "), too many for a cohort table; some dates are probably wrong. Set an analysis window "
                     "(cleaning rules) to leave them out.");
  const auto span = static_cast<std::size_t>(max_month_ - min_month_) + 1;
  out.active.assign(span, std::vector<std::int64_t>(span, 0));
  out.revenue.assign(span, std::vector<double>(span, 0));
  out.size.assign(span, 0);
  for (std::size_t r = 0; r < span; ++r) out.months.push_back(month_name(min_month_ + static_cast<std::int32_t>(r)));
  for (const Customer& c : real_) add_customer(out, c);
  for (const Customer& c : synthetic_) add_customer(out, c);
  for (std::size_t r = 0; r < span; ++r) out.size[r] = out.active[r][0];
  return out;
}

}  // namespace core
