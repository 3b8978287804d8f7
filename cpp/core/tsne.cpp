// Barnes–Hut t-SNE; the method, its parameters and the determinism rules are in tsne.h.
#include "tsne.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <numeric>
#include <sstream>
#include <utility>

#include "distance.h"
#include "embedding.h"
#include "errors.h"
#include "portable_math.h"
#include "random.h"

namespace core {
namespace {

using Idx = Eigen::Index;
using std::size_t;
using std::uint32_t;
constexpr int kExaggerationIter = 250;  // the reference's stop_lying_iter and mom_switch_iter
constexpr int kProgressEvery = 25;
constexpr int kCalibrationSteps = 200;
constexpr double kEntropyTol = 1e-5;
constexpr size_t kPlacementNeighbours = 10;
constexpr Idx kExactKlLimit = 3000;  // exact Z costs n²/2 kernel evaluations

std::string num(double v) {
  std::ostringstream s;
  s << v;
  return s.str();
}

void check_finite(const RowMatrix& x) {
  for (Idx i = 0; i < x.size(); ++i)
    if (!std::isfinite(x.data()[i]))
      throw InvalidArgument("row " + std::to_string(i / x.cols() + 1) + " holds a value that is not a finite number");
}

double squared_distance(const RowMatrix& x, Idx a, const RowMatrix& y, Idx b) {
  return sqdist(&x(a, 0), &y(b, 0), x.cols());
}

// Exact k nearest rows of a pool, as a full scan would find them (ties by pool row), without the
// full scan: the pool is sorted along its first principal axis, the walk goes outward from the
// query's projection and stops once the gap along the axis alone exceeds the k-th distance (a
// projection on a unit axis is never longer than the distance; slack covers the rounding).
class Nearest {
 public:
  Nearest(const RowMatrix& pool, const PcaResult& pc) : pool_(pool), pc_(pc) {
    double extent = 1;
    for (Idx s = 0; s < pool.rows(); ++s) {
      axis_.emplace_back(project(pool, s), static_cast<size_t>(s));
      extent = std::max(extent, std::abs(axis_.back().first));
    }
    std::sort(axis_.begin(), axis_.end());
    slack_ = 1e-9 * extent;
  }

  // Row i of q: (squared distance, pool row) of its k nearest pool rows other than `self`, ascending.
  void find(const RowMatrix& q, Idx i, size_t k, size_t self, std::vector<std::pair<double, size_t>>& best) const {
    const double pi = project(q, i);
    size_t hi = static_cast<size_t>(std::lower_bound(axis_.begin(), axis_.end(), std::make_pair(pi, size_t{0})) -
                                    axis_.begin());
    size_t lo = hi;  // the next candidates are axis_[lo − 1] and axis_[hi]
    double reach = std::numeric_limits<double>::infinity();
    best.clear();
    while (lo > 0 || hi < axis_.size()) {
      const bool down = hi == axis_.size() || (lo > 0 && pi - axis_[lo - 1].first <= axis_[hi].first - pi);
      const auto& [ps, s] = down ? axis_[--lo] : axis_[hi++];
      if (std::abs(pi - ps) > reach) break;  // nothing nearer further out on either side
      const std::pair<double, size_t> c(squared_distance(q, i, pool_, static_cast<Idx>(s)), s);
      if (s == self || (best.size() == k && !(c < best.back()))) continue;
      if (best.size() == k) best.pop_back();
      best.insert(std::upper_bound(best.begin(), best.end(), c), c);
      if (best.size() == k) reach = std::sqrt(best.back().first) + slack_;
    }
  }

 private:
  double project(const RowMatrix& x, Idx i) const {
    double s = 0;
    for (Idx j = 0; j < x.cols(); ++j) s += (x(i, j) - pc_.mean[j]) * pc_.components(0, j);
    return s;
  }

  const RowMatrix& pool_;
  const PcaResult& pc_;
  std::vector<std::pair<double, size_t>> axis_;  // (projection, pool row), ascending
  double slack_;
};

// Bisection on β as the reference bhtsne (computeGaussianPerplexity): double or halve until the
// entropy is bracketed, then halve the bracket. Distances are shifted by the nearest one, which
// leaves p(j | i) and the entropy unchanged but keeps Σ exp ≥ 1, so far-away rows cannot underflow.
double calibrate_row(const double* dist, size_t k, double log_perplexity, double* p) {
  double beta = 1, lo = 0, hi = 0, sum = 0;
  bool has_lo = false, has_hi = false;
  for (int step = 0; step < kCalibrationSteps; ++step) {
    double dot = 0;
    sum = 0;
    for (size_t m = 0; m < k; ++m) p[m] = portable::exp(-beta * (dist[m] - dist[0]));
    for (size_t m = 0; m < k; ++m) sum += p[m], dot += (dist[m] - dist[0]) * p[m];
    const double diff = portable::log(sum) + beta * dot / sum - log_perplexity;  // entropy − target
    if (std::abs(diff) < kEntropyTol || step + 1 == kCalibrationSteps) break;
    if (diff > 0) {  // too flat: sharpen
      lo = beta, has_lo = true;
      beta = has_hi ? (beta + hi) / 2 : beta * 2;
    } else {
      hi = beta, has_hi = true;
      beta = has_lo ? (beta + lo) / 2 : beta / 2;
    }
  }
  for (size_t m = 0; m < k; ++m) p[m] /= sum;
  return beta;
}

// Symmetric P as its upper triangle in compressed rows: p_ij = (p(j | i) + p(i | j)) / Σ, i < j.
struct Edges {
  std::vector<size_t> start;  // row i's pairs are start[i] … start[i + 1] − 1, with columns j and values p
  std::vector<uint32_t> j;
  std::vector<double> p;
};

Edges symmetrise(const TsneAffinities& a) {
  const auto k = static_cast<size_t>(a.k);
  std::vector<std::vector<std::pair<uint32_t, double>>> rows(a.beta.size());
  for (size_t i = 0; i < rows.size(); ++i)
    for (size_t m = 0; m < k; ++m) {
      const auto j = static_cast<size_t>(a.neighbours[i * k + m]);
      rows[std::min(i, j)].emplace_back(static_cast<uint32_t>(std::max(i, j)), a.conditional[i * k + m]);
    }
  Edges s;
  s.start.push_back(0);
  for (auto& r : rows) {
    std::sort(r.begin(), r.end());
    for (size_t e = 0; e < r.size(); ++e)
      if (e > 0 && r[e].first == r[e - 1].first) {
        s.p.back() += r[e].second;  // both directions: a + b, the same either way round
      } else {
        s.j.push_back(r[e].first);
        s.p.push_back(r[e].second);
      }
    s.start.push_back(s.j.size());
    std::vector<std::pair<uint32_t, double>>().swap(r);
  }
  double total = 0;
  for (double v : s.p) total += v;
  for (double& v : s.p) v /= 2 * total;  // Σ over ordered pairs is 1
  return s;
}

// Quadtree over the map, stored depth-first: a node's first child follows it and `skip` is the node
// after its subtree. Points are sorted by their Morton code on a 2^16 × 2^16 grid over the map (an
// LSD radix sort, stable, so ties keep row order), so every subtree's points are contiguous.
//
// The repulsion walks the tree once for all points rather than once per point: each node, as a
// target, inherits its parent's undecided cells and tests them against its own bounding box; a cell
// far enough for the whole box (width / distance < θ from the box's nearest point) is summarised by
// its centre of mass for every point below, the others are opened or passed down. Nodes of at most
// kGroup points settle their list and sum it lane by lane in straight-line code. This is Barnes'
// grouping (J. Barnes, "A modified tree code: don't laugh; it runs", J. Comput. Phys. 87, 1990)
// level by level, so every point gets at least the accuracy of the per-point criterion. A cell's
// width is the larger side of its points' bounding box (at most the cell's side).
class QuadTree {
 public:
  // For every row i: Σ_j q̃_ij² (yᵢ − yⱼ) into neg[2i], neg[2i + 1] and Σ_j q̃_ij into z_row[i],
  // q̃ = 1 / (1 + ‖yᵢ − yⱼ‖²), j ≠ i.
  void repulse(const std::vector<double>& y, double theta, std::vector<double>& neg, std::vector<double>& z_row) {
    build(y, theta);
    cand_.assign(1, 0);
    terms_.clear();
    descend(0, 0, neg, z_row);
  }

 private:
  static constexpr uint32_t kGroup = 32;
  struct Node {
    double cx, cy, r2;  // centre of mass; summarise beyond squared distance width² / θ² (−1: a leaf)
    uint32_t first, count, skip;
  };
  struct Box {
    double x0, x1, y0, y1;
  };
  struct Point {
    double x, y;
    uint32_t row;
  };
  struct Term {
    double x, y, m;
  };  // m points at (x, y)

  static uint32_t spread(uint32_t v) {  // bits 0..15 to the even bits 0..30
    v = (v | v << 8) & 0x00FF00FFu;
    v = (v | v << 4) & 0x0F0F0F0Fu;
    v = (v | v << 2) & 0x33333333u;
    return (v | v << 1) & 0x55555555u;
  }

  void build(const std::vector<double>& y, double theta) {
    const size_t n = y.size() / 2;
    double x0 = y[0], x1 = y[0], y0 = y[1], y1 = y[1];
    for (size_t i = 0; i < n; ++i) {
      x0 = std::min(x0, y[2 * i]), x1 = std::max(x1, y[2 * i]);
      y0 = std::min(y0, y[2 * i + 1]), y1 = std::max(y1, y[2 * i + 1]);
    }
    const double w = std::max(x1 - x0, y1 - y0), scale = w > 0 ? 65536 / w : 0.0;
    keys_.resize(n);
    sorted_.resize(n);
    for (size_t i = 0; i < n; ++i) {
      const auto qx = static_cast<uint32_t>(std::min((y[2 * i] - x0) * scale, 65535.0));
      const auto qy = static_cast<uint32_t>(std::min((y[2 * i + 1] - y0) * scale, 65535.0));
      keys_[i] = static_cast<std::uint64_t>(spread(qx) | spread(qy) << 1) << 32 | i;
    }
    for (int shift = 32; shift < 64; shift += 8) {
      size_t at[257] = {};
      for (std::uint64_t k : keys_) ++at[(k >> shift & 255) + 1];
      for (int v = 1; v < 257; ++v) at[v] += at[v - 1];
      for (std::uint64_t k : keys_) sorted_[at[k >> shift & 255]++] = k;
      keys_.swap(sorted_);
    }
    pts_.resize(n);
    for (size_t t = 0; t < n; ++t) {
      const auto i = static_cast<uint32_t>(keys_[t]);
      pts_[t] = {y[2 * size_t{i}], y[2 * size_t{i} + 1], i};
    }
    inv_theta2_ = theta > 0 ? 1 / (theta * theta) : std::numeric_limits<double>::infinity();
    nodes_.clear();
    boxes_.clear();
    double sx, sy;
    node(0, static_cast<uint32_t>(n), 0, sx, sy);
  }

  // Points a … b − 1 share the code's first 2·level bits; sx, sy receive their sums.
  Box node(uint32_t a, uint32_t b, int level, double& sx, double& sy) {
    const size_t idx = nodes_.size();
    nodes_.push_back({0, 0, -1, a, b - a, 0});
    boxes_.emplace_back();
    Box box{pts_[a].x, pts_[a].x, pts_[a].y, pts_[a].y};
    sx = sy = 0;
    if (b - a == 1 || level == 16 || keys_[a] >> 32 == keys_[b - 1] >> 32) {  // a leaf
      for (uint32_t s = a; s < b; ++s) {
        sx += pts_[s].x, sy += pts_[s].y;
        box = {std::min(box.x0, pts_[s].x), std::max(box.x1, pts_[s].x), std::min(box.y0, pts_[s].y),
               std::max(box.y1, pts_[s].y)};
      }
    } else {
      const int shift = 62 - 2 * level;
      for (uint32_t s = a, q = 0; q < 4; ++q) {
        uint32_t e = s;
        while (e < b && (keys_[e] >> shift & 3) == q) ++e;
        if (e == s) continue;
        double cx, cy;
        const Box c = node(s, e, level + 1, cx, cy);
        sx += cx, sy += cy;
        box = {std::min(box.x0, c.x0), std::max(box.x1, c.x1), std::min(box.y0, c.y0), std::max(box.y1, c.y1)};
        s = e;
      }
      const double w = std::max(box.x1 - box.x0, box.y1 - box.y0);
      nodes_[idx].r2 = w * w * inv_theta2_;
    }
    nodes_[idx].cx = sx / (b - a);
    nodes_[idx].cy = sy / (b - a);
    nodes_[idx].skip = static_cast<uint32_t>(nodes_.size());
    return boxes_[idx] = box;
  }

  void open(uint32_t s) {
    for (uint32_t c = s + 1; c < nodes_[s].skip; c = nodes_[c].skip) cand_.push_back(c);
  }

  // Target t; its parent's undecided cells are cand_[begin, size at entry).
  void descend(uint32_t t, size_t begin, std::vector<double>& neg, std::vector<double>& z_row) {
    const Node tn = nodes_[t];
    const Box b = boxes_[t];
    const bool group = tn.count <= kGroup || tn.r2 < 0;
    const size_t end = cand_.size(), terms = terms_.size();
    for (size_t e = begin; e < (group ? cand_.size() : end); ++e) {  // a group settles what it opens
      const uint32_t s = cand_[e];
      const Node& sn = nodes_[s];
      if (sn.first < tn.first + tn.count && tn.first < sn.first + sn.count) {  // overlaps the target
        if (sn.first <= tn.first && sn.first + sn.count >= tn.first + tn.count) {
          if (sn.r2 >= 0) open(s);  // holds the target
        } else if (!group) {
          cand_.push_back(s);  // inside the target: it may be summarised for a sibling
        }                      // else the group's own points: exact terms in sum_group
      } else if (sn.r2 < 0) {
        for (uint32_t p = sn.first; p < sn.first + sn.count; ++p) terms_.push_back({pts_[p].x, pts_[p].y, 1.0});
      } else {
        const double ex = std::max(std::max(b.x0 - sn.cx, sn.cx - b.x1), 0.0);
        const double ey = std::max(std::max(b.y0 - sn.cy, sn.cy - b.y1), 0.0);
        if (ex * ex + ey * ey > sn.r2) {
          terms_.push_back({sn.cx, sn.cy, static_cast<double>(sn.count)});
        } else {
          open(s);
        }
      }
    }
    if (group) {
      for (uint32_t off = 0; off < tn.count; off += kGroup) sum_group(tn.first, tn.count, off, neg, z_row);
    } else {
      for (uint32_t c = t + 1; c < tn.skip; c = nodes_[c].skip) descend(c, end, neg, z_row);
    }
    cand_.resize(end);
    terms_.resize(terms);
  }

  // Points a + off … of the group a … a + c − 1: the terms from the root down, then exact terms for
  // the group's other points. The lane loop vectorises, but each lane sums in list order, so the
  // result does not depend on the vector width.
  void sum_group(uint32_t a, uint32_t c, uint32_t off, std::vector<double>& neg, std::vector<double>& z_row) const {
    const uint32_t lanes = std::min(kGroup, c - off);
    double gx[kGroup], gy[kGroup], z[kGroup] = {}, fx[kGroup] = {}, fy[kGroup] = {};
    for (uint32_t j = 0; j < lanes; ++j) gx[j] = pts_[a + off + j].x, gy[j] = pts_[a + off + j].y;
    for (const Term& e : terms_)
      for (uint32_t j = 0; j < lanes; ++j) {
        const double dx = gx[j] - e.x, dy = gy[j] - e.y, q = 1 / (1 + dx * dx + dy * dy);
        z[j] += e.m * q;
        fx[j] += e.m * q * q * dx, fy[j] += e.m * q * q * dy;
      }
    for (uint32_t s = a; s < a + c; ++s)  // a point's own term has weight 0 (and dx = dy = 0)
      for (uint32_t j = 0; j < lanes; ++j) {
        const double dx = gx[j] - pts_[s].x, dy = gy[j] - pts_[s].y, q = 1 / (1 + dx * dx + dy * dy);
        const double w = s == a + off + j ? 0.0 : 1.0;
        z[j] += w * q;
        fx[j] += w * q * q * dx, fy[j] += w * q * q * dy;
      }
    for (uint32_t j = 0; j < lanes; ++j) {
      const size_t i = pts_[a + off + j].row;
      neg[2 * i] = fx[j], neg[2 * i + 1] = fy[j], z_row[i] = z[j];
    }
  }

  std::vector<Node> nodes_;
  std::vector<Box> boxes_;                    // each node's points' bounding box
  std::vector<std::uint64_t> keys_, sorted_;  // Morton code << 32 | row, in tree order
  std::vector<Point> pts_;                    // in tree order
  std::vector<uint32_t> cand_;                // undecided cells, one run per level of the descent
  std::vector<Term> terms_;                   // accepted terms, one run per level of the descent
  double inv_theta2_ = 0;
};

double sign(double v) { return v == 0 ? 0.0 : (v < 0 ? -1.0 : 1.0); }

// KL(P‖Q) = Σ_{i≠j} p_ij log(p_ij / q_ij) = 2 Σ_{i<j} …, q_ij = q̃_ij / Z, over the non-zero p_ij.
double kl_divergence(const Edges& p, const std::vector<double>& y, double z) {
  double kl = 0;
  for (size_t i = 0; i + 1 < p.start.size(); ++i)
    for (size_t e = p.start[i]; e < p.start[i + 1]; ++e) {
      const double dx = y[2 * i] - y[2 * size_t{p.j[e]}], dy = y[2 * i + 1] - y[2 * size_t{p.j[e]} + 1];
      if (p.p[e] > 0) kl += p.p[e] * portable::log(p.p[e] * z * (1 + dx * dx + dy * dy));
    }
  return 2 * kl;
}

// Each row outside the sample at the 1/distance-weighted mean of the map positions of its 10 nearest
// sampled rows (at the mean of the coincident ones if any).
void place_rest(const RowMatrix& x, const RowMatrix& xs, const PcaResult& pc, const std::vector<char>& in_sample,
                const std::vector<double>& y, RowMatrix& out) {
  const Nearest nearest(xs, pc);
  std::vector<std::pair<double, size_t>> best;
  for (Idx i = 0; i < x.rows(); ++i) {
    if (in_sample[static_cast<size_t>(i)]) continue;
    nearest.find(x, i, kPlacementNeighbours, SIZE_MAX, best);
    double wx = 0, wy = 0, ws = 0;
    for (const auto& [d2, s] : best) {
      if (best.front().first == 0 && d2 > 0) break;
      const double w = best.front().first == 0 ? 1.0 : 1 / std::sqrt(d2);
      wx += w * y[2 * s], wy += w * y[2 * s + 1], ws += w;
    }
    out(i, 0) = wx / ws;
    out(i, 1) = wy / ws;
  }
}

}  // namespace

TsneAffinities tsne_affinities(const RowMatrix& x, double perplexity) {
  const Idx n = x.rows();
  if (n < 2) throw InvalidArgument("n_samples=" + std::to_string(n) + " should be >= 2 for t-SNE affinities");
  if (x.cols() < 1) throw InvalidArgument("n_features=" + std::to_string(x.cols()) + " should be >= 1");
  if (!(perplexity > 0) || !std::isfinite(perplexity))
    throw InvalidArgument("perplexity=" + num(perplexity) + " should be a number > 0");
  check_finite(x);
  TsneAffinities a;
  a.k = static_cast<int>(std::max(1.0, std::min(static_cast<double>(n - 1), std::floor(3 * perplexity))));
  const auto k = static_cast<size_t>(a.k), nn = static_cast<size_t>(n);
  a.neighbours.resize(nn * k);
  a.distances.resize(nn * k);
  a.conditional.resize(nn * k);
  a.beta.resize(nn);
  PcaParams pp;
  pp.n_components = 1;
  const PcaResult pc = pca(x, pp);
  const Nearest nearest(x, pc);
  std::vector<std::pair<double, size_t>> best;
  for (Idx i = 0; i < n; ++i) {
    nearest.find(x, i, k, static_cast<size_t>(i), best);
    if (!std::isfinite(best.back().first))
      throw InvalidArgument("row " + std::to_string(i + 1) + ": squared distances overflow; scale the features first");
    const size_t o = static_cast<size_t>(i) * k;
    for (size_t m = 0; m < k; ++m)
      a.neighbours[o + m] = static_cast<std::int32_t>(best[m].second), a.distances[o + m] = best[m].first;
    a.beta[static_cast<size_t>(i)] = calibrate_row(&a.distances[o], k, portable::log(perplexity), &a.conditional[o]);
  }
  return a;
}

TsneResult tsne(const RowMatrix& x, const TsneParams& p, const ProgressFn& progress) {
  const Idx n = x.rows();
  if (n < 4) throw InvalidArgument("n_samples=" + std::to_string(n) + " should be >= 4 for t-SNE");
  if (x.cols() < 1) throw InvalidArgument("n_features=" + std::to_string(x.cols()) + " should be >= 1");
  if (!(p.perplexity > 0) || !std::isfinite(p.perplexity))
    throw InvalidArgument("perplexity=" + num(p.perplexity) + " should be a number > 0");
  if (!(p.theta >= 0) || !std::isfinite(p.theta)) throw InvalidArgument("theta=" + num(p.theta) + " should be >= 0");
  if (p.n_iter < 1) throw InvalidArgument("n_iter=" + std::to_string(p.n_iter) + " should be >= 1");
  if (!(p.learning_rate >= 0) || !std::isfinite(p.learning_rate))
    throw InvalidArgument("learning_rate=" + num(p.learning_rate) + " should be > 0, or 0 for auto");
  if (!(p.early_exaggeration >= 1) || !std::isfinite(p.early_exaggeration))
    throw InvalidArgument("early_exaggeration=" + num(p.early_exaggeration) + " should be >= 1");
  if (p.max_points < 4) throw InvalidArgument("max_points=" + std::to_string(p.max_points) + " should be >= 4");
  check_finite(x);

  TsneResult r;
  // Two streams, so the sample rows get exactly the map t-SNE gives them on their own.
  Rng sampler(p.seed), jitter(~p.seed);
  r.sampled = n > p.max_points;
  std::vector<std::int64_t> rows(static_cast<size_t>(n));
  std::iota(rows.begin(), rows.end(), std::int64_t{0});
  if (r.sampled) {  // the first max_points of a partial Fisher–Yates shuffle, then in row order
    for (std::int64_t t = 0; t < p.max_points; ++t)
      std::swap(rows[static_cast<size_t>(t)],
                rows[static_cast<size_t>(t) + sampler.below(static_cast<std::uint64_t>(n - t))]);
    rows.resize(static_cast<size_t>(p.max_points));
    std::sort(rows.begin(), rows.end());
  }
  const auto m = static_cast<Idx>(rows.size());
  const auto mm = static_cast<size_t>(m), len = 2 * mm;
  RowMatrix xs(m, x.cols());
  for (Idx i = 0; i < m; ++i) xs.row(i) = x.row(static_cast<Idx>(rows[static_cast<size_t>(i)]));

  r.perplexity_used = p.perplexity;
  if (p.perplexity > static_cast<double>(m - 1) / 3) {
    r.perplexity_used = static_cast<double>(m - 1) / 3;
    r.note = "perplexity=" + num(p.perplexity) + " reduced to " + num(r.perplexity_used) + ", (n - 1)/3 for the " +
             std::to_string(m) + " rows t-SNE ran on";
  }
  const Edges pm = symmetrise(tsne_affinities(xs, r.perplexity_used));

  // openTSNE's pca initialisation: PC1 scaled to standard deviation 1e-4, PC2 by the same factor,
  // plus a jitter of standard deviation 1e-6 (uniform on ±√3·1e-6) so identical rows do not coincide.
  PcaParams pp;
  pp.n_components = x.cols() >= 2 ? 2 : 1;
  const PcaResult pc = pca(xs, pp);
  double mean = 0, var = 0;
  for (Idx i = 0; i < m; ++i) mean += pc.embedding(i, 0);
  mean /= static_cast<double>(m);
  for (Idx i = 0; i < m; ++i) var += (pc.embedding(i, 0) - mean) * (pc.embedding(i, 0) - mean);
  const double sd = std::sqrt(var / static_cast<double>(m)), scale = sd > 0 ? 1e-4 / sd : 0.0;
  std::vector<double> y(len), update(len, 0.0), gains(len, 1.0), neg(len), attr(len), z_row(mm);
  for (size_t e = 0; e < len; ++e) {
    const Idx i = static_cast<Idx>(e / 2), c = static_cast<Idx>(e % 2);
    y[e] = (c < pc.embedding.cols() ? pc.embedding(i, c) * scale : 0.0) +
           std::sqrt(3.0) * 1e-6 * (2 * jitter.uniform() - 1);
  }

  const double lr =
      p.learning_rate > 0 ? p.learning_rate : std::max(static_cast<double>(m) / p.early_exaggeration / 4, 50.0);
  QuadTree tree;
  for (int it = 0; it < p.n_iter; ++it) {
    const bool early = it < kExaggerationIter;
    const double exaggeration = early ? p.early_exaggeration : 1.0, momentum = early ? 0.5 : 0.8;
    tree.repulse(y, p.theta, neg, z_row);
    double z = 0;
    for (double v : z_row) z += v;  // in row order
    std::fill(attr.begin(), attr.end(), 0.0);
    for (size_t i = 0; i < mm; ++i) {  // attraction p_ij q̃_ij (yᵢ − yⱼ), once per pair
      const double xi = y[2 * i], yi = y[2 * i + 1];
      double ax = attr[2 * i], ay = attr[2 * i + 1];
      for (size_t e = pm.start[i]; e < pm.start[i + 1]; ++e) {
        const size_t j = pm.j[e];
        const double dx = xi - y[2 * j], dy = yi - y[2 * j + 1], f = pm.p[e] / (1 + dx * dx + dy * dy);
        ax += f * dx, ay += f * dy;
        attr[2 * j] -= f * dx, attr[2 * j + 1] -= f * dy;
      }
      attr[2 * i] = ax, attr[2 * i + 1] = ay;
    }
    for (size_t e = 0; e < len; ++e) {  // the KL gradient; the reference's gains, momentum and step
      const double grad = 4 * (exaggeration * attr[e] - neg[e] / z);
      gains[e] = sign(grad) != sign(update[e]) ? gains[e] + 0.2 : gains[e] * 0.8;
      if (gains[e] < 0.01) gains[e] = 0.01;
      update[e] = momentum * update[e] - lr * gains[e] * grad;
    }
    double centre[2] = {0, 0};
    for (size_t e = 0; e < len; ++e) y[e] += update[e], centre[e % 2] += y[e];
    for (size_t e = 0; e < len; ++e) y[e] -= centre[e % 2] / static_cast<double>(m);
    if (progress && ((it + 1) % kProgressEvery == 0 || it + 1 == p.n_iter) &&
        !progress(static_cast<double>(it + 1) / p.n_iter))
      throw Cancelled();
  }
  r.n_iter = p.n_iter;

  double z = 0;
  if (m <= kExactKlLimit) {
    for (size_t i = 0; i < mm; ++i)
      for (size_t j = i + 1; j < mm; ++j) {
        const double dx = y[2 * i] - y[2 * j], dy = y[2 * i + 1] - y[2 * j + 1];
        z += 2 / (1 + dx * dx + dy * dy);
      }
  } else {
    tree.repulse(y, p.theta, neg, z_row);
    for (double v : z_row) z += v;
  }
  r.kl_divergence = kl_divergence(pm, y, z);

  r.embedding.resize(n, 2);
  std::vector<char> in_sample(static_cast<size_t>(n), 0);
  for (size_t i = 0; i < mm; ++i) {
    in_sample[static_cast<size_t>(rows[i])] = 1;
    r.embedding(static_cast<Idx>(rows[i]), 0) = y[2 * i];
    r.embedding(static_cast<Idx>(rows[i]), 1) = y[2 * i + 1];
  }
  if (r.sampled) place_rest(x, xs, pc, in_sample, y, r.embedding);
  r.sample_rows = std::move(rows);
  return r;
}

}  // namespace core
