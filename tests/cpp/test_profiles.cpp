#include <doctest/doctest.h>

#include <cmath>

#include "errors.h"
#include "pipeline_support.h"
#include "profiles.h"

TEST_CASE("profiles: sizes, shares, means, medians, relative importance, names") {
  // Four customers: two best (recent, frequent, big spenders), one lapsed big spender, one lapsed
  // small one.
  const std::string text =
      "InvoiceNo,InvoiceDate,Quantity,UnitPrice,CustomerID\n"
      "1,2011-12-01,10,10,a\n2,2011-12-05,10,10,a\n3,2011-12-02,10,12,b\n4,2011-12-06,10,12,b\n"
      "5,2011-01-01,50,10,c\n"
      "6,2011-02-01,1,2,d\n";
  const core::Analysis a = test::analyse(text);
  const core::Profiles p = core::profile_segments(a.customers, {0, 0, 1, 2}, 3);
  REQUIRE(p.segments.size() == 3);
  const auto& best = p.segments[0];
  CHECK(best.customers == 2);
  CHECK(best.customer_share == doctest::Approx(0.5));
  CHECK(best.revenue == doctest::Approx(440));
  CHECK(best.revenue_share == doctest::Approx(440.0 / 942));
  CHECK(best.mean[1] == doctest::Approx(2));      // frequency
  CHECK(best.median[2] == doctest::Approx(220));  // monetary: 200 and 240
  CHECK(p.overall_mean[2] == doctest::Approx(942.0 / 4));
  CHECK(best.relative[2] == doctest::Approx(220 / (942.0 / 4) - 1));
  CHECK(best.name == "Insiders");
  CHECK(p.segments[1].name == "At Risk");
  CHECK(p.segments[2].name == "Sleeping");
  // Deterministic.
  CHECK(core::profile_segments(a.customers, {0, 0, 1, 2}, 3).segments[2].name == "Sleeping");
  CHECK_THROWS_AS(core::profile_segments(a.customers, {0, 0, 1}, 3), core::InvalidArgument);
  CHECK_THROWS_AS(core::profile_segments(a.customers, {0, 0, 1, 3}, 3), core::InvalidArgument);
}

TEST_CASE("profiles: repeated names are numbered; NaN features are skipped") {
  const std::string text =
      "InvoiceNo,InvoiceDate,Quantity,UnitPrice,CustomerID\n"
      "1,2011-12-01,1,1,a\n2,2011-12-01,1,1,b\n3,2011-12-01,1,1,c\n";
  const core::Analysis a = test::analyse(text);
  const core::Profiles p = core::profile_segments(a.customers, {0, 1, 2}, 3);
  CHECK(std::isnan(p.segments[0].mean[9]));  // days_between: one order each
  std::vector<std::string> names;
  for (const auto& s : p.segments) names.push_back(s.name);
  CHECK(std::count(names.begin(), names.end(), "Occasional") + std::count(names.begin(), names.end(), "Occasional 2") +
            std::count(names.begin(), names.end(), "Occasional 3") ==
        3);
}
