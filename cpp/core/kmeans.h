// K-Means: Lloyd's iterations from greedy k-means++ seeds (Arthur & Vassilvitskii, 2007; the greedy
// variant with 2 + ln k local trials as scikit-learn uses), restarted n_init times with seeds drawn
// from params.seed; the run with the lowest inertia wins.
//
// The assignment step runs either plainly (Lloyd, 1982: every point against every centre, first
// in single precision, four rows per SIMD instruction, then in double for the rows the float
// search cannot decide) or with Hamerly's bounds (G. Hamerly, "Making k-means even faster", SDM
// 2010): one upper bound to the assigned centre and one lower bound to all others per point skip
// most distance computations. Both find the nearest centre exactly as a search in double would
// (a proven rounding bound decides when single precision suffices; Hamerly's bounds are tested
// with a safety margin for rounding), and centres are recomputed from scratch each iteration, so
// the two give bit-identical labels, centres, inertia and iteration counts, natively and in wasm
// (tests/cpp/test_kmeans.cpp checks it). Memory: O(n·d + k²) either way.
//
// minibatch_kmeans (kmeans_minibatch.cpp) is Sculley's web-scale variant for millions of rows.
#pragma once

#include <cstdint>
#include <vector>

#include "progress.h"
#include "random.h"
#include "scaling.h"

namespace core {

/// kAuto: Lloyd. With d = 3 and n_init 10 on 20 000 and 100 000 rows, Hamerly (scalar bound tests
/// against Lloyd's vectorised search) took 1.9–3.5× Lloyd's time in wasm for k = 8…100, natively
/// 1.2–2.8× for k = 8…20 and 0.9× for k = 50 and 100. The results are identical either way.
enum class KMeansAlgorithm { kAuto, kHamerly, kLloyd };

struct KMeansParams {
  int n_clusters = 4;
  int n_init = 10;
  int max_iter = 300;
  double tol = 1e-4;  ///< stop when the centres move less than tol × mean feature variance (squared)
  std::uint64_t seed = 1;
  KMeansAlgorithm algorithm = KMeansAlgorithm::kAuto;  ///< the same result either way, only speed differs
  /// Runs only restarts [restart_begin, restart_end) of the n_init (restart_end -1: to n_init),
  /// each from the seeds it has in the full run: split over workers, the best of the ranges' bests
  /// (least inertia, ties to the lower restart) is the full run's result, bit for bit.
  int restart_begin = 0;
  int restart_end = -1;
};

struct KMeansResult {
  RowMatrix centers;        ///< k × d
  std::vector<int> labels;  ///< cluster of each row, 0..k-1
  double inertia = 0;       ///< Σ squared distance to the assigned centre
  int n_iter = 0;           ///< iterations of the winning run
  bool converged = false;
  int restart = 0;  ///< which restart won (0-based, of the n_init)
};

/// @param x  n_samples × n_features
/// @throws InvalidArgument if n_clusters < 1, n_init < 1, max_iter < 1 or n_samples < n_clusters
/// @throws Cancelled if progress returns false
KMeansResult kmeans(const RowMatrix& x, const KMeansParams& params, const ProgressFn& progress = {});

/// Nearest centre of each row (ties to the lower index).
std::vector<int> assign_labels(const RowMatrix& x, const RowMatrix& centers);

/// Greedy k-means++ seeds: k rows of x (x must have at least one row; k ≥ 1).
RowMatrix kmeans_plusplus(const RowMatrix& x, int k, Rng& rng);

struct MiniBatchKMeansParams {
  int n_clusters = 4;
  int batch_size = 1024;        ///< rows per step, drawn uniformly with replacement
  int max_epochs = 100;         ///< at most max_epochs · n / batch_size steps
  int max_no_improvement = 10;  ///< stop after this many steps without a better smoothed batch inertia
  int n_init = 3;               ///< seedings tried on one validation sample; the best one is run
  int init_size = 0;            ///< rows k-means++ seeds from; 0: min(n, max(3·batch_size, 3·k))
  std::uint64_t seed = 1;
};

struct MiniBatchKMeansResult {
  RowMatrix centers;
  std::vector<int> labels;  ///< nearest centre of every row for the final centres
  double inertia = 0;       ///< over all rows, for the final centres
  std::int64_t n_steps = 0;
  bool converged = false;  ///< stopped by max_no_improvement rather than max_epochs
};

/// Mini-batch k-means (D. Sculley, "Web-scale k-means clustering", WWW 2010, Algorithm 1): each step
/// assigns a random batch to the current centres, then moves each centre towards its batch points
/// with per-centre learning rate 1/(points seen). Memory O(n + batch·d + k·d) beyond x; one full
/// assignment pass at the end gives labels and inertia.
/// @throws InvalidArgument on n_clusters < 1, batch_size < 1, max_epochs < 1, n_init < 1,
///         n_samples < n_clusters or a non-finite value
/// @throws Cancelled if progress returns false
MiniBatchKMeansResult minibatch_kmeans(const RowMatrix& x, const MiniBatchKMeansParams& params,
                                       const ProgressFn& progress = {});

}  // namespace core
