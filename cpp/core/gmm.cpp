#include "gmm.h"

#include <Eigen/Eigenvalues>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "distance.h"
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

// Responsibilities component by component: r[c·n + i] for row i, component c. The E-step writes
// them block by block in that layout, and the M-step's sums read them as contiguous columns.
using Resp = std::vector<double>;

constexpr Idx kBlock = 128;  // rows per block of the E and M steps (a multiple of kLanes)
constexpr Idx kLanes = 4;    // interleaved partial sums of the M-step

// acc[l] += v[t] for the rows t ≡ l (mod kLanes) of a block, in order. A sum over all rows kept this
// way and then combined lane 0 first has a fixed order whatever the SIMD width (identical native
// and wasm), and its loop vectorises, unlike one running sum.
inline void add_lanes(double* acc, const double* v, Idx bn) {
  Idx t = 0;
  for (; t + kLanes <= bn; t += kLanes)
    for (Idx l = 0; l < kLanes; ++l) acc[l] += v[t + l];
  for (; t < bn; ++t) acc[t % kLanes] += v[t];
}

inline double sum_lanes(const double* acc) { return ((acc[0] + acc[1]) + acc[2]) + acc[3]; }

// M-step (sklearn's _estimate_gaussian_parameters, then weights normalised as it does), on x held
// feature by feature (fm). Two passes over the rows by blocks: Σ r and Σ r·x, then Σ r·(x − μ)(x − μ)ᵀ
// with the means of the first, every sum in kLanes interleaved partial sums (add_lanes): the loops
// run over contiguous rows and vectorise, in place of one running sum per statistic in row order.
Model m_step(const std::vector<double>& fm, Idx n, Idx d, const Resp& resp, Idx k, const GmmParams& p, bool initial) {
  const bool full = p.covariance == CovarianceType::kFull;
  const auto ud = static_cast<std::size_t>(d), ub = static_cast<std::size_t>(kBlock);
  Model m;
  std::vector<double> nk_l(static_cast<std::size_t>(k * kLanes), 0.0);
  std::vector<double> mean_l(static_cast<std::size_t>(k * d * kLanes), 0.0);
  std::vector<double> cov_l(static_cast<std::size_t>(k * d * d * kLanes), 0.0);
  std::vector<double> diff(ud * ub), rdiff(ud * ub);
  alignas(16) double prod[kBlock];
  for (Idx i0 = 0; i0 < n; i0 += kBlock) {
    const Idx bn = std::min(kBlock, n - i0);
    for (Idx c = 0; c < k; ++c) {
      const double* rc = &resp[static_cast<std::size_t>(c * n + i0)];
      add_lanes(&nk_l[static_cast<std::size_t>(c * kLanes)], rc, bn);
      for (Idx j = 0; j < d; ++j) {
        const double* xj = &fm[static_cast<std::size_t>(j * n + i0)];
        for (Idx t = 0; t < bn; ++t) prod[t] = rc[t] * xj[t];
        add_lanes(&mean_l[static_cast<std::size_t>((c * d + j) * kLanes)], prod, bn);
      }
    }
  }
  Eigen::VectorXd nk(k);
  for (Idx c = 0; c < k; ++c) nk[c] = sum_lanes(&nk_l[static_cast<std::size_t>(c * kLanes)]);
  for (Idx c = 0; c < k; ++c) nk[c] += 10 * kEps;  // as sklearn: no division by zero for an empty component
  m.means.resize(k, d);
  for (Idx c = 0; c < k; ++c)
    for (Idx j = 0; j < d; ++j)
      m.means(c, j) = sum_lanes(&mean_l[static_cast<std::size_t>((c * d + j) * kLanes)]) / nk[c];
  for (Idx i0 = 0; i0 < n; i0 += kBlock) {
    const Idx bn = std::min(kBlock, n - i0);
    for (Idx c = 0; c < k; ++c) {
      const double* rc = &resp[static_cast<std::size_t>(c * n + i0)];
      for (Idx a = 0; a < d; ++a) {
        const double* xa = &fm[static_cast<std::size_t>(a * n + i0)];
        const double mu = m.means(c, a);
        double *da = &diff[static_cast<std::size_t>(a) * ub], *ra = &rdiff[static_cast<std::size_t>(a) * ub];
        for (Idx t = 0; t < bn; ++t) da[t] = xa[t] - mu, ra[t] = rc[t] * da[t];
        for (Idx b = full ? 0 : a; b <= a; ++b) {
          const double* db = &diff[static_cast<std::size_t>(b) * ub];
          for (Idx t = 0; t < bn; ++t) prod[t] = ra[t] * db[t];
          add_lanes(&cov_l[static_cast<std::size_t>(((c * d + a) * d + b) * kLanes)], prod, bn);
        }
      }
    }
  }
  m.cov.assign(static_cast<std::size_t>(k), RowMatrix::Zero(d, d));
  for (Idx c = 0; c < k; ++c)
    for (Idx a = 0; a < d; ++a)
      for (Idx b = 0; b <= a; ++b)
        m.cov[static_cast<std::size_t>(c)](a, b) =
            sum_lanes(&cov_l[static_cast<std::size_t>(((c * d + a) * d + b) * kLanes)]);
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
                            "(now " +
                            std::to_string(p.reg_covar) + ") or decrease n_components=" + std::to_string(k));
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

// E-step, kBlock rows at a time: per component, the forward substitution L y = x − μ runs over the
// block's rows in the innermost loop (x read feature by feature from fm), so it vectorises, while
// each row sees the operations of the row-by-row solve in the same order: the same bits. Then per
// row, log-sum-exp over the components, in component order. The responsibilities reuse its
// exponentials, e_c / Σ e with e_c = exp(v_c − max v): sklearn's exp(log_resp) costs one more exp
// per row and component for the same value within an ulp or two.
// Writes the responsibilities (component-major) into resp, or if log_resp is given the log
// responsibilities (n × k) into it instead; returns the mean log-likelihood per sample.
double e_step(const std::vector<double>& fm, Idx n, Idx d, const Model& m, Resp* resp, RowMatrix* log_resp) {
  const Idx k = m.means.rows();
  const auto ub = static_cast<std::size_t>(kBlock);
  std::vector<double> y(static_cast<std::size_t>(d) * ub), lv(static_cast<std::size_t>(k) * ub);
  std::vector<double> log_w(static_cast<std::size_t>(k));
  for (Idx c = 0; c < k; ++c) log_w[static_cast<std::size_t>(c)] = std::log(m.weights[c]);
  alignas(16) double v[kBlock], quad[kBlock], mx[kBlock], sum[kBlock], norm[kBlock];
  double total = 0;
  for (Idx i0 = 0; i0 < n; i0 += kBlock) {
    const Idx bn = std::min(kBlock, n - i0);
    for (Idx c = 0; c < k; ++c) {
      const RowMatrix& l = m.chol[static_cast<std::size_t>(c)];
      for (Idx t = 0; t < bn; ++t) quad[t] = 0;
      for (Idx a = 0; a < d; ++a) {
        const double* xa = &fm[static_cast<std::size_t>(a * n + i0)];
        const double mu = m.means(c, a), laa = l(a, a);
        for (Idx t = 0; t < bn; ++t) v[t] = xa[t] - mu;
        for (Idx b = 0; b < a; ++b) {
          const double lab = l(a, b);
          const double* yb = &y[static_cast<std::size_t>(b) * ub];
          for (Idx t = 0; t < bn; ++t) v[t] -= lab * yb[t];
        }
        double* ya = &y[static_cast<std::size_t>(a) * ub];
        for (Idx t = 0; t < bn; ++t) {
          ya[t] = v[t] / laa;
          quad[t] += ya[t] * ya[t];
        }
      }
      const double lw = log_w[static_cast<std::size_t>(c)], ldh = m.log_det_half[static_cast<std::size_t>(c)];
      double* lc = &lv[static_cast<std::size_t>(c) * ub];
      for (Idx t = 0; t < bn; ++t) lc[t] = lw - 0.5 * (static_cast<double>(d) * kLog2Pi + quad[t]) - ldh;
    }
    for (Idx t = 0; t < bn; ++t) mx[t] = -std::numeric_limits<double>::infinity(), sum[t] = 0;
    for (Idx c = 0; c < k; ++c) {
      const double* lc = &lv[static_cast<std::size_t>(c) * ub];
      for (Idx t = 0; t < bn; ++t) mx[t] = lc[t] > mx[t] ? lc[t] : mx[t];
    }
    for (Idx c = 0; c < k; ++c) {
      double* lc = &lv[static_cast<std::size_t>(c) * ub];
      for (Idx t = 0; t < bn; ++t) {
        const double e = std::exp(lc[t] - mx[t]);
        sum[t] += e;
        if (!log_resp) lc[t] = e;  // kept: the responsibility is e / Σ e, no second exp
      }
    }
    for (Idx t = 0; t < bn; ++t) {
      norm[t] = mx[t] + std::log(sum[t]);
      total += norm[t];
    }
    for (Idx c = 0; c < k; ++c) {
      const double* lc = &lv[static_cast<std::size_t>(c) * ub];
      if (log_resp) {
        for (Idx t = 0; t < bn; ++t) (*log_resp)(i0 + t, c) = lc[t] - norm[t];
      } else {
        double* rc = &(*resp)[static_cast<std::size_t>(c * n + i0)];
        for (Idx t = 0; t < bn; ++t) rc[t] = lc[t] / sum[t];
      }
    }
  }
  return total / static_cast<double>(n);
}

Resp one_hot(const std::vector<int>& labels, Idx k) {
  const auto n = labels.size();
  Resp r(n * static_cast<std::size_t>(k), 0.0);
  for (std::size_t i = 0; i < n; ++i) r[static_cast<std::size_t>(labels[i]) * n + i] = 1;
  return r;
}

/// GmmResult::collapsed: by effective size, then by the smallest eigenvalue of the covariance.
std::vector<int> collapsed_components(const RowMatrix& x, const GmmResult& r, const GmmParams& p) {
  const Idx n = x.rows(), d = x.cols();
  double mean_variance = 0;
  for (Idx j = 0; j < d; ++j) {
    const double m = x.col(j).mean();
    mean_variance += (x.col(j).array() - m).square().sum() / static_cast<double>(n);
  }
  mean_variance /= static_cast<double>(d);
  const double floor = std::max(10 * p.reg_covar, 1e-4 * mean_variance);
  const double min_size = p.covariance == CovarianceType::kFull ? static_cast<double>(d + 1) : 2.0;
  std::vector<int> out;
  for (Idx c = 0; c < r.weights.size(); ++c) {
    const RowMatrix& s = r.covariances[static_cast<std::size_t>(c)];
    const double smallest = p.covariance == CovarianceType::kFull
                                ? Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd>(Eigen::MatrixXd(s)).eigenvalues()(0)
                                : s.diagonal().minCoeff();
    if (r.weights[c] * static_cast<double>(n) < min_size || smallest <= floor) out.push_back(static_cast<int>(c));
  }
  return out;
}

}  // namespace

GmmResult gmm(const RowMatrix& x, const GmmParams& p, const ProgressFn& progress) {
  const Idx n = x.rows(), d = x.cols(), k = p.n_components;
  if (k < 1) throw InvalidArgument("n_components=" + std::to_string(k) + " should be >= 1");
  if (n < k)
    throw InvalidArgument("n_samples=" + std::to_string(n) + " should be >= n_components=" + std::to_string(k));
  if (!(p.tol >= 0)) throw InvalidArgument("tol=" + std::to_string(p.tol) + " should be >= 0");
  if (!(p.reg_covar >= 0)) throw InvalidArgument("reg_covar=" + std::to_string(p.reg_covar) + " should be >= 0");
  if (p.max_iter < 1) throw InvalidArgument("max_iter=" + std::to_string(p.max_iter) + " should be >= 1");
  if (p.n_init < 1) throw InvalidArgument("n_init=" + std::to_string(p.n_init) + " should be >= 1");
  if (!p.init_labels.empty()) {
    if (static_cast<Idx>(p.init_labels.size()) != n)
      throw InvalidArgument("init_labels has " + std::to_string(p.init_labels.size()) +
                            " entries for n_samples=" + std::to_string(n));
    for (int l : p.init_labels)
      if (l < 0 || l >= k)
        throw InvalidArgument("init_labels holds " + std::to_string(l) + ", outside 0.." + std::to_string(k - 1));
  }
  for (Idx i = 0; i < x.size(); ++i)
    if (!std::isfinite(x.data()[i]))
      throw InvalidArgument("row " + std::to_string(i / d + 1) + " holds a value that is not a finite number");

  const int runs = p.init_labels.empty() ? p.n_init : 1;
  Rng seeder(p.seed);
  const std::vector<double> fm = feature_major(x);  // the E-step reads x feature by feature
  Resp resp(static_cast<std::size_t>(n * k));
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
    Model m = m_step(fm, n, d, one_hot(init, k), k, p, true);
    double bound = -std::numeric_limits<double>::infinity();
    bool converged = false;
    int it = 1;
    for (; it <= p.max_iter; ++it) {
      const double prev = bound;
      bound = e_step(fm, n, d, m, &resp, nullptr);
      m = m_step(fm, n, d, resp, k, p, false);
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
  Resp().swap(resp);  // free before the n × k arrays of the result
  RowMatrix log_resp(n, k);
  out.log_likelihood = e_step(fm, n, d, best, nullptr, &log_resp);
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
  out.collapsed = collapsed_components(x, out, p);
  return out;
}

std::vector<int> gmm_predict(const RowMatrix& x, const Eigen::VectorXd& weights, const RowMatrix& means,
                             const std::vector<RowMatrix>& covariances, RowMatrix* responsibilities) {
  const Idx n = x.rows(), d = x.cols(), k = means.rows();
  if (k < 1 || means.cols() != d || weights.size() != k || static_cast<Idx>(covariances.size()) != k)
    throw InvalidArgument("gmm_predict: the mixture has " + std::to_string(k) + " means of " +
                          std::to_string(means.cols()) + " features, " + std::to_string(weights.size()) +
                          " weights and " + std::to_string(covariances.size()) + " covariances, for points of " +
                          std::to_string(d) + " features");
  Model m;
  m.weights = weights;
  m.means = means;
  m.cov = covariances;
  m.chol.resize(static_cast<std::size_t>(k));
  m.log_det_half.resize(static_cast<std::size_t>(k));
  for (Idx c = 0; c < k; ++c) {
    const RowMatrix& s = covariances[static_cast<std::size_t>(c)];
    if (s.rows() != d || s.cols() != d || !cholesky(s, m.chol[static_cast<std::size_t>(c)]))
      throw InvalidArgument("gmm_predict: covariance " + std::to_string(c) + " is not a positive definite " +
                            std::to_string(d) + " x " + std::to_string(d) + " matrix");
    double h = 0;
    for (Idx j = 0; j < d; ++j) h += std::log(m.chol[static_cast<std::size_t>(c)](j, j));
    m.log_det_half[static_cast<std::size_t>(c)] = h;
  }
  std::vector<int> labels(static_cast<std::size_t>(n), 0);
  if (n == 0) return labels;
  // The fit's final E-step, on these rows: the same labels for the rows it was fitted on.
  const std::vector<double> fm = feature_major(x);
  RowMatrix log_resp(n, k);
  e_step(fm, n, d, m, nullptr, &log_resp);
  if (responsibilities != nullptr) responsibilities->resize(n, k);
  for (Idx i = 0; i < n; ++i) {
    int arg = 0;
    for (Idx c = 0; c < k; ++c) {
      if (responsibilities != nullptr) (*responsibilities)(i, c) = std::exp(log_resp(i, c));
      if (log_resp(i, c) > log_resp(i, arg)) arg = static_cast<int>(c);
    }
    labels[static_cast<std::size_t>(i)] = arg;
  }
  return labels;
}

}  // namespace core
