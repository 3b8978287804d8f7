#include "metrics.h"

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

// Labels compacted to 0..k−1 (in increasing label value, as sklearn's LabelEncoder) with sizes.
struct Clusters {
  std::vector<int> id;
  std::vector<Idx> size;
  Idx k = 0;
};

Clusters compact(const RowMatrix& x, const std::vector<int>& labels, bool check_count) {
  const Idx n = x.rows();
  if (static_cast<Idx>(labels.size()) != n)
    throw InvalidArgument("labels has " + std::to_string(labels.size()) +
                          " entries for n_samples=" + std::to_string(n));
  std::vector<int> values = labels;
  std::sort(values.begin(), values.end());
  values.erase(std::unique(values.begin(), values.end()), values.end());
  if (!values.empty() && values.front() < 0)
    throw InvalidArgument("label " + std::to_string(values.front()) + " is negative; labels should be >= 0");
  Clusters c;
  c.k = static_cast<Idx>(values.size());
  if (check_count && (c.k < 2 || c.k > n - 1))
    throw InvalidArgument("number of clusters is " + std::to_string(c.k) +
                          "; valid values are 2 to n_samples - 1 = " + std::to_string(n - 1) + " (inclusive)");
  c.id.resize(labels.size());
  c.size.assign(static_cast<std::size_t>(c.k), 0);
  for (std::size_t i = 0; i < labels.size(); ++i) {
    c.id[i] = static_cast<int>(std::lower_bound(values.begin(), values.end(), labels[i]) - values.begin());
    ++c.size[static_cast<std::size_t>(c.id[i])];
  }
  return c;
}

// Cluster means, rows summed in order.
RowMatrix means(const RowMatrix& x, const Clusters& c) {
  RowMatrix m = RowMatrix::Zero(c.k, x.cols());
  for (Idx i = 0; i < x.rows(); ++i)
    for (Idx j = 0; j < x.cols(); ++j) m(c.id[static_cast<std::size_t>(i)], j) += x(i, j);
  for (Idx a = 0; a < c.k; ++a)
    for (Idx j = 0; j < x.cols(); ++j) m(a, j) /= static_cast<double>(c.size[static_cast<std::size_t>(a)]);
  return m;
}

constexpr std::size_t kSilhouetteBlock = 128;

// s[t] += ‖target t − xj‖ for the block's targets (held feature by feature, kSilhouetteBlock
// apart), the squares summed over the D features in order from 0, as sqdist does.
template <std::size_t D>
void add_distances(const double* targets, const double* xj, std::size_t bn, double* s) {
  double v[D];
  for (std::size_t q = 0; q < D; ++q) v[q] = xj[q];
  for (std::size_t t = 0; t < bn; ++t) {
    double d2 = 0.0;
    for (std::size_t q = 0; q < D; ++q) {
      const double diff = targets[q * kSilhouetteBlock + t] - v[q];
      d2 += diff * diff;
    }
    s[t] += std::sqrt(d2);
  }
}

// Exact s(i) for the given rows, blocked: one pass over all n rows per block of 128 targets, with
// per-target per-cluster distance sums (each summed over j in increasing order, each distance summed
// over the features in order, as sqdist does). The targets of a block are held feature by feature
// and the sums cluster by cluster, so the innermost loops run over targets with no dependence from
// one target to the next: the compiler vectorises them (two doubles a lane pair in wasm SIMD128 and
// SSE2) without changing any target's order of operations, so the values are those of sqdist.
std::vector<double> silhouette_rows(const RowMatrix& x, const Clusters& c, const std::vector<Idx>& rows,
                                    const ProgressFn& progress) {
  constexpr std::size_t kBlock = kSilhouetteBlock;
  const Idx n = x.rows(), d = x.cols(), k = c.k;
  const std::size_t nd = static_cast<std::size_t>(d);
  std::vector<double> out(rows.size());
  std::vector<double> sums(kBlock * static_cast<std::size_t>(k));  // [cluster][target]
  std::vector<double> targets(kBlock * nd);                        // [feature][target]
  alignas(16) double dist[kBlock];
  for (std::size_t b0 = 0; b0 < rows.size(); b0 += kBlock) {
    const std::size_t bn = std::min(kBlock, rows.size() - b0);
    std::fill(sums.begin(), sums.end(), 0.0);
    for (std::size_t t = 0; t < bn; ++t)
      for (std::size_t q = 0; q < nd; ++q) targets[q * kBlock + t] = x(rows[b0 + t], static_cast<Idx>(q));
    for (Idx j = 0; j < n; ++j) {
      const double* xj = x.row(j).data();
      double* s = &sums[static_cast<std::size_t>(c.id[static_cast<std::size_t>(j)]) * kBlock];
      switch (nd) {  // the usual widths unrolled, everything in registers
        case 1: add_distances<1>(targets.data(), xj, bn, s); break;
        case 2: add_distances<2>(targets.data(), xj, bn, s); break;
        case 3: add_distances<3>(targets.data(), xj, bn, s); break;
        case 4: add_distances<4>(targets.data(), xj, bn, s); break;
        case 5: add_distances<5>(targets.data(), xj, bn, s); break;
        case 6: add_distances<6>(targets.data(), xj, bn, s); break;
        default: {
          for (std::size_t t = 0; t < bn; ++t) dist[t] = 0.0;
          for (std::size_t q = 0; q < nd; ++q) {
            const double v = xj[q];
            const double* tq = &targets[q * kBlock];
            for (std::size_t t = 0; t < bn; ++t) {
              const double diff = tq[t] - v;
              dist[t] += diff * diff;
            }
          }
          for (std::size_t t = 0; t < bn; ++t) s[t] += std::sqrt(dist[t]);
        }
      }
    }
    for (std::size_t t = 0; t < bn; ++t) {
      const Idx i = rows[b0 + t];
      const std::size_t ci = static_cast<std::size_t>(c.id[static_cast<std::size_t>(i)]);
      if (c.size[ci] <= 1) {  // alone in its cluster: s = 0 by definition
        out[b0 + t] = 0;
        continue;
      }
      const double a = sums[ci * kBlock + t] / static_cast<double>(c.size[ci] - 1);
      double bmin = std::numeric_limits<double>::infinity();
      for (std::size_t o = 0; o < static_cast<std::size_t>(k); ++o)
        if (o != ci) bmin = std::min(bmin, sums[o * kBlock + t] / static_cast<double>(c.size[o]));
      const double den = std::max(a, bmin);
      out[b0 + t] = den > 0 ? (bmin - a) / den : 0.0;
    }
    if (progress && !progress(static_cast<double>(b0 + bn) / static_cast<double>(rows.size()))) throw Cancelled();
  }
  return out;
}

}  // namespace

double inertia(const RowMatrix& x, const std::vector<int>& labels, const RowMatrix& centers) {
  if (static_cast<Idx>(labels.size()) != x.rows())
    throw InvalidArgument("labels has " + std::to_string(labels.size()) +
                          " entries for n_samples=" + std::to_string(x.rows()));
  if (centers.cols() != x.cols())
    throw InvalidArgument("centers have " + std::to_string(centers.cols()) + " columns, x has " +
                          std::to_string(x.cols()));
  double s = 0;
  for (Idx i = 0; i < x.rows(); ++i) {
    const int l = labels[static_cast<std::size_t>(i)];
    if (l < 0 || l >= centers.rows())
      throw InvalidArgument("label " + std::to_string(l) + " has no centre (0.." + std::to_string(centers.rows() - 1) +
                            ")");
    s += sqdist(x.row(i).data(), centers.row(l).data(), x.cols());
  }
  return s;
}

double within_cluster_ss(const RowMatrix& x, const std::vector<int>& labels) {
  const Clusters c = compact(x, labels, false);
  return inertia(x, c.id, means(x, c));
}

SilhouetteResult silhouette(const RowMatrix& x, const std::vector<int>& labels, const ProgressFn& progress) {
  const Clusters c = compact(x, labels, true);
  std::vector<Idx> rows(static_cast<std::size_t>(x.rows()));
  for (Idx i = 0; i < x.rows(); ++i) rows[static_cast<std::size_t>(i)] = i;
  SilhouetteResult r;
  r.values = silhouette_rows(x, c, rows, progress);
  r.rows.assign(rows.begin(), rows.end());
  for (double v : r.values) r.mean += v;
  r.mean /= static_cast<double>(r.values.size());
  return r;
}

SilhouetteResult silhouette_sampled(const RowMatrix& x, const std::vector<int>& labels, std::int64_t sample_size,
                                    std::uint64_t seed, const ProgressFn& progress) {
  const Idx n = x.rows();
  if (sample_size < 2) throw InvalidArgument("sample_size=" + std::to_string(sample_size) + " should be >= 2");
  if (sample_size >= n) return silhouette(x, labels, progress);
  const Clusters c = compact(x, labels, true);
  // Partial Fisher–Yates over the row indices, then sorted so the values follow row order.
  std::vector<Idx> idx(static_cast<std::size_t>(n));
  for (Idx i = 0; i < n; ++i) idx[static_cast<std::size_t>(i)] = i;
  Rng rng(seed);
  for (Idx i = 0; i < sample_size; ++i)
    std::swap(idx[static_cast<std::size_t>(i)],
              idx[static_cast<std::size_t>(i + static_cast<Idx>(rng.below(static_cast<std::uint64_t>(n - i))))]);
  idx.resize(static_cast<std::size_t>(sample_size));
  std::sort(idx.begin(), idx.end());
  SilhouetteResult r;
  r.sampled = true;
  r.values = silhouette_rows(x, c, idx, progress);
  r.rows.assign(idx.begin(), idx.end());
  const double m = static_cast<double>(sample_size);
  for (double v : r.values) r.mean += v;
  r.mean /= m;
  double ss = 0;
  for (double v : r.values) ss += (v - r.mean) * (v - r.mean);
  r.std_error = std::sqrt(ss / (m - 1) / m * (1 - m / static_cast<double>(n)));
  return r;
}

double davies_bouldin(const RowMatrix& x, const std::vector<int>& labels) {
  const Clusters c = compact(x, labels, true);
  const RowMatrix mu = means(x, c);
  const Idx d = x.cols();
  std::vector<double> intra(static_cast<std::size_t>(c.k), 0.0);
  for (Idx i = 0; i < x.rows(); ++i) {
    const int a = c.id[static_cast<std::size_t>(i)];
    intra[static_cast<std::size_t>(a)] += std::sqrt(sqdist(x.row(i).data(), mu.row(a).data(), d));
  }
  bool intra_zero = true, centres_zero = true;
  for (Idx a = 0; a < c.k; ++a) {
    intra[static_cast<std::size_t>(a)] /= static_cast<double>(c.size[static_cast<std::size_t>(a)]);
    intra_zero = intra_zero && std::abs(intra[static_cast<std::size_t>(a)]) <= 1e-8;  // np.allclose(…, 0)
  }
  RowMatrix cd(c.k, c.k);
  for (Idx a = 0; a < c.k; ++a)
    for (Idx b = 0; b < c.k; ++b) {
      cd(a, b) = std::sqrt(sqdist(mu.row(a).data(), mu.row(b).data(), d));
      centres_zero = centres_zero && cd(a, b) <= 1e-8;
    }
  if (intra_zero || centres_zero) return 0.0;
  double total = 0;
  for (Idx a = 0; a < c.k; ++a) {
    double worst = 0;
    for (Idx b = 0; b < c.k; ++b) {
      if (cd(a, b) == 0) continue;  // sklearn sets zero distances to inf: ratio 0
      worst = std::max(worst, (intra[static_cast<std::size_t>(a)] + intra[static_cast<std::size_t>(b)]) / cd(a, b));
    }
    total += worst;
  }
  return total / static_cast<double>(c.k);
}

double calinski_harabasz(const RowMatrix& x, const std::vector<int>& labels) {
  const Clusters c = compact(x, labels, true);
  const Idx n = x.rows(), d = x.cols();
  const RowMatrix mu = means(x, c);
  std::vector<double> mean(static_cast<std::size_t>(d), 0.0);
  for (Idx i = 0; i < n; ++i)
    for (Idx j = 0; j < d; ++j) mean[static_cast<std::size_t>(j)] += x(i, j);
  for (double& v : mean) v /= static_cast<double>(n);
  double extra = 0, intra = 0;
  for (Idx a = 0; a < c.k; ++a)
    extra += static_cast<double>(c.size[static_cast<std::size_t>(a)]) * sqdist(mu.row(a).data(), mean.data(), d);
  for (Idx i = 0; i < n; ++i) intra += sqdist(x.row(i).data(), mu.row(c.id[static_cast<std::size_t>(i)]).data(), d);
  if (intra == 0) return 1.0;
  return extra * static_cast<double>(n - c.k) / (intra * (static_cast<double>(c.k) - 1.0));
}

}  // namespace core
