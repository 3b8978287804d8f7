#include "kmeans.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <optional>
#include <string>
#include <type_traits>

#include "distance.h"
#include "errors.h"

namespace core {
namespace {

using Idx = Eigen::Index;

// Vector types of the GNU extension (g++ and clang): SSE natively, wasm SIMD with -msimd128.
using Lane2 = double __attribute__((vector_size(16)));
using Float4 = float __attribute__((vector_size(16)));
using Int4 = int __attribute__((vector_size(16)));  // what comparing two Float4 gives

Lane2 splat2(double v) { return Lane2{v, v}; }
Float4 splat4(float v) { return Float4{v, v, v, v}; }

// The column count: D when the caller knows it at compile time (the loops then unroll), else d.
template <int D>
constexpr Idx dims(Idx d) {
  return D > 0 ? D : d;
}

// Calls f with std::integral_constant<int, 3> for 3 columns (the page's recency, orders and
// spend), else with <int, 0>: the column count known at run time only.
template <class F>
void with_dims(Idx d, F&& f) {
  if (d == 3)
    f(std::integral_constant<int, 3>{});
  else
    f(std::integral_constant<int, 0>{});
}

// The nearest centre of row i in double precision (sqdist; ties to the lower index). Out of
// line: the hot loops call it for a few rows in a million.
__attribute__((noinline)) int nearest_exact(const RowMatrix& x, Idx i, const RowMatrix& centers) {
  int best = 0;
  double bd = sqdist(x.row(i).data(), centers.row(0).data(), x.cols());
  for (Idx c = 1; c < centers.rows(); ++c) {
    const double dc = sqdist(x.row(i).data(), centers.row(c).data(), x.cols());
    if (dc < bd) {
      bd = dc;
      best = static_cast<int>(c);
    }
  }
  return best;
}

// Lloyd's nearest-centre search in single precision, four rows per instruction and branch-free,
// with an exact answer: a row takes the single-precision winner only when it beats the runner-up
// by more than twice the bound on the difference between a float and a double distance; the few
// others (near a tie: about 6 rows in a million on the benchmark data) are searched again in
// double. Labels are therefore exactly nearest_exact's, natively and in wasm. (Done in double, a
// compare-and-branch per row and centre, the search was three quarters of the time and ran 4×
// slower in wasm than natively.)
//
// The bound (u = 2⁻²⁴). Rows and centres are centred on the column means m before rounding to
// float, so it grows with the spread of the data, not with its offset; x' = x − m, c' = c − m. A
// float difference is within 2.0002·u·(|x'ⱼ| + |c'ⱼ|) of the exact one; squaring and summing d terms
// adds d·u relative; so a float distance is within 2·(4.01 + 1.01·d)·u·(‖x'‖² + ‖c'‖²) of the exact
// one, and a double distance within (d + 1)·2⁻⁵³ relative. The test asks for a gap of
// 8·(5.1 + 1.1·d)·u·(‖x'‖² + max ‖c'‖²), twice the sum of both distances' bounds (for the
// roundings of the test itself), plus 1e-36 for roundings below float's normal range. Overflow
// gives inf or NaN, which fail the test.
class FloatRows {
 public:
  explicit FloatRows(const RowMatrix& x)
      : n_(x.rows()),
        d_(x.cols()),
        mean_(static_cast<std::size_t>(d_), 0.0),
        blocks_(static_cast<std::size_t>((n_ + 3) / 4 * (d_ + 1)), Float4{}) {
    for (Idx j = 0; j < d_ && n_ > 0; ++j) mean_[static_cast<std::size_t>(j)] = x.col(j).mean();
    for (Idx i = 0; i < n_; ++i) {
      Float4* block = blocks_.data() + i / 4 * (d_ + 1);
      double norm = 0;
      for (Idx j = 0; j < d_; ++j) {
        const double v = x(i, j) - mean_[static_cast<std::size_t>(j)];
        block[j][i % 4] = static_cast<float>(v);
        norm += v * v;
      }
      block[d_][i % 4] = static_cast<float>(norm);
    }
  }

  // Calls visit(i, nearest centre) for every row i, in order.
  template <int D, class Visit>
  void for_each_nearest(const RowMatrix& x, const RowMatrix& centers, Visit&& visit) const {
    const Idx d = dims<D>(d_), k = centers.rows();
    std::vector<Float4> c(static_cast<std::size_t>(k * d));
    double max_norm = 0;
    for (Idx a = 0; a < k; ++a) {
      double norm = 0;
      for (Idx j = 0; j < d; ++j) {
        const double v = centers(a, j) - mean_[static_cast<std::size_t>(j)];
        c[static_cast<std::size_t>(a * d + j)] = splat4(static_cast<float>(v));
        norm += v * v;
      }
      max_norm = std::max(max_norm, norm);
    }
    const Float4 scale = splat4(static_cast<float>(8 * (5.1 + 1.1 * static_cast<double>(d)) * 0x1p-24));
    const Float4 norm_c = splat4(static_cast<float>(max_norm)), floor = splat4(1e-36f);
    // Chunks of rows: the vector search fills `chosen` (−1 near a tie), the rows near a tie are
    // searched in double, then a plain loop hands the rows out.
    constexpr Idx kChunk = 256;
    int chosen[kChunk];
    for (Idx start = 0; start < n_; start += kChunk) {
      const Idx end = std::min(n_, start + kChunk);
      Int4 unsure = {0, 0, 0, 0};
      for (Idx b = start / 4; b * 4 < end; ++b) {
        const Float4* rows = blocks_.data() + b * (d + 1);
        Float4 best = sqdist4<D>(rows, c.data(), d), second = splat4(std::numeric_limits<float>::infinity());
        Int4 label = {0, 0, 0, 0}, index = {0, 0, 0, 0};
        for (Idx a = 1; a < k; ++a) {
          index += 1;
          const Float4 da = sqdist4<D>(rows, c.data() + a * d, d);
          const Float4 loser = da < best ? best : da;
          second = loser < second ? loser : second;
          label = da < best ? index : label;
          best = da < best ? da : best;
        }
        const Int4 sure = second - best > (rows[d] + norm_c) * scale + floor;
        const Int4 pick = sure ? label : Int4{-1, -1, -1, -1};
        unsure |= ~sure;
        std::memcpy(chosen + (b * 4 - start), &pick, sizeof pick);
      }
      if (unsure[0] | unsure[1] | unsure[2] | unsure[3])
        for (Idx i = start; i < end; ++i)
          if (chosen[i - start] < 0) chosen[i - start] = nearest_exact(x, i, centers);
      for (Idx i = start; i < end; ++i) visit(i, chosen[i - start]);
    }
  }

 private:
  // Squared float distances from the block's 4 rows to a centre.
  template <int D>
  static Float4 sqdist4(const Float4* rows, const Float4* c, Idx d) {
    if (dims<D>(d) == 0) return Float4{};
    Float4 t = rows[0] - c[0], s = t * t;
    for (Idx j = 1; j < dims<D>(d); ++j) {
      t = rows[j] - c[j];
      s += t * t;
    }
    return s;
  }

  Idx n_, d_;
  std::vector<double> mean_;
  std::vector<Float4> blocks_;  // 4 rows a block: d columns of 4 floats, then their squared norms
};

struct Run {
  RowMatrix centers;
  std::vector<int> labels;
  double inertia = 0;
  int n_iter = 0;
  bool converged = false;
};

// The update step shared by Lloyd and Hamerly, so both produce the same centres bit for bit.
struct Update {
  RowMatrix sums;
  std::vector<Idx> counts;

  void clear() {
    sums.setZero();
    std::fill(counts.begin(), counts.end(), 0);
  }

  // Row i joins cluster l. Rows must come in order: the sums then have the same bits every time.
  template <int D>
  void add(const RowMatrix& x, Idx i, int l) {
    const Idx d = dims<D>(x.cols());
    ++counts[static_cast<std::size_t>(l)];
    double* s = sums.data() + l * d;
    const double* xi = x.data() + i * d;
    for (Idx j = 0; j < d; ++j) s[j] += xi[j];
  }

  void accumulate(const RowMatrix& x, const std::vector<int>& labels) {
    clear();
    for (Idx i = 0; i < x.rows(); ++i) add<0>(x, i, labels[static_cast<std::size_t>(i)]);
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

// Each row's squared distance to its assigned centre (for the empty-cluster repair).
std::vector<double> assigned_sqdist(const RowMatrix& x, const RowMatrix& centers, const std::vector<int>& labels) {
  std::vector<double> dist(static_cast<std::size_t>(x.rows()));
  for (Idx i = 0; i < x.rows(); ++i)
    dist[static_cast<std::size_t>(i)] =
        sqdist(x.row(i).data(), centers.row(labels[static_cast<std::size_t>(i)]).data(), x.cols());
  return dist;
}

// Lloyd's iterations, each one pass over x: nearest centre, then straight into the sums.
template <int D>
Run lloyd(const RowMatrix& x, const FloatRows& xf, RowMatrix centers, const KMeansParams& p, double tol_abs) {
  const Idx n = x.rows(), d = x.cols(), k = centers.rows();
  Run run;
  run.labels.assign(static_cast<std::size_t>(n), 0);
  Update up{RowMatrix(k, d), std::vector<Idx>(static_cast<std::size_t>(k))};
  for (int it = 1; it <= p.max_iter; ++it) {
    up.clear();
    xf.for_each_nearest<D>(x, centers, [&](Idx i, int l) {
      run.labels[static_cast<std::size_t>(i)] = l;
      up.add<D>(x, i, l);
    });
    if (up.any_empty()) {  // rare: the repair needs every row's distance
      std::vector<double> dist = assigned_sqdist(x, centers, run.labels);
      up.repair_empty(x, run.labels, dist);
    }
    const double shift = up.move_centers(centers);
    run.n_iter = it;
    if (shift <= tol_abs) {
      run.converged = true;
      break;
    }
  }
  // Final labels and inertia for the final centres (as scikit-learn reports them).
  run.inertia = 0;
  xf.for_each_nearest<D>(x, centers, [&](Idx i, int l) {
    run.labels[static_cast<std::size_t>(i)] = l;
    run.inertia += sqdist(x.data() + i * dims<D>(d), centers.data() + l * dims<D>(d), dims<D>(d));
  });
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
      : x_(x),
        n_(x.rows()),
        d_(x.cols()),
        abs_slack_(abs_slack),
        upper_(static_cast<std::size_t>(n_)),
        lower_(static_cast<std::size_t>(n_)) {}

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
  Update up{RowMatrix(k, d), std::vector<Idx>(static_cast<std::size_t>(k))};
  Hamerly h(x, abs_slack);
  h.assign_all(centers, run.labels);
  RowMatrix before(k, d);
  for (int it = 1; it <= p.max_iter; ++it) {
    if (it > 1) h.assign_bounded(centers, run.labels);
    up.accumulate(x, run.labels);
    if (up.any_empty()) {
      std::vector<double> dist = assigned_sqdist(x, centers, run.labels);  // rare, as in Lloyd
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

// Squared distances from rows a (lane 0) and b (lane 1) to a centre broadcast to both lanes. Each
// lane does sqdist's operations in sqdist's order: the same bits, in wasm and natively.
template <int D>
Lane2 sqdist2(const double* a, const double* b, const Lane2* c, Idx d) {
  Lane2 s = {0, 0};
  for (Idx j = 0; j < dims<D>(d); ++j) {
    const Lane2 t = Lane2{a[j], b[j]} - c[j];
    s += t * t;
  }
  return s;
}

// Calls visit(i, squared distances from rows i and i + 1 to centre) for i = 0, 2, 4, …; for an odd
// row count the last call holds row n − 1 in both lanes.
template <int D, class Visit>
void for_each_pair_sqdist(const RowMatrix& x, const double* centre, Visit&& visit) {
  const Idx n = x.rows(), d = dims<D>(x.cols());
  std::vector<Lane2> c(static_cast<std::size_t>(d));
  for (Idx j = 0; j < d; ++j) c[static_cast<std::size_t>(j)] = splat2(centre[j]);
  for (Idx i = 0; i < n; i += 2) {
    const double* a = x.data() + i * d;
    visit(i, sqdist2<D>(a, i + 1 < n ? a + d : a, c.data(), d));
  }
}

// Greedy k-means++ (see kmeans_plusplus). closest[i] is row i's squared distance to its nearest
// seed so far and cum[i] = closest[0] + … + closest[i], summed in row order: cum.back() is the
// potential, and the first cum[i] above u × potential samples row i in proportion to closest[i]
// (a binary search instead of a scan per trial). Each trial's potential is one pass over x, two
// rows a step; the winner's distances are computed again rather than kept for every trial.
// (Scoring all trials in one pass, one row a step, measured slower in wasm.)
template <int D>
RowMatrix plusplus(const RowMatrix& x, int k, Rng& rng) {
  const Idx n = x.rows(), d = dims<D>(x.cols());
  const int n_trials = 2 + static_cast<int>(std::log(static_cast<double>(k)));
  std::vector<double> closest(static_cast<std::size_t>(n), std::numeric_limits<double>::infinity());
  std::vector<double> cum(static_cast<std::size_t>(n));
  // Both rows' distances to their nearest seed, were `dd` (a new seed's distances) added.
  const auto nearer = [&](Idx i, Lane2 dd) {
    const Lane2 cl = {closest[static_cast<std::size_t>(i)], closest[static_cast<std::size_t>(i + 1 < n ? i + 1 : i)]};
    return dd < cl ? dd : cl;
  };
  RowMatrix centers(k, d);
  const auto add_seed = [&](int c, Idx s) {
    centers.row(c) = x.row(s);
    double pot = 0;
    for_each_pair_sqdist<D>(x, x.row(s).data(), [&](Idx i, Lane2 dd) {
      const Lane2 m = nearer(i, dd);
      for (Idx l = 0; l < 2 && i + l < n; ++l) {
        pot += m[l];
        closest[static_cast<std::size_t>(i + l)] = m[l];
        cum[static_cast<std::size_t>(i + l)] = pot;
      }
    });
  };
  add_seed(0, static_cast<Idx>(rng.below(static_cast<std::uint64_t>(n))));
  for (int c = 1; c < k; ++c) {
    const double pot = cum.back();
    Idx best = -1;
    double best_pot = std::numeric_limits<double>::infinity();
    for (int t = 0; t < n_trials; ++t) {
      // All points coincide with seeds (potential 0): any point will do.
      const Idx cand =
          pot > 0 ? std::min<Idx>(std::upper_bound(cum.begin(), cum.end(), rng.uniform() * pot) - cum.begin(), n - 1)
                  : static_cast<Idx>(rng.below(static_cast<std::uint64_t>(n)));
      double cand_pot = 0;
      for_each_pair_sqdist<D>(x, x.row(cand).data(), [&](Idx i, Lane2 dd) {
        const Lane2 m = nearer(i, dd);
        cand_pot += m[0];
        if (i + 1 < n) cand_pot += m[1];
      });
      if (cand_pot < best_pot) {
        best_pot = cand_pot;
        best = cand;
      }
    }
    add_seed(c, best);
  }
  return centers;
}

}  // namespace

RowMatrix kmeans_plusplus(const RowMatrix& x, int k, Rng& rng) {
  RowMatrix centers;
  with_dims(x.cols(), [&](auto dim) { centers = plusplus<decltype(dim)::value>(x, k, rng); });
  return centers;
}

std::vector<int> assign_labels(const RowMatrix& x, const RowMatrix& centers) {
  std::vector<int> labels(static_cast<std::size_t>(x.rows()));
  with_dims(x.cols(), [&](auto dim) {
    FloatRows(x).for_each_nearest<decltype(dim)::value>(x, centers,
                                                        [&](Idx i, int l) { labels[static_cast<std::size_t>(i)] = l; });
  });
  return labels;
}

KMeansResult kmeans(const RowMatrix& x, const KMeansParams& p, const ProgressFn& progress) {
  const Idx n = x.rows(), d = x.cols();
  if (p.n_clusters < 1) throw InvalidArgument("n_clusters=" + std::to_string(p.n_clusters) + " should be >= 1");
  if (p.n_init < 1) throw InvalidArgument("n_init=" + std::to_string(p.n_init) + " should be >= 1");
  if (p.max_iter < 1) throw InvalidArgument("max_iter=" + std::to_string(p.max_iter) + " should be >= 1");
  const int restart_end = p.restart_end < 0 ? p.n_init : p.restart_end;
  if (p.restart_begin < 0 || p.restart_begin >= restart_end || restart_end > p.n_init)
    throw InvalidArgument("restarts [" + std::to_string(p.restart_begin) + ", " + std::to_string(restart_end) +
                          ") should be a non-empty range within the n_init=" + std::to_string(p.n_init));
  if (n < p.n_clusters)
    throw InvalidArgument("n_samples=" + std::to_string(n) +
                          " should be >= n_clusters=" + std::to_string(p.n_clusters));
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
  const bool use_hamerly = p.algorithm == KMeansAlgorithm::kHamerly;
  std::optional<FloatRows> xf;
  if (!use_hamerly) xf.emplace(x);
  Rng seeder(p.seed);
  for (int r = 0; r < p.restart_begin; ++r) seeder.next_u64();  // the seeds of the restarts before the range
  Run best;
  int best_restart = -1;
  for (int r = p.restart_begin; r < restart_end; ++r) {
    Rng rng(seeder.next_u64());
    Run run;
    with_dims(d, [&](auto dim) {
      constexpr int D = decltype(dim)::value;
      RowMatrix seeds = plusplus<D>(x, p.n_clusters, rng);
      run = use_hamerly ? hamerly(x, std::move(seeds), p, tol_abs, abs_slack)
                        : lloyd<D>(x, *xf, std::move(seeds), p, tol_abs);
    });
    if (best_restart < 0 || run.inertia < best.inertia) {
      best = std::move(run);
      best_restart = r;
    }
    if (progress && !progress(static_cast<double>(r + 1 - p.restart_begin) / (restart_end - p.restart_begin)))
      throw Cancelled();
  }
  KMeansResult result;
  result.centers = std::move(best.centers);
  result.labels = std::move(best.labels);
  result.inertia = best.inertia;
  result.n_iter = best.n_iter;
  result.converged = best.converged;
  result.restart = best_restart;
  return result;
}

}  // namespace core
