// Mini-batch k-means (D. Sculley, "Web-scale k-means clustering", WWW 2010, Algorithm 1), declared
// in kmeans.h. Seeds come from greedy k-means++ on a random init sample (as scikit-learn's
// MiniBatchKMeans); the stopping rule is scikit-learn's: an exponentially weighted average of the
// per-row batch inertia that has not improved for max_no_improvement steps.
#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "distance.h"
#include "errors.h"
#include "kmeans.h"

namespace core {
namespace {

using Idx = Eigen::Index;

// Nearest centre (ties to the lower index) and its squared distance.
int nearest(const double* xi, const RowMatrix& centers, double& best_d) {
  int best = 0;
  best_d = sqdist(xi, centers.row(0).data(), centers.cols());
  for (Idx c = 1; c < centers.rows(); ++c) {
    const double dc = sqdist(xi, centers.row(c).data(), centers.cols());
    if (dc < best_d) {
      best_d = dc;
      best = static_cast<int>(c);
    }
  }
  return best;
}

// m distinct rows of x, chosen uniformly (a partial Fisher–Yates shuffle of the row indices).
RowMatrix sample_rows(const RowMatrix& x, Idx m, Rng& rng) {
  const Idx n = x.rows();
  std::vector<Idx> idx(static_cast<std::size_t>(n));
  for (Idx i = 0; i < n; ++i) idx[static_cast<std::size_t>(i)] = i;
  RowMatrix s(m, x.cols());
  for (Idx i = 0; i < m; ++i) {
    const Idx j = i + static_cast<Idx>(rng.below(static_cast<std::uint64_t>(n - i)));
    std::swap(idx[static_cast<std::size_t>(i)], idx[static_cast<std::size_t>(j)]);
    s.row(i) = x.row(idx[static_cast<std::size_t>(i)]);
  }
  return s;
}

}  // namespace

MiniBatchKMeansResult minibatch_kmeans(const RowMatrix& x, const MiniBatchKMeansParams& p, const ProgressFn& progress) {
  const Idx n = x.rows(), d = x.cols();
  if (p.n_clusters < 1) throw InvalidArgument("n_clusters=" + std::to_string(p.n_clusters) + " should be >= 1");
  if (p.batch_size < 1) throw InvalidArgument("batch_size=" + std::to_string(p.batch_size) + " should be >= 1");
  if (p.max_epochs < 1) throw InvalidArgument("max_epochs=" + std::to_string(p.max_epochs) + " should be >= 1");
  if (p.n_init < 1) throw InvalidArgument("n_init=" + std::to_string(p.n_init) + " should be >= 1");
  if (p.max_no_improvement < 1)
    throw InvalidArgument("max_no_improvement=" + std::to_string(p.max_no_improvement) + " should be >= 1");
  if (p.init_size < 0) throw InvalidArgument("init_size=" + std::to_string(p.init_size) + " should be >= 0");
  if (n < p.n_clusters)
    throw InvalidArgument("n_samples=" + std::to_string(n) +
                          " should be >= n_clusters=" + std::to_string(p.n_clusters));
  for (Idx i = 0; i < x.size(); ++i)
    if (!std::isfinite(x.data()[i]))
      throw InvalidArgument("row " + std::to_string(i / d + 1) + " holds a value that is not a finite number");
  const Idx k = p.n_clusters;
  Rng rng(p.seed);

  // Seeding: each of n_init k-means++ runs on its own init sample, judged on one validation sample.
  Idx init_size = p.init_size > 0 ? p.init_size : std::max<Idx>(3 * Idx{p.batch_size}, 3 * k);
  init_size = std::max(std::min(init_size, n), k);
  const RowMatrix valid = sample_rows(x, init_size, rng);
  RowMatrix centers;
  double best_valid = std::numeric_limits<double>::infinity();
  for (int r = 0; r < p.n_init; ++r) {
    const RowMatrix sample = sample_rows(x, init_size, rng);
    RowMatrix seeds = kmeans_plusplus(sample, p.n_clusters, rng);
    double v = 0, dd;
    for (Idx i = 0; i < valid.rows(); ++i) {
      nearest(valid.row(i).data(), seeds, dd);
      v += dd;
    }
    if (v < best_valid) {
      best_valid = v;
      centers = std::move(seeds);
    }
  }

  // Sculley's Algorithm 1 with per-centre counts v[c] and learning rate 1/v[c].
  const Idx b = std::min<Idx>(p.batch_size, n);
  const std::int64_t max_steps = std::max<std::int64_t>(1, (static_cast<std::int64_t>(p.max_epochs) * n + b - 1) / b);
  std::vector<double> seen(static_cast<std::size_t>(k), 0.0);
  std::vector<Idx> batch(static_cast<std::size_t>(b));
  std::vector<int> cached(static_cast<std::size_t>(b));
  const double alpha = std::min(1.0, 2.0 * static_cast<double>(b) / (static_cast<double>(n) + 1));
  double ewa = 0, ewa_min = std::numeric_limits<double>::infinity();
  int no_improvement = 0;
  MiniBatchKMeansResult out;
  for (std::int64_t step = 1; step <= max_steps; ++step) {
    double batch_inertia = 0, dd;
    for (Idx t = 0; t < b; ++t) {
      const Idx i = static_cast<Idx>(rng.below(static_cast<std::uint64_t>(n)));
      batch[static_cast<std::size_t>(t)] = i;
      cached[static_cast<std::size_t>(t)] = nearest(x.row(i).data(), centers, dd);
      batch_inertia += dd;
    }
    for (Idx t = 0; t < b; ++t) {
      const int c = cached[static_cast<std::size_t>(t)];
      const double eta = 1.0 / (seen[static_cast<std::size_t>(c)] += 1);
      const double* xi = x.row(batch[static_cast<std::size_t>(t)]).data();
      for (Idx j = 0; j < d; ++j) centers(c, j) += eta * (xi[j] - centers(c, j));
    }
    out.n_steps = step;
    batch_inertia /= static_cast<double>(b);
    ewa = step == 1 ? batch_inertia : ewa * (1 - alpha) + batch_inertia * alpha;
    if (ewa < ewa_min) {
      ewa_min = ewa;
      no_improvement = 0;
    } else if (++no_improvement >= p.max_no_improvement) {
      out.converged = true;
      break;
    }
    if (progress && step % 64 == 0 && !progress(0.95 * static_cast<double>(step) / static_cast<double>(max_steps)))
      throw Cancelled();
  }

  out.labels.resize(static_cast<std::size_t>(n));
  for (Idx i = 0; i < n; ++i) {
    double dd;
    out.labels[static_cast<std::size_t>(i)] = nearest(x.row(i).data(), centers, dd);
    out.inertia += dd;
  }
  out.centers = std::move(centers);
  if (progress && !progress(1.0)) throw Cancelled();
  return out;
}

}  // namespace core
