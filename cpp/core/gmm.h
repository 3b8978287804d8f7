// Gaussian mixture models fitted by expectation–maximisation (Dempster, Laird & Rubin, 1977; the
// mixture updates as in Bishop, "Pattern Recognition and Machine Learning", 2006, §9.2.2), written
// to behave as scikit-learn's GaussianMixture: k-means initialisation (init_params='kmeans'),
// reg_covar added to every covariance diagonal, convergence when the mean log-likelihood per sample
// changes by less than tol, the best of n_init runs by that bound, a final E-step so labels and
// responsibilities match the returned parameters, and BIC/AIC with sklearn's parameter count.
// Soft memberships make segment boundaries visible: a customer at 0.55/0.45 is a borderline case.
#pragma once

#include <cstdint>
#include <vector>

#include "progress.h"
#include "scaling.h"

namespace core {

enum class CovarianceType { kFull, kDiag };

struct GmmParams {
  int n_components = 4;
  CovarianceType covariance = CovarianceType::kFull;
  /// On the change of the mean log-likelihood per sample. sklearn's default 1e-3 stops early: on
  /// iris (k = 3, full) at a total log-likelihood of −180.1957 after 17 iterations, where EM goes
  /// on to −180.1855 (23 iterations at 1e-6; tests/cpp/test_gmm.cpp). The reference tests set 1e-3.
  double tol = 1e-6;
  double reg_covar = 1e-6;  ///< added to covariance diagonals: keeps them positive definite
  int max_iter = 300;       ///< sklearn's 100 is often too few at tol 1e-6 (converged says whether it was)
  int n_init = 1;
  std::uint64_t seed = 1;        ///< seeds the k-means initialisations
  std::vector<int> init_labels;  ///< optional: one run from these hard labels instead of k-means
};

struct GmmResult {
  Eigen::VectorXd weights;             ///< k mixing proportions, Σ = 1
  RowMatrix means;                     ///< k × d
  std::vector<RowMatrix> covariances;  ///< k matrices d × d (diagonal for kDiag), reg_covar included
  RowMatrix responsibilities;          ///< n × k posterior membership probabilities, rows sum to 1
  std::vector<int> labels;             ///< argmax of each row of responsibilities (ties: lower)
  double log_likelihood = 0;           ///< mean log-likelihood per sample (sklearn's score(X))
  double lower_bound = 0;              ///< the best run's last EM bound (sklearn's lower_bound_)
  double bic = 0;                      ///< −2·n·log_likelihood + n_parameters·ln n
  double aic = 0;                      ///< −2·n·log_likelihood + 2·n_parameters
  std::int64_t n_parameters = 0;       ///< k·d means + covariance terms + k − 1 weights
  int n_iter = 0;
  bool converged = false;
  /// Components that collapsed: fewer than d + 1 customers' weight (a full covariance needs more),
  /// or a covariance whose smallest eigenvalue is at the regularisation floor (≤ 10·reg_covar, or
  /// below 1e-4 of the data's mean per-feature variance) — a component sitting on rows that share
  /// one value of a feature (e.g. customers of exactly one order). Its likelihood grows without
  /// bound as its variance shrinks, so its BIC is not comparable with a fit without one.
  std::vector<int> collapsed;
};

/// @param x  n_samples × n_features
/// @throws InvalidArgument if n_components < 1, n_samples < n_components, tol < 0, reg_covar < 0,
///         max_iter < 1, n_init < 1, init_labels of the wrong size or range, a non-finite value, or
///         a covariance that is not positive definite (increase reg_covar)
/// @throws Cancelled if progress returns false
GmmResult gmm(const RowMatrix& x, const GmmParams& params, const ProgressFn& progress = {});

/// The most probable component of each row under a fitted mixture (as the fit's final E-step
/// computes it: the same labels for the rows it was fitted on), and the posteriors if asked.
/// @throws InvalidArgument on shapes that do not fit or a covariance that is not positive definite
std::vector<int> gmm_predict(const RowMatrix& x, const Eigen::VectorXd& weights, const RowMatrix& means,
                             const std::vector<RowMatrix>& covariances, RowMatrix* responsibilities = nullptr);

}  // namespace core
