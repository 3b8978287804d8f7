// Cluster quality measures, defined as scikit-learn defines them so the numbers can be checked
// against it: inertia, the silhouette (P. J. Rousseeuw, "Silhouettes: a graphical aid to the
// interpretation and validation of cluster analysis", J. Comput. Appl. Math. 20, 1987), the
// Davies–Bouldin index (Davies & Bouldin, IEEE TPAMI 1, 1979) and the Calinski–Harabasz index
// (Calinski & Harabasz, Commun. Stat. 3, 1974). Labels may be any non-negative integers; the
// clusters are the distinct values. Memory O(n + k·d): the silhouette is blocked over rows and never
// holds an n × n matrix.
#pragma once

#include <cstdint>
#include <vector>

#include "progress.h"
#include "scaling.h"

namespace core {

/// Σ squared Euclidean distance of each row to centers(labels[i]).
/// @throws InvalidArgument on a size mismatch or a label outside 0..centers.rows()−1
double inertia(const RowMatrix& x, const std::vector<int>& labels, const RowMatrix& centers);

/// Σ squared distance of each row to the mean of its cluster (inertia about the cluster means).
double within_cluster_ss(const RowMatrix& x, const std::vector<int>& labels);

struct SilhouetteResult {
  std::vector<double> values;      ///< s(i) per row (exact) or per sampled row (see rows)
  std::vector<std::int64_t> rows;  ///< the rows the values belong to (0..n−1 when exact)
  double mean = 0;                 ///< sklearn's silhouette_score when exact; the estimate when sampled
  double std_error = 0;            ///< 0 when exact; else the estimate's standard error
  bool sampled = false;
};

/// Exact silhouette: s(i) = (b − a)/max(a, b), a the mean distance to the other members of i's
/// cluster, b the lowest mean distance to another cluster; 0 for a row alone in its cluster (as
/// sklearn). O(n²·d) time, O(n + block·k) memory.
/// @throws InvalidArgument unless 2 ≤ number of clusters ≤ n − 1 (sklearn's rule), on a size
///         mismatch or a negative label
/// @throws Cancelled if progress returns false
SilhouetteResult silhouette(const RowMatrix& x, const std::vector<int>& labels, const ProgressFn& progress = {});

/// Sampled silhouette for large n: sample_size distinct rows drawn uniformly with core::Rng(seed),
/// each with its exact s(i) against all n rows; the mean of those values is an unbiased estimate of
/// the exact mean, with std_error = sd/√m·√(1 − m/n). (sklearn's sample_size differs: it computes
/// silhouettes within the sample only.) O(m·n·d) time. sample_size ≥ n gives the exact result.
/// @throws InvalidArgument as silhouette, or if sample_size < 2
SilhouetteResult silhouette_sampled(const RowMatrix& x, const std::vector<int>& labels, std::int64_t sample_size,
                                    std::uint64_t seed, const ProgressFn& progress = {});

/// Davies–Bouldin index as sklearn: mean over clusters of max_j (S_i + S_j)/‖c_i − c_j‖, S the mean
/// distance to the centroid; lower is better; 0 when all S or all centroid distances are ≈ 0.
/// @throws InvalidArgument unless 2 ≤ number of clusters ≤ n − 1
double davies_bouldin(const RowMatrix& x, const std::vector<int>& labels);

/// Calinski–Harabasz index as sklearn: [B/(k − 1)] / [W/(n − k)], B and W the between- and
/// within-cluster sums of squares; higher is better; 1 when W = 0.
/// @throws InvalidArgument unless 2 ≤ number of clusters ≤ n − 1
double calinski_harabasz(const RowMatrix& x, const std::vector<int>& labels);

}  // namespace core
