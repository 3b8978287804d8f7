// The squared Euclidean distance every algorithm uses, in one fixed summation order so native
// and wasm builds give the same bits (no vectorised reduction whose order depends on SIMD width).
#pragma once

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

}  // namespace core
