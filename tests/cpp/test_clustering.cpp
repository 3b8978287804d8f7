#include <doctest/doctest.h>

#include <cmath>

#include "clustering.h"
#include "errors.h"
#include "reference_data.h"

using core::Algorithm;
using core::RowMatrix;
using testdata::points;

namespace {

const RowMatrix& three_blobs() {
  static const RowMatrix x = testdata::blobs(points({{0, 0}, {6, 0}, {0, 6}}), 40, 2.0, 2);
  return x;
}

}  // namespace

TEST_CASE("every algorithm finds three well-separated groups, with its own objective") {
  const RowMatrix& x = three_blobs();
  std::vector<int> truth(120);
  for (int i = 0; i < 120; ++i) truth[static_cast<std::size_t>(i)] = i / 40;
  for (const char* name : {"kmeans", "kmedoids", "gmm", "ward", "average", "complete", "single"}) {
    core::ClusterParams p;
    p.algorithm = core::parse_algorithm(name);
    p.n_clusters = 3;
    const auto r = core::run_clustering(x, p);
    CAPTURE(name);
    CHECK(core::algorithm_name(p.algorithm) == std::string(name));
    CHECK(testdata::same_partition(r.labels, truth));
    CHECK(r.centers.rows() == 3);
    CHECK(r.inertia > 0);
    CHECK(std::isfinite(r.objective));
    CHECK(r.medoids.size() == (p.algorithm == Algorithm::kKMedoids ? 3u : 0u));
    CHECK(std::isnan(r.bic) == (p.algorithm != Algorithm::kGmm));
    CHECK((r.linkage.rows() == 119) == (p.algorithm >= Algorithm::kWard));
  }
  CHECK_THROWS_WITH_AS(core::parse_algorithm("dbscan"),
                       "algorithm \"dbscan\" is not one of kmeans, kmedoids, gmm, ward, average, complete, single",
                       core::InvalidArgument);
}

TEST_CASE("k-sweep: curves for k = 2..6, the silhouette peaks at the true k, BIC only for GMM") {
  const RowMatrix& x = three_blobs();
  core::SweepParams p;
  p.k_max = 6;
  for (Algorithm a : {Algorithm::kKMeans, Algorithm::kGmm, Algorithm::kWard}) {
    p.base.algorithm = a;
    const auto s = core::k_sweep(x, p);
    CAPTURE(core::algorithm_name(a));
    REQUIRE(s.k == std::vector<int>{2, 3, 4, 5, 6});
    REQUIRE(s.silhouette.size() == 5);
    const auto best = std::max_element(s.silhouette.begin(), s.silhouette.end()) - s.silhouette.begin();
    CHECK(s.k[static_cast<std::size_t>(best)] == 3);
    const auto ch =
        std::max_element(s.calinski_harabasz.begin(), s.calinski_harabasz.end()) - s.calinski_harabasz.begin();
    CHECK(s.k[static_cast<std::size_t>(ch)] == 3);
    CHECK(s.davies_bouldin[1] < s.davies_bouldin[0]);
    CHECK(s.inertia[1] < s.inertia[0]);
    CHECK(std::isnan(s.bic[0]) == (a != Algorithm::kGmm));
    CHECK_FALSE(s.silhouette_sampled);
  }
  p.k_max = 200;
  CHECK_THROWS_WITH_AS(core::k_sweep(x, p), "k_max=200 should be <= n_samples - 1 = 119", core::InvalidArgument);
}

TEST_CASE("k-sweep: k-medoids samples above SweepParams::kmedoids_exact_max rows, the chosen k runs exact") {
  const RowMatrix centres = points({{0, 0}, {4, 0}, {0, 4}});
  const RowMatrix x = testdata::blobs(centres, 40, 1.0, 11);  // 120 rows
  core::SweepParams p;
  p.base.algorithm = Algorithm::kKMedoids;
  p.k_max = 3;
  p.kmedoids_exact_max = 100;  // the sweep samples these 120 rows
  const auto s = core::k_sweep(x, p);
  core::ClusterParams c;
  c.algorithm = Algorithm::kKMedoids;
  c.n_clusters = 3;
  const core::ClusterResult exact = core::run_clustering(x, c);
  CHECK_FALSE(exact.sampled);
  c.kmedoids_exact_max = 100;
  const core::ClusterResult sampled = core::run_clustering(x, c);
  CHECK(sampled.sampled);
  CHECK(s.objective[1] == sampled.objective);
  p.kmedoids_exact_max = 1000;
  CHECK(core::k_sweep(x, p).objective[1] == exact.objective);
}
