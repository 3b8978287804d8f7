// The session's shared policy: segments numbered by mean spend, the K-Means table of the
// downloads, k against the customers, the CSV cells.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "csv_writer.h"
#include "errors.h"
#include "pipeline_support.h"
#include "session.h"

namespace {

const std::string kHeader = "InvoiceNo,InvoiceDate,Quantity,UnitPrice,CustomerID\n";

}  // namespace

TEST_CASE("segments are numbered by mean spend: segment 1 is the one with the highest") {
  core::ClusterResult r;
  r.labels = {0, 0, 1, 1, 2};
  r.centers = core::RowMatrix::Zero(3, 2);
  r.centers(0, 0) = 10, r.centers(1, 0) = 11, r.centers(2, 0) = 12;
  r.medoids = {0, 2, 4};
  core::number_by_monetary(r, {10, 12, 5000, 4000, 100}, 3);
  CHECK(r.labels == std::vector<int>{2, 2, 0, 0, 1});
  CHECK(r.centers(0, 0) == 11);
  CHECK(r.centers(1, 0) == 12);
  CHECK(r.medoids == std::vector<std::int64_t>{2, 4, 0});
}

TEST_CASE("the K-Means table of the downloads: two low-value customers, two high-value ones") {
  const core::Session s = test::session_of(
      kHeader +
      "1,2010-12-01,1,10,A\n2,2010-12-02,1,12,B\n3,2011-12-01,30,200,C\n4,2011-12-02,25,160,D\n5,2011-12-03,1,1,C\n");
  core::ClusterSettings c;
  c.params.n_clusters = 2;
  const core::ClusterOutcome o = s.cluster(c);
  CHECK(o.result.labels == std::vector<int>{1, 1, 0, 0});
  CHECK(o.profiles.segments[0].customers == 2);
  CHECK(o.profiles.segments[0].revenue == doctest::Approx(6000 + 1 + 4000));
  CHECK(core::segments_csv(s.analysis().customers, o.result.labels) ==
        "customer_id,segment,recency,frequency,monetary\nA,2,368,1,10.00\nB,2,367,1,12.00\nC,1,1,2,6001.00\nD,1,2,1,"
        "4000.00\n");
  const std::vector<std::string> names = {"Big", "Small, ones"};
  CHECK(core::segments_csv(s.analysis().customers, o.result.labels, &names).find("A,2,368,1,10.00,\"Small, ones\"\n") !=
        std::string::npos);
}

TEST_CASE("a clustering without quality has the same segments and profiles, and no silhouette") {
  const core::Session s = test::session_of(kHeader +
                                           "1,2010-12-01,1,10,A\n2,2010-12-02,1,12,B\n3,2011-12-01,30,200,C\n4,2011-12-"
                                           "02,25,160,D\n5,2011-12-03,1,1,C\n6,2011-06-01,3,20,E\n");
  core::ClusterSettings c;
  c.params.n_clusters = 2;
  const core::ClusterOutcome with = s.cluster(c);
  const core::ClusterOutcome without = s.cluster(c, {}, core::Session::Quality::kWithout);
  CHECK(with.has_quality);
  CHECK(with.silhouette.values.size() == 5);
  CHECK_FALSE(without.has_quality);
  CHECK(without.silhouette.values.empty());
  CHECK(without.result.labels == with.result.labels);
  CHECK(without.result.inertia == with.result.inertia);
  REQUIRE(without.profiles.segments.size() == with.profiles.segments.size());
  for (std::size_t i = 0; i < with.profiles.segments.size(); ++i)
    CHECK(without.profiles.segments[i].revenue == with.profiles.segments[i].revenue);
}

TEST_CASE("more segments than customers is refused with the numbers; identical customers share one; k = 1") {
  const core::Session s = test::session_of(kHeader + "1,2011-01-01,1,1,A\n2,2011-01-01,1,1,B\n3,2011-01-01,1,1,C\n");
  core::ClusterSettings c;
  c.params.n_clusters = 4;
  CHECK_THROWS_WITH_AS(s.cluster(c), doctest::Contains("3 customers, fewer than k=4"), core::InvalidArgument);
  c.params.n_clusters = 2;
  const core::ClusterOutcome two = s.cluster(c);
  CHECK(two.result.inertia == 0);
  CHECK_FALSE(two.has_quality);  // one distinct segment: no silhouette
  c.params.n_clusters = 1;
  CHECK(s.cluster(c).result.labels == std::vector<int>{0, 0, 0});
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
