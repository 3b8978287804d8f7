// The squared Euclidean distance every algorithm uses, in one fixed summation order so native
// and wasm builds give the same bits (no vectorised reduction whose order depends on SIMD width).
#pragma once

#include <algorithm>
#include <cstddef>
#include <vector>

#include <Eigen/Core>

namespace core {

inline double sqdist(const double* a, const double* b, Eigen::Index d) {
  double s = 0;
  for (Eigen::Index j = 0; j < d; ++j) {
    const double t = a[j] - b[j];
    s += t * t;
  }
  return s;
}

/// The rows of x feature by feature: column q of x at [q·n, (q+1)·n). Loops over many rows then
/// read each feature contiguously, so they vectorise (see sqdist_many).
template <typename Matrix>
std::vector<double> feature_major(const Matrix& x) {
  const Eigen::Index n = x.rows(), d = x.cols();
  std::vector<double> fm(static_cast<std::size_t>(n * d));
  for (Eigen::Index i = 0; i < n; ++i)
    for (Eigen::Index q = 0; q < d; ++q) fm[static_cast<std::size_t>(q * n + i)] = x(i, q);
  return fm;
}

namespace detail {
template <int D>
inline void sqdist_many_fixed(const double* cols, Eigen::Index stride, Eigen::Index m, const double* p, double* out) {
  double v[D];
  for (int q = 0; q < D; ++q) v[q] = p[q];
  for (Eigen::Index t = 0; t < m; ++t) {
    double s = 0;
    for (int q = 0; q < D; ++q) {
      const double diff = cols[q * stride + t] - v[q];
      s += diff * diff;
    }
    out[t] = s;
  }
}
}  // namespace detail

/// out[t] = sqdist(p, row t) for m rows held feature by feature (feature q of row t at
/// cols[q·stride + t], e.g. feature_major(x).data() + first row, stride n). The loop runs over rows,
/// each row's squares summed over the features in order from 0 exactly as sqdist sums them
/// ((a − b)² = (b − a)² in floating point), so the values are sqdist's bits while the compiler
/// vectorises across rows (SSE2, wasm SIMD128).
inline void sqdist_many(const double* cols, Eigen::Index stride, Eigen::Index m, const double* p, Eigen::Index d,
                        double* out) {
  switch (d) {  // the usual widths unrolled, p in registers
    case 1: return detail::sqdist_many_fixed<1>(cols, stride, m, p, out);
    case 2: return detail::sqdist_many_fixed<2>(cols, stride, m, p, out);
    case 3: return detail::sqdist_many_fixed<3>(cols, stride, m, p, out);
    case 4: return detail::sqdist_many_fixed<4>(cols, stride, m, p, out);
    case 5: return detail::sqdist_many_fixed<5>(cols, stride, m, p, out);
    case 6: return detail::sqdist_many_fixed<6>(cols, stride, m, p, out);
    default:
      for (Eigen::Index t = 0; t < m; ++t) out[t] = 0;
      for (Eigen::Index q = 0; q < d; ++q) {
        const double v = p[q];
        const double* c = cols + q * stride;
        for (Eigen::Index t = 0; t < m; ++t) {
          const double diff = c[t] - v;
          out[t] += diff * diff;
        }
      }
  }
}

/// Rows reordered so that nearby rows sit together: the leaves of a k-d tree (each node split at
/// its median along its widest feature) in tree order, each leaf with its bounding box. A loop over
/// rows can then skip a whole leaf when the box is too far: see box_sqdist.
struct LeafOrder {
  std::vector<Eigen::Index> row;    ///< position → row of x
  std::vector<Eigen::Index> begin;  ///< leaf l holds positions [begin[l], begin[l + 1])
  std::vector<double> lo, hi;       ///< leaf l's box: lo[l·d + q] ≤ feature q ≤ hi[l·d + q]
  std::vector<double> fm;           ///< the rows in this order, feature by feature (stride n)
  Eigen::Index leaves() const { return static_cast<Eigen::Index>(begin.size()) - 1; }
};

/// @param leaf_size  at most this many rows a leaf
/// Every sort is by (value, row), a strict total order, so the order is the same with any standard
/// library (native libstdc++, wasm libc++): loops summing in this order give the same bits.
template <typename Matrix>
LeafOrder leaf_order(const Matrix& x, Eigen::Index leaf_size) {
  using Idx = Eigen::Index;
  const Idx n = x.rows(), d = x.cols();
  LeafOrder t;
  t.row.resize(static_cast<std::size_t>(n));
  for (Idx i = 0; i < n; ++i) t.row[static_cast<std::size_t>(i)] = i;
  struct Range {
    Idx a, b;
  };
  std::vector<Range> stack{{0, n}};
  while (!stack.empty()) {
    const Range r = stack.back();
    stack.pop_back();
    std::vector<double> lo(static_cast<std::size_t>(d), 0.0), hi(static_cast<std::size_t>(d), 0.0);
    for (Idx q = 0; q < d; ++q) {
      double a = x(t.row[static_cast<std::size_t>(r.a)], q), b = a;
      for (Idx p = r.a + 1; p < r.b; ++p) {
        const double v = x(t.row[static_cast<std::size_t>(p)], q);
        a = std::min(a, v), b = std::max(b, v);
      }
      lo[static_cast<std::size_t>(q)] = a, hi[static_cast<std::size_t>(q)] = b;
    }
    if (r.b - r.a <= leaf_size) {
      t.begin.push_back(r.a);
      t.lo.insert(t.lo.end(), lo.begin(), lo.end());
      t.hi.insert(t.hi.end(), hi.begin(), hi.end());
      continue;
    }
    Idx w = 0;  // widest feature, the first of equals
    for (Idx q = 1; q < d; ++q)
      if (hi[static_cast<std::size_t>(q)] - lo[static_cast<std::size_t>(q)] >
          hi[static_cast<std::size_t>(w)] - lo[static_cast<std::size_t>(w)])
        w = q;
    std::sort(t.row.begin() + r.a, t.row.begin() + r.b, [&](Idx u, Idx v) {
      const double xu = x(u, w), xv = x(v, w);
      return xu < xv || (xu == xv && u < v);
    });
    const Idx mid = r.a + (r.b - r.a) / 2;
    stack.push_back({mid, r.b});  // the left half is popped first: leaves in tree order
    stack.push_back({r.a, mid});
  }
  t.begin.push_back(n);
  t.fm.resize(static_cast<std::size_t>(n * d));
  for (Idx p = 0; p < n; ++p)
    for (Idx q = 0; q < d; ++q) t.fm[static_cast<std::size_t>(q * n + p)] = x(t.row[static_cast<std::size_t>(p)], q);
  return t;
}

/// A lower bound of sqdist(p, r) for every row r in the box [lo, hi], summed in sqdist's order.
/// Not only in exact arithmetic: each of sqdist's steps (difference, square, running sum) is
/// monotone under rounding, so sqdist(p, r) as computed is ≥ this value as computed, bit for bit.
inline double box_sqdist(const double* p, const double* lo, const double* hi, Eigen::Index d) {
  double s = 0;
  for (Eigen::Index q = 0; q < d; ++q) {
    const double g = p[q] < lo[q] ? lo[q] - p[q] : p[q] > hi[q] ? p[q] - hi[q] : 0.0;
    s += g * g;
  }
  return s;
}

}  // namespace core
