#include "pipeline.h"

#include <cstdio>

#include "errors.h"

namespace core {

void analyse(Analysis& a, const CleaningRules& rules, const FeatureParams& params) {
  if (a.read.customer_level) {
    // Features come ready: nothing to clean, nothing to aggregate.
    a.cleaned = CleanResult{};
    const auto n = static_cast<std::int64_t>(a.read.customers.size());
    double revenue = 0;
    for (double m : a.read.customers.monetary()) revenue += m;
    a.cleaned.ledger = Ledger{n, n, revenue, n, n, revenue, {}};
    a.customers = a.read.customers;
    return;
  }
  if (a.read.streamed) {
    // Read in one pass with its rules fixed: other rules would need the rows, which were not kept.
    if (rules != a.read.stream_rules || params.as_of != a.read.stream_params.as_of ||
        params.recent_days != a.read.stream_params.recent_days)
      throw InvalidArgument(
          "this file was cleaned and aggregated while it was read (it is too big to keep its rows): "
          "to change the cleaning rules or the as-of date, read it again with the new ones");
    a.cleaned = a.read.stream_cleaned;
    a.customers = a.read.customers;
    return;
  }
  // All or nothing: a rule set that leaves no customer throws before anything is replaced.
  CleanResult cleaned = clean(a.read.table, rules);
  CustomerTable customers = compute_features(a.read.table, cleaned, params);
  a.cleaned = std::move(cleaned);
  a.customers = std::move(customers);
}

Cohorts cohorts_of(const Analysis& a) {
  return a.read.streamed ? a.read.stream_cohorts.cohorts() : compute_cohorts(a.read.table, a.cleaned);
}

std::vector<std::int64_t> country_rows(const Analysis& a) {
  if (a.read.streamed) {
    std::vector<std::int64_t> rows = a.read.stream_country_rows;
    rows.resize(static_cast<std::size_t>(a.read.table.countries.size()), 0);  // countries of unread rows: none
    return rows;
  }
  const TransactionTable& t = a.read.table;
  std::vector<std::int64_t> rows(static_cast<std::size_t>(t.countries.size()), 0);
  for (std::size_t i = 0; i < t.rows(); ++i)
    if (t.country[i] >= 0) ++rows[static_cast<std::size_t>(t.country[i])];
  return rows;
}

std::vector<std::string> analysis_warnings(const Analysis& a) {
  std::vector<std::string> w = a.read.summary.warnings;
  for (const LedgerEntry& e : a.cleaned.ledger.entries)
    if (!e.warning.empty()) w.push_back(e.warning);
  const CustomerTable& t = a.customers;
  if (t.negative_monetary > 0)
    w.push_back(std::to_string(t.negative_monetary) +
                " customers returned more than they bought (negative net spend); segmentation counts their "
                "spend as 0. Check the returns, or drop cancellations instead of netting them.");
  if (t.returns_only > 0) {
    char amount[64];
    std::snprintf(amount, sizeof amount, "%.2f", t.returns_only_value);
    w.push_back(std::to_string(t.returns_only) +
                " customers have returns but no purchase in the data kept; they are left out of the customer "
                "table, with their " +
                amount +
                " of returns (so the customers' spend differs from the cleaned revenue "
                "by that much).");
  }
  return w;
}

std::vector<std::string> analysis_notes(const Analysis& a) {
  std::vector<std::string> notes;
  for (const Decision& d : a.read.summary.decisions) notes.push_back(d.title + ": " + d.outcome);
  for (const LedgerEntry& e : a.cleaned.ledger.entries)
    if (e.heuristic) notes.push_back(e.decision.title + ": " + e.decision.outcome);
  return notes;
}

std::int64_t rows_removed_by(const Ledger& ledger, const std::string& rule) {
  for (const auto& e : ledger.entries)
    if (e.rule == rule) return e.rows;
  return 0;
}

}  // namespace core
