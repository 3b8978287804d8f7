#include <doctest/doctest.h>

#include <cmath>
#include <limits>

#include "errors.h"
#include "preprocess.h"
#include "reference_data.h"

using core::RowMatrix;
using testdata::points;

TEST_CASE("quantiles interpolate linearly as numpy.percentile") {
  const std::vector<double> v{1, 2, 3, 4};
  CHECK(core::quantile_sorted(v, 0.0) == 1);
  CHECK(core::quantile_sorted(v, 0.25) == 1.75);  // position 0.75 between 1 and 2
  CHECK(core::quantile_sorted(v, 0.5) == 2.5);
  CHECK(core::quantile_sorted(v, 1.0) == 4);
  CHECK(core::quantile_sorted({7}, 0.3) == 7);
  CHECK(std::isnan(core::quantile_sorted({}, 0.5)));
}

TEST_CASE("robust scaler: median and IQR, unmoved by the outlier") {
  RowMatrix x = points({{1, 5}, {2, 5}, {3, 5}, {4, 5}, {100, 5}});
  const auto s = core::RobustScaler::fit(x);
  CHECK(s.center[0] == 3);
  CHECK(s.scale[0] == 2);  // q75 = 4, q25 = 2
  CHECK(s.center[1] == 5);
  CHECK(s.scale[1] == 1);  // constant column: IQR 0 counts as 1
  s.transform_inplace(x);
  CHECK(x(4, 0) == 48.5);
  CHECK(x(0, 0) == -1);
  CHECK(x(2, 1) == 0);
}

TEST_CASE("min-max scaler maps the fitted range to [0, 1]") {
  RowMatrix x = points({{2, -1}, {4, -1}, {6, -1}});
  const auto s = core::MinMaxScaler::fit(x);
  s.transform_inplace(x);
  CHECK(x(0, 0) == 0);
  CHECK(x(1, 0) == 0.5);
  CHECK(x(2, 0) == 1);
  CHECK(x(1, 1) == 0);
  RowMatrix y = points({{8, 0}});
  s.transform_inplace(y);
  CHECK(y(0, 0) == 1.5);  // new rows may fall outside [0, 1]
}

TEST_CASE("preprocessor: columns, log1p with negatives clamped, winsorizing, a fitted transform for new rows") {
  const RowMatrix x = points({{-5, 9, 0}, {0, 9, std::exp(1.0) - 1}, {3, 9, std::exp(2.0) - 1}});
  core::PreprocessParams p;
  p.columns = {2, 0};
  p.log1p = true;
  p.scaler = core::ScalerKind::kStandard;
  core::Preprocessor f;
  const RowMatrix z = core::fit_transform(x, p, &f);
  REQUIRE(z.cols() == 2);
  // Column 2 after log1p is {0, 1, 2}: mean 1, population sd √(2/3).
  CHECK(f.center[0] == doctest::Approx(1));
  CHECK(f.scale[0] == doctest::Approx(std::sqrt(2.0 / 3)));
  CHECK(z(2, 0) == doctest::Approx(1 / std::sqrt(2.0 / 3)));
  // Column 0 after log1p is {0, 0, log 4} (−5 clamps to 0).
  CHECK(f.center[1] == doctest::Approx(std::log(4.0) / 3));
  const RowMatrix y = f.transform(points({{-1, 0, std::exp(1.0) - 1}}));
  CHECK(y(0, 0) == doctest::Approx(0));
  CHECK(y(0, 1) == doctest::Approx(z(0, 1)));  // −1 clamps to 0 like −5 did

  core::PreprocessParams w;
  w.winsor_lo = 25;
  w.winsor_hi = 75;
  w.scaler = core::ScalerKind::kNone;
  const RowMatrix v = points({{1}, {2}, {3}, {4}, {100}});
  core::Preprocessor g;
  const RowMatrix c = core::fit_transform(v, w, &g);
  CHECK(c(0, 0) == 2);  // clipped up to the 25th percentile
  CHECK(c(4, 0) == 4);  // clipped down to the 75th
  CHECK(c(2, 0) == 3);
  CHECK(g.transform(points({{-50}}))(0, 0) == 2);
}

TEST_CASE("preprocessor validation names the values") {
  const RowMatrix x = points({{1, 2}, {3, 4}});
  core::PreprocessParams p;
  p.columns = {0, 2};
  CHECK_THROWS_WITH_AS(core::Preprocessor::fit(x, p), "column index 2 is outside 0..1", core::InvalidArgument);
  p.columns = {1, 1};
  CHECK_THROWS_WITH_AS(core::Preprocessor::fit(x, p), "column index 1 is chosen twice", core::InvalidArgument);
  p.columns = {};
  p.winsor_lo = 60;
  p.winsor_hi = 40;
  CHECK_THROWS_WITH_AS(core::Preprocessor::fit(x, p),
                       "winsorize percentiles lo=60.000000 hi=40.000000 should satisfy 0 <= lo < hi <= 100",
                       core::InvalidArgument);
  const auto f = core::Preprocessor::fit(x, {});
  CHECK_THROWS_WITH_AS(f.transform(points({{1, 2, 3}})), "the rows have 3 columns; the preprocessor was fitted on 2",
                       core::InvalidArgument);
  CHECK_THROWS_WITH_AS(core::parse_scaler("zscore"), "scaler \"zscore\" is not one of none, standard, robust, minmax",
                       core::InvalidArgument);
  CHECK(core::parse_scaler("robust") == core::ScalerKind::kRobust);
  const RowMatrix bad = points({{1, std::numeric_limits<double>::infinity()}});
  CHECK_THROWS_WITH_AS(core::Preprocessor::fit(bad, {}), "row 1, column 2 holds a value that is not a finite number",
                       core::InvalidArgument);
}

TEST_CASE("reference: scalers and percentiles equal scikit-learn's and numpy's on the RFM sample") {
  const std::string f = "sklearn_scipy.csv";
  const RowMatrix raw = testdata::load_matrix("rfm300_raw.csv");
  const auto st = core::StandardScaler::fit(raw);
  const auto rb = core::RobustScaler::fit(raw);
  const auto mm = core::MinMaxScaler::fit(raw);
  for (Eigen::Index j = 0; j < 3; ++j) {
    const auto u = static_cast<std::size_t>(j);
    CHECK(st.mean[j] == doctest::Approx(testdata::values(f, "rfm300_raw.standard.center")[u]).epsilon(1e-14));
    CHECK(st.scale[j] == doctest::Approx(testdata::values(f, "rfm300_raw.standard.scale")[u]).epsilon(1e-12));
    CHECK(rb.center[j] == testdata::values(f, "rfm300_raw.robust.center")[u]);
    CHECK(rb.scale[j] == testdata::values(f, "rfm300_raw.robust.scale")[u]);
    CHECK(mm.min[j] == testdata::values(f, "rfm300_raw.minmax.min")[u]);
    CHECK(mm.range[j] == testdata::values(f, "rfm300_raw.minmax.range")[u]);
  }
  core::PreprocessParams p;
  p.log1p = true;
  p.winsor_lo = 5;
  p.winsor_hi = 95;
  const auto w = core::Preprocessor::fit(raw, p);
  // Within an ulp: NumPy's vectorised log1p and the C library's differ in the last bit for some values.
  for (Eigen::Index j = 0; j < 3; ++j) {
    const auto u = static_cast<std::size_t>(j);
    CHECK(w.clip_lo[j] == doctest::Approx(testdata::values(f, "rfm300_raw.log1p.percentile5")[u]).epsilon(1e-15));
    CHECK(w.clip_hi[j] == doctest::Approx(testdata::values(f, "rfm300_raw.log1p.percentile95")[u]).epsilon(1e-15));
  }
  // log1p + standard on the raw RFM values gives the standardized sample the references use.
  p.winsor_lo = 0;
  p.winsor_hi = 100;
  const RowMatrix z = core::fit_transform(raw, p);
  const RowMatrix expected = testdata::load_matrix("rfm300.csv");
  double worst = 0;
  for (Eigen::Index i = 0; i < z.size(); ++i) worst = std::max(worst, std::abs(z.data()[i] - expected.data()[i]));
  CHECK(worst < 1e-12);
}
