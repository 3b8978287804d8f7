// One analysis API for the page's worker and the CLI: a session reads a file (stages 1–5), then
// computes, on demand and purely from what it read and the settings given, the RFM scores and
// named segments, the clustering with its quality and profiles, the k sweep, the 2-D map and the
// cohorts; it makes the fitted model of a clustering and applies a saved one to its customers.
// The policy the page and the CLI share lives here: segments numbered by mean spend, the NaN
// fill of undefined features, when the silhouette is exact or sampled, the warnings' words. The
// wasm bindings and the CLI only convert values in and out.
//
// Every read or change of cleaning rules gets a new analysis id; every result carries the id of
// the analysis it was computed on, so a caller never mistakes a result for the current one.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "clustering.h"
#include "embedding.h"
#include "metrics.h"
#include "model.h"
#include "pipeline.h"
#include "profiles.h"
#include "schema.h"

namespace core {

/// How to run a read (not a setting of the analysis: the same analysis can be read either way).
struct ReadExecution {
  std::string file_name = "file";
  std::int64_t size_hint = 0;
  enum class Mode { kTable, kStream, kAuto } mode = Mode::kTable;
  std::int64_t stream_above_rows = 0;  ///< kAuto: stream above this many estimated rows
  std::int64_t max_rows = 0;           ///< the table's budget (0: none)
  std::int64_t max_stream_rows = 0;    ///< a stream's budget (0: none)
  bool find_duplicates = true;
};

struct ScoresOutcome {
  std::uint64_t analysis_id = 0;
  RfmScores scores;
  std::vector<SegmentRule> rules;  ///< the rules in use (the user's, or the preset's)
  std::vector<int> segment;        ///< per customer: index into rules; rules.size() = "Others"
  RuleCheck check;
  std::array<std::array<double, 4>, 3> edges{};  ///< the bins' frozen edges (FittedModel::rfm_edges)
};

/// The clustering features of the customers, prepared: chosen, undefined values filled, log1p,
/// winsorized, scaled — the matrix every clustering call of these settings runs on.
struct PreparedPoints {
  std::vector<std::string> features;
  std::vector<double> fill;
  Preprocessor preprocess;
  RowMatrix x;
};

struct ClusterOutcome {
  std::uint64_t analysis_id = 0;
  ClusterSettings settings;
  std::vector<std::string> features;
  std::vector<double> fill;
  Preprocessor preprocess;
  /// Segments numbered by mean monetary, highest first (ties by the algorithm's number): labels,
  /// centres, medoids (customer rows), responsibilities and mixture parameters in that order.
  ClusterResult result;
  bool has_quality = false;     ///< two segments or more, each smaller than the whole
  SilhouetteResult silhouette;  ///< exact up to kSilhouetteExactMax customers, else sampled
  double davies_bouldin = 0, calinski_harabasz = 0;
  Profiles profiles;
};

struct EmbedOutcome {
  std::uint64_t analysis_id = 0;
  std::vector<std::string> features;
  MapSettings::Method method = MapSettings::Method::kPca;
  RowMatrix coords;                              ///< n × 2
  std::vector<double> explained_variance_ratio;  ///< PCA
  RowMatrix loadings;                            ///< PCA: d × 2
  double kl_divergence = 0;                      ///< t-SNE
  bool sampled = false;
  std::int64_t sample_size = 0;
  double perplexity = 0;
  std::string note;
};

struct ApplyOutcome {
  std::uint64_t analysis_id = 0;
  /// The saved segments on these customers, as a clustering's outcome (the page shows them
  /// alike): the model's settings, features, fill, transform and centres, each customer's segment
  /// (0-based, in the model's order), the segments' profiles with the model's names, and their
  /// quality in the model's prepared space. No medoid rows: the medoids are the fitted file's
  /// customers (their values are the centres).
  ClusterOutcome segments;
  const std::vector<int>& labels() const { return segments.result.labels; }
  RfmScores scores;  ///< on the frozen edges, or re-fitted quintiles
  std::vector<int> rfm_segment;
  std::vector<std::string> rfm_names;  ///< rules' names, then "Others"
  DriftReport drift;
};

class Session {
 public:
  static constexpr std::int64_t kSilhouetteExactMax = 20000;
  static constexpr std::int64_t kSilhouetteSample = 5000;

  Session();
  ~Session();
  Session(Session&&) noexcept;
  Session& operator=(Session&&) noexcept;

  /// Starts reading a file with the read, clean and features settings of `s` (a stream cleans and
  /// aggregates with them while reading). Drops the analysis held so far.
  void begin(const AnalysisSettings& s, const ReadExecution& e);
  /// @throws InputError (the read cannot go on; the session then holds nothing)
  void feed(const char* data, std::size_t n);
  std::int64_t rows_read() const;
  /// Ends the read and runs cleaning and features (cleaning only, without `features`: the ledger
  /// even when no purchase is left). @throws InputError, InvalidArgument
  void finish(bool features = true);
  /// Ends the read only (the CLI's profile times the stages apart).
  void finish_read();
  /// Cleaning and features again with other rules (all or nothing: on a refusal the analysis
  /// stays as it was). @throws InvalidArgument for a streamed read and other rules
  void reclean(const CleaningRules& rules, const FeatureParams& params, bool features = true);

  /// A file read and cleaned: the derived results can be computed.
  bool has_analysis() const { return analysis_ != nullptr && ready_; }
  /// A file read (its cleaning may have failed: reclean can try other rules).
  bool has_read() const { return analysis_ != nullptr; }
  const Analysis& analysis() const;
  std::uint64_t analysis_id() const { return id_; }
  /// The analysis' warnings (the reader's, the ledger's, the features').
  std::vector<std::string> warnings() const;
  /// For a streamed read: what it means and what a change of rule will do ("" for a table).
  std::string stream_note() const;
  std::int64_t table_row_limit() const { return execution_.max_rows; }
  /// The read, clean and features settings of the analysis held (the other groups: defaults).
  const AnalysisSettings& settings() const { return settings_; }

  ScoresOutcome scores(const RfmSettings& s) const;
  PreparedPoints prepare(const ClusterSettings& s) const;
  /// What a clustering computes besides its segments and profiles: with kWith the
  /// silhouette (exact up to kSilhouetteExactMax customers: O(n²)), Davies–Bouldin and
  /// Calinski–Harabasz; a segments table or a project needs none of them.
  enum class Quality { kWith, kWithout };
  ClusterOutcome cluster(const ClusterSettings& s, const ProgressFn& progress = {},
                         Quality quality = Quality::kWith) const;
  SweepResult sweep(const ClusterSettings& s, const SweepSettings& sweep, const ProgressFn& progress = {}) const;
  EmbedOutcome embed(const ClusterSettings& s, const MapSettings& map) const;
  Cohorts cohorts() const;

  /// The model of a clustering and the RFM scores of this analysis, with every setting of `s`;
  /// segment names and colours from `names` / `colors` where given, else the profiles' names.
  FittedModel fit_model(const AnalysisSettings& s, const ScoresOutcome& scores, const ClusterOutcome& clustering,
                        const std::vector<std::string>& names = {}, const std::vector<std::string>& colors = {}) const;

  /// Scores this analysis' customers with a saved model: its segments (no refit), RFM on its frozen
  /// edges (or re-fitted quintiles with `refit_rfm`), the drift against the model's customers.
  ApplyOutcome apply(const FittedModel& m, bool refit_rfm = false, Quality quality = Quality::kWith) const;

 private:
  const Analysis& need() const;
  std::unique_ptr<TransactionReader> reader_;
  std::unique_ptr<Analysis> analysis_;
  ReadExecution execution_;
  CleaningRules pending_rules_;  // the read's rules and features, for finish()
  FeatureParams pending_features_;
  AnalysisSettings settings_;  // the analysis' read, clean and features settings
  std::uint64_t id_ = 0;
  bool ready_ = false;
};

/// The segments table: `customer_id,segment,recency,frequency,monetary` (segments from 1,
/// monetary with 2 decimals), with `segment_name` last when names are given.
std::string segments_csv(const CustomerTable& t, const std::vector<int>& labels,
                         const std::vector<std::string>* names = nullptr);

/// Segments numbered by mean monetary, highest first (ties by the algorithm's number).
void number_by_monetary(ClusterResult& r, const std::vector<double>& monetary, int k);

}  // namespace core
