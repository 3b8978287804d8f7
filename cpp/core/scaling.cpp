#include "scaling.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "portable_math.h"

namespace core {
namespace {

constexpr double kEps = 2.220446049250313e-16;

// scikit-learn's _handle_zeros_in_scale: a scale at rounding level means "no spread", keep 1.
double nonzero_scale(double s) { return s < 10 * kEps ? 1.0 : s; }

// (x − center[j]) / scale[j], column by column.
void shift_and_scale(RowMatrix& x, const Eigen::VectorXd& center, const Eigen::VectorXd& scale) {
  for (Eigen::Index i = 0; i < x.rows(); ++i)
    for (Eigen::Index j = 0; j < x.cols(); ++j) x(i, j) = (x(i, j) - center[j]) / scale[j];
}

}  // namespace

void log1p_inplace(RowMatrix& x) {
  double* p = x.data();
  // Not std::log1p: glibc's and musl's differ in the last bit for about 1 value in 10,000, and the
  // native and wasm builds must give the same features (t-SNE amplifies any difference).
  for (Eigen::Index i = 0; i < x.size(); ++i) p[i] = portable::log1p(p[i] > 0 ? p[i] : 0.0);
}

double quantile_sorted(const std::vector<double>& v, double q) {
  if (v.empty()) return std::numeric_limits<double>::quiet_NaN();
  const double pos = static_cast<double>(v.size() - 1) * q;  // NumPy's (n − 1)·q for 'linear'
  double lo_d = std::floor(pos);
  if (lo_d < 0) lo_d = 0;
  const std::size_t lo = std::min(static_cast<std::size_t>(lo_d), v.size() - 1);
  const std::size_t hi = std::min(lo + 1, v.size() - 1);
  const double t = pos - lo_d, a = v[lo], b = v[hi], diff = b - a;
  // NumPy's _lerp: from the nearer end, so t = 1 returns b exactly.
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}

double median_sorted(const std::vector<double>& v) {
  if (v.empty()) return std::numeric_limits<double>::quiet_NaN();
  const std::size_t h = v.size() / 2;
  return v.size() % 2 ? v[h] : (v[h - 1] + v[h]) / 2;
}

std::vector<double> sorted_column(const RowMatrix& x, Eigen::Index j) {
  std::vector<double> v(static_cast<std::size_t>(x.rows()));
  for (Eigen::Index i = 0; i < x.rows(); ++i) v[static_cast<std::size_t>(i)] = x(i, j);
  std::sort(v.begin(), v.end());
  return v;
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
    s.scale[j] = sd > 10 * kEps * (std::abs(s.mean[j]) + 1) ? sd : 1.0;
  }
  return s;
}

void StandardScaler::transform_inplace(RowMatrix& x) const { shift_and_scale(x, mean, scale); }

RobustScaler RobustScaler::fit(const RowMatrix& x) {
  const Eigen::Index d = x.cols();
  RobustScaler s;
  s.center = Eigen::VectorXd::Zero(d);
  s.scale = Eigen::VectorXd::Ones(d);
  if (x.rows() == 0) return s;
  for (Eigen::Index j = 0; j < d; ++j) {
    const std::vector<double> v = sorted_column(x, j);
    s.center[j] = median_sorted(v);
    s.scale[j] = nonzero_scale(quantile_sorted(v, 0.75) - quantile_sorted(v, 0.25));
  }
  return s;
}

void RobustScaler::transform_inplace(RowMatrix& x) const { shift_and_scale(x, center, scale); }

MinMaxScaler MinMaxScaler::fit(const RowMatrix& x) {
  const Eigen::Index n = x.rows(), d = x.cols();
  MinMaxScaler s;
  s.min = Eigen::VectorXd::Zero(d);
  s.range = Eigen::VectorXd::Ones(d);
  if (n == 0) return s;
  for (Eigen::Index j = 0; j < d; ++j) {
    double lo = x(0, j), hi = x(0, j);
    for (Eigen::Index i = 1; i < n; ++i) {
      lo = std::min(lo, x(i, j));
      hi = std::max(hi, x(i, j));
    }
    s.min[j] = lo;
    s.range[j] = nonzero_scale(hi - lo);
  }
  return s;
}

void MinMaxScaler::transform_inplace(RowMatrix& x) const { shift_and_scale(x, min, range); }

}  // namespace core
