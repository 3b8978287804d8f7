#include "gmm.h"

#include <cmath>
#include <limits>
#include <string>

#include "errors.h"
#include "kmeans.h"
#include "random.h"

namespace core {
namespace {

using Idx = Eigen::Index;
constexpr double kLog2Pi = 1.8378770664093454835606594728112;
constexpr double kEps = 2.220446049250313e-16;

// One mixture: parameters and, per component, the Cholesky factor L of its covariance (lower
// triangle, row-major d × d; only the diagonal is used for kDiag) and Σ_j log L_jj.
struct Model {
  Eigen::VectorXd weights;
  RowMatrix means;
  std::vector<RowMatrix> cov;
  std::vector<RowMatrix> chol;
  std::vector<double> log_det_half;
};

// Plain-loop Cholesky (fixed operation order, identical native and wasm). False if not positive definite.
bool cholesky(const RowMatrix& a, RowMatrix& l) {
  const Idx d = a.rows();
  l = RowMatrix::Zero(d, d);
  for (Idx j = 0; j < d; ++j) {
    double s = a(j, j);
    for (Idx t = 0; t < j; ++t) s -= l(j, t) * l(j, t);
    if (!(s > 0)) return false;
    l(j, j) = std::sqrt(s);
    for (Idx i = j + 1; i < d; ++i) {
      double v = a(i, j);
      for (Idx t = 0; t < j; ++t) v -= l(i, t) * l(j, t);
      l(i, j) = v / l(j, j);
    }
  }
  return true;
}

// M-step (sklearn's _estimate_gaussian_parameters, then weights normalised as it does).
Model m_step(const RowMatrix& x, const RowMatrix& resp, const GmmParams& p, bool initial) {
  const Idx n = x.rows(), d = x.cols(), k = resp.cols();
  const bool full = p.covariance == CovarianceType::kFull;
  Model m;
  Eigen::VectorXd nk = Eigen::VectorXd::Zero(k);
  for (Idx i = 0; i < n; ++i)
    for (Idx c = 0; c < k; ++c) nk[c] += resp(i, c);
  for (Idx c = 0; c < k; ++c) nk[c] += 10 * kEps;  // as sklearn: no division by zero for an empty component
  m.means = RowMatrix::Zero(k, d);
  for (Idx i = 0; i < n; ++i)
    for (Idx c = 0; c < k; ++c)
      for (Idx j = 0; j < d; ++j) m.means(c, j) += resp(i, c) * x(i, j);
  for (Idx c = 0; c < k; ++c)
    for (Idx j = 0; j < d; ++j) m.means(c, j) /= nk[c];
  m.cov.assign(static_cast<std::size_t>(k), RowMatrix::Zero(d, d));
  std::vector<double> diff(static_cast<std::size_t>(d));
  for (Idx i = 0; i < n; ++i)
    for (Idx c = 0; c < k; ++c) {
      RowMatrix& s = m.cov[static_cast<std::size_t>(c)];
      const double r = resp(i, c);
      for (Idx j = 0; j < d; ++j) diff[static_cast<std::size_t>(j)] = x(i, j) - m.means(c, j);
      for (Idx a = 0; a < d; ++a) {
        const double ra = r * diff[static_cast<std::size_t>(a)];
        if (!full) {
          s(a, a) += ra * diff[static_cast<std::size_t>(a)];
          continue;
        }
        for (Idx b = 0; b <= a; ++b) s(a, b) += ra * diff[static_cast<std::size_t>(b)];
      }
    }
  m.chol.resize(static_cast<std::size_t>(k));
  m.log_det_half.resize(static_cast<std::size_t>(k));
  for (Idx c = 0; c < k; ++c) {
    RowMatrix& s = m.cov[static_cast<std::size_t>(c)];
    for (Idx a = 0; a < d; ++a)
      for (Idx b = 0; b <= a; ++b) {
        s(a, b) /= nk[c];
        if (a == b) s(a, b) += p.reg_covar;
        s(b, a) = s(a, b);
      }
    if (!cholesky(s, m.chol[static_cast<std::size_t>(c)]))
      throw InvalidArgument("fitting the Gaussian mixture failed: component " + std::to_string(c) +
                            " has an ill-defined covariance (collapsed or duplicate points); increase reg_covar "
                            "(now " + std::to_string(p.reg_covar) + ") or decrease n_components=" +
                            std::to_string(k));
    double h = 0;
    for (Idx j = 0; j < d; ++j) h += std::log(m.chol[static_cast<std::size_t>(c)](j, j));
    m.log_det_half[static_cast<std::size_t>(c)] = h;
  }
  m.weights = nk;
  double total = 0;
  for (Idx c = 0; c < k; ++c) total += nk[c];
  for (Idx c = 0; c < k; ++c) m.weights[c] /= initial ? static_cast<double>(n) : total;
  return m;
}

// E-step: log responsibilities into log_resp; returns the mean log-likelihood per sample.
double e_step(const RowMatrix& x, const Model& m, RowMatrix& log_resp) {
  const Idx n = x.rows(), d = x.cols(), k = m.means.rows();
  std::vector<double> y(static_cast<std::size_t>(d));
  double total = 0;
  for (Idx i = 0; i < n; ++i) {
    double mx = -std::numeric_limits<double>::infinity();
    for (Idx c = 0; c < k; ++c) {
      const RowMatrix& l = m.chol[static_cast<std::size_t>(c)];
      double quad = 0;
      for (Idx a = 0; a < d; ++a) {  // solve L y = x − μ (forward substitution)
        double v = x(i, a) - m.means(c, a);
        for (Idx b = 0; b < a; ++b) v -= l(a, b) * y[static_cast<std::size_t>(b)];
        y[static_cast<std::size_t>(a)] = v / l(a, a);
        quad += y[static_cast<std::size_t>(a)] * y[static_cast<std::size_t>(a)];
      }
      const double v = std::log(m.weights[c]) - 0.5 * (static_cast<double>(d) * kLog2Pi + quad) -
                       m.log_det_half[static_cast<std::size_t>(c)];
      log_resp(i, c) = v;
      if (v > mx) mx = v;
    }
    double s = 0;
    for (Idx c = 0; c < k; ++c) s += std::exp(log_resp(i, c) - mx);
    const double norm = mx + std::log(s);
    for (Idx c = 0; c < k; ++c) log_resp(i, c) -= norm;
    total += norm;
  }
  return total / static_cast<double>(n);
}

RowMatrix one_hot(const std::vector<int>& labels, Idx k) {
  RowMatrix r = RowMatrix::Zero(static_cast<Idx>(labels.size()), k);
  for (std::size_t i = 0; i < labels.size(); ++i) r(static_cast<Idx>(i), labels[i]) = 1;
  return r;
}

}  // namespace

GmmResult gmm(const RowMatrix& x, const GmmParams& p, const ProgressFn& progress) {
  const Idx n = x.rows(), d = x.cols(), k = p.n_components;
  if (k < 1) throw InvalidArgument("n_components=" + std::to_string(k) + " should be >= 1");
  if (n < k) throw InvalidArgument("n_samples=" + std::to_string(n) + " should be >= n_components=" + std::to_string(k));
  if (!(p.tol >= 0)) throw InvalidArgument("tol=" + std::to_string(p.tol) + " should be >= 0");
  if (!(p.reg_covar >= 0)) throw InvalidArgument("reg_covar=" + std::to_string(p.reg_covar) + " should be >= 0");
  if (p.max_iter < 1) throw InvalidArgument("max_iter=" + std::to_string(p.max_iter) + " should be >= 1");
  if (p.n_init < 1) throw InvalidArgument("n_init=" + std::to_string(p.n_init) + " should be >= 1");
  if (!p.init_labels.empty()) {
    if (static_cast<Idx>(p.init_labels.size()) != n)
      throw InvalidArgument("init_labels has " + std::to_string(p.init_labels.size()) + " entries for n_samples=" +
                            std::to_string(n));
    for (int l : p.init_labels)
      if (l < 0 || l >= k)
        throw InvalidArgument("init_labels holds " + std::to_string(l) + ", outside 0.." + std::to_string(k - 1));
  }
  for (Idx i = 0; i < x.size(); ++i)
    if (!std::isfinite(x.data()[i]))
      throw InvalidArgument("row " + std::to_string(i / d + 1) + " holds a value that is not a finite number");

  const int runs = p.init_labels.empty() ? p.n_init : 1;
  Rng seeder(p.seed);
  RowMatrix log_resp(n, k), resp(n, k);
  Model best;
  double best_bound = -std::numeric_limits<double>::infinity();
  GmmResult out;
  for (int r = 0; r < runs; ++r) {
    std::vector<int> init = p.init_labels;
    if (init.empty()) {
      KMeansParams kp;
      kp.n_clusters = p.n_components;
      kp.n_init = 1;
      kp.seed = seeder.next_u64();
      init = kmeans(x, kp).labels;
    }
    Model m = m_step(x, one_hot(init, k), p, true);
    double bound = -std::numeric_limits<double>::infinity();
    bool converged = false;
    int it = 1;
    for (; it <= p.max_iter; ++it) {
      const double prev = bound;
      bound = e_step(x, m, log_resp);
      for (Idx i = 0; i < log_resp.size(); ++i) resp.data()[i] = std::exp(log_resp.data()[i]);
      m = m_step(x, resp, p, false);
      if (std::abs(bound - prev) < p.tol) {
        converged = true;
        break;
      }
      if (progress && !progress((r + static_cast<double>(it) / p.max_iter) / runs)) throw Cancelled();
    }
    if (r == 0 || bound > best_bound) {
      best_bound = bound, best = std::move(m);
      out.n_iter = std::min(it, p.max_iter), out.converged = converged;
    }
    if (progress && !progress(static_cast<double>(r + 1) / runs)) throw Cancelled();
  }

  // Final E-step: responsibilities and labels consistent with the returned parameters.
  out.log_likelihood = e_step(x, best, log_resp);
  out.lower_bound = best_bound;
  out.responsibilities.resize(n, k);
  out.labels.resize(static_cast<std::size_t>(n));
  for (Idx i = 0; i < n; ++i) {
    int arg = 0;
    for (Idx c = 0; c < k; ++c) {
      out.responsibilities(i, c) = std::exp(log_resp(i, c));
      if (log_resp(i, c) > log_resp(i, arg)) arg = static_cast<int>(c);
    }
    out.labels[static_cast<std::size_t>(i)] = arg;
  }
  const std::int64_t kk = k, dd = d;
  const std::int64_t cov_params = p.covariance == CovarianceType::kFull ? kk * dd * (dd + 1) / 2 : kk * dd;
  out.n_parameters = cov_params + kk * dd + kk - 1;
  const double nn = static_cast<double>(n), np = static_cast<double>(out.n_parameters);
  out.bic = -2 * out.log_likelihood * nn + np * std::log(nn);
  out.aic = -2 * out.log_likelihood * nn + 2 * np;
  out.weights = best.weights;
  out.means = best.means;
  out.covariances = best.cov;
  return out;
}

}  // namespace core
