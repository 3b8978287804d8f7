#include "hierarchy.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "distance.h"
#include "errors.h"

namespace core {
namespace {

using Idx = Eigen::Index;
constexpr double kInf = std::numeric_limits<double>::infinity();

struct Merge {
  Idx a, b;  // slots (row ids for single linkage) before relabelling
  double height;
};

struct Ticker {
  const ProgressFn& progress;
  Idx total;
  void operator()(Idx step) const {
    if (progress && (step & 63) == 0 && !progress(static_cast<double>(step) / static_cast<double>(total)))
      throw Cancelled();
  }
};

// Active cluster slots in ascending order, as SciPy scans them (so ties break the same way).
class Active {
 public:
  explicit Active(Idx n) : next_(static_cast<std::size_t>(n)), prev_(static_cast<std::size_t>(n)), end_(n) {
    for (Idx i = 0; i < n; ++i) next_[static_cast<std::size_t>(i)] = i + 1, prev_[static_cast<std::size_t>(i)] = i - 1;
  }
  Idx head() const { return head_; }
  Idx next(Idx i) const { return next_[static_cast<std::size_t>(i)]; }
  Idx end() const { return end_; }
  void remove(Idx i) {
    const Idx p = prev_[static_cast<std::size_t>(i)], q = next_[static_cast<std::size_t>(i)];
    if (p >= 0)
      next_[static_cast<std::size_t>(p)] = q;
    else
      head_ = q;
    if (q < end_) prev_[static_cast<std::size_t>(q)] = p;
  }

 private:
  std::vector<Idx> next_, prev_;
  Idx head_ = 0, end_;
};

// The nearest-neighbour chain (Müllner 2011, Fig. 5, in SciPy's form: slot y keeps the merged
// cluster, ties prefer the previous chain element, then the lowest slot). dist(x, i) is the current
// dissimilarity of slots x and i; merge(x, y, h, active) updates the data of slot y (x < y), before
// x leaves the active set; size tracks cluster sizes per slot.
template <class Dist, class MergeFn>
std::vector<Merge> nn_chain(Idx n, std::vector<Idx>& size, Dist dist, MergeFn merge, const Ticker& tick) {
  std::vector<Merge> out;
  out.reserve(static_cast<std::size_t>(n - 1));
  std::vector<Idx> chain;
  Active act(n);
  for (Idx step = 0; step < n - 1; ++step) {
    tick(step);
    if (chain.empty()) chain.push_back(act.head());
    Idx x, y;
    double cur;
    while (true) {
      x = chain.back();
      const bool has_prev = chain.size() > 1;
      y = has_prev ? chain[chain.size() - 2] : -1;
      cur = has_prev ? dist(x, y) : kInf;
      for (Idx i = act.head(); i != act.end(); i = act.next(i)) {
        if (i == x) continue;
        const double v = dist(x, i);
        if (v < cur) cur = v, y = i;
      }
      if (has_prev && y == chain[chain.size() - 2]) break;
      chain.push_back(y);
    }
    chain.pop_back();
    chain.pop_back();
    if (x > y) std::swap(x, y);
    merge(x, y, cur, act);
    out.push_back({x, y, cur});
    size[static_cast<std::size_t>(y)] += size[static_cast<std::size_t>(x)];
    size[static_cast<std::size_t>(x)] = 0;
    act.remove(x);
  }
  return out;
}

std::vector<Merge> ward(const RowMatrix& x, const Ticker& tick) {
  const Idx n = x.rows(), d = x.cols();
  RowMatrix c = x;  // centroid of the cluster in each slot
  std::vector<Idx> size(static_cast<std::size_t>(n), 1);
  auto delta = [&](Idx a, Idx b) {
    const double na = static_cast<double>(size[static_cast<std::size_t>(a)]);
    const double nb = static_cast<double>(size[static_cast<std::size_t>(b)]);
    return na * nb / (na + nb) * sqdist(c.row(a).data(), c.row(b).data(), d);
  };
  auto merge = [&](Idx a, Idx b, double, const Active&) {
    const double na = static_cast<double>(size[static_cast<std::size_t>(a)]);
    const double nb = static_cast<double>(size[static_cast<std::size_t>(b)]);
    for (Idx j = 0; j < d; ++j) c(b, j) = (na * c(a, j) + nb * c(b, j)) / (na + nb);
  };
  std::vector<Merge> out = nn_chain(n, size, delta, merge, tick);
  for (Merge& m : out) m.height = std::sqrt(2 * m.height);  // Δ → Lance–Williams Ward distance
  return out;
}

std::vector<Merge> pairwise(const RowMatrix& x, LinkageMethod method, const Ticker& tick) {
  const Idx n = x.rows(), d = x.cols();
  // Condensed upper triangle, SciPy's order: (i, j), i < j at n·i − i(i+1)/2 + j − i − 1.
  auto at = [n](Idx i, Idx j) {
    if (i > j) std::swap(i, j);
    return static_cast<std::size_t>(n * i - i * (i + 1) / 2 + j - i - 1);
  };
  std::vector<double> dm(static_cast<std::size_t>(n * (n - 1) / 2));
  for (Idx i = 0; i < n; ++i)
    for (Idx j = i + 1; j < n; ++j) dm[at(i, j)] = std::sqrt(sqdist(x.row(i).data(), x.row(j).data(), d));
  std::vector<Idx> size(static_cast<std::size_t>(n), 1);
  auto dist = [&](Idx a, Idx b) { return dm[at(a, b)]; };
  auto merge = [&](Idx a, Idx b, double, const Active& act) {
    const double na = static_cast<double>(size[static_cast<std::size_t>(a)]);
    const double nb = static_cast<double>(size[static_cast<std::size_t>(b)]);
    for (Idx i = act.head(); i != act.end(); i = act.next(i)) {
      if (i == a || i == b) continue;
      const double dai = dm[at(a, i)], dbi = dm[at(b, i)];
      dm[at(b, i)] = method == LinkageMethod::kComplete ? std::max(dai, dbi) : (na * dai + nb * dbi) / (na + nb);
    }
  };
  return nn_chain(n, size, dist, merge, tick);
}

// Prim's MST on the fly (SciPy's mst_single_linkage).
std::vector<Merge> single(const RowMatrix& x, const Ticker& tick) {
  const Idx n = x.rows(), d = x.cols();
  std::vector<double> best(static_cast<std::size_t>(n), kInf);
  std::vector<char> in_tree(static_cast<std::size_t>(n), 0);
  std::vector<Merge> out;
  Idx y = 0;
  for (Idx step = 0; step < n - 1; ++step) {
    tick(step);
    const Idx from = y;
    in_tree[static_cast<std::size_t>(from)] = 1;
    double cur = kInf;
    for (Idx i = 0; i < n; ++i) {
      if (in_tree[static_cast<std::size_t>(i)]) continue;
      const double v = std::sqrt(sqdist(x.row(from).data(), x.row(i).data(), d));
      double& b = best[static_cast<std::size_t>(i)];
      if (b > v) b = v;
      if (b < cur) cur = b, y = i;
    }
    out.push_back({from, y, cur});
  }
  return out;
}

// SciPy's `label`: stable sort by height, then cluster ids from a union-find, smaller id first.
RowMatrix to_scipy(std::vector<Merge> merges, Idx n) {
  std::stable_sort(merges.begin(), merges.end(), [](const Merge& a, const Merge& b) { return a.height < b.height; });
  std::vector<Idx> parent(static_cast<std::size_t>(2 * n - 1)), size(parent.size(), 1);
  for (std::size_t i = 0; i < parent.size(); ++i) parent[i] = static_cast<Idx>(i);
  auto find = [&](Idx v) {
    Idx r = v;
    while (parent[static_cast<std::size_t>(r)] != r) r = parent[static_cast<std::size_t>(r)];
    while (parent[static_cast<std::size_t>(v)] != r) {
      const Idx next = parent[static_cast<std::size_t>(v)];
      parent[static_cast<std::size_t>(v)] = r;
      v = next;
    }
    return r;
  };
  RowMatrix z(n - 1, 4);
  for (Idx i = 0; i < n - 1; ++i) {
    const Merge& m = merges[static_cast<std::size_t>(i)];
    Idx a = find(m.a), b = find(m.b);
    if (a > b) std::swap(a, b);
    const Idx id = n + i;
    parent[static_cast<std::size_t>(a)] = parent[static_cast<std::size_t>(b)] = id;
    size[static_cast<std::size_t>(id)] = size[static_cast<std::size_t>(a)] + size[static_cast<std::size_t>(b)];
    z(i, 0) = static_cast<double>(a);
    z(i, 1) = static_cast<double>(b);
    z(i, 2) = m.height;
    z(i, 3) = static_cast<double>(size[static_cast<std::size_t>(id)]);
  }
  return z;
}

}  // namespace

LinkageMethod parse_linkage(const std::string& name) {
  if (name == "ward") return LinkageMethod::kWard;
  if (name == "average") return LinkageMethod::kAverage;
  if (name == "complete") return LinkageMethod::kComplete;
  if (name == "single") return LinkageMethod::kSingle;
  throw InvalidArgument("linkage \"" + name + "\" is not one of ward, average, complete, single");
}

const char* linkage_name(LinkageMethod method) {
  switch (method) {
    case LinkageMethod::kWard: return "ward";
    case LinkageMethod::kAverage: return "average";
    case LinkageMethod::kComplete: return "complete";
    case LinkageMethod::kSingle: return "single";
  }
  return "ward";
}

RowMatrix linkage_matrix(const RowMatrix& x, LinkageMethod method, const ProgressFn& progress) {
  const Idx n = x.rows(), d = x.cols();
  if (n < 2) throw InvalidArgument("n_samples=" + std::to_string(n) + " should be >= 2 for a hierarchy");
  if ((method == LinkageMethod::kAverage || method == LinkageMethod::kComplete) && n > kMaxPairwiseLinkageRows)
    throw InvalidArgument(std::string(linkage_name(method)) +
                          " linkage keeps all n(n-1)/2 pairwise distances: n_samples=" + std::to_string(n) +
                          " is above its limit of " + std::to_string(kMaxPairwiseLinkageRows) +
                          " rows (400 MB); use ward or single linkage (O(n) memory) or cluster a sample");
  for (Idx i = 0; i < x.size(); ++i)
    if (!std::isfinite(x.data()[i]))
      throw InvalidArgument("row " + std::to_string(i / d + 1) + " holds a value that is not a finite number");
  const Ticker tick{progress, n - 1};
  std::vector<Merge> merges = method == LinkageMethod::kWard     ? ward(x, tick)
                              : method == LinkageMethod::kSingle ? single(x, tick)
                                                                 : pairwise(x, method, tick);
  RowMatrix z = to_scipy(std::move(merges), n);
  if (progress && !progress(1.0)) throw Cancelled();
  return z;
}

std::vector<int> cut_tree(const RowMatrix& z, int n_clusters) {
  const Idx n = z.rows() + 1;
  if (z.cols() != 4) throw InvalidArgument("a linkage matrix has 4 columns, got " + std::to_string(z.cols()));
  if (n_clusters < 1 || n_clusters > n)
    throw InvalidArgument("n_clusters=" + std::to_string(n_clusters) +
                          " should be between 1 and n_samples=" + std::to_string(n));
  std::vector<Idx> parent(static_cast<std::size_t>(2 * n - 1));
  for (std::size_t i = 0; i < parent.size(); ++i) parent[i] = static_cast<Idx>(i);
  for (Idx i = 0; i < n - n_clusters; ++i)
    for (int s = 0; s < 2; ++s) {
      const double v = z(i, s);
      if (!(v >= 0 && v < static_cast<double>(n + i)) || v != std::floor(v))
        throw InvalidArgument("linkage row " + std::to_string(i) + " refers to cluster " + std::to_string(v) +
                              ", not an id below " + std::to_string(n + i));
      parent[static_cast<std::size_t>(v)] = n + i;
    }
  std::vector<int> labels(static_cast<std::size_t>(n));
  std::vector<int> label_of(parent.size(), -1);
  int next = 0;
  for (Idx i = 0; i < n; ++i) {
    Idx r = i;
    while (parent[static_cast<std::size_t>(r)] != r) r = parent[static_cast<std::size_t>(r)];
    for (Idx v = i; v != r;) {  // path compression: single linkage builds deep chains
      const Idx up = parent[static_cast<std::size_t>(v)];
      parent[static_cast<std::size_t>(v)] = r;
      v = up;
    }
    int& l = label_of[static_cast<std::size_t>(r)];
    if (l < 0) l = next++;
    labels[static_cast<std::size_t>(i)] = l;
  }
  return labels;
}

}  // namespace core
