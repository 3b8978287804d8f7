#include "scaling.h"

#include <cmath>

namespace core {

void log1p_inplace(RowMatrix& x) {
  double* p = x.data();
  for (Eigen::Index i = 0; i < x.size(); ++i) p[i] = std::log1p(p[i] > 0 ? p[i] : 0.0);
}

StandardScaler StandardScaler::fit(const RowMatrix& x) {
  const Eigen::Index n = x.rows(), d = x.cols();
  StandardScaler s;
  s.mean = Eigen::VectorXd::Zero(d);
  s.scale = Eigen::VectorXd::Ones(d);
  if (n == 0) return s;
  // Two passes in row order: plain loops so native and wasm sum in the same order.
  for (Eigen::Index i = 0; i < n; ++i)
    for (Eigen::Index j = 0; j < d; ++j) s.mean[j] += x(i, j);
  for (Eigen::Index j = 0; j < d; ++j) s.mean[j] /= static_cast<double>(n);
  Eigen::VectorXd var = Eigen::VectorXd::Zero(d);
  for (Eigen::Index i = 0; i < n; ++i)
    for (Eigen::Index j = 0; j < d; ++j) {
      const double c = x(i, j) - s.mean[j];
      var[j] += c * c;
    }
  for (Eigen::Index j = 0; j < d; ++j) {
    const double sd = std::sqrt(var[j] / static_cast<double>(n));
    // Relative threshold, as scikit-learn's _is_constant_feature: a spread at rounding level is none.
    s.scale[j] = sd > 10 * 2.220446049250313e-16 * (std::abs(s.mean[j]) + 1) ? sd : 1.0;
  }
  return s;
}

void StandardScaler::transform_inplace(RowMatrix& x) const {
  for (Eigen::Index i = 0; i < x.rows(); ++i)
    for (Eigen::Index j = 0; j < x.cols(); ++j) x(i, j) = (x(i, j) - mean[j]) / scale[j];
}

}  // namespace core
