#include "embedding.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>
#include <vector>

#include "errors.h"

namespace core {

void symmetric_eigen(const RowMatrix& input, Eigen::VectorXd& values, RowMatrix& vectors) {
  using Idx = Eigen::Index;
  const Idx d = input.rows();
  RowMatrix a = input;
  RowMatrix v = RowMatrix::Identity(d, d);
  double frob = 0;
  for (Idx i = 0; i < d; ++i)
    for (Idx j = 0; j < d; ++j) frob += a(i, j) * a(i, j);
  for (int sweep = 0; sweep < 100; ++sweep) {
    double off = 0;
    for (Idx p = 0; p < d; ++p)
      for (Idx q = p + 1; q < d; ++q) off += a(p, q) * a(p, q);
    if (off <= 1e-32 * frob) break;  // off-diagonal mass at rounding level: converged (quadratically)
    for (Idx p = 0; p < d; ++p)
      for (Idx q = p + 1; q < d; ++q) {
        if (a(p, q) == 0) continue;
        // Algorithm 8.5.1 (symmetric Schur): c, s with (JᵀAJ)(p, q) = 0, the smaller rotation angle.
        const double tau = (a(q, q) - a(p, p)) / (2 * a(p, q));
        const double t = tau >= 0 ? 1 / (tau + std::sqrt(1 + tau * tau)) : -1 / (-tau + std::sqrt(1 + tau * tau));
        const double c = 1 / std::sqrt(1 + t * t), s = t * c;
        for (Idx k = 0; k < d; ++k) {  // A ← A·J
          const double akp = a(k, p), akq = a(k, q);
          a(k, p) = c * akp - s * akq;
          a(k, q) = s * akp + c * akq;
        }
        for (Idx k = 0; k < d; ++k) {  // A ← Jᵀ·A
          const double apk = a(p, k), aqk = a(q, k);
          a(p, k) = c * apk - s * aqk;
          a(q, k) = s * apk + c * aqk;
        }
        a(p, q) = a(q, p) = 0;
        for (Idx k = 0; k < d; ++k) {  // V ← V·J
          const double vkp = v(k, p), vkq = v(k, q);
          v(k, p) = c * vkp - s * vkq;
          v(k, q) = s * vkp + c * vkq;
        }
      }
  }
  std::vector<Idx> order(static_cast<std::size_t>(d));
  std::iota(order.begin(), order.end(), Idx{0});
  std::stable_sort(order.begin(), order.end(), [&](Idx i, Idx j) { return a(i, i) > a(j, j); });
  values.resize(d);
  vectors.resize(d, d);
  for (Idx c = 0; c < d; ++c) {
    const Idx src = order[static_cast<std::size_t>(c)];
    values[c] = a(src, src);
    Idx big = 0;
    for (Idx k = 1; k < d; ++k)
      if (std::abs(v(k, src)) > std::abs(v(big, src))) big = k;
    const double sign = v(big, src) < 0 ? -1.0 : 1.0;
    for (Idx k = 0; k < d; ++k) vectors(k, c) = sign * v(k, src);
  }
}

PcaResult pca(const RowMatrix& x, const PcaParams& params) {
  using Idx = Eigen::Index;
  const Idx n = x.rows(), d = x.cols(), m = params.n_components;
  if (n < 2) throw InvalidArgument("n_samples=" + std::to_string(n) + " should be >= 2 for PCA");
  if (m < 1 || m > std::min(n, d))
    throw InvalidArgument("n_components=" + std::to_string(m) +
                          " should be between 1 and min(n_samples, n_features)=" + std::to_string(std::min(n, d)));
  for (Idx i = 0; i < x.size(); ++i)
    if (!std::isfinite(x.data()[i]))
      throw InvalidArgument("row " + std::to_string(i / d + 1) + " holds a value that is not a finite number");
  PcaResult r;
  r.mean = Eigen::VectorXd::Zero(d);
  for (Idx i = 0; i < n; ++i)
    for (Idx j = 0; j < d; ++j) r.mean[j] += x(i, j);
  for (Idx j = 0; j < d; ++j) r.mean[j] /= static_cast<double>(n);
  RowMatrix cov = RowMatrix::Zero(d, d);
  std::vector<double> c(static_cast<std::size_t>(d));
  for (Idx i = 0; i < n; ++i) {
    for (Idx j = 0; j < d; ++j) c[static_cast<std::size_t>(j)] = x(i, j) - r.mean[j];
    for (Idx a = 0; a < d; ++a)
      for (Idx b = 0; b <= a; ++b) cov(a, b) += c[static_cast<std::size_t>(a)] * c[static_cast<std::size_t>(b)];
  }
  double total = 0;
  for (Idx a = 0; a < d; ++a) {
    for (Idx b = 0; b <= a; ++b) cov(b, a) = cov(a, b) /= static_cast<double>(n - 1);
    total += cov(a, a);
  }
  Eigen::VectorXd values;
  RowMatrix vectors;
  symmetric_eigen(cov, values, vectors);
  r.components.resize(m, d);
  r.explained_variance.resize(m);
  r.explained_variance_ratio.resize(m);
  r.loadings.resize(d, m);
  for (Idx k = 0; k < m; ++k) {
    const double ev = std::max(values[k], 0.0);  // rounding can leave −1e-17 for a null direction
    r.explained_variance[k] = ev;
    r.explained_variance_ratio[k] = total > 0 ? ev / total : 0.0;
    for (Idx j = 0; j < d; ++j) {
      r.components(k, j) = vectors(j, k);
      r.loadings(j, k) = vectors(j, k) * std::sqrt(ev);
    }
  }
  r.embedding = pca_transform(r, x);
  return r;
}

RowMatrix pca_transform(const PcaResult& f, const RowMatrix& x) {
  using Idx = Eigen::Index;
  const Idx d = f.components.cols(), m = f.components.rows();
  if (x.cols() != d)
    throw InvalidArgument("the rows have " + std::to_string(x.cols()) + " columns; the PCA was fitted on " +
                          std::to_string(d));
  RowMatrix out(x.rows(), m);
  for (Idx i = 0; i < x.rows(); ++i)
    for (Idx k = 0; k < m; ++k) {
      double s = 0;
      for (Idx j = 0; j < d; ++j) s += (x(i, j) - f.mean[j]) * f.components(k, j);
      out(i, k) = s;
    }
  return out;
}

}  // namespace core
