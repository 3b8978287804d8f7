// The fitted model as a value: everything needed to score another file's customers exactly as the
// analysis scored its own, without refitting — the settings, the clustering features' transforms
// fitted on the customers (NaN fill, log1p, winsorizing cut points, scaler), the segments'
// centres (K-Means centroids, K-Medoids medoids, a mixture's weights, means and covariances, a
// hierarchy cut's cluster means), the RFM bin edges, the segments' order, names and colours, and
// the customers' distributions then (for drift). It holds no customer-level data.
//
// A project file is this model as JSON with a format version (model_to_json / model_from_json):
// an older version is upgraded, a newer one refused by name, and every field is checked (its
// type, range and shape) with a message naming it.
//
// Assignment (assign_segments_of_model): nearest centroid (K-Means, the hierarchy's cut means)
// or medoid (K-Medoids) in the prepared space, the highest posterior for a mixture. On the
// customers the model was fitted on this gives back their labels for K-Means, K-Medoids and
// mixtures; a hierarchy's own cut can differ from the nearest cut mean for customers between
// clusters (the model says how many in `agreement`).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "json.h"
#include "preprocess.h"
#include "rfm_scores.h"
#include "schema.h"

namespace core {

/// A feature's distribution then: the inner edges of its deciles and the share of customers in
/// each of the ten bins (for the population stability index).
struct Distribution {
  std::string feature;
  std::vector<double> edges;   ///< 9 ascending inner edges (repeats allowed: ties)
  std::vector<double> shares;  ///< 10 shares, Σ = 1
};

/// The largest project file read (a project holds no customer-level data: a few kB to a few MB).
constexpr std::size_t kMaxProjectBytes = std::size_t{16} << 20;

struct FittedModel {
  static constexpr int kFormat = 1;
  AnalysisSettings settings;

  // Clustering: the features, their NaN fill, the fitted transform, the segments' centres.
  std::vector<std::string> features;
  std::vector<double> fill;  ///< per feature: the value an undefined one takes (the column's largest then)
  Preprocessor preprocess;
  Algorithm algorithm = Algorithm::kKMeans;
  int k = 0;
  RowMatrix centers;                   ///< k × d in the prepared space, in segment order
  Eigen::VectorXd weights;             ///< mixture only
  std::vector<RowMatrix> covariances;  ///< mixture only, d × d each

  // RFM: the bin edges the scores were cut at (for frequency and monetary, a value above edge j
  // scores above j + 1; for recency, at or below), repeats allowed.
  std::array<std::array<double, 4>, 3> rfm_edges{};

  struct Segment {
    std::string name;
    std::string color;  ///< "#rrggbb", or "" for the page's palette
    std::int64_t customers = 0;
    double revenue = 0;
  };
  std::vector<Segment> segments;          ///< k, in segment order (segment 1 first)
  std::vector<std::string> rfm_segments;  ///< the named RFM segments' names (their rules are in settings)

  // What the model was fitted on.
  std::string file_name;
  std::int64_t customers = 0;
  std::string first_date, last_date, as_of;
  std::vector<Distribution> distributions;  ///< per clustering feature, and R, F, M
  double agreement = 1;                     ///< share of the fitted customers assign() puts in their own segment
};

/// "#rrggbb".
bool is_hex_color(const std::string& c);

/// Names and colours of the segments, in segment order, where given (an empty name keeps the
/// segment's; an empty colour is the page's palette). All or nothing: a refusal changes nothing.
/// @throws InvalidArgument for a name over 200 characters, a colour not "#rrggbb", two segments
///         of one name
void restyle_segments(FittedModel& m, const std::vector<std::string>& names, const std::vector<std::string>& colors);

/// The project file's JSON for a model (format version, settings, model).
Json model_to_json(const FittedModel& m);

/// Reads a project file's JSON.
/// @throws InvalidArgument naming the field and what to do: not a project, a newer format, a wrong
///         type, a shape that does not fit (k rows of centres, d columns), a non-finite number, an
///         array larger than its field allows, a field the format does not have
FittedModel model_from_json(const Json& j);

/// Reads a project file's text (parse_json with the project's size limit, then model_from_json).
/// @throws InputError on JSON syntax (line, column), InvalidArgument on the content
FittedModel read_project(std::string_view text, const std::string& file_name);

/// The segment (0-based, in the model's order) of each customer of `t` under the model.
/// @throws InvalidArgument when `t` lacks a feature the model uses
std::vector<int> assign_segments_of_model(const FittedModel& m, const CustomerTable& t);

/// The model's features of `t` as a matrix, undefined values filled as at the fit.
RowMatrix model_features(const FittedModel& m, const CustomerTable& t);

/// RFM scores of `t` on the model's frozen edges: thresholds at those edges (frozen_score_params).
RfmScores score_rfm_frozen(const FittedModel& m, const CustomerTable& t);
RfmScoreParams frozen_score_params(const FittedModel& m);

/// The bin edges quintile scores were cut at (see FittedModel::rfm_edges).
std::array<std::array<double, 4>, 3> frozen_edges(const RfmScores& s);

/// Deciles of `values` (NaN skipped) as a Distribution.
Distribution distribution_of(const std::string& feature, const std::vector<double>& values);

/// Drift between a model's customers and `t`'s.
struct DriftReport {
  struct Feature {
    std::string feature;
    double psi = 0;                 ///< population stability index over the model's ten bins
    std::string reading;            ///< "stable" (< 0.1), "moderate shift" (< 0.25), "large shift"
    std::vector<double> then, now;  ///< shares per bin
    std::vector<double> edges;
  };
  std::vector<Feature> features;
  std::vector<std::int64_t> sizes_then, sizes_now;  ///< customers per segment
  std::vector<double> shares_then, shares_now;
  std::vector<std::string> warnings;  ///< what says the model may no longer fit
  /// The customers are those the model was fitted on, as far as the model can tell: as many, the
  /// same first and last dates and as-of date, every feature's bins and every segment's size
  /// exactly as then (Session::apply sets it; the page then restores the analysis by fitting
  /// again, which gives the same segments).
  bool same_data = false;
};

DriftReport drift(const FittedModel& m, const CustomerTable& t, const std::vector<int>& segments_now);

/// The drift report as JSON (`loyaltylens apply --drift-json`, the page's drift panel).
Json drift_json(const DriftReport& d, const FittedModel& m);

}  // namespace core
