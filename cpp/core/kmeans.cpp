#include "kmeans.h"

#include <cmath>
#include <limits>
#include <string>

#include "errors.h"
#include "random.h"

namespace core {
namespace {

// Squared Euclidean distance in a fixed summation order (identical native and wasm).
inline double sqdist(const double* a, const double* b, Eigen::Index d) {
  double s = 0;
  for (Eigen::Index j = 0; j < d; ++j) {
    const double t = a[j] - b[j];
    s += t * t;
  }
  return s;
}

// Index of the first element whose running sum exceeds `target` (inverse CDF sampling).
Eigen::Index sample_index(const std::vector<double>& weights, double target) {
  double acc = 0;
  const Eigen::Index n = static_cast<Eigen::Index>(weights.size());
  for (Eigen::Index i = 0; i < n; ++i) {
    acc += weights[static_cast<std::size_t>(i)];
    if (acc > target) return i;
  }
  return n - 1;
}

RowMatrix kmeans_plusplus(const RowMatrix& x, int k, Rng& rng) {
  const Eigen::Index n = x.rows(), d = x.cols();
  RowMatrix centers(k, d);
  const int n_trials = 2 + static_cast<int>(std::log(static_cast<double>(k)));
  Eigen::Index first = static_cast<Eigen::Index>(rng.below(static_cast<std::uint64_t>(n)));
  centers.row(0) = x.row(first);
  std::vector<double> closest(static_cast<std::size_t>(n));
  double pot = 0;
  for (Eigen::Index i = 0; i < n; ++i) {
    closest[static_cast<std::size_t>(i)] = sqdist(x.row(i).data(), centers.row(0).data(), d);
    pot += closest[static_cast<std::size_t>(i)];
  }
  std::vector<double> trial(static_cast<std::size_t>(n)), best_trial(static_cast<std::size_t>(n));
  for (int c = 1; c < k; ++c) {
    Eigen::Index best = -1;
    double best_pot = std::numeric_limits<double>::infinity();
    for (int t = 0; t < n_trials; ++t) {
      // All points coincide with centres (pot 0): any point will do.
      const Eigen::Index cand = pot > 0 ? sample_index(closest, rng.uniform() * pot)
                                        : static_cast<Eigen::Index>(rng.below(static_cast<std::uint64_t>(n)));
      double cand_pot = 0;
      for (Eigen::Index i = 0; i < n; ++i) {
        const double dd = sqdist(x.row(i).data(), x.row(cand).data(), d);
        const double m = dd < closest[static_cast<std::size_t>(i)] ? dd : closest[static_cast<std::size_t>(i)];
        trial[static_cast<std::size_t>(i)] = m;
        cand_pot += m;
      }
      if (cand_pot < best_pot) {
        best_pot = cand_pot;
        best = cand;
        best_trial.swap(trial);
      }
    }
    centers.row(c) = x.row(best);
    closest.swap(best_trial);
    pot = best_pot;
  }
  return centers;
}

struct Run {
  RowMatrix centers;
  std::vector<int> labels;
  double inertia = 0;
  int n_iter = 0;
  bool converged = false;
};

// Assigns labels and returns the inertia.
double assign(const RowMatrix& x, const RowMatrix& centers, std::vector<int>& labels,
              std::vector<double>& dist) {
  const Eigen::Index n = x.rows(), d = x.cols(), k = centers.rows();
  double inertia = 0;
  for (Eigen::Index i = 0; i < n; ++i) {
    const double* xi = x.row(i).data();
    int best = 0;
    double bd = sqdist(xi, centers.row(0).data(), d);
    for (Eigen::Index c = 1; c < k; ++c) {
      const double dc = sqdist(xi, centers.row(c).data(), d);
      if (dc < bd) {
        bd = dc;
        best = static_cast<int>(c);
      }
    }
    labels[static_cast<std::size_t>(i)] = best;
    dist[static_cast<std::size_t>(i)] = bd;
    inertia += bd;
  }
  return inertia;
}

Run lloyd(const RowMatrix& x, RowMatrix centers, const KMeansParams& p, double tol_abs) {
  const Eigen::Index n = x.rows(), d = x.cols(), k = centers.rows();
  Run run;
  run.labels.assign(static_cast<std::size_t>(n), 0);
  std::vector<double> dist(static_cast<std::size_t>(n));
  std::vector<Eigen::Index> counts(static_cast<std::size_t>(k));
  RowMatrix sums(k, d);
  for (int it = 1; it <= p.max_iter; ++it) {
    assign(x, centers, run.labels, dist);
    sums.setZero();
    std::fill(counts.begin(), counts.end(), 0);
    for (Eigen::Index i = 0; i < n; ++i) {
      const int l = run.labels[static_cast<std::size_t>(i)];
      ++counts[static_cast<std::size_t>(l)];
      for (Eigen::Index j = 0; j < d; ++j) sums(l, j) += x(i, j);
    }
    // An empty cluster takes the point farthest from its centre (then the next farthest, …).
    for (Eigen::Index c = 0; c < k; ++c) {
      if (counts[static_cast<std::size_t>(c)] > 0) continue;
      Eigen::Index far = 0;
      for (Eigen::Index i = 1; i < n; ++i)
        if (dist[static_cast<std::size_t>(i)] > dist[static_cast<std::size_t>(far)]) far = i;
      const int from = run.labels[static_cast<std::size_t>(far)];
      if (counts[static_cast<std::size_t>(from)] <= 1) continue;  // duplicates only: leave it empty
      --counts[static_cast<std::size_t>(from)];
      for (Eigen::Index j = 0; j < d; ++j) sums(from, j) -= x(far, j);
      ++counts[static_cast<std::size_t>(c)];
      sums.row(c) = x.row(far);
      run.labels[static_cast<std::size_t>(far)] = static_cast<int>(c);
      dist[static_cast<std::size_t>(far)] = 0;
    }
    double shift = 0;
    for (Eigen::Index c = 0; c < k; ++c) {
      if (counts[static_cast<std::size_t>(c)] == 0) continue;
      for (Eigen::Index j = 0; j < d; ++j) {
        const double v = sums(c, j) / static_cast<double>(counts[static_cast<std::size_t>(c)]);
        const double t = v - centers(c, j);
        shift += t * t;
        centers(c, j) = v;
      }
    }
    run.n_iter = it;
    if (shift <= tol_abs) {
      run.converged = true;
      break;
    }
  }
  // Final labels and inertia for the final centres (as scikit-learn reports them).
  run.inertia = assign(x, centers, run.labels, dist);
  run.centers = std::move(centers);
  return run;
}

}  // namespace

std::vector<int> assign_labels(const RowMatrix& x, const RowMatrix& centers) {
  std::vector<int> labels(static_cast<std::size_t>(x.rows()));
  std::vector<double> dist(static_cast<std::size_t>(x.rows()));
  assign(x, centers, labels, dist);
  return labels;
}

KMeansResult kmeans(const RowMatrix& x, const KMeansParams& p, const ProgressFn& progress) {
  const Eigen::Index n = x.rows(), d = x.cols();
  if (p.n_clusters < 1) throw InvalidArgument("n_clusters=" + std::to_string(p.n_clusters) + " should be >= 1");
  if (p.n_init < 1) throw InvalidArgument("n_init=" + std::to_string(p.n_init) + " should be >= 1");
  if (p.max_iter < 1) throw InvalidArgument("max_iter=" + std::to_string(p.max_iter) + " should be >= 1");
  if (n < p.n_clusters)
    throw InvalidArgument("n_samples=" + std::to_string(n) + " should be >= n_clusters=" +
                          std::to_string(p.n_clusters));
  for (Eigen::Index i = 0; i < x.size(); ++i)
    if (!std::isfinite(x.data()[i]))
      throw InvalidArgument("row " + std::to_string(i / d + 1) + " holds a value that is not a finite number");
  // Tolerance relative to the data's spread, as scikit-learn: tol × mean of the feature variances.
  double tol_abs = 0;
  if (n > 0 && d > 0) {
    for (Eigen::Index j = 0; j < d; ++j) {
      double mean = 0, var = 0;
      for (Eigen::Index i = 0; i < n; ++i) mean += x(i, j);
      mean /= static_cast<double>(n);
      for (Eigen::Index i = 0; i < n; ++i) var += (x(i, j) - mean) * (x(i, j) - mean);
      tol_abs += var / static_cast<double>(n);
    }
    tol_abs = tol_abs / static_cast<double>(d) * p.tol;
  }
  Rng seeder(p.seed);
  Run best;
  bool have = false;
  for (int r = 0; r < p.n_init; ++r) {
    Rng rng(seeder.next_u64());
    Run run = lloyd(x, kmeans_plusplus(x, p.n_clusters, rng), p, tol_abs);
    if (!have || run.inertia < best.inertia) {
      best = std::move(run);
      have = true;
    }
    if (progress && !progress(static_cast<double>(r + 1) / p.n_init)) throw Cancelled();
  }
  KMeansResult result;
  result.centers = std::move(best.centers);
  result.labels = std::move(best.labels);
  result.inertia = best.inertia;
  result.n_iter = best.n_iter;
  result.converged = best.converged;
  return result;
}

}  // namespace core
