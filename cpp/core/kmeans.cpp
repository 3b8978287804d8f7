#include "kmeans.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "distance.h"
#include "errors.h"

namespace core {
namespace {

using Idx = Eigen::Index;


// Index of the first element whose running sum exceeds `target` (inverse CDF sampling).
Idx sample_index(const std::vector<double>& weights, double target) {
  double acc = 0;
  const Idx n = static_cast<Idx>(weights.size());
  for (Idx i = 0; i < n; ++i) {
    acc += weights[static_cast<std::size_t>(i)];
    if (acc > target) return i;
  }
  return n - 1;
}

struct Run {
  RowMatrix centers;
  std::vector<int> labels;
  double inertia = 0;
  int n_iter = 0;
  bool converged = false;
};

// Assigns labels and returns the inertia.
double assign(const RowMatrix& x, const RowMatrix& centers, std::vector<int>& labels, std::vector<double>& dist) {
  const Idx n = x.rows(), d = x.cols(), k = centers.rows();
  double inertia = 0;
  for (Idx i = 0; i < n; ++i) {
    const double* xi = x.row(i).data();
    int best = 0;
    double bd = sqdist(xi, centers.row(0).data(), d);
    for (Idx c = 1; c < k; ++c) {
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

// The update step shared by Lloyd and Hamerly, so both produce the same centres bit for bit.
struct Update {
  RowMatrix sums;
  std::vector<Idx> counts;

  void accumulate(const RowMatrix& x, const std::vector<int>& labels) {
    sums.setZero();
    std::fill(counts.begin(), counts.end(), 0);
    for (Idx i = 0; i < x.rows(); ++i) {
      const int l = labels[static_cast<std::size_t>(i)];
      ++counts[static_cast<std::size_t>(l)];
      for (Idx j = 0; j < x.cols(); ++j) sums(l, j) += x(i, j);
    }
  }

  bool any_empty() const { return std::find(counts.begin(), counts.end(), Idx{0}) != counts.end(); }

  // An empty cluster takes the point farthest from its centre (then the next farthest, …). `dist`
  // must hold each row's squared distance to its assigned centre. Returns the rows moved.
  std::vector<Idx> repair_empty(const RowMatrix& x, std::vector<int>& labels, std::vector<double>& dist) {
    std::vector<Idx> moved;
    const Idx n = x.rows();
    for (Idx c = 0; c < sums.rows(); ++c) {
      if (counts[static_cast<std::size_t>(c)] > 0) continue;
      Idx far = 0;
      for (Idx i = 1; i < n; ++i)
        if (dist[static_cast<std::size_t>(i)] > dist[static_cast<std::size_t>(far)]) far = i;
      const int from = labels[static_cast<std::size_t>(far)];
      if (counts[static_cast<std::size_t>(from)] <= 1) continue;  // duplicates only: leave it empty
      --counts[static_cast<std::size_t>(from)];
      for (Idx j = 0; j < x.cols(); ++j) sums(from, j) -= x(far, j);
      ++counts[static_cast<std::size_t>(c)];
      sums.row(c) = x.row(far);
      labels[static_cast<std::size_t>(far)] = static_cast<int>(c);
      dist[static_cast<std::size_t>(far)] = 0;
      moved.push_back(far);
    }
    return moved;
  }

  // New centres (an empty cluster keeps its centre); returns Σ squared shift.
  double move_centers(RowMatrix& centers) const {
    double shift = 0;
    for (Idx c = 0; c < centers.rows(); ++c) {
      if (counts[static_cast<std::size_t>(c)] == 0) continue;
      for (Idx j = 0; j < centers.cols(); ++j) {
        const double v = sums(c, j) / static_cast<double>(counts[static_cast<std::size_t>(c)]);
        const double t = v - centers(c, j);
        shift += t * t;
        centers(c, j) = v;
      }
    }
    return shift;
  }
};

Run lloyd(const RowMatrix& x, RowMatrix centers, const KMeansParams& p, double tol_abs) {
  const Idx n = x.rows(), d = x.cols(), k = centers.rows();
  Run run;
  run.labels.assign(static_cast<std::size_t>(n), 0);
  std::vector<double> dist(static_cast<std::size_t>(n));
  Update up{RowMatrix(k, d), std::vector<Idx>(static_cast<std::size_t>(k))};
  for (int it = 1; it <= p.max_iter; ++it) {
    assign(x, centers, run.labels, dist);
    up.accumulate(x, run.labels);
    up.repair_empty(x, run.labels, dist);
    const double shift = up.move_centers(centers);
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

// Hamerly's bounds. upper[i] ≥ d(x_i, c_{a(i)}), lower[i] ≤ d(x_i, c_j) for every j ≠ a(i) (plain,
// not squared, distances: the triangle inequality needs them). A point is skipped only when the
// bounds prove its centre is nearer than every other by more than the rounding of any distance
// computed here, so the labels are those Lloyd's full search would compute.
class Hamerly {
 public:
  Hamerly(const RowMatrix& x, double abs_slack)
      : x_(x), n_(x.rows()), d_(x.cols()), abs_slack_(abs_slack),
        upper_(static_cast<std::size_t>(n_)), lower_(static_cast<std::size_t>(n_)) {}

  // Every point against every centre (Lloyd's search, also recording the second nearest).
  void assign_all(const RowMatrix& centers, std::vector<int>& labels) {
    for (Idx i = 0; i < n_; ++i) full(i, centers, labels);
  }

  // Hamerly's Algorithm 2, lines 3–10: bound tests, then tighten, then the full search.
  void assign_bounded(const RowMatrix& centers, std::vector<int>& labels) {
    const Idx k = centers.rows();
    half_gap_.assign(static_cast<std::size_t>(k), std::numeric_limits<double>::infinity());
    for (Idx a = 0; a < k; ++a)
      for (Idx b = a + 1; b < k; ++b) {
        const double h = 0.5 * std::sqrt(sqdist(centers.row(a).data(), centers.row(b).data(), d_));
        half_gap_[static_cast<std::size_t>(a)] = std::min(half_gap_[static_cast<std::size_t>(a)], h);
        half_gap_[static_cast<std::size_t>(b)] = std::min(half_gap_[static_cast<std::size_t>(b)], h);
      }
    for (Idx i = 0; i < n_; ++i) {
      const auto s = static_cast<std::size_t>(i);
      const int a = labels[s];
      const double m = std::max(half_gap_[static_cast<std::size_t>(a)], lower_[s]);
      if (proves(upper_[s], m)) continue;
      upper_[s] = std::sqrt(sqdist(x_.row(i).data(), centers.row(a).data(), d_));
      if (proves(upper_[s], m)) continue;
      full(i, centers, labels);
    }
  }

  // A row moved by the empty-cluster repair: its bounds are unknown, make them trivially valid.
  void reset(Idx i, double upper) {
    upper_[static_cast<std::size_t>(i)] = upper;
    lower_[static_cast<std::size_t>(i)] = 0;
  }

  // Hamerly's Algorithm 2, lines 14–19 (the centres moved from `before` to `after`).
  void shift_bounds(const RowMatrix& before, const RowMatrix& after, const std::vector<int>& labels) {
    const Idx k = after.rows();
    std::vector<double> move(static_cast<std::size_t>(k));
    Idx r = 0;
    for (Idx c = 0; c < k; ++c) {
      move[static_cast<std::size_t>(c)] = std::sqrt(sqdist(before.row(c).data(), after.row(c).data(), d_));
      if (move[static_cast<std::size_t>(c)] > move[static_cast<std::size_t>(r)]) r = c;
    }
    double second = 0;
    for (Idx c = 0; c < k; ++c)
      if (c != r) second = std::max(second, move[static_cast<std::size_t>(c)]);
    for (Idx i = 0; i < n_; ++i) {
      const auto s = static_cast<std::size_t>(i);
      upper_[s] += move[static_cast<std::size_t>(labels[s])];
      lower_[s] -= labels[s] == r ? second : move[static_cast<std::size_t>(r)];
    }
  }

 private:
  // Relative slack: computed distances carry a relative error near d·2⁻⁵³; 1e-9 is far above it.
  static constexpr double kRelSlack = 1e-9;

  bool proves(double upper, double m) const { return upper + kRelSlack * upper + abs_slack_ < m; }

  void full(Idx i, const RowMatrix& centers, std::vector<int>& labels) {
    const double* xi = x_.row(i).data();
    int best = 0;
    double bd = sqdist(xi, centers.row(0).data(), d_), second = std::numeric_limits<double>::infinity();
    for (Idx c = 1; c < centers.rows(); ++c) {
      const double dc = sqdist(xi, centers.row(c).data(), d_);
      if (dc < bd) {
        second = bd;
        bd = dc;
        best = static_cast<int>(c);
      } else if (dc < second) {
        second = dc;
      }
    }
    const auto s = static_cast<std::size_t>(i);
    labels[s] = best;
    upper_[s] = std::sqrt(bd);
    lower_[s] = std::sqrt(second);
  }

  const RowMatrix& x_;
  Idx n_, d_;
  double abs_slack_;
  std::vector<double> upper_, lower_, half_gap_;
};

Run hamerly(const RowMatrix& x, RowMatrix centers, const KMeansParams& p, double tol_abs, double abs_slack) {
  const Idx n = x.rows(), d = x.cols(), k = centers.rows();
  Run run;
  run.labels.assign(static_cast<std::size_t>(n), 0);
  std::vector<double> dist(static_cast<std::size_t>(n));
  Update up{RowMatrix(k, d), std::vector<Idx>(static_cast<std::size_t>(k))};
  Hamerly h(x, abs_slack);
  h.assign_all(centers, run.labels);
  RowMatrix before(k, d);
  for (int it = 1; it <= p.max_iter; ++it) {
    if (it > 1) h.assign_bounded(centers, run.labels);
    up.accumulate(x, run.labels);
    if (up.any_empty()) {
      // Rare: the repair needs every row's exact distance, as Lloyd has them.
      for (Idx i = 0; i < n; ++i)
        dist[static_cast<std::size_t>(i)] =
            sqdist(x.row(i).data(), centers.row(run.labels[static_cast<std::size_t>(i)]).data(), d);
      for (Idx moved : up.repair_empty(x, run.labels, dist)) h.reset(moved, 0);
    }
    before = centers;
    const double shift = up.move_centers(centers);
    h.shift_bounds(before, centers, run.labels);
    run.n_iter = it;
    if (shift <= tol_abs) {
      run.converged = true;
      break;
    }
  }
  h.assign_bounded(centers, run.labels);
  run.inertia = 0;
  for (Idx i = 0; i < n; ++i)
    run.inertia += sqdist(x.row(i).data(), centers.row(run.labels[static_cast<std::size_t>(i)]).data(), d);
  run.centers = std::move(centers);
  return run;
}

}  // namespace

RowMatrix kmeans_plusplus(const RowMatrix& x, int k, Rng& rng) {
  const Idx n = x.rows(), d = x.cols();
  RowMatrix centers(k, d);
  const int n_trials = 2 + static_cast<int>(std::log(static_cast<double>(k)));
  Idx first = static_cast<Idx>(rng.below(static_cast<std::uint64_t>(n)));
  centers.row(0) = x.row(first);
  std::vector<double> closest(static_cast<std::size_t>(n));
  double pot = 0;
  for (Idx i = 0; i < n; ++i) {
    closest[static_cast<std::size_t>(i)] = sqdist(x.row(i).data(), centers.row(0).data(), d);
    pot += closest[static_cast<std::size_t>(i)];
  }
  std::vector<double> trial(static_cast<std::size_t>(n)), best_trial(static_cast<std::size_t>(n));
  for (int c = 1; c < k; ++c) {
    Idx best = -1;
    double best_pot = std::numeric_limits<double>::infinity();
    for (int t = 0; t < n_trials; ++t) {
      // All points coincide with centres (pot 0): any point will do.
      const Idx cand = pot > 0 ? sample_index(closest, rng.uniform() * pot)
                               : static_cast<Idx>(rng.below(static_cast<std::uint64_t>(n)));
      double cand_pot = 0;
      for (Idx i = 0; i < n; ++i) {
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

std::vector<int> assign_labels(const RowMatrix& x, const RowMatrix& centers) {
  std::vector<int> labels(static_cast<std::size_t>(x.rows()));
  std::vector<double> dist(static_cast<std::size_t>(x.rows()));
  assign(x, centers, labels, dist);
  return labels;
}

KMeansResult kmeans(const RowMatrix& x, const KMeansParams& p, const ProgressFn& progress) {
  const Idx n = x.rows(), d = x.cols();
  if (p.n_clusters < 1) throw InvalidArgument("n_clusters=" + std::to_string(p.n_clusters) + " should be >= 1");
  if (p.n_init < 1) throw InvalidArgument("n_init=" + std::to_string(p.n_init) + " should be >= 1");
  if (p.max_iter < 1) throw InvalidArgument("max_iter=" + std::to_string(p.max_iter) + " should be >= 1");
  if (n < p.n_clusters)
    throw InvalidArgument("n_samples=" + std::to_string(n) + " should be >= n_clusters=" +
                          std::to_string(p.n_clusters));
  double max_abs = 0;
  for (Idx i = 0; i < x.size(); ++i) {
    if (!std::isfinite(x.data()[i]))
      throw InvalidArgument("row " + std::to_string(i / d + 1) + " holds a value that is not a finite number");
    max_abs = std::max(max_abs, std::abs(x.data()[i]));
  }
  // Tolerance relative to the data's spread, as scikit-learn: tol × mean of the feature variances.
  double tol_abs = 0;
  if (n > 0 && d > 0) {
    for (Idx j = 0; j < d; ++j) {
      double mean = 0, var = 0;
      for (Idx i = 0; i < n; ++i) mean += x(i, j);
      mean /= static_cast<double>(n);
      for (Idx i = 0; i < n; ++i) var += (x(i, j) - mean) * (x(i, j) - mean);
      tol_abs += var / static_cast<double>(n);
    }
    tol_abs = tol_abs / static_cast<double>(d) * p.tol;
  }
  // Absolute rounding slack for Hamerly's bounds: distances here are at most ~2·max|x|·√d, and
  // each carries an absolute error far below 1e-12 of that.
  const double abs_slack = 1e-12 * (1 + max_abs) * std::sqrt(static_cast<double>(d) + 1);
  Rng seeder(p.seed);
  Run best;
  bool have = false;
  for (int r = 0; r < p.n_init; ++r) {
    Rng rng(seeder.next_u64());
    RowMatrix seeds = kmeans_plusplus(x, p.n_clusters, rng);
    const bool use_hamerly = p.algorithm == KMeansAlgorithm::kHamerly ||
                             (p.algorithm == KMeansAlgorithm::kAuto && p.n_clusters >= 8);
    Run run = use_hamerly ? hamerly(x, std::move(seeds), p, tol_abs, abs_slack) : lloyd(x, std::move(seeds), p, tol_abs);
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
