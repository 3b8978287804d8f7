// One entry point over the clustering algorithms (k-means, k-medoids, Gaussian mixtures, the four
// linkages) with one result shape, for the CLI, the page and the k-sweep; and the k-sweep itself:
// the algorithm run for k = k_min..k_max with the quality curves an elbow/silhouette chart needs.
// Each algorithm lives in its own file (kmeans, kmedoids, gmm, hierarchy); this file only routes.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "gmm.h"
#include "kmedoids.h"
#include "progress.h"
#include "scaling.h"

namespace core {

enum class Algorithm { kKMeans, kKMedoids, kGmm, kWard, kAverage, kComplete, kSingle };

/// "kmeans" | "kmedoids" | "gmm" | "ward" | "average" | "complete" | "single".
/// @throws InvalidArgument naming the accepted values
Algorithm parse_algorithm(const std::string& name);
const char* algorithm_name(Algorithm algorithm);

struct ClusterParams {
  Algorithm algorithm = Algorithm::kKMeans;
  int n_clusters = 4;
  int n_init = 0;  ///< restarts; 0: the algorithm's default (k-means 10, GMM 1, k-medoids 1)
  std::uint64_t seed = 1;
  CovarianceType covariance = CovarianceType::kFull;  ///< GMM only
  /// k-medoids: FasterPAM on every row up to this many rows, FastCLARA (sampled) above
  /// (KMedoidsParams::auto_clara_above).
  std::int64_t kmedoids_exact_max = KMedoidsParams{}.auto_clara_above;
  /// k-means only: run restarts [restart_begin, restart_end) of the n_init (KMeansParams).
  int restart_begin = 0;
  int restart_end = -1;
};

struct ClusterResult {
  std::vector<int> labels;            ///< 0..k−1 per row
  RowMatrix centers;                  ///< k × d: centroids, GMM means, medoid rows, or the cut's cluster means
  std::vector<std::int64_t> medoids;  ///< k-medoids: 0-based row of each medoid; empty otherwise
  /// What the algorithm minimises: k-means inertia; k-medoids Σ distance to the medoid; GMM
  /// −n·mean log-likelihood; linkages the within-cluster sum of squares of the cut.
  double objective = 0;
  double inertia = 0;  ///< within-cluster sum of squares about the cluster means (every algorithm)
  int iterations = 0;  ///< k-means/GMM iterations, FasterPAM passes; n − k merges for linkages
  bool converged = true;
  bool sampled = false;  ///< k-medoids found its medoids on samples (FastCLARA)
  double log_likelihood = std::numeric_limits<double>::quiet_NaN();  ///< GMM: mean per sample
  double bic = std::numeric_limits<double>::quiet_NaN();             ///< GMM only
  double aic = std::numeric_limits<double>::quiet_NaN();             ///< GMM only
  RowMatrix responsibilities;                                        ///< GMM: n × k soft memberships
  Eigen::VectorXd weights;                                           ///< GMM: the k mixing proportions
  std::vector<RowMatrix> covariances;                                ///< GMM: k covariance matrices (d × d)
  std::vector<int> collapsed;  ///< GMM: components that collapsed (GmmResult::collapsed), ascending
  RowMatrix linkage;           ///< linkages: SciPy's (n − 1) × 4 matrix
  int restart = 0;             ///< k-means: the winning restart (KMeansResult::restart)
};

/// @throws InvalidArgument from the algorithm (with its message), Cancelled if progress says stop
ClusterResult run_clustering(const RowMatrix& x, const ClusterParams& params, const ProgressFn& progress = {});

struct SweepParams {
  ClusterParams base;  ///< n_clusters is ignored
  int k_min = 2;
  int k_max = 10;
  std::int64_t silhouette_exact_max = 20000;  ///< above this many rows, the sampled silhouette
  std::int64_t silhouette_sample = 5000;      ///< rows of that sample
  /// k-medoids in the sweep samples above this many rows (base.kmedoids_exact_max is ignored):
  /// exact FasterPAM takes ~2.5 s a k at 20,000 rows in wasm, nine ks would be a wait for a
  /// curve whose shape sampling keeps; the chosen k then runs exact.
  std::int64_t kmedoids_exact_max = 10000;
};

/// Curves indexed like k; NaN where a value does not apply (BIC for non-GMM) or is undefined
/// (fewer than two distinct labels came out).
struct SweepResult {
  std::vector<int> k;
  std::vector<double> objective, inertia, silhouette, davies_bouldin, calinski_harabasz, bic;
  std::vector<int> collapsed;  ///< per k: how many mixture components collapsed (0 for the other methods)
  bool silhouette_sampled = false;
};

/// The criterion a suggested k follows: the method's own (a mixture's BIC, the silhouette for the
/// others), or the silhouette when a mixture's BIC cannot decide (see suggest_k).
enum class KCriterion { kNone, kSilhouette, kBicMinimum, kBicElbow };
const char* criterion_name(KCriterion c);  ///< "none", "silhouette", "bic-minimum", "bic-elbow"

struct KSuggestion {
  int k = 0;  ///< 0: no k is suggested (reason says why)
  KCriterion criterion = KCriterion::kNone;
  std::string reason;  ///< one sentence for the page, the CLI and the report
};

/// The k a sweep suggests.
/// - K-Means, K-Medoids, linkages: the highest mean silhouette (ties: the smaller k).
/// - Gaussian mixtures: BIC over the ks whose fit has no collapsed component (a collapsed one's
///   likelihood grows without bound, so its BIC drop is an artefact): its minimum; when that
///   minimum is the largest k tried (BIC still falling), the elbow of the BIC curve instead — the k
///   farthest below the straight line from the first to the last valid BIC (Satopää et al.'s
///   "Kneedle", 2011, on the raw curve) — and the reason says the minimum may lie beyond the range.
///   When fewer than two ks are valid, the silhouette decides and the reason says why.
KSuggestion suggest_k(const SweepResult& sweep, Algorithm algorithm);

/// Runs the algorithm for each k in k_min..k_max (a linkage is built once and cut at each k).
/// @throws InvalidArgument if k_min < 2, k_max < k_min or k_max > n_samples − 1
SweepResult k_sweep(const RowMatrix& x, const SweepParams& params, const ProgressFn& progress = {});

}  // namespace core
