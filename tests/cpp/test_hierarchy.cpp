#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>

#include "errors.h"
#include "hierarchy.h"
#include "reference_data.h"

using core::LinkageMethod;
using core::RowMatrix;
using testdata::points;

namespace {

void check_row(const RowMatrix& z, Eigen::Index i, double a, double b, double h, double size) {
  CAPTURE(i);
  CHECK(z(i, 0) == a);
  CHECK(z(i, 1) == b);
  CHECK(z(i, 2) == doctest::Approx(h).epsilon(1e-15));
  CHECK(z(i, 3) == size);
}

}  // namespace

TEST_CASE("three points on a line: hand-computed merges for every linkage") {
  const RowMatrix x = points({{0}, {1}, {5}});
  // 0 and 1 merge first at 1 everywhere; then {0, 1} (id 3) joins 5 (id 2) at a height per method.
  const RowMatrix ward = core::linkage_matrix(x, LinkageMethod::kWard);
  check_row(ward, 0, 0, 1, 1, 2);                // √(2 · ½ · 1²)
  check_row(ward, 1, 2, 3, std::sqrt(27.0), 3);  // √(2 · (2·1/3) · 4.5²)
  const RowMatrix single = core::linkage_matrix(x, LinkageMethod::kSingle);
  check_row(single, 0, 0, 1, 1, 2);
  check_row(single, 1, 2, 3, 4, 3);
  const RowMatrix complete = core::linkage_matrix(x, LinkageMethod::kComplete);
  check_row(complete, 1, 2, 3, 5, 3);
  const RowMatrix average = core::linkage_matrix(x, LinkageMethod::kAverage);
  check_row(average, 1, 2, 3, 4.5, 3);
}

TEST_CASE("cut_tree: which rows stay together at each k") {
  const RowMatrix x = points({{0, 0}, {0, 1}, {10, 0}, {10, 1.5}, {30, 0}});
  for (auto m : {LinkageMethod::kWard, LinkageMethod::kAverage, LinkageMethod::kComplete, LinkageMethod::kSingle}) {
    const RowMatrix z = core::linkage_matrix(x, m);
    CAPTURE(core::linkage_name(m));
    CHECK(core::cut_tree(z, 5) == std::vector<int>{0, 1, 2, 3, 4});
    CHECK(core::cut_tree(z, 4) == std::vector<int>{0, 0, 1, 2, 3});
    CHECK(core::cut_tree(z, 3) == std::vector<int>{0, 0, 1, 1, 2});
    CHECK(core::cut_tree(z, 1) == std::vector<int>{0, 0, 0, 0, 0});
    for (Eigen::Index i = 1; i < z.rows(); ++i) CHECK(z(i, 2) >= z(i - 1, 2));
    CHECK(z(z.rows() - 1, 3) == 5);
  }
}

TEST_CASE("hierarchy validation names the values and the pairwise limit") {
  CHECK_THROWS_WITH_AS(core::linkage_matrix(points({{1}}), LinkageMethod::kWard),
                       "n_samples=1 should be >= 2 for a hierarchy", core::InvalidArgument);
  const RowMatrix big = RowMatrix::Zero(core::kMaxPairwiseLinkageRows + 1, 1);
  CHECK_THROWS_WITH_AS(core::linkage_matrix(big, LinkageMethod::kAverage),
                       "average linkage keeps all n(n-1)/2 pairwise distances: n_samples=10001 is above its limit of "
                       "10000 rows (400 MB); use ward or single linkage (O(n) memory) or cluster a sample",
                       core::InvalidArgument);
  const RowMatrix z = core::linkage_matrix(points({{0}, {1}, {3}}), LinkageMethod::kSingle);
  CHECK_THROWS_WITH_AS(core::cut_tree(z, 4), "n_clusters=4 should be between 1 and n_samples=3", core::InvalidArgument);
  CHECK_THROWS_WITH_AS(core::parse_linkage("centroid"),
                       "linkage \"centroid\" is not one of ward, average, complete, single", core::InvalidArgument);
}

TEST_CASE("ward and single linkage run on many rows in O(n) memory") {
  const RowMatrix centres = points({{0, 0}, {8, 0}, {0, 8}});
  const RowMatrix x = testdata::blobs(centres, 1000, 2.0, 3);
  std::vector<int> truth(3000);
  for (int i = 0; i < 3000; ++i) truth[static_cast<std::size_t>(i)] = i / 1000;
  for (auto m : {LinkageMethod::kWard, LinkageMethod::kSingle}) {
    const RowMatrix z = core::linkage_matrix(x, m);
    CHECK(testdata::same_partition(core::cut_tree(z, 3), truth));
  }
}

TEST_CASE("reference: heights equal SciPy's to 1e-9 and cuts equal its cut_tree (iris, ruspini, RFM sample)") {
  const std::string f = "sklearn_scipy.csv";
  for (const std::string ds : {"iris", "ruspini", "rfm300"}) {
    const RowMatrix x = testdata::load_matrix(ds + ".csv");
    for (const std::string method : {"ward", "average", "complete", "single"}) {
      const RowMatrix z = core::linkage_matrix(x, core::parse_linkage(method));
      const std::vector<double> ref = testdata::values(f, ds + ".linkage." + method + ".z");
      REQUIRE(ref.size() == static_cast<std::size_t>(z.size()));
      CAPTURE(ds);
      CAPTURE(method);
      double worst = 0;
      bool same_tree = true;
      for (Eigen::Index i = 0; i < z.rows(); ++i) {
        const double h = ref[static_cast<std::size_t>(4 * i + 2)];
        worst = std::max(worst, std::abs(z(i, 2) - h) / std::max(1.0, std::abs(h)));
        for (int c : {0, 1, 3}) same_tree = same_tree && z(i, c) == ref[static_cast<std::size_t>(4 * i + c)];
      }
      CHECK(worst <= 1e-9);
      // Without tied heights the merge order is unique, so Z is SciPy's row for row.
      std::vector<double> heights;
      for (Eigen::Index i = 0; i < z.rows(); ++i) heights.push_back(z(i, 2));
      const bool ties = std::adjacent_find(heights.begin(), heights.end(), [](double a, double b) {
                          return b - a <= 1e-9 * std::max(1.0, a);
                        }) != heights.end();
      if (!ties) CHECK(same_tree);
      for (int k = 2; k <= 6; ++k)
        CHECK(testdata::same_partition(core::cut_tree(z, k),
                                       testdata::ints(f, ds + ".linkage." + method + ".cut" + std::to_string(k))));
    }
  }
}
