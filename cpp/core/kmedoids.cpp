#include "kmedoids.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "errors.h"
#include "random.h"

namespace core {
namespace {

using Idx = Eigen::Index;
constexpr double kInf = std::numeric_limits<double>::infinity();

// Squared Euclidean distance between rows a and b, summed in a fixed order (identical native and
// wasm). Distances are √ of it. Since √ is monotone, sq ≥ d² (d itself computed as √d²) proves
// √sq ≥ d: the hot loops skip the square root for rows the comparison cannot concern.
inline double sq(const RowMatrix& x, Idx a, Idx b) {
  const double *p = x.row(a).data(), *q = x.row(b).data();
  double s = 0;
  for (Idx j = 0; j < x.cols(); ++j) {
    const double t = p[j] - q[j];
    s += t * t;
  }
  return s;
}

inline double dist(const RowMatrix& x, Idx a, Idx b) { return std::sqrt(sq(x, a, b)); }

// Calls progress (for cancellation) every so often inside long loops.
struct Ticker {
  const ProgressFn& progress;
  double at = 0;
  void operator()(Idx i) const {
    if (progress && (i & 255) == 0 && !progress(at)) throw Cancelled();
  }
};

// PAM's BUILD: the most central row first, then greedily the row that lowers Σ distance the most.
// Ties go to the later row, as in R's cluster::pam, so both start from the same medoids.
std::vector<Idx> build(const RowMatrix& x, int k, const Ticker& tick) {
  const Idx n = x.rows();
  std::vector<double> near(static_cast<std::size_t>(n), kInf), near2(static_cast<std::size_t>(n), kInf);
  std::vector<char> is_medoid(static_cast<std::size_t>(n), 0);
  std::vector<Idx> medoids;
  for (int c = 0; c < k; ++c) {
    Idx best = -1;
    double best_gain = -kInf;
    for (Idx i = 0; i < n; ++i) {
      tick(i);
      if (is_medoid[static_cast<std::size_t>(i)]) continue;
      double gain = 0;  // first medoid: minus Σ distance; later ones: Σ reduction of nearest distance
      for (Idx j = 0; j < n; ++j) {
        const auto u = static_cast<std::size_t>(j);
        if (c == 0) {
          gain -= dist(x, i, j);
          continue;
        }
        const double s2 = sq(x, i, j);
        if (s2 >= near2[u]) continue;
        const double dij = std::sqrt(s2);
        if (dij < near[u]) gain += near[u] - dij;
      }
      if (gain >= best_gain) {
        best_gain = gain;
        best = i;
      }
    }
    medoids.push_back(best);
    is_medoid[static_cast<std::size_t>(best)] = 1;
    for (Idx j = 0; j < n; ++j) {
      const double s2 = sq(x, best, j), dj = std::sqrt(s2);
      if (dj < near[static_cast<std::size_t>(j)]) near[static_cast<std::size_t>(j)] = dj, near2[static_cast<std::size_t>(j)] = s2;
    }
  }
  return medoids;
}

// k-means++-style seeding: uniform first medoid, then rows drawn with probability ∝ D(x)², D the
// distance to the nearest medoid so far.
std::vector<Idx> plusplus(const RowMatrix& x, int k, Rng& rng) {
  const Idx n = x.rows();
  std::vector<Idx> medoids{static_cast<Idx>(rng.below(static_cast<std::uint64_t>(n)))};
  std::vector<double> w(static_cast<std::size_t>(n), kInf);
  while (static_cast<int>(medoids.size()) < k) {
    double total = 0;
    for (Idx j = 0; j < n; ++j) {
      const double dj = dist(x, medoids.back(), j);
      w[static_cast<std::size_t>(j)] = std::min(w[static_cast<std::size_t>(j)], dj * dj);
      total += w[static_cast<std::size_t>(j)];
    }
    Idx pick = 0;
    if (total > 0) {
      const double target = rng.uniform() * total;
      double acc = 0;
      pick = n - 1;
      for (Idx j = 0; j < n; ++j)
        if ((acc += w[static_cast<std::size_t>(j)]) > target && w[static_cast<std::size_t>(j)] > 0) {
          pick = j;
          break;
        }
    } else {  // every row coincides with a medoid: any other row will do
      while (std::find(medoids.begin(), medoids.end(), pick) != medoids.end()) ++pick;
    }
    medoids.push_back(pick);
  }
  return medoids;
}

// Per row: nearest and second-nearest medoid (slot, distance, and the squared distance that
// distance is the root of).
struct Rec {
  int near = 0;
  double dn = kInf, dn2 = kInf;
  int seco = -1;
  double ds = kInf, ds2 = kInf;
};

struct Pam {
  std::vector<Idx> medoids;
  int n_iter = 0;
  std::int64_t n_swaps = 0;
  bool converged = false;
};

class FasterPam {
 public:
  FasterPam(const RowMatrix& x, std::vector<Idx> medoids, const Ticker& tick)
      : x_(x), n_(x.rows()), k_(static_cast<int>(medoids.size())), tick_(tick),
        rec_(static_cast<std::size_t>(n_)), loss_(static_cast<std::size_t>(k_)), ploss_(loss_.size()) {
    pam_.medoids = std::move(medoids);
    for (Idx o = 0; o < n_; ++o) {
      Rec& r = rec_[static_cast<std::size_t>(o)];
      for (int i = 0; i < k_; ++i) {
        const double d2 = sq(x_, o, med(i)), d = std::sqrt(d2);
        if (d < r.dn) {
          r.seco = r.near, r.ds = r.dn, r.ds2 = r.dn2;
          r.near = i, r.dn = d, r.dn2 = d2;
        } else if (d < r.ds) {
          r.seco = i, r.ds = d, r.ds2 = d2;
        }
      }
    }
    update_removal_loss();
  }

  // Algorithm 2: eager swaps, candidates in row order, until a full cycle finds no improvement.
  Pam run(int max_iter) {
    Idx xlast = -1;
    while (pam_.n_iter < max_iter) {
      ++pam_.n_iter;
      const std::int64_t swaps_before = pam_.n_swaps;
      for (Idx j = 0; j < n_; ++j) {
        tick_(j);
        if (j == xlast) break;  // every candidate was tried since the last swap
        if (j == med(rec_[static_cast<std::size_t>(j)].near)) continue;  // already a medoid
        int b = 0;
        // Swap only on a real improvement: a change within rounding of zero (a tie, as when two
        // rows are equally good medoids) would make the eager loop swap back and forth forever.
        if (best_swap(j, b) >= -tie_tolerance()) continue;
        swap(b, j);
        ++pam_.n_swaps;
        xlast = j;
      }
      if (pam_.n_swaps == swaps_before) {
        pam_.converged = true;
        break;
      }
    }
    return pam_;
  }

 private:
  Idx med(int i) const { return pam_.medoids[static_cast<std::size_t>(i)]; }

  // 1e-12 of the current total deviation: far below any real improvement, far above rounding.
  double tie_tolerance() const {
    double td = 0;
    if (td_cache_iter_ != pam_.n_swaps) {
      for (const Rec& r : rec_) td += r.dn;
      td_cache_ = 1e-12 * td;
      td_cache_iter_ = pam_.n_swaps;
    }
    return td_cache_;
  }
  mutable double td_cache_ = 0;
  mutable std::int64_t td_cache_iter_ = -1;

  // ΔTD⁻ of each medoid: the cost of removing it, every row then going to its second nearest.
  void update_removal_loss() {
    std::fill(loss_.begin(), loss_.end(), 0.0);
    if (k_ == 1) return;
    for (const Rec& r : rec_) loss_[static_cast<std::size_t>(r.near)] += r.ds - r.dn;
  }

  // Lines 8–18: the best medoid to replace by row j, and the change of TD it brings.
  double best_swap(Idx j, int& b) {
    double acc = 0;  // ΔTD⁺ shared by all medoids: rows that would move to j
    if (k_ == 1) {   // no second nearest: ΔTD = Σ d(o, j) − TD
      for (Idx o = 0; o < n_; ++o) acc += dist(x_, o, j) - rec_[static_cast<std::size_t>(o)].dn;
      b = 0;
      return acc;
    }
    ploss_ = loss_;
    for (Idx o = 0; o < n_; ++o) {
      const Rec& r = rec_[static_cast<std::size_t>(o)];
      const double s2 = sq(x_, o, j);
      if (s2 >= r.ds2) continue;  // doj ≥ ds ≥ dn: row o would stay where it is
      const double doj = std::sqrt(s2);
      if (doj < r.dn) {
        acc += doj - r.dn;
        ploss_[static_cast<std::size_t>(r.near)] += r.dn - r.ds;
      } else if (doj < r.ds) {
        ploss_[static_cast<std::size_t>(r.near)] += doj - r.ds;
      }
    }
    b = 0;
    for (int i = 1; i < k_; ++i)
      if (ploss_[static_cast<std::size_t>(i)] < ploss_[static_cast<std::size_t>(b)]) b = i;
    return ploss_[static_cast<std::size_t>(b)] + acc;
  }

  // Nearest medoid other than slot `skip` and slot b, or b at distance djo if that is nearer.
  Rec second(Idx o, int skip, int b, double djo, double djo2) const {
    Rec s;
    s.seco = b, s.ds = djo, s.ds2 = djo2;
    for (int i = 0; i < k_; ++i) {
      if (i == skip || i == b) continue;
      const double d2 = sq(x_, o, med(i)), d = std::sqrt(d2);
      if (d < s.ds) s.seco = i, s.ds = d, s.ds2 = d2;
    }
    return s;
  }

  // Line 22: medoid slot b becomes row j; nearest and second nearest of every row follow.
  void swap(int b, Idx j) {
    pam_.medoids[static_cast<std::size_t>(b)] = j;
    for (Idx o = 0; o < n_; ++o) {
      Rec& r = rec_[static_cast<std::size_t>(o)];
      const double djo2 = sq(x_, o, j);
      if (o == j) {
        if (r.near != b) r.seco = r.near, r.ds = r.dn, r.ds2 = r.dn2;
        r.near = b, r.dn = 0, r.dn2 = 0;
        continue;
      }
      if (r.near != b && r.seco != b && djo2 >= r.ds2) continue;  // neither slot b nor rank changes
      const double djo = std::sqrt(djo2);
      if (r.near == b) {  // its nearest medoid is gone
        if (djo < r.ds) {
          r.dn = djo, r.dn2 = djo2;
        } else {
          r.near = r.seco, r.dn = r.ds, r.dn2 = r.ds2;
          const Rec s = second(o, r.near, b, djo, djo2);
          r.seco = s.seco, r.ds = s.ds, r.ds2 = s.ds2;
        }
      } else if (djo < r.dn) {
        r.seco = r.near, r.ds = r.dn, r.ds2 = r.dn2;
        r.near = b, r.dn = djo, r.dn2 = djo2;
      } else if (djo < r.ds) {
        r.seco = b, r.ds = djo, r.ds2 = djo2;
      } else if (r.seco == b) {  // its second nearest is gone
        const Rec s = second(o, r.near, b, djo, djo2);
        r.seco = s.seco, r.ds = s.ds, r.ds2 = s.ds2;
      }
    }
    update_removal_loss();
  }

  const RowMatrix& x_;
  Idx n_;
  int k_;
  const Ticker& tick_;
  std::vector<Rec> rec_;
  std::vector<double> loss_, ploss_;
  Pam pam_;
};

// Nearest medoid of every row (ties: lower slot); returns Σ distance.
double assign(const RowMatrix& x, const std::vector<Idx>& medoids, std::vector<int>* labels) {
  double td = 0;
  for (Idx o = 0; o < x.rows(); ++o) {
    int best = 0;
    double bd = dist(x, o, medoids[0]);
    for (std::size_t i = 1; i < medoids.size(); ++i) {
      const double d = dist(x, o, medoids[i]);
      if (d < bd) bd = d, best = static_cast<int>(i);
    }
    if (labels) (*labels)[static_cast<std::size_t>(o)] = best;
    td += bd;
  }
  return td;
}

// Init + FasterPAM on x, n_init times: the first run from BUILD if asked, the others from k-means++
// seeds (FasterPAM is a local search; restarts find better optima); the lowest TD wins.
Pam pam(const RowMatrix& x, const KMedoidsParams& p, Rng& rng, const Ticker& tick) {
  Pam best;
  double best_td = kInf;
  for (int r = 0; r < p.n_init; ++r) {
    std::vector<Idx> seeds = r == 0 && p.init == KMedoidsInit::kBuild ? build(x, p.n_clusters, tick)
                                                                       : plusplus(x, p.n_clusters, rng);
    Pam run = FasterPam(x, std::move(seeds), tick).run(p.max_iter);
    const double td = assign(x, run.medoids, nullptr);
    if (td < best_td) best_td = td, best = std::move(run);
  }
  return best;
}

}  // namespace

KMedoidsResult kmedoids(const RowMatrix& x, const KMedoidsParams& p, const ProgressFn& progress) {
  const Idx n = x.rows(), d = x.cols();
  const int k = p.n_clusters;
  if (k < 1) throw InvalidArgument("n_clusters=" + std::to_string(k) + " should be >= 1");
  if (n < k) throw InvalidArgument("n_samples=" + std::to_string(n) + " should be >= n_clusters=" + std::to_string(k));
  if (p.max_iter < 1) throw InvalidArgument("max_iter=" + std::to_string(p.max_iter) + " should be >= 1");
  if (p.n_init < 1) throw InvalidArgument("n_init=" + std::to_string(p.n_init) + " should be >= 1");
  if (p.clara_samples < 1) throw InvalidArgument("clara_samples=" + std::to_string(p.clara_samples) + " should be >= 1");
  if (p.clara_sample_size < 0)
    throw InvalidArgument("clara_sample_size=" + std::to_string(p.clara_sample_size) + " should be >= 0 (0: 80 + 4k)");
  for (Idx i = 0; i < x.size(); ++i)
    if (!std::isfinite(x.data()[i]))
      throw InvalidArgument("row " + std::to_string(i / d + 1) + " holds a value that is not a finite number");

  Rng rng(p.seed);
  KMedoidsResult out;
  const Idx m = std::min<Idx>(n, p.clara_sample_size > 0 ? p.clara_sample_size : 80 + 4 * Idx{k});
  const bool clara = m < n && (p.method == KMedoidsMethod::kFastClara ||
                               (p.method == KMedoidsMethod::kAuto && n > p.auto_clara_above));
  std::vector<Idx> medoids;
  if (!clara) {
    Pam r = pam(x, p, rng, Ticker{progress, 0.0});
    medoids = r.medoids;
    out.n_iter = r.n_iter, out.n_swaps = r.n_swaps, out.converged = r.converged;
  } else {
    // FastCLARA: each sample holds the best medoids so far plus distinct random rows.
    double best_td = kInf;
    std::vector<char> chosen(static_cast<std::size_t>(n), 0);
    for (int s = 0; s < p.clara_samples; ++s) {
      std::vector<Idx> rows = medoids;
      for (Idx r : rows) chosen[static_cast<std::size_t>(r)] = 1;
      while (static_cast<Idx>(rows.size()) < m) {
        const Idx r = static_cast<Idx>(rng.below(static_cast<std::uint64_t>(n)));
        if (chosen[static_cast<std::size_t>(r)]) continue;
        chosen[static_cast<std::size_t>(r)] = 1;
        rows.push_back(r);
      }
      std::sort(rows.begin(), rows.end());
      for (Idx r : rows) chosen[static_cast<std::size_t>(r)] = 0;
      RowMatrix sample(m, d);
      for (Idx i = 0; i < m; ++i) sample.row(i) = x.row(rows[static_cast<std::size_t>(i)]);
      Pam r = pam(sample, p, rng, Ticker{progress, static_cast<double>(s) / p.clara_samples});
      std::vector<Idx> cand;
      for (Idx i : r.medoids) cand.push_back(rows[static_cast<std::size_t>(i)]);
      const double td = assign(x, cand, nullptr);
      if (td < best_td) {
        best_td = td, medoids = std::move(cand);
        out.n_iter = r.n_iter, out.n_swaps = r.n_swaps, out.converged = r.converged;
      }
      if (progress && !progress(static_cast<double>(s + 1) / p.clara_samples)) throw Cancelled();
    }
    out.sampled = true, out.sample_size = m, out.n_samples = p.clara_samples;
  }
  out.labels.resize(static_cast<std::size_t>(n));
  out.objective = assign(x, medoids, &out.labels);
  out.medoids.assign(medoids.begin(), medoids.end());
  if (progress && !progress(1.0)) throw Cancelled();
  return out;
}

}  // namespace core
