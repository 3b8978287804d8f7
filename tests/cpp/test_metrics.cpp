#include <doctest/doctest.h>

#include <cmath>

#include "errors.h"
#include "metrics.h"
#include "reference_data.h"

using core::RowMatrix;
using testdata::points;

TEST_CASE("two pairs on a line: hand-computed silhouette, Davies–Bouldin, Calinski–Harabasz, inertia") {
  const RowMatrix x = points({{0}, {1}, {10}, {11}});
  const std::vector<int> labels{5, 5, 9, 9};  // any non-negative values name the clusters
  const auto s = core::silhouette(x, labels);
  // Row 0: a = 1, b = (10 + 11)/2; row 1: a = 1, b = (9 + 10)/2; rows 2 and 3 mirror them.
  CHECK(s.values[0] == doctest::Approx(9.5 / 10.5).epsilon(1e-15));
  CHECK(s.values[1] == doctest::Approx(8.5 / 9.5).epsilon(1e-15));
  CHECK(s.values[2] == doctest::Approx(8.5 / 9.5).epsilon(1e-15));
  CHECK(s.mean == doctest::Approx((9.5 / 10.5 + 8.5 / 9.5) / 2).epsilon(1e-15));
  CHECK_FALSE(s.sampled);
  // Centroids 0.5 and 10.5; mean distance to them 0.5 each: (0.5 + 0.5)/10.
  CHECK(core::davies_bouldin(x, labels) == doctest::Approx(0.1));
  // Between: 2·5² + 2·5² = 100; within: 4 · 0.5² = 1; 100/(2 − 1) / (1/(4 − 2)) = 200.
  CHECK(core::calinski_harabasz(x, labels) == doctest::Approx(200));
  CHECK(core::within_cluster_ss(x, labels) == doctest::Approx(1));
  CHECK(core::inertia(x, {0, 0, 1, 1}, points({{0}, {10}})) == 2);
}

TEST_CASE("silhouette: a row alone in its cluster scores 0; duplicates score 0 when a = b = 0") {
  const RowMatrix x = points({{0}, {1}, {2}, {10}});
  const auto s = core::silhouette(x, {0, 0, 0, 1});
  CHECK(s.values[3] == 0);
  CHECK(s.values[0] == doctest::Approx((10 - 1.5) / 10.0));
  const auto d = core::silhouette(points({{1}, {1}, {1}}), {0, 0, 1});
  CHECK(d.values[0] == 0);
  CHECK(d.values[2] == 0);
  CHECK(core::davies_bouldin(points({{1}, {1}, {2}, {2}}), {0, 0, 1, 1}) == 0);  // all spreads are 0
  CHECK(core::calinski_harabasz(points({{1}, {1}, {2}, {2}}), {0, 0, 1, 1}) == 1);
}

TEST_CASE("metric validation follows sklearn's rule on the number of clusters") {
  const RowMatrix x = points({{0}, {1}, {2}, {3}});
  CHECK_THROWS_WITH_AS(core::silhouette(x, {0, 0, 0, 0}),
                       "number of clusters is 1; valid values are 2 to n_samples - 1 = 3 (inclusive)",
                       core::InvalidArgument);
  CHECK_THROWS_WITH_AS(core::davies_bouldin(x, {0, 1, 2, 3}),
                       "number of clusters is 4; valid values are 2 to n_samples - 1 = 3 (inclusive)",
                       core::InvalidArgument);
  CHECK_THROWS_WITH_AS(core::calinski_harabasz(x, {0, 1}), "labels has 2 entries for n_samples=4",
                       core::InvalidArgument);
  CHECK_THROWS_WITH_AS(core::silhouette(x, {0, 1, -1, 1}), "label -1 is negative; labels should be >= 0",
                       core::InvalidArgument);
  CHECK_THROWS_WITH_AS(core::inertia(x, {0, 1, 2, 0}, points({{0}, {1}})), "label 2 has no centre (0..1)",
                       core::InvalidArgument);
}

TEST_CASE("sampled silhouette: an unbiased estimate within its standard error, reproducible by seed") {
  const RowMatrix centres = points({{0, 0}, {3, 0}, {0, 3}});
  const RowMatrix x = testdata::blobs(centres, 700, 3.0, 4);
  std::vector<int> labels(2100);
  for (int i = 0; i < 2100; ++i) labels[static_cast<std::size_t>(i)] = i / 700;
  const auto exact = core::silhouette(x, labels);
  const auto est = core::silhouette_sampled(x, labels, 400, 17);
  CHECK(est.sampled);
  CHECK(est.values.size() == 400);
  CHECK(est.std_error > 0);
  CHECK(std::abs(est.mean - exact.mean) <= 4 * est.std_error);
  for (std::size_t t = 0; t < est.rows.size(); ++t)  // each sampled value is the exact one
    CHECK(est.values[t] == exact.values[static_cast<std::size_t>(est.rows[t])]);
  CHECK(core::silhouette_sampled(x, labels, 400, 17).rows == est.rows);
  CHECK(core::silhouette_sampled(x, labels, 400, 18).rows != est.rows);
  const auto all = core::silhouette_sampled(x, labels, 5000, 1);
  CHECK_FALSE(all.sampled);
  CHECK(all.mean == exact.mean);
}

// The silhouette as its definition reads: per row, per cluster, distances summed over the other
// rows in order. The blocked, vectorised kernel must give these exact bits.
static std::vector<double> naive_silhouette(const RowMatrix& x, const std::vector<int>& labels, int k) {
  const Eigen::Index n = x.rows();
  std::vector<double> size(static_cast<std::size_t>(k), 0.0), out(static_cast<std::size_t>(n));
  for (int l : labels) size[static_cast<std::size_t>(l)] += 1;
  for (Eigen::Index i = 0; i < n; ++i) {
    std::vector<double> sum(static_cast<std::size_t>(k), 0.0);
    for (Eigen::Index j = 0; j < n; ++j) {
      double d2 = 0;
      for (Eigen::Index q = 0; q < x.cols(); ++q) d2 += (x(i, q) - x(j, q)) * (x(i, q) - x(j, q));
      sum[static_cast<std::size_t>(labels[static_cast<std::size_t>(j)])] += std::sqrt(d2);
    }
    const auto ci = static_cast<std::size_t>(labels[static_cast<std::size_t>(i)]);
    if (size[ci] <= 1) continue;
    const double a = sum[ci] / (size[ci] - 1);
    double b = INFINITY;
    for (std::size_t o = 0; o < sum.size(); ++o)
      if (o != ci) b = std::min(b, sum[o] / size[o]);
    out[static_cast<std::size_t>(i)] = std::max(a, b) > 0 ? (b - a) / std::max(a, b) : 0.0;
  }
  return out;
}

TEST_CASE("silhouette: the blocked kernel gives the bits of the definition, any width, any block remainder") {
  for (const int d : {1, 2, 3, 5, 8}) {   // 8: the generic path
    const Eigen::Index n = 300 + 37 * d;  // blocks of 128 plus a remainder
    RowMatrix x(n, d);
    std::vector<int> labels(static_cast<std::size_t>(n));
    for (Eigen::Index i = 0; i < n; ++i) {
      labels[static_cast<std::size_t>(i)] = static_cast<int>((i * 7 + i / 5) % 4);
      for (int q = 0; q < d; ++q)
        x(i, q) = std::sin(0.37 * static_cast<double>(i * (q + 1))) * 3 + labels[static_cast<std::size_t>(i)];
    }
    const auto s = core::silhouette(x, labels);
    const auto want = naive_silhouette(x, labels, 4);
    REQUIRE(s.values.size() == want.size());
    for (std::size_t i = 0; i < want.size(); ++i) CHECK(s.values[i] == want[i]);
  }
}

TEST_CASE("reference: silhouette, Davies–Bouldin and Calinski–Harabasz equal sklearn's") {
  const std::string f = "sklearn_scipy.csv";
  for (const std::string ds : {"iris", "ruspini", "rfm300"}) {
    const RowMatrix x = testdata::load_matrix(ds + ".csv");
    const std::vector<int> labels = testdata::ints(f, ds + ".kmeans.labels");
    CAPTURE(ds);
    const auto s = core::silhouette(x, labels);
    CHECK(std::abs(s.mean - testdata::value(f, ds + ".metrics.silhouette")) <= 1e-9);
    const auto per_row = testdata::values(f, ds + ".metrics.silhouette_samples");
    double worst = 0;
    for (std::size_t i = 0; i < per_row.size(); ++i) worst = std::max(worst, std::abs(s.values[i] - per_row[i]));
    CHECK(worst <= 1e-9);
    CHECK(core::davies_bouldin(x, labels) ==
          doctest::Approx(testdata::value(f, ds + ".metrics.davies_bouldin")).epsilon(1e-9));
    CHECK(core::calinski_harabasz(x, labels) ==
          doctest::Approx(testdata::value(f, ds + ".metrics.calinski_harabasz")).epsilon(1e-9));
  }
}
