#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>

#include "distance.h"
#include "errors.h"
#include "kmedoids.h"
#include "random.h"
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
  const RowMatrix x = points({{0, 0},
                              {1, 0},
                              {-1, 0},
                              {0, 1},
                              {0, -1},
                              {10, 0},
                              {11, 0},
                              {9, 0},
                              {10, 1},
                              {10, -1},
                              {0, 10},
                              {1, 10},
                              {-1, 10},
                              {0, 11},
                              {0, 9}});
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

namespace {

// The plain loops FasterPAM's distance kernels replace: BUILD (ties to the later row) and the eager
// swaps of Algorithm 2 with a full O(n·k) re-evaluation of each candidate. Slow, obviously right.
std::vector<std::int64_t> plain_build_fasterpam(const RowMatrix& x, int k) {
  const Eigen::Index n = x.rows();
  auto dist = [&](Eigen::Index a, Eigen::Index b) {
    return std::sqrt(core::sqdist(x.row(a).data(), x.row(b).data(), x.cols()));
  };
  std::vector<std::int64_t> med;
  std::vector<double> near(static_cast<std::size_t>(n), INFINITY);
  for (int c = 0; c < k; ++c) {
    std::int64_t best = -1;
    double best_gain = -INFINITY;
    for (Eigen::Index i = 0; i < n; ++i) {
      if (std::find(med.begin(), med.end(), i) != med.end()) continue;
      double gain = 0;
      for (Eigen::Index j = 0; j < n; ++j) {
        const double dij = dist(i, j);
        if (c == 0)
          gain -= dij;
        else if (dij < near[static_cast<std::size_t>(j)])
          gain += near[static_cast<std::size_t>(j)] - dij;
      }
      if (gain >= best_gain) best_gain = gain, best = i;
    }
    med.push_back(best);
    for (Eigen::Index j = 0; j < n; ++j)
      near[static_cast<std::size_t>(j)] = std::min(near[static_cast<std::size_t>(j)], dist(best, j));
  }
  auto td = [&](const std::vector<std::int64_t>& m) {
    double s = 0;
    for (Eigen::Index o = 0; o < n; ++o) {
      double b = INFINITY;
      for (auto i : m) b = std::min(b, dist(o, i));
      s += b;
    }
    return s;
  };
  double cur = td(med);
  for (Eigen::Index last = -1, j = 0;; j = (j + 1) % n) {
    if (j == last) break;
    if (std::find(med.begin(), med.end(), j) == med.end()) {
      int b = -1;
      double bt = cur;
      for (int i = 0; i < k; ++i) {
        auto m = med;
        m[static_cast<std::size_t>(i)] = j;
        const double t = td(m);
        if (t < bt) bt = t, b = i;
      }
      if (b >= 0 && bt - cur < -1e-12 * cur) med[static_cast<std::size_t>(b)] = j, cur = bt, last = j;
    }
    if (last < 0 && j == n - 1) break;  // a whole first pass without a swap
  }
  return med;
}

}  // namespace

TEST_CASE("vectorised BUILD + FasterPAM give the medoids of the plain loops (d = 1…8, k = 1…5)") {
  for (int d = 1; d <= 8; ++d) {
    RowMatrix centres(4, d);
    core::Rng rng(static_cast<std::uint64_t>(d));
    for (Eigen::Index i = 0; i < centres.size(); ++i) centres.data()[i] = 10 * rng.uniform();
    const RowMatrix x = testdata::blobs(centres, 60 + d, 6.0, static_cast<std::uint64_t>(d) + 100);  // overlapping
    for (int k = 1; k <= 5; ++k) {
      CAPTURE(d);
      CAPTURE(k);
      KMedoidsParams p;
      p.n_clusters = k;
      p.init = core::KMedoidsInit::kBuild;
      const auto r = core::kmedoids(x, p);
      CHECK(sorted(r.medoids) == sorted(plain_build_fasterpam(x, k)));
    }
  }
}

TEST_CASE("leaf order: every row once, small leaves, boxes that hold their rows and bound distances") {
  const RowMatrix centres = points({{0, 0, 0}, {5, 1, 2}, {1, 6, -3}});
  const RowMatrix x = testdata::blobs(centres, 700, 4.0, 5);
  const core::LeafOrder t = core::leaf_order(x, 64);
  const Eigen::Index n = x.rows(), d = x.cols();
  std::vector<Eigen::Index> rows = t.row;
  std::sort(rows.begin(), rows.end());
  for (Eigen::Index i = 0; i < n; ++i) REQUIRE(rows[static_cast<std::size_t>(i)] == i);
  CHECK(t.begin.front() == 0);
  CHECK(t.begin.back() == n);
  std::vector<double> s2(64);
  for (Eigen::Index l = 0; l < t.leaves(); ++l) {
    const Eigen::Index b = t.begin[static_cast<std::size_t>(l)], e = t.begin[static_cast<std::size_t>(l) + 1];
    CHECK(e - b >= 1);
    CHECK(e - b <= 64);
    const double *lo = &t.lo[static_cast<std::size_t>(l * d)], *hi = &t.hi[static_cast<std::size_t>(l * d)];
    for (Eigen::Index q = 0; q < n; q += 97) {  // some query rows: the box bound is below every row's distance
      const double bound = core::box_sqdist(x.row(q).data(), lo, hi, d);
      core::sqdist_many(t.fm.data() + b, n, e - b, x.row(q).data(), d, s2.data());
      for (Eigen::Index p = b; p < e; ++p) {
        const Eigen::Index o = t.row[static_cast<std::size_t>(p)];
        for (Eigen::Index j = 0; j < d; ++j) CHECK((x(o, j) >= lo[j] && x(o, j) <= hi[j]));
        CHECK(s2[static_cast<std::size_t>(p - b)] == core::sqdist(x.row(o).data(), x.row(q).data(), d));  // same bits
        CHECK(bound <= s2[static_cast<std::size_t>(p - b)]);
      }
    }
  }
}

TEST_CASE("LAB start: FasterPAM from it reaches the central points; kAuto picks it above lab_above rows") {
  const RowMatrix x = points({{0, 0},
                              {1, 0},
                              {-1, 0},
                              {0, 1},
                              {0, -1},
                              {10, 0},
                              {11, 0},
                              {9, 0},
                              {10, 1},
                              {10, -1},
                              {0, 10},
                              {1, 10},
                              {-1, 10},
                              {0, 11},
                              {0, 9}});
  KMedoidsParams p;
  p.n_clusters = 3;
  p.init = core::KMedoidsInit::kLab;
  const auto lab = core::kmedoids(x, p);
  CHECK(sorted(lab.medoids) == std::vector<std::int64_t>{0, 5, 10});
  CHECK(lab.objective == 12);

  const RowMatrix centres = points({{0, 0}, {6, 0}, {0, 6}, {6, 6}});
  const RowMatrix y = testdata::blobs(centres, 300, 4.0, 11);
  p.n_clusters = 4;
  const auto a = core::kmedoids(y, p);  // LAB
  p.init = core::KMedoidsInit::kBuild;
  const auto b = core::kmedoids(y, p);
  p.init = core::KMedoidsInit::kAuto;
  p.lab_above = 1200;  // 1200 rows: not above, BUILD
  CHECK(core::kmedoids(y, p).medoids == b.medoids);
  p.lab_above = 1199;
  CHECK(core::kmedoids(y, p).medoids == a.medoids);
  CHECK(a.objective <= b.objective * 1.01);  // another start, the same quality
}
