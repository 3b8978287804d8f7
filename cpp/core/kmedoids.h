// k-medoids: FasterPAM (E. Schubert & P. J. Rousseeuw, "Fast and eager k-medoids clustering: O(k)
// runtime improvement of the PAM, CLARA, and CLARANS algorithms", Information Systems 101, 2021,
// Algorithm 2) on Euclidean distances computed on the fly: memory O(n·d + k), no n×n matrix, time
// O(n²·d) per pass over the candidates. Medoids are actual customers, and the objective is the sum of
// (unsquared) distances, so one outlier moves it far less than it moves a k-means centre.
//
// FasterPAM is a local search: from BUILD it may stop in a different local optimum than PAM's
// steepest-descent SWAP (R's cluster::pam), at most ~1% worse on our RFM sample; n_init > 1 adds
// restarts from k-means++ seeds, which reached or beat PAM on every reference case.
//
// For large n, FastCLARA (same authors, SISAP 2019: CLARA of Kaufman & Rousseeuw, 1990, with samples
// of 80 + 4k rows, the best medoids so far kept in each new sample) runs FasterPAM on samples and
// scores each candidate set on all rows in O(n·k·d); the result says that it sampled.
#pragma once

#include <cstdint>
#include <vector>

#include "progress.h"
#include "scaling.h"

namespace core {

enum class KMedoidsInit {
  kBuild,           ///< PAM's greedy BUILD (Kaufman & Rousseeuw, 1990): deterministic, O(k·n²·d)
  kKMeansPlusPlus,  ///< D²-weighted seeding as k-means++ (Arthur & Vassilvitskii, 2007), O(k·n·d)
};

enum class KMedoidsMethod {
  kAuto,       ///< FasterPAM up to auto_clara_above rows, FastCLARA above
  kFasterPam,  ///< all rows
  kFastClara,  ///< samples
};

struct KMedoidsParams {
  int n_clusters = 4;
  KMedoidsInit init = KMedoidsInit::kBuild;
  KMedoidsMethod method = KMedoidsMethod::kAuto;
  int max_iter = 100;     ///< passes over the candidates
  int n_init = 1;         ///< runs: the first from `init`, any others from k-means++ seeds
  std::uint64_t seed = 1;  ///< k-means++ draws and CLARA's samples
  int clara_samples = 5;
  int clara_sample_size = 0;  ///< 0: 80 + 4k (capped at n)
  /// kAuto samples above this many rows: FasterPAM costs O(n²·d) per pass on the fly (about 1.5 s
  /// at 10 000 rows natively, k = 4) and BUILD O(k·n²·d) more.
  std::int64_t auto_clara_above = 10000;
};

struct KMedoidsResult {
  std::vector<std::int64_t> medoids;  ///< 0-based row index of each cluster's medoid
  std::vector<int> labels;            ///< nearest medoid of each row (ties: lower cluster index)
  double objective = 0;               ///< Σ Euclidean distance of each row to its medoid
  int n_iter = 0;                     ///< passes over the candidates of the winning FasterPAM run
  std::int64_t n_swaps = 0;           ///< swaps performed in it
  bool converged = false;             ///< a full pass found no improving swap
  bool sampled = false;               ///< FastCLARA: medoids found on samples
  std::int64_t sample_size = 0;       ///< rows per sample when sampled
  int n_samples = 0;                  ///< samples drawn when sampled
};

/// @param x  n_samples × n_features
/// @throws InvalidArgument if n_clusters < 1, n_samples < n_clusters, max_iter < 1, n_init < 1,
///         clara_samples < 1, clara_sample_size < 0 or a value is not finite
/// @throws Cancelled if progress returns false
KMedoidsResult kmedoids(const RowMatrix& x, const KMedoidsParams& params, const ProgressFn& progress = {});

}  // namespace core
