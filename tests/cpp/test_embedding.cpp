#include <doctest/doctest.h>

#include <cmath>

#include "embedding.h"
#include "errors.h"
#include "reference_data.h"

using core::RowMatrix;
using testdata::points;

TEST_CASE("points on the line y = 2x: one component carries all the variance") {
  const RowMatrix x = points({{0, 0}, {1, 2}, {2, 4}});
  const auto r = core::pca(x);
  CHECK(r.explained_variance[0] == doctest::Approx(5));  // var x = 1, var y = 4 (n − 1)
  CHECK(r.explained_variance[1] == doctest::Approx(0).epsilon(1e-12));
  CHECK(r.explained_variance_ratio[0] == doctest::Approx(1));
  CHECK(r.components(0, 0) == doctest::Approx(1 / std::sqrt(5.0)));
  CHECK(r.components(0, 1) == doctest::Approx(2 / std::sqrt(5.0)));  // largest loading positive
  CHECK(r.embedding(0, 0) == doctest::Approx(-std::sqrt(5.0)));
  CHECK(r.embedding(2, 0) == doctest::Approx(std::sqrt(5.0)));
  CHECK(r.loadings(1, 0) == doctest::Approx(2));  // 2/√5 · √5
  const RowMatrix y = core::pca_transform(r, points({{3, 6}}));
  CHECK(y(0, 0) == doctest::Approx(2 * std::sqrt(5.0)));
}

TEST_CASE("Jacobi eigen-decomposition of a 2 × 2 and a 3 × 3 matrix; signs by the documented rule") {
  Eigen::VectorXd values;
  RowMatrix vectors;
  core::symmetric_eigen(points({{2, 1}, {1, 2}}), values, vectors);
  CHECK(values[0] == doctest::Approx(3));
  CHECK(values[1] == doctest::Approx(1));
  CHECK(vectors(0, 1) == doctest::Approx(1 / std::sqrt(2.0)));  // |entries| tie: the first is positive
  CHECK(vectors(1, 1) == doctest::Approx(-1 / std::sqrt(2.0)));
  const RowMatrix a = points({{4, 1, 0}, {1, 3, 1}, {0, 1, 2}});
  core::symmetric_eigen(a, values, vectors);
  for (Eigen::Index c = 0; c < 3; ++c) {
    const Eigen::VectorXd v = vectors.col(c);
    CHECK((a * v - values[c] * v).norm() < 1e-12);
    CHECK(v.norm() == doctest::Approx(1));
  }
  CHECK(values[0] >= values[1]);
  CHECK(values[1] >= values[2]);
  CHECK(values.sum() == doctest::Approx(9));  // the trace
}

TEST_CASE("PCA validation names the values; the result does not depend on row order's signs") {
  CHECK_THROWS_WITH_AS(core::pca(points({{1, 2}})), "n_samples=1 should be >= 2 for PCA", core::InvalidArgument);
  core::PcaParams p;
  p.n_components = 3;
  CHECK_THROWS_WITH_AS(core::pca(points({{1, 2}, {3, 4}, {5, 7}}), p),
                       "n_components=3 should be between 1 and min(n_samples, n_features)=2", core::InvalidArgument);
  const auto r = core::pca(points({{1, 2}, {3, 4}, {5, 7}}));
  CHECK_THROWS_WITH_AS(core::pca_transform(r, points({{1, 2, 3}})), "the rows have 3 columns; the PCA was fitted on 2",
                       core::InvalidArgument);
  const auto reversed = core::pca(points({{5, 7}, {3, 4}, {1, 2}}));
  CHECK(reversed.components(0, 0) == doctest::Approx(r.components(0, 0)));
  CHECK(reversed.components(1, 1) == doctest::Approx(r.components(1, 1)));
}

TEST_CASE("reference: explained variance and axes equal sklearn's PCA (axes up to sign)") {
  const std::string f = "sklearn_scipy.csv";
  for (const std::string ds : {"iris", "ruspini", "rfm300"}) {
    const RowMatrix x = testdata::load_matrix(ds + ".csv");
    const auto r = core::pca(x);
    const auto var = testdata::values(f, ds + ".pca.variance");
    const auto ratio = testdata::values(f, ds + ".pca.ratio");
    const auto comp = testdata::values(f, ds + ".pca.components");
    CAPTURE(ds);
    for (Eigen::Index k = 0; k < 2; ++k) {
      CHECK(r.explained_variance[k] == doctest::Approx(var[static_cast<std::size_t>(k)]).epsilon(1e-10));
      CHECK(r.explained_variance_ratio[k] == doctest::Approx(ratio[static_cast<std::size_t>(k)]).epsilon(1e-10));
      double dot = 0;
      for (Eigen::Index j = 0; j < x.cols(); ++j)
        dot += r.components(k, j) * comp[static_cast<std::size_t>(k * x.cols() + j)];
      CHECK(std::abs(dot) == doctest::Approx(1).epsilon(1e-10));
    }
  }
}
