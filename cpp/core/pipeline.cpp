#include "pipeline.h"

namespace core {

void analyse(Analysis& a, const CleaningRules& rules, const FeatureParams& params) {
  a.cleaned = clean(a.read.table, rules);
  a.customers = compute_features(a.read.table, a.cleaned, params);
}

std::int64_t rows_removed_by(const Ledger& ledger, const std::string& rule) {
  for (const auto& e : ledger.entries)
    if (e.rule == rule) return e.rows;
  return 0;
}

}  // namespace core
