#include <doctest/doctest.h>

#include <vector>

#include "errors.h"
#include "segmentation.h"

TEST_CASE("segments are numbered by mean spend and summarised") {
  // Two low-value customers, two high-value ones.
  const std::vector<double> r = {300, 280, 2, 5};
  const std::vector<double> f = {1, 1, 30, 25};
  const std::vector<double> m = {10, 12, 5000, 4000};
  core::SegmentParams p;
  p.k = 2;
  const core::Segmentation s = core::segment_customers(r.data(), f.data(), m.data(), r.size(), p);
  CHECK(s.labels == std::vector<int>{1, 1, 0, 0});
  REQUIRE(s.segments.size() == 2);
  CHECK(s.segments[0].customers == 2);
  CHECK(s.segments[0].mean_monetary == doctest::Approx(4500));
  CHECK(s.segments[0].revenue == doctest::Approx(9000));
  CHECK(s.segments[0].mean_recency == doctest::Approx(3.5));
  CHECK(s.segments[1].mean_frequency == doctest::Approx(1));
  CHECK(s.centers.rows() == 2);
  CHECK(s.centers.cols() == 3);
}

TEST_CASE("fewer customers than k is refused with the numbers") {
  const std::vector<double> v = {1, 2};
  core::SegmentParams p;
  p.k = 4;
  CHECK_THROWS_WITH_AS(core::segment_customers(v.data(), v.data(), v.data(), 2, p),
                       doctest::Contains("2 customers, fewer than k=4"), core::InvalidArgument);
}

TEST_CASE("all customers identical: one segment takes them, no NaN") {
  const std::vector<double> v = {3, 3, 3, 3};
  core::SegmentParams p;
  p.k = 2;
  const core::Segmentation s = core::segment_customers(v.data(), v.data(), v.data(), 4, p);
  CHECK(s.inertia == 0);
  for (int l : s.labels) CHECK((l == 0 || l == 1));
}

TEST_CASE("CSV cells: RFC 4180 quoting and formula neutralisation without breaking numbers") {
  CHECK(core::csv_cell("17850") == "17850");
  CHECK(core::csv_cell("a,b") == "\"a,b\"");
  CHECK(core::csv_cell("say \"hi\"") == "\"say \"\"hi\"\"\"");
  CHECK(core::csv_cell("=HYPERLINK(\"x\")") == "\"'=HYPERLINK(\"\"x\"\")\"");
  CHECK(core::csv_cell("@SUM(A1)") == "'@SUM(A1)");
  CHECK(core::csv_cell("-12.5") == "-12.5");
  CHECK(core::csv_cell("+44") == "+44");
  CHECK(core::csv_cell("-cmd") == "'-cmd");
}

TEST_CASE("segments CSV layout") {
  const std::vector<std::string> ids = {"17850", "A,1"};
  const std::vector<int> labels = {0, 1};
  const std::vector<double> r = {6, 1}, f = {2, 1}, m = {32.4, 18};
  CHECK(core::segments_csv(ids, labels, r.data(), f.data(), m.data()) ==
        "customer_id,segment,recency,frequency,monetary\n17850,1,6,2,32.40\n\"A,1\",2,1,1,18.00\n");
}
