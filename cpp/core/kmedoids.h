// k-medoids: FasterPAM (E. Schubert & P. J. Rousseeuw, "Fast and eager k-medoids clustering: O(k)
// runtime improvement of the PAM, CLARA, and CLARANS algorithms", Information Systems 101, 2021,
// Algorithm 2) on Euclidean distances computed on the fly: memory O(n·d + k), no n×n matrix, time
// O(n²·d) per pass over the candidates. Medoids are actual customers, and the objective is the sum of
// (unsquared) distances, so one outlier moves it far less than it moves a k-means centre.
//
// The rows are kept in k-d tree leaves (distance.h: LeafOrder): a candidate's distances to a leaf's
// rows are one vectorised loop, and a leaf whose bounding box is too far for the candidate to
// concern any of its rows is skipped (about 70% of them once the medoids are good). With LAB's start
// above 5,000 rows (BUILD alone costs as much as several passes) FasterPAM on all 20,000 rows takes
// ~2 s natively and ~2.5 s in wasm (k = 5; 17 s and 20 s before), so sampling starts above 20,000.
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
  kAuto,            ///< kBuild up to KMedoidsParams::lab_above rows, kLab above
  kBuild,           ///< PAM's greedy BUILD (Kaufman & Rousseeuw, 1990): deterministic, O(k·n²·d)
  kKMeansPlusPlus,  ///< D²-weighted seeding as k-means++ (Arthur & Vassilvitskii, 2007), O(k·n·d)
  kLab,  ///< BUILD on a fresh sample of 10 + ⌈√n⌉ rows per medoid (Schubert & Rousseeuw, 2019), O(k·n·d)
};

enum class KMedoidsMethod {
  kAuto,       ///< FasterPAM up to auto_clara_above rows, FastCLARA above
  kFasterPam,  ///< all rows
  kFastClara,  ///< samples
};

struct KMedoidsParams {
  int n_clusters = 4;
  KMedoidsInit init = KMedoidsInit::kAuto;
  KMedoidsMethod method = KMedoidsMethod::kAuto;
  int max_iter = 100;      ///< passes over the candidates
  int n_init = 1;          ///< runs: the first from `init`, any others from k-means++ seeds
  std::uint64_t seed = 1;  ///< k-means++ draws, LAB's and CLARA's samples
  int clara_samples = 5;
  int clara_sample_size = 0;  ///< 0: 80 + 4k (capped at n)
  /// KMedoidsInit::kAuto starts from LAB above this many rows. BUILD costs O(k·n²·d), as much as
  /// several FasterPAM passes, which LAB's start saves at the cost of a few more swaps; FasterPAM then
  /// ended within 0.1% of its result from BUILD, mostly at the same medoids (bench points k = 3…6 at
  /// 5,000 and 20,000 rows, the real Online Retail customers k = 3…6).
  std::int64_t lab_above = 5000;
  /// KMedoidsMethod::kAuto samples above this many rows. FasterPAM costs O(n²·d) per pass on the fly,
  /// usually 2–3 passes: from LAB at 20,000 rows, k = 5, about 2 s natively and 2.5 s in wasm (it was
  /// 17 s and 20 s from BUILD before the leaves and vectorised loops; the page runs it in a worker).
  std::int64_t auto_clara_above = 20000;
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
