#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <utility>
#include <vector>

#include "errors.h"
#include "reference_data.h"
#include "tsne.h"

using core::RowMatrix;
using testdata::points;

namespace {

// Three cubes of side 1 around (0,0,0), (10,0,0), (0,10,0): rows 0..n_per−1 are blob 0, and so on.
RowMatrix three_blobs(Eigen::Index n_per, std::uint64_t seed = 7) {
  return testdata::blobs(points({{0, 0, 0}, {10, 0, 0}, {0, 10, 0}}), n_per, 1.0, seed);
}

double dist2(const RowMatrix& y, Eigen::Index i, Eigen::Index j) {
  const double dx = y(i, 0) - y(j, 0), dy = y(i, 1) - y(j, 1);
  return dx * dx + dy * dy;
}

// The mean position of the given rows of a map.
Eigen::Vector2d centroid(const RowMatrix& y, const std::vector<Eigen::Index>& rows) {
  Eigen::Vector2d c(0, 0);
  for (auto i : rows) c += Eigen::Vector2d(y(i, 0), y(i, 1));
  return c / static_cast<double>(rows.size());
}

// Every point's nearest other point on the map lies in its own blob; the blobs' centroids are at
// least 3 times further apart than the largest root-mean-square radius of a blob.
void check_separated(const RowMatrix& y, const std::vector<int>& blob) {
  const auto n = y.rows();
  for (Eigen::Index i = 0; i < n; ++i) {
    Eigen::Index best = -1;
    for (Eigen::Index j = 0; j < n; ++j)
      if (j != i && (best < 0 || dist2(y, i, j) < dist2(y, i, best))) best = j;
    CAPTURE(i);
    CHECK(blob[static_cast<std::size_t>(best)] == blob[static_cast<std::size_t>(i)]);
  }
  std::vector<Eigen::Vector2d> c;
  double radius = 0;
  for (int b = 0; b < 3; ++b) {
    std::vector<Eigen::Index> rows;
    for (Eigen::Index i = 0; i < n; ++i)
      if (blob[static_cast<std::size_t>(i)] == b) rows.push_back(i);
    c.push_back(centroid(y, rows));
    double ss = 0;
    for (auto i : rows) ss += (Eigen::Vector2d(y(i, 0), y(i, 1)) - c.back()).squaredNorm();
    radius = std::max(radius, std::sqrt(ss / static_cast<double>(rows.size())));
  }
  for (int a = 0; a < 3; ++a)
    for (int b = a + 1; b < 3; ++b)
      CHECK((c[static_cast<std::size_t>(a)] - c[static_cast<std::size_t>(b)]).norm() > 3 * radius);
}

std::vector<int> blob_labels(Eigen::Index n_per) {
  std::vector<int> blob;
  for (int b = 0; b < 3; ++b) blob.insert(blob.end(), static_cast<std::size_t>(n_per), b);
  return blob;
}

bool identical(const RowMatrix& a, const RowMatrix& b) {
  return a.rows() == b.rows() && a.cols() == b.cols() && std::equal(a.data(), a.data() + a.size(), b.data());
}

}  // namespace

TEST_CASE("t-SNE keeps three well-separated blobs apart on the map") {
  const RowMatrix x = three_blobs(40);
  const auto r = core::tsne(x);
  REQUIRE(r.embedding.rows() == 120);
  REQUIRE(r.embedding.cols() == 2);
  CHECK(r.n_iter == 750);
  CHECK_FALSE(r.sampled);
  CHECK(r.sample_rows.size() == 120);
  CHECK(r.perplexity_used == 30);
  CHECK(r.note.empty());
  CHECK(r.kl_divergence > 0);
  check_separated(r.embedding, blob_labels(40));
}

TEST_CASE("t-SNE on a single feature and with the exact gradient (theta = 0)") {
  RowMatrix x(60, 1);  // three intervals [0, 1), [20, 21), [40, 41) of 20 random points each
  core::Rng rng(9);
  for (Eigen::Index i = 0; i < 60; ++i) x(i, 0) = 20.0 * static_cast<double>(i / 20) + rng.uniform();
  core::TsneParams p;
  p.perplexity = 10;
  const auto bh = core::tsne(x, p);
  check_separated(bh.embedding, blob_labels(20));
  p.theta = 0;
  const auto exact = core::tsne(x, p);
  check_separated(exact.embedding, blob_labels(20));
  // Barnes–Hut reaches about the same optimum as the exact gradient.
  CHECK(bh.kl_divergence == doctest::Approx(exact.kl_divergence).epsilon(0.1));
}

TEST_CASE("the same seed gives the same map bit for bit, another seed a different one") {
  const RowMatrix x = three_blobs(30);
  core::TsneParams p;
  p.n_iter = 300;
  const auto a = core::tsne(x, p), b = core::tsne(x, p);
  CHECK(identical(a.embedding, b.embedding));
  CHECK(a.kl_divergence == b.kl_divergence);
  p.seed = 2;  // only the 1e-6 jitter changes, but t-SNE amplifies it
  CHECK_FALSE(identical(a.embedding, core::tsne(x, p).embedding));
}

TEST_CASE("calibrated p(j | i): rows sum to 1 with entropy log(perplexity), nearest first") {
  const RowMatrix x = three_blobs(30);
  const auto a = core::tsne_affinities(x, 5);
  REQUIRE(a.k == 15);
  REQUIRE(a.conditional.size() == 90 * 15);
  for (std::size_t i = 0; i < 90; ++i) {
    double sum = 0, entropy = 0;
    for (std::size_t m = 0; m < 15; ++m) {
      const double v = a.conditional[i * 15 + m];
      sum += v;
      if (v > 0) entropy -= v * std::log(v);
      // 15 nearest of a blob of 30, 10 away from the others: all in the same blob
      CHECK(a.neighbours[i * 15 + m] / 30 == static_cast<int>(i / 30));
      if (m > 0) {
        CHECK(a.distances[i * 15 + m] >= a.distances[i * 15 + m - 1]);
        CHECK(a.conditional[i * 15 + m] <= a.conditional[i * 15 + m - 1]);  // the kernel decreases
      }
    }
    CAPTURE(i);
    CHECK(sum == doctest::Approx(1).epsilon(1e-12));
    CHECK(entropy == doctest::Approx(std::log(5.0)).epsilon(1e-4));
    CHECK(a.beta[i] > 0);
  }
  // Four points on a line, k = 3: the left end's neighbours are at squared distances 1, 4, 9.
  const auto line = core::tsne_affinities(points({{0}, {1}, {2}, {3}}), 1.5);
  CHECK(line.k == 3);
  CHECK(line.neighbours[0] == 1);
  CHECK(line.neighbours[2] == 3);
  CHECK(line.distances[2] == 9);
  const double b = line.beta[0];  // p ∝ exp(−β·(d − 1)), d − 1 = 0, 3, 8
  const double z = 1 + std::exp(-3 * b) + std::exp(-8 * b);
  CHECK(line.conditional[0] == doctest::Approx(1 / z));
  CHECK(line.conditional[1] == doctest::Approx(std::exp(-3 * b) / z));
}

TEST_CASE("the k nearest neighbours are exact, ties by row, on a grid full of ties and duplicates") {
  RowMatrix x(200, 3);
  core::Rng rng(3);
  for (Eigen::Index i = 0; i < x.size(); ++i) x.data()[i] = static_cast<double>(rng.below(4));  // 64 cells
  const auto a = core::tsne_affinities(x, 7);                                                   // k = 21
  REQUIRE(a.k == 21);
  for (Eigen::Index i = 0; i < 200; ++i) {
    std::vector<std::pair<double, int>> d;
    for (Eigen::Index j = 0; j < 200; ++j)
      if (j != i) d.emplace_back((x.row(i) - x.row(j)).squaredNorm(), static_cast<int>(j));
    std::sort(d.begin(), d.end());
    for (std::size_t m = 0; m < 21; ++m) {
      CAPTURE(i);
      CAPTURE(m);
      CHECK(a.neighbours[static_cast<std::size_t>(i) * 21 + m] == d[m].second);
      CHECK(a.distances[static_cast<std::size_t>(i) * 21 + m] == d[m].first);
    }
  }
}

TEST_CASE("sampled mode: the sample keeps its own map and every other row lands near its blob") {
  const RowMatrix x = three_blobs(200, 11);
  core::TsneParams p;
  p.max_points = 150;
  p.n_iter = 500;
  const auto r = core::tsne(x, p);
  REQUIRE(r.sampled);
  REQUIRE(r.sample_rows.size() == 150);
  CHECK(std::is_sorted(r.sample_rows.begin(), r.sample_rows.end()));
  CHECK(std::adjacent_find(r.sample_rows.begin(), r.sample_rows.end()) == r.sample_rows.end());
  REQUIRE(r.embedding.rows() == 600);
  for (Eigen::Index i = 0; i < r.embedding.size(); ++i) REQUIRE(std::isfinite(r.embedding.data()[i]));

  // The sample rows' coordinates are exactly the map of t-SNE on those rows alone.
  RowMatrix xs(150, 3);
  for (Eigen::Index i = 0; i < 150; ++i) xs.row(i) = x.row(r.sample_rows[static_cast<std::size_t>(i)]);
  const auto alone = core::tsne(xs, p);
  CHECK_FALSE(alone.sampled);
  for (Eigen::Index i = 0; i < 150; ++i) {
    const auto row = r.sample_rows[static_cast<std::size_t>(i)];
    CHECK(r.embedding(row, 0) == alone.embedding(i, 0));
    CHECK(r.embedding(row, 1) == alone.embedding(i, 1));
  }
  CHECK(r.kl_divergence == alone.kl_divergence);

  // Each placed row is closer to its own blob's sampled centroid than to the others'.
  std::vector<bool> in_sample(600, false);
  std::vector<std::vector<Eigen::Index>> by_blob(3);
  for (auto row : r.sample_rows) {
    in_sample[static_cast<std::size_t>(row)] = true;
    by_blob[static_cast<std::size_t>(row / 200)].push_back(row);
  }
  std::vector<Eigen::Vector2d> c;
  for (const auto& rows : by_blob) c.push_back(centroid(r.embedding, rows));
  int placed = 0;
  for (Eigen::Index i = 0; i < 600; ++i) {
    if (in_sample[static_cast<std::size_t>(i)]) continue;
    ++placed;
    const Eigen::Vector2d yi(r.embedding(i, 0), r.embedding(i, 1));
    const auto own = static_cast<std::size_t>(i / 200);
    for (std::size_t b = 0; b < 3; ++b)
      if (b != own) CHECK((yi - c[own]).norm() < (yi - c[b]).norm());
  }
  CHECK(placed == 450);

  // … exactly at the 1/d-weighted mean of its 10 nearest sampled rows, found here by a full scan.
  for (Eigen::Index i = 0; i < 600; i += 7) {
    if (in_sample[static_cast<std::size_t>(i)]) continue;
    std::vector<std::pair<double, Eigen::Index>> d;
    for (auto row : r.sample_rows) d.emplace_back((x.row(i) - x.row(row)).squaredNorm(), row);
    std::sort(d.begin(), d.end());
    double wx = 0, wy = 0, ws = 0;
    for (std::size_t m = 0; m < 10; ++m) {
      const double w = 1 / std::sqrt(d[m].first);
      wx += w * r.embedding(d[m].second, 0), wy += w * r.embedding(d[m].second, 1), ws += w;
    }
    CAPTURE(i);
    CHECK(r.embedding(i, 0) == doctest::Approx(wx / ws).epsilon(1e-12));
    CHECK(r.embedding(i, 1) == doctest::Approx(wy / ws).epsilon(1e-12));
  }

  // Every row twice: a row whose twin was sampled lands exactly on it (zero distance, no 1/d weight).
  RowMatrix twice(1200, 3);
  twice.topRows(600) = x;
  twice.bottomRows(600) = x;
  const auto rt = core::tsne(twice, p);
  std::vector<bool> sampled(1200, false);
  for (auto row : rt.sample_rows) sampled[static_cast<std::size_t>(row)] = true;
  int on_twin = 0;
  for (Eigen::Index i = 0; i < 1200; ++i) {
    const Eigen::Index twin = (i + 600) % 1200;
    if (sampled[static_cast<std::size_t>(i)] || !sampled[static_cast<std::size_t>(twin)]) continue;
    ++on_twin;
    CHECK(rt.embedding(i, 0) == rt.embedding(twin, 0));
    CHECK(rt.embedding(i, 1) == rt.embedding(twin, 1));
  }
  CHECK(on_twin > 100);  // about 1050 · 150/1200

  p.seed = 5;  // another seed, another sample
  CHECK(core::tsne(x, p).sample_rows != r.sample_rows);
}

TEST_CASE("the final map is a stationary point of the exact KL divergence, which the result reports") {
  const RowMatrix x = three_blobs(40);
  const auto r = core::tsne(x);
  const auto a = core::tsne_affinities(x, 30);
  const Eigen::Index n = 120;
  const auto k = static_cast<std::size_t>(a.k);
  Eigen::MatrixXd p = Eigen::MatrixXd::Zero(n, n), q(n, n);  // P = (P + Pᵀ) / 2n; q̃ = 1 / (1 + d²)
  for (std::size_t i = 0; i < 120; ++i)
    for (std::size_t m = 0; m < k; ++m) {
      const auto j = static_cast<Eigen::Index>(a.neighbours[i * k + m]);
      p(static_cast<Eigen::Index>(i), j) += a.conditional[i * k + m] / (2 * n);
      p(j, static_cast<Eigen::Index>(i)) += a.conditional[i * k + m] / (2 * n);
    }
  for (Eigen::Index i = 0; i < n; ++i)
    for (Eigen::Index j = 0; j < n; ++j) q(i, j) = i == j ? 0.0 : 1 / (1 + dist2(r.embedding, i, j));
  const double z = q.sum();
  double kl = 0, gradient = 0, attraction = 0;
  for (Eigen::Index i = 0; i < n; ++i) {
    Eigen::Vector2d g(0, 0), f(0, 0);  // ∂KL/∂yᵢ = 4 Σⱼ (p_ij − q_ij) q̃_ij (yᵢ − yⱼ) and its attractive part
    for (Eigen::Index j = 0; j < n; ++j) {
      if (j == i) continue;
      if (p(i, j) > 0) kl += p(i, j) * std::log(p(i, j) * z / q(i, j));
      const Eigen::Vector2d d(r.embedding(i, 0) - r.embedding(j, 0), r.embedding(i, 1) - r.embedding(j, 1));
      g += 4 * (p(i, j) - q(i, j) / z) * q(i, j) * d;
      f += 4 * p(i, j) * q(i, j) * d;
    }
    gradient += g.norm(), attraction += f.norm();
  }
  CHECK(r.kl_divergence == doctest::Approx(kl).epsilon(1e-9));
  INFO("gradient / attraction = " << gradient / attraction);  // 0.003 here
  CHECK(gradient < 0.05 * attraction);                        // the forces balance, up to the Barnes–Hut error
}

TEST_CASE("the KL divergence falls between iteration 250 and 750") {
  const RowMatrix x = three_blobs(40);
  core::TsneParams p;
  p.n_iter = 250;
  const double early = core::tsne(x, p).kl_divergence;
  p.n_iter = 750;
  const double late = core::tsne(x, p).kl_divergence;
  CHECK(late < early);
  CHECK(late > 0);
}

TEST_CASE("t-SNE validation names the values; perplexity is reduced with a note") {
  const RowMatrix x = three_blobs(4);  // 12 rows
  core::TsneParams p;
  CHECK_THROWS_WITH_AS(core::tsne(points({{0, 1}, {1, 2}, {3, 4}})), "n_samples=3 should be >= 4 for t-SNE",
                       core::InvalidArgument);
  p.perplexity = 0;
  CHECK_THROWS_WITH_AS(core::tsne(x, p), "perplexity=0 should be a number > 0", core::InvalidArgument);
  p.perplexity = -2.5;
  CHECK_THROWS_WITH_AS(core::tsne(x, p), "perplexity=-2.5 should be a number > 0", core::InvalidArgument);
  CHECK_THROWS_WITH_AS(core::tsne_affinities(x, 0), "perplexity=0 should be a number > 0", core::InvalidArgument);
  p = {};
  p.theta = -1;
  CHECK_THROWS_WITH_AS(core::tsne(x, p), "theta=-1 should be >= 0", core::InvalidArgument);
  p = {};
  p.n_iter = 0;
  CHECK_THROWS_WITH_AS(core::tsne(x, p), "n_iter=0 should be >= 1", core::InvalidArgument);
  p = {};
  p.learning_rate = -10;
  CHECK_THROWS_WITH_AS(core::tsne(x, p), "learning_rate=-10 should be > 0, or 0 for auto", core::InvalidArgument);
  p = {};
  p.early_exaggeration = 0.5;
  CHECK_THROWS_WITH_AS(core::tsne(x, p), "early_exaggeration=0.5 should be >= 1", core::InvalidArgument);
  CHECK_THROWS_WITH_AS(core::tsne(RowMatrix(5, 0)), "n_features=0 should be >= 1", core::InvalidArgument);
  CHECK_THROWS_WITH_AS(core::tsne_affinities(RowMatrix(5, 0), 1), "n_features=0 should be >= 1", core::InvalidArgument);
  p = {};
  p.max_points = 3;
  CHECK_THROWS_WITH_AS(core::tsne(x, p), "max_points=3 should be >= 4", core::InvalidArgument);
  RowMatrix bad = x;
  bad(5, 1) = std::numeric_limits<double>::quiet_NaN();
  CHECK_THROWS_WITH_AS(core::tsne(bad), "row 6 holds a value that is not a finite number", core::InvalidArgument);
  bad(5, 1) = std::numeric_limits<double>::infinity();
  CHECK_THROWS_WITH_AS(core::tsne(bad), "row 6 holds a value that is not a finite number", core::InvalidArgument);
  CHECK_THROWS_WITH_AS(core::tsne_affinities(points({{0}, {1e200}, {2e200}}), 1),
                       "row 1: squared distances overflow; scale the features first", core::InvalidArgument);

  p = {};
  p.n_iter = 50;
  const auto r = core::tsne(x, p);  // 30 > (12 − 1)/3
  CHECK(r.perplexity_used == doctest::Approx(11.0 / 3));
  CHECK(r.note == "perplexity=30 reduced to 3.66667, (n - 1)/3 for the 12 rows t-SNE ran on");
  p.perplexity = 2;
  const auto kept = core::tsne(x, p);
  CHECK(kept.perplexity_used == 2);
  CHECK(kept.note.empty());
}

TEST_CASE("t-SNE reports progress every 25 iterations and stops when asked") {
  const RowMatrix x = three_blobs(10);
  core::TsneParams p;
  p.n_iter = 110;
  std::vector<double> seen;
  core::tsne(x, p, [&](double f) {
    seen.push_back(f);
    return true;
  });
  CHECK(seen == std::vector<double>{25.0 / 110, 50.0 / 110, 75.0 / 110, 100.0 / 110, 1.0});
  int calls = 0;
  CHECK_THROWS_AS(core::tsne(x, p, [&](double) { return ++calls < 2; }), core::Cancelled);
  CHECK(calls == 2);
}
