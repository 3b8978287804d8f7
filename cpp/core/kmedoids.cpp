#include "kmedoids.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

#include "distance.h"
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

// Rows per leaf of the k-d ordering (LeafOrder). A leaf is the unit of the distance loops: its
// rows' squared distances to one point in one vectorised loop, or none of them when the leaf's box
// proves that the point concerns none of its rows.
constexpr Idx kLeaf = 64;
// Interleaved partial sums of FasterPAM's reductions over rows (a multiple of the 2 doubles of a
// 128-bit vector, so both SSE2 and wasm SIMD128 keep each lane in a register).
constexpr int kLanes = 4;

// PAM's BUILD: the most central row first, then greedily the row that lowers Σ distance the most.
// Ties go to the later row, as in R's cluster::pam, so both start from the same medoids.
//
// Candidates go leaf by leaf (rows of lt.fm, feature by feature), each with its own gain summed
// over the rows j in increasing row order: the inner loop runs over the leaf's candidates with no
// dependence between them, so it vectorises, and each gain sees the same additions in the same
// order as one candidate at a time. A row j no closer to a candidate than to its nearest medoid
// gains nothing: near[j] − √min(d², near²[j]) is then exactly +0 (near[j] is √near²[j]), and adding
// +0 changes no sum, so the min replaces the branch without changing a bit; and when the leaf's box
// is at least near[j] from j (box_sqdist, a bound that holds bit for bit), no candidate of the leaf
// gains from j and the leaf skips j. The gains, hence the medoids, are those of the plain O(k·n²·d)
// loops.
std::vector<Idx> build(const RowMatrix& x, const LeafOrder& lt, int k, const Ticker& tick) {
  const Idx n = x.rows(), d = x.cols();
  const auto un = static_cast<std::size_t>(n);
  std::vector<double> near(un, kInf), near2(un, kInf), gain(un);
  std::vector<char> is_medoid(un, 0);
  std::vector<Idx> medoids;
  alignas(16) double g[kLeaf], s2[kLeaf];
  for (int c = 0; c < k; ++c) {
    for (Idx l = 0; l < lt.leaves(); ++l) {
      tick(l << 4);
      const Idx p0 = lt.begin[static_cast<std::size_t>(l)], m = lt.begin[static_cast<std::size_t>(l) + 1] - p0;
      const double *lo = &lt.lo[static_cast<std::size_t>(l * d)], *hi = &lt.hi[static_cast<std::size_t>(l * d)];
      for (Idx t = 0; t < m; ++t) g[t] = 0;  // first medoid: minus Σ distance; later: Σ reduction of nearest distance
      for (Idx j = 0; j < n; ++j) {
        const double* xj = x.row(j).data();
        if (c == 0) {
          sqdist_many(lt.fm.data() + p0, n, m, xj, d, s2);
          for (Idx t = 0; t < m; ++t) g[t] -= std::sqrt(s2[t]);
          continue;
        }
        const double nj = near[static_cast<std::size_t>(j)], nj2 = near2[static_cast<std::size_t>(j)];
        if (box_sqdist(xj, lo, hi, d) >= nj2) continue;
        sqdist_many(lt.fm.data() + p0, n, m, xj, d, s2);
        for (Idx t = 0; t < m; ++t) g[t] += nj - std::sqrt(std::min(s2[t], nj2));
      }
      for (Idx t = 0; t < m; ++t) gain[static_cast<std::size_t>(lt.row[static_cast<std::size_t>(p0 + t)])] = g[t];
    }
    Idx best = -1;
    double best_gain = -kInf;
    for (Idx i = 0; i < n; ++i)
      if (!is_medoid[static_cast<std::size_t>(i)] && gain[static_cast<std::size_t>(i)] >= best_gain)
        best_gain = gain[static_cast<std::size_t>(i)], best = i;
    medoids.push_back(best);
    is_medoid[static_cast<std::size_t>(best)] = 1;
    for (Idx j = 0; j < n; ++j) {
      const double s2j = sq(x, best, j), dj = std::sqrt(s2j);
      if (dj < near[static_cast<std::size_t>(j)])
        near[static_cast<std::size_t>(j)] = dj, near2[static_cast<std::size_t>(j)] = s2j;
    }
  }
  return medoids;
}

// Appends uniformly drawn rows of 0..n−1 to `rows` until it holds m, never one already in `rows`
// or marked in `marks`, then sorts `rows`. `marks` (n entries) comes back as it came, less the marks
// of rows now in `rows`.
void add_distinct_rows(std::vector<Idx>& rows, Idx m, Idx n, Rng& rng, std::vector<char>& marks) {
  for (Idx r : rows) marks[static_cast<std::size_t>(r)] = 1;
  while (static_cast<Idx>(rows.size()) < m) {
    const Idx r = static_cast<Idx>(rng.below(static_cast<std::uint64_t>(n)));
    if (marks[static_cast<std::size_t>(r)]) continue;
    marks[static_cast<std::size_t>(r)] = 1;
    rows.push_back(r);
  }
  std::sort(rows.begin(), rows.end());
  for (Idx r : rows) marks[static_cast<std::size_t>(r)] = 0;
}

// LAB, "linear approximative BUILD" (Schubert & Rousseeuw, SISAP 2019, §3.3; kept in FasterPAM's
// Information Systems paper): BUILD's greedy choice, each medoid chosen among a fresh random
// subsample of 10 + ⌈√n⌉ non-medoid rows by its gain on that subsample alone. O(k·n·d) instead of
// BUILD's O(k·n²·d): FasterPAM's swaps then do the rest (a pass costs O(n²·d) anyway).
std::vector<Idx> lab(const RowMatrix& x, int k, Rng& rng) {
  const Idx n = x.rows();
  const Idx size = std::min<Idx>(n, 10 + static_cast<Idx>(std::ceil(std::sqrt(static_cast<double>(n)))));
  std::vector<char> taken(static_cast<std::size_t>(n), 0);  // medoids, and the sample being drawn
  std::vector<Idx> medoids, sample;
  std::vector<double> near;
  for (int c = 0; c < k; ++c) {
    const Idx m = std::min<Idx>(size, n - c);
    sample.clear();
    add_distinct_rows(sample, m, n, rng, taken);
    near.assign(static_cast<std::size_t>(m), kInf);
    for (Idx s = 0; s < m; ++s)
      for (Idx med : medoids)
        near[static_cast<std::size_t>(s)] =
            std::min(near[static_cast<std::size_t>(s)], dist(x, sample[static_cast<std::size_t>(s)], med));
    Idx best = -1;
    double best_gain = -kInf;
    for (Idx i : sample) {
      double gain = 0;  // as in BUILD, on the sample
      for (Idx s = 0; s < m; ++s) {
        const double dis = dist(x, i, sample[static_cast<std::size_t>(s)]);
        if (c == 0)
          gain -= dis;
        else if (dis < near[static_cast<std::size_t>(s)])
          gain += near[static_cast<std::size_t>(s)] - dis;
      }
      if (gain >= best_gain) best_gain = gain, best = i;
    }
    medoids.push_back(best);
    taken[static_cast<std::size_t>(best)] = 1;
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
  FasterPam(const RowMatrix& x, const LeafOrder& lt, std::vector<Idx> medoids, const Ticker& tick)
      : x_(x),
        lt_(lt),
        n_(x.rows()),
        k_(static_cast<int>(medoids.size())),
        tick_(tick),
        rec_(static_cast<std::size_t>(n_)),
        pos_(rec_.size()),
        near_(rec_.size()),
        dn_(rec_.size()),
        ds_(rec_.size()),
        ds2_(rec_.size()),
        leaf_ds2_(static_cast<std::size_t>(lt.leaves())),
        leaf_slots_(leaf_ds2_.size()),
        lanes_(static_cast<std::size_t>(k_) * kLanes),
        loss_(static_cast<std::size_t>(k_)) {
    pam_.medoids = std::move(medoids);
    for (Idx p = 0; p < n_; ++p) {
      const Idx o = row(p);
      pos_[static_cast<std::size_t>(o)] = p;
      Rec& r = rec_[static_cast<std::size_t>(p)];
      for (int i = 0; i < k_; ++i) {
        const double d2 = sq(x_, o, med(i)), d = std::sqrt(d2);
        if (d < r.dn) {
          r.seco = r.near, r.ds = r.dn, r.ds2 = r.dn2;
          r.near = i, r.dn = d, r.dn2 = d2;
        } else if (d < r.ds) {
          r.seco = i, r.ds = d, r.ds2 = d2;
        }
      }
      mirror(p);
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
        if (j == med(rec_[static_cast<std::size_t>(pos_[static_cast<std::size_t>(j)])].near)) continue;  // a medoid
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
  Idx row(Idx p) const { return lt_.row[static_cast<std::size_t>(p)]; }
  Idx leaf_begin(Idx l) const { return lt_.begin[static_cast<std::size_t>(l)]; }

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

  // ΔTD⁻ of each medoid: the cost of removing it, every row then going to its second nearest; and
  // per leaf the largest ds² and the medoids nearest to its rows, which let best_swap skip work.
  void update_removal_loss() {
    std::fill(loss_.begin(), loss_.end(), 0.0);
    for (Idx l = 0; l < lt_.leaves(); ++l) {
      double mx = 0;
      std::uint64_t slots = 0;
      for (Idx p = leaf_begin(l); p < leaf_begin(l + 1); ++p) {
        mx = std::max(mx, ds2_[static_cast<std::size_t>(p)]);
        slots |= k_ > 64 ? ~std::uint64_t{0} : std::uint64_t{1} << near_[static_cast<std::size_t>(p)];
      }
      leaf_ds2_[static_cast<std::size_t>(l)] = mx;
      leaf_slots_[static_cast<std::size_t>(l)] = slots;
    }
    if (k_ == 1) return;
    for (const Rec& r : rec_) loss_[static_cast<std::size_t>(r.near)] += r.ds - r.dn;
  }

  // Copies the record at position p into the flat arrays the vectorised loops read.
  void mirror(Idx p) {
    const auto u = static_cast<std::size_t>(p);
    near_[u] = rec_[u].near, dn_[u] = rec_[u].dn, ds_[u] = rec_[u].ds, ds2_[u] = rec_[u].ds2;
  }

  // Lines 8–18: the best medoid to replace by row j, and the change of TD it brings.
  //
  // Every row's share is computed without a branch, so the loops over a leaf's rows vectorise: with
  // δ = √min(d²(o, j), ds²(o)) (= ds(o) exactly when j is no nearer than the second-nearest medoid),
  // ΔTD⁺ gains min(δ, dn) − dn and the removal loss of o's nearest medoid max(δ, dn) − ds, which are
  // the cases of lines 10–16 (each +0 for a row that j does not concern). The sums run in kLanes
  // interleaved partial sums (a leaf's t-th row into lane t mod kLanes, rows in position order),
  // combined lane 0 first: a fixed order, so native and wasm give the same bits whatever the SIMD
  // width. A leaf that j concerns not at all adds only +0s, which change no sum, and is skipped:
  // when its box is at least its largest ds² away from j, or after its distances when every d² ≥ ds².
  double best_swap(Idx j, int& b) {
    alignas(16) double s2[kLeaf], a[kLeaf], pv[kLeaf];
    const Idx d = x_.cols();
    const double* xj = x_.row(j).data();
    if (k_ == 1) {  // no second nearest: ΔTD = Σ d(o, j) − TD
      double acc = 0;
      for (Idx l = 0; l < lt_.leaves(); ++l) {
        const Idx p0 = leaf_begin(l), m = leaf_begin(l + 1) - p0;
        sqdist_many(lt_.fm.data() + p0, n_, m, xj, d, s2);
        for (Idx t = 0; t < m; ++t) acc += std::sqrt(s2[t]) - dn_[static_cast<std::size_t>(p0 + t)];
      }
      b = 0;
      return acc;
    }
    double acc[kLanes] = {};                       // ΔTD⁺ shared by all medoids: rows that would move to j
    std::fill(lanes_.begin(), lanes_.end(), 0.0);  // removal loss added per medoid, [slot][lane]
    for (Idx l = 0; l < lt_.leaves(); ++l) {
      const auto ul = static_cast<std::size_t>(l);
      if (box_sqdist(xj, &lt_.lo[ul * static_cast<std::size_t>(d)], &lt_.hi[ul * static_cast<std::size_t>(d)], d) >=
          leaf_ds2_[ul])
        continue;
      const Idx p0 = leaf_begin(l), m = leaf_begin(l + 1) - p0;
      sqdist_many(lt_.fm.data() + p0, n_, m, xj, d, s2);
      const double* ds2 = ds2_.data() + p0;
      std::int64_t hit = 0;
      for (Idx t = 0; t < m; ++t) hit |= static_cast<std::int64_t>(s2[t] < ds2[t]);
      if (!hit) continue;
      const double *dn = dn_.data() + p0, *ds = ds_.data() + p0;
      const int* near = near_.data() + p0;
      for (Idx t = 0; t < m; ++t) {
        const double dlt = std::sqrt(std::min(s2[t], ds2[t]));
        a[t] = std::min(dlt, dn[t]) - dn[t];
        pv[t] = std::max(dlt, dn[t]) - ds[t];
      }
      const Idx mm = m - m % kLanes;
      for (Idx t = 0; t < mm; t += kLanes)
        for (int u = 0; u < kLanes; ++u) acc[u] += a[t + u];
      for (Idx t = mm; t < m; ++t) acc[t % kLanes] += a[t];
      const std::uint64_t slots = leaf_slots_[ul];
      for (int c = 0; c < k_; ++c) {
        if (c < 64 && !(slots >> c & 1)) continue;  // no row of the leaf has medoid c nearest: all +0
        double* lc = &lanes_[static_cast<std::size_t>(c) * kLanes];
        for (Idx t = 0; t < mm; t += kLanes)
          for (int u = 0; u < kLanes; ++u) lc[u] += near[t + u] == c ? pv[t + u] : 0.0;
        for (Idx t = mm; t < m; ++t) lc[t % kLanes] += near[t] == c ? pv[t] : 0.0;
      }
    }
    double plus = 0;
    for (int u = 0; u < kLanes; ++u) plus += acc[u];
    b = -1;
    double best = kInf;
    for (int c = 0; c < k_; ++c) {
      double v = loss_[static_cast<std::size_t>(c)];
      for (int u = 0; u < kLanes; ++u) v += lanes_[static_cast<std::size_t>(c) * kLanes + u];
      if (b < 0 || v < best) best = v, b = c;
    }
    return best + plus;
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
    alignas(16) double s2[kLeaf];
    pam_.medoids[static_cast<std::size_t>(b)] = j;
    for (Idx l = 0; l < lt_.leaves(); ++l) {
      const Idx p0 = leaf_begin(l), m = leaf_begin(l + 1) - p0;
      sqdist_many(lt_.fm.data() + p0, n_, m, x_.row(j).data(), x_.cols(), s2);
      for (Idx t = 0; t < m; ++t) {
        update(rec_[static_cast<std::size_t>(p0 + t)], row(p0 + t), b, j, s2[t]);
        mirror(p0 + t);
      }
    }
    update_removal_loss();
  }

  void update(Rec& r, Idx o, int b, Idx j, double djo2) const {
    if (o == j) {
      if (r.near != b) r.seco = r.near, r.ds = r.dn, r.ds2 = r.dn2;
      r.near = b, r.dn = 0, r.dn2 = 0;
      return;
    }
    if (r.near != b && r.seco != b && djo2 >= r.ds2) return;  // neither slot b nor rank changes
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

  const RowMatrix& x_;
  const LeafOrder& lt_;  // rows in k-d leaf order; the per-row arrays below follow it (positions)
  Idx n_;
  int k_;
  const Ticker& tick_;
  std::vector<Rec> rec_;
  std::vector<Idx> pos_;  // row → position
  // rec_ again, field by field, for the vectorised loops of best_swap
  std::vector<int> near_;
  std::vector<double> dn_, ds_, ds2_;
  std::vector<double> leaf_ds2_;           // per leaf: the largest ds² of its rows
  std::vector<std::uint64_t> leaf_slots_;  // per leaf: bit c set if a row has medoid c nearest (all if k > 64)
  std::vector<double> lanes_;              // best_swap's partial sums, k × kLanes
  std::vector<double> loss_;
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
  const LeafOrder lt = leaf_order(x, kLeaf);  // O(n·d), shared by the runs
  for (int r = 0; r < p.n_init; ++r) {
    const KMedoidsInit init = p.init != KMedoidsInit::kAuto ? p.init
                              : x.rows() > p.lab_above      ? KMedoidsInit::kLab
                                                            : KMedoidsInit::kBuild;
    std::vector<Idx> seeds = r > 0 || init == KMedoidsInit::kKMeansPlusPlus ? plusplus(x, p.n_clusters, rng)
                             : init == KMedoidsInit::kLab                   ? lab(x, p.n_clusters, rng)
                                                                            : build(x, lt, p.n_clusters, tick);
    Pam run = FasterPam(x, lt, std::move(seeds), tick).run(p.max_iter);
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
  if (p.clara_samples < 1)
    throw InvalidArgument("clara_samples=" + std::to_string(p.clara_samples) + " should be >= 1");
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
      add_distinct_rows(rows, m, n, rng, chosen);
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
