// libFuzzer target: the whole pipeline on arbitrary bytes — read (chunked), clean with rules
// chosen from the input, features, cohorts, RFM scores and K-Means. Bad input may only end in
// InputError or InvalidArgument; anything else (a crash, a sanitizer report, another exception,
// a non-finite feature where none is allowed) is a bug.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "errors.h"
#include "pipeline.h"
#include "rfm_scores.h"
#include "session.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const std::uint8_t knobs = data[0], chunk_knob = data[1];
  data += 2;
  size -= 2;
  core::CleaningRules rules;
  rules.drop_duplicates = knobs & 1;
  rules.cancellations =
      (knobs & 2) ? core::CleaningRules::Cancellations::kNet : core::CleaningRules::Cancellations::kDrop;
  rules.missing_customer =
      (knobs & 4) ? core::CleaningRules::MissingCustomer::kSynthetic : core::CleaningRules::MissingCustomer::kDrop;
  rules.drop_non_product = knobs & 8;
  rules.drop_bad_price = knobs & 16;
  rules.outliers = (knobs & 32) ? core::CleaningRules::Outliers::kIqr : core::CleaningRules::Outliers::kOff;
  rules.min_product_customers = (knobs & 64) ? 2 : 0;
  rules.window_months = (knobs & 128) ? 3 : 0;
  const std::size_t chunk = 1 + chunk_knob * 7u;
  try {
    core::ReadOptions options;
    options.file_name = "fuzz.csv";
    core::TransactionReader reader(options);
    for (std::size_t i = 0; i < size; i += chunk)
      reader.feed(reinterpret_cast<const char*>(data + i), std::min(chunk, size - i));
    core::Analysis a;
    a.read = reader.finish();
    core::analyse(a, rules);
    const core::CustomerTable& t = a.customers;
    for (std::size_t i = 0; i < t.size(); ++i)
      if (!std::isfinite(t.recency()[i]) || !std::isfinite(t.frequency()[i]) || !std::isfinite(t.monetary()[i]))
        std::abort();
    core::compute_cohorts(a.read.table, a.cleaned);
    const core::RfmScores s = core::score_rfm(t.recency(), t.frequency(), t.monetary());
    core::assign_segments(s, core::rf_grid_preset());
    // The session's clustering on the same bytes: labels for every customer, a finite objective.
    core::Session session;
    core::AnalysisSettings settings;
    settings.clean = rules;
    core::ReadExecution e;
    e.file_name = "fuzz.csv";
    session.begin(settings, e);
    session.feed(reinterpret_cast<const char*>(data), size);
    session.finish();
    settings.cluster.params.n_clusters = 1 + knobs % 4;
    settings.cluster.params.n_init = 2;
    if (t.size() >= static_cast<std::size_t>(settings.cluster.params.n_clusters)) {
      const core::ClusterOutcome c = session.cluster(settings.cluster);
      if (c.result.labels.size() != t.size() || !std::isfinite(c.result.objective)) std::abort();
    }
  } catch (const core::InputError&) {
  } catch (const core::InvalidArgument&) {
  }
  return 0;
}
