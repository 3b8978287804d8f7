// Agglomerative (hierarchical) clustering with SciPy-compatible output.
//
//   ward      nearest-neighbour chain (Benzécri, 1982; Murtagh, 1983; as in D. Müllner, "Modern
//             hierarchical, agglomerative clustering algorithms", arXiv:1109.2378, 2011, Fig. 5) on
//             cluster centroids: the merge cost of a and b is Δ = |a||b|/(|a|+|b|)·‖c_a − c_b‖²
//             (Ward, 1963), so only centroids and sizes are kept: O(n·d) memory, O(n²·d) time.
//   single    Prim's minimum spanning tree (Gower & Ross, 1969; Müllner §3.1) with distances
//             computed on the fly: O(n) extra memory, O(n²·d) time.
//   average,  the nearest-neighbour chain with Lance–Williams updates (Lance & Williams, 1967) on the
//   complete  matrix of pairwise cluster distances: O(n²) memory, so they are refused above
//             kMaxPairwiseLinkageRows rows (see there).
//
// The result is SciPy's linkage matrix Z: row i merges clusters Z(i,0) < Z(i,1) (ids < n are rows,
// n + j is the cluster formed in row j) at height Z(i,2) into a cluster of Z(i,3) rows; rows are in
// non-decreasing height (stable), heights as scipy.cluster.hierarchy.linkage reports them
// (Euclidean; for ward √(2Δ), the Lance–Williams Ward distance).
#pragma once

#include <string>
#include <vector>

#include "progress.h"
#include "scaling.h"

namespace core {

enum class LinkageMethod { kWard, kAverage, kComplete, kSingle };

/// "ward" | "average" | "complete" | "single".
/// @throws InvalidArgument naming the accepted values
LinkageMethod parse_linkage(const std::string& name);
const char* linkage_name(LinkageMethod method);

/// Average and complete linkage keep n(n − 1)/2 doubles: 10 000 rows need 400 MB, the most a page
/// can reasonably ask of a browser tab (wasm memory is capped at 4 GB, and 20 000 rows would need
/// 1.6 GB). Ward and single linkage have no such limit (O(n) memory), only O(n²) time.
constexpr Eigen::Index kMaxPairwiseLinkageRows = 10000;

/// @param x  n_samples × n_features, n_samples ≥ 2
/// @returns  Z, (n − 1) × 4 (see the file comment)
/// @throws InvalidArgument if n_samples < 2, a value is not finite, or method is average/complete
///         and n_samples > kMaxPairwiseLinkageRows (the message names the limit and suggests ward)
/// @throws Cancelled if progress returns false
RowMatrix linkage_matrix(const RowMatrix& x, LinkageMethod method, const ProgressFn& progress = {});

/// Flat labels 0..k−1 from cutting the tree into n_clusters clusters (the first n − n_clusters merges
/// of Z), numbered in order of first appearance by row; equal to scipy.cluster.hierarchy.cut_tree up
/// to a permutation of the labels.
/// @throws InvalidArgument if Z is not (n − 1) × 4 with valid ids or n_clusters is outside 1..n
std::vector<int> cut_tree(const RowMatrix& z, int n_clusters);

}  // namespace core
