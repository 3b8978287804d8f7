// t-SNE (van der Maaten & Hinton, "Visualizing Data using t-SNE", JMLR 9, 2008) with the Barnes–Hut
// approximation of van der Maaten, "Accelerating t-SNE using Tree-Based Algorithms", JMLR 15, 2014:
// the page's 2-D customer map, where PCA (embedding.h) keeps only the two directions of largest
// variance and t-SNE keeps neighbourhoods.
//
// Input affinities: Gaussian kernels over the ⌊3·perplexity⌋ exact nearest neighbours (ties by row
// index; found by a walk along the first principal axis that prunes but never misses), the
// precision β of each row found by bisection so the row's entropy is log(perplexity), as the
// reference bhtsne, then P = (P + Pᵀ) / Σ. Output: a quadtree over the 2-D map; a cell is summarised
// by its centre of mass when width / distance < θ, width being the larger side of the bounding box
// of the cell's points. The tree is walked once per group of nearby points rather than per point
// (Barnes, J. Comput. Phys. 87, 1990), with the criterion checked from the group's nearest point,
// so each point gets at least the per-point accuracy. Optimisation as the reference implementation:
// early exaggeration for 250 iterations, momentum 0.5 then 0.8, adaptive gains (+0.2 / ×0.8, at
// least 0.01), map re-centred after each step. The gradient keeps the factor 4 of the KL gradient, so
// learning_rate = 0 means scikit-learn's and openTSNE's "auto", max(n / early_exaggeration / 4, 50)
// (Belkina et al., Nat. Commun. 10, 2019). Initialisation as openTSNE's "pca": the first two
// principal components scaled so the first has standard deviation 1e-4, plus a jitter of standard
// deviation 1e-6 from params.seed (uniform, not Gaussian) that separates identical customers.
//
// Large n: t-SNE runs on a uniform sample of max_points rows; every other row is placed at the
// 1/distance-weighted mean of the map positions of its 10 nearest sampled rows (feature space), as
// openTSNE's weighted-mean initialisation of new points. The sample and the jitter come from two
// streams of the seed, so the sample rows get exactly the map t-SNE gives them on their own.
//
// Determinism: plain loops in fixed orders (no threads, no Eigen reductions, no std:: distributions,
// no libm exp/log: their last bits differ between glibc and Emscripten's musl, so tsne.cpp uses
// portable_math.h's, from + − × ÷), so one seed gives the same map bit for bit natively and in wasm
// for the same input bits. The map amplifies any difference in the input's last bits (a 1-ulp change
// in one value gives another map of the same quality), so whatever produces the input must be
// libm-free too: log1p_inplace is (portable_math.h), a std::log or std::cos upstream is not.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "progress.h"
#include "scaling.h"

namespace core {

struct TsneParams {
  double perplexity = 30;    ///< effective number of neighbours; reduced to (n − 1)/3 if larger
  double theta = 0.5;        ///< Barnes–Hut accuracy: 0 is exact (slow), larger is faster
  int n_iter = 750;          ///< gradient steps, the first 250 with early exaggeration
  double learning_rate = 0;  ///< 0 = auto: max(n / early_exaggeration / 4, 50)
  double early_exaggeration = 12;
  std::uint64_t seed = 1;          ///< the sample (large n) and, separately, the initial jitter
  std::int64_t max_points = 3000;  ///< t-SNE on a uniform sample of this many rows when n is larger
};

struct TsneResult {
  RowMatrix embedding;                    ///< n × 2 map coordinates, one row per input row
  double kl_divergence = 0;               ///< KL(P‖Q) of the sample's final map (exact Z if ≤ 3000 rows)
  int n_iter = 0;                         ///< gradient steps taken
  bool sampled = false;                   ///< true if t-SNE ran on a sample and the rest were placed
  std::vector<std::int64_t> sample_rows;  ///< ascending rows t-SNE ran on (all rows if not sampled)
  double perplexity_used = 0;             ///< after the reduction to (n_sample − 1)/3
  std::string note;                       ///< why perplexity was reduced; empty otherwise
};

/// Calibrated input affinities of t-SNE before symmetrisation.
struct TsneAffinities {
  int k = 0;                             ///< neighbours per row: ⌊3·perplexity⌋, within 1..n − 1
  std::vector<std::int32_t> neighbours;  ///< n × k row-major, nearest first (ties: lower row)
  std::vector<double> distances;         ///< n × k squared Euclidean distances
  std::vector<double> conditional;       ///< n × k p(j | i); every row sums to 1
  std::vector<double> beta;              ///< n kernel precisions 1 / (2σᵢ²)
};

/// p(j | i) ∝ exp(−βᵢ·‖xᵢ − xⱼ‖²) over the k nearest neighbours j of i, βᵢ found by bisection
/// until the row's entropy (natural log) is within 1e-5 of log(perplexity), at most 200 steps.
/// @throws InvalidArgument if n_samples < 2, n_features < 1, perplexity ≤ 0 or not finite, a value is
///         not finite, or squared distances overflow
TsneAffinities tsne_affinities(const RowMatrix& x, double perplexity);

/// 2-D t-SNE map of the rows of x.
/// @param x  n_samples × n_features (already scaled: distances are Euclidean on these values)
/// @throws InvalidArgument if n_samples < 4, n_features < 1, perplexity ≤ 0, theta < 0,
///         n_iter < 1, learning_rate < 0, early_exaggeration < 1, max_points < 4, or a value is not
///         finite
/// @throws Cancelled if progress (called every 25 iterations) returns false
TsneResult tsne(const RowMatrix& x, const TsneParams& params = {}, const ProgressFn& progress = {});

}  // namespace core
