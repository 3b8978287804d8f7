#include <doctest/doctest.h>

#include "errors.h"
#include "kmeans.h"

using core::KMeansParams;
using core::RowMatrix;

namespace {

RowMatrix points(std::initializer_list<std::initializer_list<double>> rows) {
  RowMatrix x(static_cast<Eigen::Index>(rows.size()), static_cast<Eigen::Index>(rows.begin()->size()));
  Eigen::Index i = 0;
  for (const auto& r : rows) {
    Eigen::Index j = 0;
    for (double v : r) x(i, j++) = v;
    ++i;
  }
  return x;
}

}  // namespace

TEST_CASE("two obvious groups in 1-D: hand-computed centres and inertia") {
  const RowMatrix x = points({{0}, {1}, {10}, {11}});
  KMeansParams p;
  p.n_clusters = 2;
  const auto r = core::kmeans(x, p);
  CHECK(r.labels[0] == r.labels[1]);
  CHECK(r.labels[2] == r.labels[3]);
  CHECK(r.labels[0] != r.labels[2]);
  CHECK(r.inertia == doctest::Approx(1.0));  // 4 × 0.5²
  const int a = r.labels[0];
  CHECK(r.centers(a, 0) == doctest::Approx(0.5));
  CHECK(r.centers(1 - a, 0) == doctest::Approx(10.5));
  CHECK(r.converged);
}

TEST_CASE("three groups in 2-D; the same seed gives the same labels, k = 1 is the mean") {
  const RowMatrix x = points({{0, 0}, {0.2, 0.1}, {5, 5}, {5.1, 4.9}, {-5, 5}, {-5.2, 5.1}, {0.1, -0.1}});
  KMeansParams p;
  p.n_clusters = 3;
  p.seed = 7;
  const auto r = core::kmeans(x, p);
  CHECK(r.labels[0] == r.labels[1]);
  CHECK(r.labels[0] == r.labels[6]);
  CHECK(r.labels[2] == r.labels[3]);
  CHECK(r.labels[4] == r.labels[5]);
  CHECK(r.labels[0] != r.labels[2]);
  CHECK(r.labels[2] != r.labels[4]);
  CHECK(core::kmeans(x, p).labels == r.labels);
  CHECK(core::assign_labels(x, r.centers) == r.labels);
  p.n_clusters = 1;
  const auto one = core::kmeans(x, p);
  CHECK(one.centers(0, 0) == doctest::Approx(x.col(0).mean()));
  CHECK(one.centers(0, 1) == doctest::Approx(x.col(1).mean()));
}

TEST_CASE("duplicate points: k equal to the number of distinct points") {
  const RowMatrix x = points({{1, 1}, {1, 1}, {1, 1}, {2, 2}});
  KMeansParams p;
  p.n_clusters = 2;
  const auto r = core::kmeans(x, p);
  CHECK(r.inertia == doctest::Approx(0.0));
  CHECK(r.labels[0] != r.labels[3]);
}

TEST_CASE("parameter validation names the values") {
  const RowMatrix x = points({{0}, {1}});
  KMeansParams p;
  p.n_clusters = 3;
  CHECK_THROWS_WITH_AS(core::kmeans(x, p), "n_samples=2 should be >= n_clusters=3", core::InvalidArgument);
  p.n_clusters = 0;
  CHECK_THROWS_AS(core::kmeans(x, p), core::InvalidArgument);
  const RowMatrix bad = points({{0}, {std::nan("")}});
  p.n_clusters = 1;
  CHECK_THROWS_AS(core::kmeans(bad, p), core::InvalidArgument);
}
