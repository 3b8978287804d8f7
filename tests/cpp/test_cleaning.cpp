#include <doctest/doctest.h>

#include <cmath>

#include "dates.h"
#include "errors.h"
#include "pipeline_support.h"

using core::CleaningRules;
using test::analyse;
using test::read;
using test::read_fixture;

namespace {

const core::LedgerEntry& entry(const core::Ledger& l, const std::string& rule) {
  for (const auto& e : l.entries)
    if (e.rule == rule) return e;
  FAIL("no rule " << rule);
  throw 0;
}

// A small file where every rule has something to remove.
const char* kRules =
    "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n"
    "1,85123A,Mug,2,2011-01-05,3.00,c1,United Kingdom\n"     // line 2
    "1,85123A,Mug,2,2011-01-05,3.00,c1,United Kingdom\n"     // 3 duplicate of 2
    "2,POST,Postage,1,2011-02-01,15.00,c1,United Kingdom\n"  // 4 non-product
    "3,22960,Plate,1,2011-03-01,0,c2,France\n"               // 5 zero price
    "4,85123A,Mug,1,2011-06-01,3.00,c2,France\n"             // 6
    "C5,85123A,Mug,-1,2011-06-02,3.00,c2,France\n"           // 7 cancellation
    "6,21730,Bowl,500,2011-06-03,1.00,c3,Germany\n"          // 8 outlier quantity
    "7,85123A,Mug,1,2011-12-01,3.00,c4,Germany\n"            // 9
    "8,90000X,Rare,1,2011-12-02,2.00,,Germany\n";            // 10 missing customer
}  // namespace

TEST_CASE("default rules: missing customer id and cancellations; ledger totals add up") {
  const core::Analysis a = analyse(read_fixture("tiny_online_retail.csv"));
  const core::Ledger& l = a.cleaned.ledger;
  CHECK(l.rows_before == 7);
  CHECK(l.customers_before == 3);
  CHECK(l.revenue_before == doctest::Approx(96.8));
  CHECK(entry(l, "missing_customer").rows == 1);
  CHECK(entry(l, "missing_customer").revenue == doctest::Approx(15.0));
  CHECK(entry(l, "cancellations").rows == 1);
  CHECK(entry(l, "cancellations").revenue == doctest::Approx(-11.1));
  CHECK(entry(l, "cancellations").examples.at(0).find("line 5: 2010-12-06 · invoice C536367") == 0);
  CHECK(l.rows_after == 5);
  CHECK(l.customers_after == 3);
  CHECK(l.revenue_after == doctest::Approx(92.9));
  std::int64_t removed = 0;
  double revenue = 0;
  for (const auto& e : l.entries) {
    removed += e.rows;
    revenue += e.revenue;
  }
  CHECK(removed == l.rows_before - l.rows_after);
  CHECK(revenue == doctest::Approx(l.revenue_before - l.revenue_after));
  CHECK(l.entries.size() == 9);
}

TEST_CASE("every rule, in order, each removing its own rows") {
  CleaningRules r;
  r.drop_duplicates = true;
  r.drop_non_product = true;
  r.drop_bad_price = true;
  r.outliers = CleaningRules::Outliers::kPercentile;
  r.outlier_percentile = 75;
  const core::Analysis a = analyse(kRules, r);
  const core::Ledger& l = a.cleaned.ledger;
  CHECK(entry(l, "missing_customer").rows == 1);
  CHECK(entry(l, "duplicates").rows == 1);
  CHECK(entry(l, "duplicates").examples.at(0).rfind("line 3:", 0) == 0);
  CHECK(entry(l, "cancellations").rows == 1);
  CHECK(entry(l, "non_product").rows == 1);
  CHECK(entry(l, "bad_price").rows == 1);
  // Quantities left: 1 1 2 500, amounts 3 3 6 500: the 75th percentiles are 126.5 and 129.5.
  CHECK(entry(l, "outliers").rows == 1);
  CHECK(entry(l, "outliers").customers == 1);  // c3 had only that row
  CHECK(entry(l, "outliers").examples.at(0).rfind("line 8:", 0) == 0);
  CHECK(l.rows_after == 3);
  CHECK(a.customers.ids == std::vector<std::string>{"c1", "c2", "c4"});
}

TEST_CASE("analysis window: last N months before the file's last date, or a range") {
  CleaningRules r;
  r.window_months = 6;  // the file ends 2011-12-02: keep 2011-06-03 .. 2011-12-02
  const core::Analysis a = analyse(kRules, r);
  CHECK(entry(a.cleaned.ledger, "window").detail == "2011-06-03 to 2011-12-02 (last 6 months)");
  CHECK(a.customers.ids == std::vector<std::string>{"c3", "c4"});
  CleaningRules range;
  range.window_start = core::days_from_civil(2011, 2, 1);
  range.window_end = core::days_from_civil(2011, 6, 1);
  const core::Analysis b = analyse(kRules, range);
  CHECK(b.customers.ids == std::vector<std::string>{"c1", "c2"});
  CHECK(core::format_date(b.customers.as_of) == "2011-06-02");  // the day after the window
  range.window_start = core::days_from_civil(2012, 1, 1);
  CHECK_THROWS_AS(analyse(kRules, range), core::InvalidArgument);
}

TEST_CASE("country filter: keep only, or exclude") {
  CleaningRules keep;
  keep.countries = {"France"};
  CHECK(analyse(kRules, keep).customers.ids == std::vector<std::string>{"c2"});
  CleaningRules drop;
  drop.countries = {"France", "Germany"};
  drop.exclude_countries = true;
  CHECK(analyse(kRules, drop).customers.ids == std::vector<std::string>{"c1"});
}

TEST_CASE("rare products: fewer than N distinct customers") {
  CleaningRules r;
  r.min_product_customers = 2;  // only 85123A (c1, c2, c4) is bought by 2+ customers
  const core::Analysis a = analyse(kRules, r);
  CHECK(entry(a.cleaned.ledger, "rare_products").rows == 3);  // POST, 22960, 21730
  CHECK(a.customers.ids == std::vector<std::string>{"c1", "c2", "c4"});
}

TEST_CASE("percentile outliers") {
  CleaningRules r;
  r.outliers = CleaningRules::Outliers::kPercentile;
  r.outlier_percentile = 90;
  const core::Analysis a = analyse(kRules, r);
  // Quantities kept before the rule, sorted: 1 1 1 1 2 2 500: the 90th percentile is
  // 2 + 0.4 × 498 = 201.2, so 500 goes. Amounts 0 3 3 6 6 15 500: the 10th percentile is 1.8, so
  // the zero-price line goes too.
  CHECK(entry(a.cleaned.ledger, "outliers").rows == 2);
  CleaningRules iqr;
  iqr.outliers = CleaningRules::Outliers::kIqr;
  iqr.iqr_factor = 1.5;  // quantity quartiles 1 and 2: fence [−0.5, 3.5]; amounts 3 and 10.5: [−8.25, 21.75]
  CHECK(entry(analyse(kRules, iqr).cleaned.ledger, "outliers").rows == 1);
}

TEST_CASE("missing customers as synthetic customers, one per invoice") {
  CleaningRules r;
  r.missing_customer = CleaningRules::MissingCustomer::kSynthetic;
  const core::Analysis a = analyse(read_fixture("tiny_online_retail.csv"), r);
  CHECK(a.cleaned.ledger.customers_before == 4);
  CHECK(a.customers.ids == std::vector<std::string>{"17850", "13047", "12583", "guest-536369"});
  CHECK(a.customers.monetary()[3] == doctest::Approx(15.0));
}

TEST_CASE("parameters out of range are refused with the value") {
  CleaningRules r;
  r.outlier_percentile = 0;
  CHECK_NOTHROW(analyse(kRules, r));  // the rule is off: its parameter is kept, not checked
  r.outliers = CleaningRules::Outliers::kPercentile;
  CHECK_THROWS_WITH_AS(analyse(kRules, r), doctest::Contains("outlier_percentile=0"), core::InvalidArgument);
}

TEST_CASE("ledger CSV") {
  const core::Analysis a = analyse(read_fixture("tiny_online_retail.csv"));
  const std::string csv = core::ledger_csv(a.cleaned.ledger);
  CHECK(csv.rfind("step,rule,enabled,detail,rows_removed,customers_removed,revenue_removed,examples,check,warning\n"
                  "0,before cleaning,,,7,3,96.80,,,\n",
                  0) == 0);
  CHECK(csv.find("\n10,after cleaning,,,5,3,92.90,,,\n") != std::string::npos);
}
