// K-Means: Lloyd's iterations from greedy k-means++ seeds (Arthur & Vassilvitskii, 2007; the greedy
// variant with 2 + ln k local trials as scikit-learn uses), restarted n_init times with seeds drawn
// from params.seed; the run with the lowest inertia wins.
#pragma once

#include <cstdint>
#include <vector>

#include "progress.h"
#include "scaling.h"

namespace core {

struct KMeansParams {
  int n_clusters = 4;
  int n_init = 10;
  int max_iter = 300;
  double tol = 1e-4;  ///< stop when the centres move less than tol × mean feature variance (squared)
  std::uint64_t seed = 1;
};

struct KMeansResult {
  RowMatrix centers;        ///< k × d
  std::vector<int> labels;  ///< cluster of each row, 0..k-1
  double inertia = 0;       ///< Σ squared distance to the assigned centre
  int n_iter = 0;           ///< iterations of the winning run
  bool converged = false;
};

/// @param x  n_samples × n_features
/// @throws InvalidArgument if n_clusters < 1, n_init < 1, max_iter < 1 or n_samples < n_clusters
/// @throws Cancelled if progress returns false
KMeansResult kmeans(const RowMatrix& x, const KMeansParams& params, const ProgressFn& progress = {});

/// Nearest centre of each row (ties to the lower index).
std::vector<int> assign_labels(const RowMatrix& x, const RowMatrix& centers);

}  // namespace core
