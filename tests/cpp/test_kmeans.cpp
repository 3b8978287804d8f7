#include <doctest/doctest.h>

#include <cmath>

#include "distance.h"
#include "errors.h"
#include "kmeans.h"
#include "metrics.h"
#include "reference_data.h"

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

// ---- Hamerly's accelerated assignment, mini-batch k-means, agreement with scikit-learn ----------

TEST_CASE("Hamerly gives bit-identical labels, centres, inertia and iterations to Lloyd") {
  const RowMatrix centres = points({{0, 0, 0}, {3, 0, 1}, {0, 4, 0}, {2, 2, 2}, {5, 5, 0}, {-3, 1, 2}});
  const RowMatrix x = testdata::blobs(centres, 400, 4.0, 11);  // overlapping: many boundary points
  for (int k : {1, 2, 3, 5, 8, 13}) {
    for (std::uint64_t seed : {1, 2, 3}) {
      KMeansParams p;
      p.n_clusters = k;
      p.n_init = 2;
      p.seed = seed;
      p.tol = 0;  // run until nothing moves: the longest runs, the most bound updates
      p.algorithm = core::KMeansAlgorithm::kLloyd;
      const auto lloyd = core::kmeans(x, p);
      p.algorithm = core::KMeansAlgorithm::kHamerly;
      const auto ham = core::kmeans(x, p);
      CAPTURE(k);
      CAPTURE(seed);
      CHECK(ham.labels == lloyd.labels);
      CHECK(ham.inertia == lloyd.inertia);
      CHECK(ham.n_iter == lloyd.n_iter);
      CHECK(ham.converged == lloyd.converged);
      CHECK((ham.centers.array() == lloyd.centers.array()).all());
    }
  }
}

TEST_CASE("restarts split into ranges: the best of the ranges' bests is the full run, bit for bit") {
  const RowMatrix centres = points({{0, 0, 0}, {3, 0, 1}, {0, 4, 0}, {2, 2, 2}, {5, 5, 0}, {-3, 1, 2}});
  const RowMatrix x = testdata::blobs(centres, 300, 4.0, 5);  // overlapping: the restarts differ
  int later_wins = 0;  // cases won by a restart after the first: the skipped seeds matter there
  for (int k : {2, 4, 7}) {
    for (std::uint64_t seed : {1, 9}) {
      KMeansParams p;
      p.n_clusters = k;
      p.seed = seed;
      const auto full = core::kmeans(x, p);
      CAPTURE(k);
      CAPTURE(seed);
      REQUIRE(full.restart >= 0);
      REQUIRE(full.restart < p.n_init);
      later_wins += full.restart > 0;
      // Every split in two and three ranges, as workers would take them.
      for (int a = 1; a < p.n_init; ++a) {
        for (int b = a; b <= p.n_init; ++b) {
          std::vector<core::KMeansResult> parts;
          for (auto [begin, end] : {std::pair{0, a}, std::pair{a, b}, std::pair{b, p.n_init}}) {
            if (begin == end) continue;
            p.restart_begin = begin, p.restart_end = end;
            parts.push_back(core::kmeans(x, p));
            CHECK(parts.back().restart >= begin);
            CHECK(parts.back().restart < end);
          }
          const core::KMeansResult* best = &parts[0];
          for (const auto& r : parts)
            if (r.inertia < best->inertia) best = &r;  // in restart order: ties stay with the lower one
          CHECK(best->restart == full.restart);
          CHECK(best->inertia == full.inertia);
          CHECK(best->labels == full.labels);
          CHECK(best->n_iter == full.n_iter);
          CHECK((best->centers.array() == full.centers.array()).all());
        }
      }
      // The winning restart alone reproduces the result.
      p.restart_begin = full.restart, p.restart_end = full.restart + 1;
      const auto again = core::kmeans(x, p);
      CHECK(again.labels == full.labels);
      CHECK(again.inertia == full.inertia);
      p.restart_begin = 0, p.restart_end = -1;
    }
  }
  CHECK(later_wins >= 3);
  KMeansParams bad;
  bad.restart_begin = 3, bad.restart_end = 3;
  CHECK_THROWS_WITH_AS(core::kmeans(x, bad), doctest::Contains("restarts [3, 3)"), core::InvalidArgument);
  bad.restart_begin = 0, bad.restart_end = 11;
  CHECK_THROWS_AS(core::kmeans(x, bad), core::InvalidArgument);
}

TEST_CASE("Hamerly equals Lloyd with duplicate rows, ties and an empty cluster to repair") {
  // Ten copies of one point and three others: with k = 6 some seeds coincide, clusters empty out.
  const RowMatrix x = points({{0, 0},
                              {0, 0},
                              {0, 0},
                              {0, 0},
                              {0, 0},
                              {0, 0},
                              {0, 0},
                              {0, 0},
                              {0, 0},
                              {0, 0},
                              {1, 0},
                              {0, 1},
                              {1, 1},
                              {0.5, 0.5},
                              {2, 2}});
  for (int k = 1; k <= 6; ++k) {
    KMeansParams p;
    p.n_clusters = k;
    p.algorithm = core::KMeansAlgorithm::kLloyd;
    const auto lloyd = core::kmeans(x, p);
    p.algorithm = core::KMeansAlgorithm::kHamerly;
    const auto ham = core::kmeans(x, p);
    CAPTURE(k);
    CHECK(ham.labels == lloyd.labels);
    CHECK(ham.inertia == lloyd.inertia);
    CHECK(ham.n_iter == lloyd.n_iter);
  }
}

namespace {

// The nearest centre of row i by the core's squared distance in double, ties to the lower index:
// what Lloyd's search must reproduce exactly.
int nearest(const RowMatrix& x, Eigen::Index i, const RowMatrix& centers) {
  int best = 0;
  double bd = core::sqdist(x.row(i).data(), centers.row(0).data(), x.cols());
  for (Eigen::Index c = 1; c < centers.rows(); ++c) {
    const double dc = core::sqdist(x.row(i).data(), centers.row(c).data(), x.cols());
    if (dc < bd) {
      bd = dc;
      best = static_cast<int>(c);
    }
  }
  return best;
}

// Every point of the integer grid {0…side−1}^d, times scale, plus offset, plus a uniform jitter
// of ±jitter/2: rows exactly or almost exactly as far from two centres.
RowMatrix grid(int side, int d, double scale, double offset, double jitter) {
  Eigen::Index n = 1;
  for (int j = 0; j < d; ++j) n *= side;
  RowMatrix x(n, d);
  core::Rng rng(3);
  for (Eigen::Index i = 0; i < n; ++i)
    for (Eigen::Index j = 0, rest = i; j < d; ++j, rest /= side)
      x(i, j) = static_cast<double>(rest % side) * scale + offset + jitter * (rng.uniform() - 0.5);
  return x;
}

}  // namespace

TEST_CASE("Lloyd's single-precision search finds the exact nearest centre: ties, offsets, extreme scales") {
  struct Case {
    const char* what;
    int side, d;
    double scale, offset, jitter;
  };
  for (const Case& c : {Case{"ties on a 3-D grid", 5, 3, 1, 0, 0}, Case{"ties on a 5-D grid", 3, 5, 1, 0, 0},
                        Case{"a grid far from the origin", 5, 3, 1, 1e6, 0},
                        Case{"differences below float resolution", 5, 3, 1, 0, 1e-9},
                        Case{"squares beyond float's range", 5, 3, 1e30, 0, 0},
                        Case{"squares below float's range", 5, 3, 1e-30, 0, 0}}) {
    const RowMatrix x = grid(c.side, c.d, c.scale, c.offset, c.jitter);
    for (int k : {2, 3, 5, 7}) {
      KMeansParams p;
      p.n_clusters = k;
      p.n_init = 3;
      p.algorithm = core::KMeansAlgorithm::kLloyd;
      const auto lloyd = core::kmeans(x, p);
      p.algorithm = core::KMeansAlgorithm::kHamerly;
      const auto ham = core::kmeans(x, p);
      CAPTURE(c.what);
      CAPTURE(k);
      int wrong = 0;
      for (Eigen::Index i = 0; i < x.rows(); ++i)
        wrong += lloyd.labels[static_cast<std::size_t>(i)] != nearest(x, i, lloyd.centers);
      CHECK(wrong == 0);
      CHECK(core::assign_labels(x, lloyd.centers) == lloyd.labels);
      CHECK(ham.labels == lloyd.labels);
      CHECK(ham.inertia == lloyd.inertia);
      CHECK(ham.n_iter == lloyd.n_iter);
      CHECK((ham.centers.array() == lloyd.centers.array()).all());
    }
  }
}

TEST_CASE("the single-precision search decides rows within float rounding of a tie exactly") {
  // Centres that swap columns a and b, and rows within ±1e-7 of the plane a = b where their
  // distances tie: the two distances differ by less than single precision resolves.
  const RowMatrix centers = points({{0.1, 0.9, 0.5}, {0.9, 0.1, 0.5}});
  RowMatrix x(4000, 3);
  core::Rng rng(5);
  for (Eigen::Index i = 0; i < x.rows(); ++i) {
    const double t = rng.uniform();
    x.row(i) << t + 2e-7 * (rng.uniform() - 0.5), t, 4 * rng.uniform() - 2;
  }
  const std::vector<int> labels = core::assign_labels(x, centers);
  int wrong = 0, first = 0;
  for (Eigen::Index i = 0; i < x.rows(); ++i) {
    wrong += labels[static_cast<std::size_t>(i)] != nearest(x, i, centers);
    first += labels[static_cast<std::size_t>(i)] == 0;
  }
  CHECK(wrong == 0);
  CHECK(first > 1000);  // both sides of the plane are there
  CHECK(first < 3000);
}

TEST_CASE("mini-batch k-means finds well-separated groups, close to full k-means, deterministic") {
  const RowMatrix centres = points({{0, 0}, {10, 0}, {0, 10}});
  const RowMatrix x = testdata::blobs(centres, 10000, 2.0, 5);
  core::MiniBatchKMeansParams p;
  p.n_clusters = 3;
  p.batch_size = 256;
  const auto r = core::minibatch_kmeans(x, p);
  CHECK(r.labels[0] != r.labels[10000]);
  CHECK(r.labels[0] != r.labels[20000]);
  CHECK(r.labels[10000] != r.labels[20000]);
  std::vector<int> truth(30000);
  for (int i = 0; i < 30000; ++i) truth[static_cast<std::size_t>(i)] = i / 10000;
  CHECK(testdata::same_partition(r.labels, truth));
  KMeansParams kp;
  kp.n_clusters = 3;
  kp.n_init = 1;
  const auto full = core::kmeans(x, kp);
  CHECK(r.inertia <= full.inertia * 1.01);
  CHECK(r.inertia == doctest::Approx(core::inertia(x, r.labels, r.centers)));
  CHECK(r.n_steps >= 1);
  const auto again = core::minibatch_kmeans(x, p);
  CHECK(again.labels == r.labels);
  CHECK((again.centers.array() == r.centers.array()).all());
  p.batch_size = 0;
  CHECK_THROWS_WITH_AS(core::minibatch_kmeans(x, p), "batch_size=0 should be >= 1", core::InvalidArgument);
  p.batch_size = 10;
  p.n_clusters = 4;
  CHECK_THROWS_WITH_AS(core::minibatch_kmeans(points({{1}, {2}}), p), "n_samples=2 should be >= n_clusters=4",
                       core::InvalidArgument);
}

TEST_CASE("reference: best-of-10 inertia is at most scikit-learn's on iris, ruspini and the RFM sample") {
  for (const std::string ds : {"iris", "ruspini", "rfm300"}) {
    const RowMatrix x = testdata::load_matrix(ds + ".csv");
    const double sk = testdata::value("sklearn_scipy.csv", ds + ".kmeans.inertia");
    KMeansParams p;
    p.n_clusters = ds == "iris" ? 3 : 4;
    const auto r = core::kmeans(x, p);
    CAPTURE(ds);
    CHECK(r.inertia <= sk * (1 + 1e-6));
    if (std::abs(r.inertia - sk) <= 1e-9 * sk)  // the same optimum: the same partition
      CHECK(testdata::same_partition(r.labels, testdata::ints("sklearn_scipy.csv", ds + ".kmeans.labels")));
    CHECK(std::abs(r.inertia - sk) <= 1e-9 * sk);  // these classic cases have one clear optimum
  }
}
