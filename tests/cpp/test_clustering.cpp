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

TEST_CASE("suggested k: the silhouette for centre and linkage methods, BIC for mixtures, collapsed fits left out") {
  core::SweepResult s;
  s.k = {2, 3, 4, 5, 6};
  s.silhouette = {0.40, 0.55, 0.55, 0.30, 0.20};
  s.bic = {900, 700, 650, 640, 660};
  s.collapsed = {0, 0, 0, 0, 0};
  // Ties: the smaller k.
  const auto km = core::suggest_k(s, Algorithm::kKMeans);
  CHECK(km.k == 3);
  CHECK(km.criterion == core::KCriterion::kSilhouette);
  CHECK(km.reason == "The highest mean silhouette (0.550) is at k = 3.");
  CHECK(core::suggest_k(s, Algorithm::kWard).k == 3);
  // A mixture: BIC's minimum, not the silhouette's maximum.
  const auto gm = core::suggest_k(s, Algorithm::kGmm);
  CHECK(gm.k == 5);
  CHECK(gm.criterion == core::KCriterion::kBicMinimum);
  CHECK(gm.reason == "BIC is lowest (640.0) at k = 5.");
  // A collapsed component at k = 5 (its BIC drop is an artefact): left out, said.
  s.collapsed = {0, 0, 0, 1, 0};
  s.bic[3] = -5000;
  const auto left = core::suggest_k(s, Algorithm::kGmm);
  CHECK(left.k == 4);
  CHECK(left.reason ==
        "BIC is lowest (650.0) at k = 4 (1 k left out: a component collapsed onto customers who share one "
        "value, so the BIC there is not comparable).");
  // Still falling at the largest k: the elbow, the point farthest below the chord from k = 2 to 6.
  s.collapsed = {0, 0, 0, 0, 0};
  s.bic = {1000, 600, 500, 450, 420};
  const auto elbow = core::suggest_k(s, Algorithm::kGmm);
  CHECK(elbow.k == 3);  // chord at k = 3: 855; 855 − 600 = 255, the largest gap (k = 4: 710 − 500 = 210)
  CHECK(elbow.criterion == core::KCriterion::kBicElbow);
  CHECK(elbow.reason.find("BIC still falls at k = 6") == 0);
  // Every fit collapsed: BIC cannot choose; the silhouette does, and says why.
  s.collapsed = {1, 1, 2, 2, 3};
  const auto none = core::suggest_k(s, Algorithm::kGmm);
  CHECK(none.k == 3);
  CHECK(none.criterion == core::KCriterion::kSilhouette);
  CHECK(none.reason.find("At every k a mixture component collapsed") == 0);
  // No silhouette anywhere: nothing is suggested.
  s.silhouette = {NAN, NAN, NAN, NAN, NAN};
  CHECK(core::suggest_k(s, Algorithm::kKMeans).k == 0);
  CHECK(core::suggest_k(s, Algorithm::kKMeans).criterion == core::KCriterion::kNone);
  CHECK(core::criterion_name(core::KCriterion::kBicElbow) == std::string("bic-elbow"));
}

TEST_CASE("k-sweep of a mixture counts collapsed components per k") {
  std::vector<std::vector<double>> rows;
  for (int i = 0; i < 60; ++i) rows.push_back({1.0, 0.05 * i});
  for (int i = 0; i < 120; ++i) rows.push_back({2.0 + 0.037 * (i % 17) + 0.011 * i, 0.07 * (i % 23)});
  core::SweepParams p;
  p.base.algorithm = Algorithm::kGmm;
  p.k_min = 2;
  p.k_max = 3;
  const auto s = core::k_sweep(points(rows), p);
  REQUIRE(s.collapsed.size() == 2);
  CHECK(s.collapsed[0] >= 1);
  p.base.algorithm = Algorithm::kKMeans;
  CHECK(core::k_sweep(points(rows), p).collapsed == std::vector<int>{0, 0});
}
