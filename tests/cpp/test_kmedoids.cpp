#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>

#include "errors.h"
#include "kmedoids.h"
#include "reference_data.h"

using core::KMedoidsParams;
using core::RowMatrix;
using testdata::points;

namespace {

std::vector<std::int64_t> sorted(std::vector<std::int64_t> v) {
  std::sort(v.begin(), v.end());
  return v;
}

}  // namespace

TEST_CASE("two groups in 1-D: the middle points are the medoids, Σ distance 4") {
  const RowMatrix x = points({{0}, {1}, {2}, {10}, {11}, {12}});
  for (auto init : {core::KMedoidsInit::kBuild, core::KMedoidsInit::kKMeansPlusPlus}) {
    KMedoidsParams p;
    p.n_clusters = 2;
    p.init = init;
    const auto r = core::kmedoids(x, p);
    CHECK(sorted(r.medoids) == std::vector<std::int64_t>{1, 4});
    CHECK(r.objective == 4);
    CHECK(r.labels[0] == r.labels[1]);
    CHECK(r.labels[1] == r.labels[2]);
    CHECK(r.labels[3] == r.labels[5]);
    CHECK(r.labels[0] != r.labels[3]);
    CHECK(r.labels[static_cast<std::size_t>(r.medoids[0])] == 0);  // each medoid is in its own cluster
    CHECK(r.converged);
    CHECK_FALSE(r.sampled);
  }
}

TEST_CASE("k = 1: the medoid minimises the total distance; a swap moves it there") {
  // Σ distance: row 0 → 13, row 1 → 11, row 2 → 11, row 3 → 27.
  const RowMatrix x = points({{0}, {1}, {2}, {10}});
  KMedoidsParams p;
  p.n_clusters = 1;
  const auto r = core::kmedoids(x, p);
  CHECK(r.objective == 11);
  CHECK((r.medoids[0] == 1 || r.medoids[0] == 2));
  p.init = core::KMedoidsInit::kKMeansPlusPlus;
  p.seed = 3;
  CHECK(core::kmedoids(x, p).objective == 11);
}

TEST_CASE("BUILD then FasterPAM swaps: three 2-D groups, medoids are their central points") {
  // Each group is a plus sign; its centre point (rows 0, 5, 10) is the medoid, distance 1 to the others.
  const RowMatrix x = points({{0, 0}, {1, 0}, {-1, 0}, {0, 1}, {0, -1},
                              {10, 0}, {11, 0}, {9, 0}, {10, 1}, {10, -1},
                              {0, 10}, {1, 10}, {-1, 10}, {0, 11}, {0, 9}});
  KMedoidsParams p;
  p.n_clusters = 3;
  const auto r = core::kmedoids(x, p);
  CHECK(sorted(r.medoids) == std::vector<std::int64_t>{0, 5, 10});
  CHECK(r.objective == 12);
  p.init = core::KMedoidsInit::kKMeansPlusPlus;
  p.n_init = 3;
  const auto a = core::kmedoids(x, p);
  CHECK(a.objective == 12);
  const auto b = core::kmedoids(x, p);
  CHECK(a.medoids == b.medoids);  // same seed, same result
}

TEST_CASE("FastCLARA samples 80 + 4k rows and stays close to FasterPAM on all rows") {
  const RowMatrix centres = points({{0, 0}, {6, 0}, {0, 6}, {6, 6}});
  const RowMatrix x = testdata::blobs(centres, 500, 3.0, 9);
  KMedoidsParams p;
  p.n_clusters = 4;
  p.init = core::KMedoidsInit::kKMeansPlusPlus;
  const auto full = core::kmedoids(x, p);
  CHECK_FALSE(full.sampled);
  p.method = core::KMedoidsMethod::kFastClara;
  const auto clara = core::kmedoids(x, p);
  CHECK(clara.sampled);
  CHECK(clara.sample_size == 96);
  CHECK(clara.n_samples == 5);
  CHECK(clara.objective <= full.objective * 1.05);
  CHECK(clara.labels.size() == 2000);
  p.method = core::KMedoidsMethod::kAuto;
  p.auto_clara_above = 1000;
  CHECK(core::kmedoids(x, p).sampled);
}

TEST_CASE("k-medoids validation names the values") {
  const RowMatrix x = points({{0}, {1}});
  KMedoidsParams p;
  p.n_clusters = 3;
  CHECK_THROWS_WITH_AS(core::kmedoids(x, p), "n_samples=2 should be >= n_clusters=3", core::InvalidArgument);
  p.n_clusters = 0;
  CHECK_THROWS_WITH_AS(core::kmedoids(x, p), "n_clusters=0 should be >= 1", core::InvalidArgument);
  p.n_clusters = 1;
  p.clara_samples = 0;
  CHECK_THROWS_WITH_AS(core::kmedoids(x, p), "clara_samples=0 should be >= 1", core::InvalidArgument);
  p.clara_samples = 5;
  CHECK_THROWS_AS(core::kmedoids(points({{0}, {std::nan("")}}), p), core::InvalidArgument);
  int calls = 0;
  CHECK_THROWS_AS(core::kmedoids(x, p, [&](double) { return ++calls < 1; }), core::Cancelled);
}

TEST_CASE("reference: FasterPAM reaches R cluster::pam's objective (ruspini, iris, RFM sample)") {
  const std::string f = "r_pam.csv";
  for (const auto& [ds, ks] : std::vector<std::pair<std::string, std::vector<int>>>{
           {"ruspini", {2, 4, 6}}, {"iris", {2, 3, 6}}, {"rfm300", {2, 4, 6}}}) {
    const RowMatrix x = testdata::load_matrix(ds + ".csv");
    for (int k : ks) {
      const std::string key = ds + ".pam.k" + std::to_string(k);
      const double td = testdata::value(f, key + ".td");
      KMedoidsParams p;
      p.n_clusters = k;
      const auto build = core::kmedoids(x, p);  // BUILD + FasterPAM: a local optimum near PAM's
      CAPTURE(key);
      CHECK(build.objective <= td * 1.01);
      p.n_init = 10;  // plus nine k-means++ restarts: at least as good as PAM
      const auto r = core::kmedoids(x, p);
      CHECK(r.objective <= td * (1 + 1e-9));
      CHECK(r.objective <= build.objective);
      if (std::abs(r.objective - td) <= 1e-9 * td) {  // the same optimum: the same medoids and clusters
        std::vector<std::int64_t> med;
        for (double v : testdata::values(f, key + ".medoids")) med.push_back(static_cast<std::int64_t>(v));
        CHECK(sorted(r.medoids) == sorted(med));
        CHECK(testdata::same_partition(r.labels, testdata::ints(f, key + ".labels")));
      }
    }
  }
}

TEST_CASE("ties between equally good medoids end the swaps (found on a 4-point file)") {
  // Rows 0 and 1 are equally good medoids for their pair: a swap between them changes the total
  // deviation only by rounding, which must not count as an improvement.
  const RowMatrix x = points({{0, 0}, {0.1, 0}, {5, 5}, {5.1, 5}});
  KMedoidsParams p;
  p.n_clusters = 2;
  const auto r = core::kmedoids(x, p);
  CHECK(r.converged);
  CHECK(r.n_iter <= 2);
  CHECK(r.objective == doctest::Approx(0.2));
}
