#include <doctest/doctest.h>

#include <cmath>
#include <numeric>

#include "dates.h"
#include "errors.h"
#include "pipeline_support.h"

using core::CleaningRules;
using test::analyse;
using test::read_fixture;

TEST_CASE("every feature, hand-computed on the tiny file (17850: two orders and a return)") {
  const core::Analysis a = analyse(read_fixture("tiny_online_retail.csv"));
  const auto& t = a.customers;
  auto f = [&](const char* name, std::size_t i) { return t.column(name)[i]; };
  // 17850: 2010-12-01 (6 × 2.55 + 2 × 3.00) and 2010-12-05 (6 × 1.85); as of 2010-12-11.
  CHECK(f("recency", 0) == 6);
  CHECK(f("frequency", 0) == 2);
  CHECK(f("monetary", 0) == doctest::Approx(32.4));
  CHECK(f("avg_order_value", 0) == doctest::Approx(16.2));
  CHECK(f("items_per_order", 0) == doctest::Approx(7));
  CHECK(f("distinct_products", 0) == 3);
  CHECK(f("returns_count", 0) == 0);  // cancellations dropped by default
  CHECK(f("tenure", 0) == 10);
  CHECK(f("days_between", 0) == doctest::Approx(4));
  CHECK(f("purchase_rate", 0) == doctest::Approx(2));  // tenure under a month counts as one
  CHECK(f("visits_4w", 0) == 2);
  CHECK(f("spend_4w", 0) == doctest::Approx(32.4));
  CHECK(std::isnan(f("days_between", 1)));  // one order: no gap
  CHECK(f("tenure", 2) == 1);
  CHECK(t.country == std::vector<std::string>{"United Kingdom", "France", "France"});
}

TEST_CASE("returns netted: monetary is net spend, returns counted, frequency counts purchases only") {
  CleaningRules r;
  r.cancellations = CleaningRules::Cancellations::kNet;
  const core::Analysis a = analyse(read_fixture("tiny_online_retail.csv"), r);
  const auto& t = a.customers;
  CHECK(t.column("frequency")[0] == 2);
  CHECK(t.column("monetary")[0] == doctest::Approx(32.4 - 11.1));
  CHECK(t.column("returns_count")[0] == 1);
  CHECK(t.column("returns_value")[0] == doctest::Approx(11.1));
  CHECK(t.column("recency")[0] == 6);  // the return on 12-06 is not a purchase
  // Invariant: Σ monetary = the cleaned revenue.
  const double sum = std::accumulate(t.monetary().begin(), t.monetary().end(), 0.0);
  CHECK(sum == doctest::Approx(a.cleaned.ledger.revenue_after));
}

TEST_CASE("as-of date and the 4-week window") {
  core::Analysis a;
  a.read = test::read(read_fixture("tiny_online_retail.csv"));
  core::FeatureParams p;
  p.as_of = core::days_from_civil(2011, 1, 1);
  p.recent_days = 28;  // 2010-12-04 .. 2010-12-31
  core::analyse(a, {}, p);
  CHECK(a.customers.recency() == std::vector<double>{27, 24, 22});
  CHECK(a.customers.column("visits_4w")[0] == 1);
  CHECK(a.customers.column("spend_4w")[0] == doctest::Approx(11.1));
}

TEST_CASE("cohorts: first row is 100% retained by definition") {
  const std::string text =
      "InvoiceNo,InvoiceDate,Quantity,UnitPrice,CustomerID\n"
      "1,2011-01-05,1,10,a\n"
      "2,2011-01-20,1,10,b\n"
      "3,2011-02-03,1,5,a\n"
      "4,2011-03-03,1,7,c\n"
      "5,2011-03-09,1,1,a\n"
      "6,2011-03-10,1,1,a\n";
  const core::Analysis a = analyse(text);
  const core::Cohorts c = core::compute_cohorts(a.read.table, a.cleaned);
  CHECK(c.months == std::vector<std::string>{"2011-01", "2011-02", "2011-03"});
  CHECK(c.size == std::vector<std::int64_t>{2, 0, 1});
  CHECK(c.active[0] == std::vector<std::int64_t>{2, 1, 1});
  CHECK(c.revenue[0][0] == doctest::Approx(20));
  CHECK(c.revenue[0][2] == doctest::Approx(2));
  CHECK(c.active[2][0] == 1);
}

TEST_CASE("cohorts: a return after the last purchase month widens the table (found by fuzzing)") {
  const std::string text =
      "InvoiceNo,InvoiceDate,Quantity,UnitPrice,CustomerID\n"
      "1,2011-01-05,2,10,a\n"
      "C2,2011-03-01,-1,10,a\n";
  CleaningRules r;
  r.cancellations = CleaningRules::Cancellations::kNet;
  const core::Analysis a = analyse(text, r);
  const core::Cohorts c = core::compute_cohorts(a.read.table, a.cleaned);
  REQUIRE(c.months.size() == 3);
  CHECK(c.revenue[0][0] == doctest::Approx(20));
  CHECK(c.revenue[0][2] == doctest::Approx(-10));
  CHECK(c.active[0] == std::vector<std::int64_t>{1, 0, 0});
}

TEST_CASE("cohorts over implausibly many months are refused with the range") {
  const std::string text =
      "InvoiceNo,InvoiceDate,Quantity,UnitPrice,CustomerID\n1,1011-01-05,1,1,a\n2,2011-01-05,1,1,b\n";
  const core::Analysis a = analyse(text);
  CHECK_THROWS_WITH_AS(core::compute_cohorts(a.read.table, a.cleaned), doctest::Contains("1011-01 to 2011-01"),
                       core::InputError);
}

TEST_CASE("distinct products stay exact when many customers buy few of many products") {
  // 12,000 products, then 50,000 customers with one or two of the last ones each: a bit per
  // (customer, product) would take 75 MB for 51,000 pairs, so they move to a hash set midway.
  std::string text = "InvoiceNo,StockCode,Quantity,InvoiceDate,UnitPrice,CustomerID\n";
  for (int p = 0; p < 12000; ++p) text += "0,P" + std::to_string(p) + ",1,2011-01-01,1,seed\n";
  for (int c = 0; c < 50000; ++c) {
    const std::string id = std::to_string(c), inv = std::to_string(c + 1);
    text += inv + ",P" + std::to_string(11999 - c % 7) + ",1,2011-01-02,1," + id + "\n";
    if (c % 50 == 0) text += inv + ",P" + std::to_string(11990 - c % 7) + ",1,2011-01-02,1," + id + "\n";
    if (c % 100 == 0) text += inv + ",P" + std::to_string(11999 - c % 7) + ",2,2011-01-02,1," + id + "\n";  // again
  }
  const core::Analysis a = test::analyse(text);
  const auto& products = a.customers.column("distinct_products");
  REQUIRE(a.customers.size() == 50001);
  CHECK(products[0] == 12000);
  for (std::size_t c = 1; c < a.customers.size(); ++c) CHECK(products[c] == ((c - 1) % 50 == 0 ? 2 : 1));
}

TEST_CASE("streaming with an as-of date and a longer recent window equals the table") {
  core::CleaningRules rules;
  rules.cancellations = CleaningRules::Cancellations::kNet;
  core::FeatureParams params;
  params.as_of = core::days_from_civil(2010, 12, 8);
  params.recent_days = 5;
  core::Analysis table;
  table.read = test::read(read_fixture("tiny_online_retail.csv"));
  core::analyse(table, rules, params);
  core::ReadOptions o;
  o.stream = true;
  o.rules = rules;
  o.params = params;
  core::Analysis streamed;
  streamed.read = test::read(read_fixture("tiny_online_retail.csv"), 3, o);
  core::analyse(streamed, rules, params);
  CHECK(streamed.customers.ids == table.customers.ids);
  for (const char* f : {"recency", "frequency", "monetary", "returns_count", "visits_4w", "spend_4w", "tenure"})
    CHECK_MESSAGE(streamed.customers.column(f) == table.customers.column(f), f);
}

namespace {

// A file with what cohorts must get right: purchases over two years in no particular date order,
// returns (some before the customer's first purchase, some of customers who never buy), rows
// without a customer id, several countries, non-product codes and zero prices.
std::string mixed_file() {
  std::string text = "InvoiceNo,StockCode,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n";
  std::uint64_t x = 42;
  auto next = [&](std::uint64_t n) {
    x = x * 6364136223846793005ull + 1442695040888963407ull;
    return (x >> 33) % n;
  };
  const char* countries[] = {"United Kingdom", "France", "Germany"};
  const char* codes[] = {"A1", "B2", "C3", "POST", "D4"};
  for (int invoice = 0; invoice < 900; ++invoice) {
    const bool cancel = next(8) == 0;
    const std::string customer = next(12) == 0 ? "" : "c" + std::to_string(next(150));
    char day[16];
    std::snprintf(day, sizeof day, "20%02d-%02d-%02d", 10 + static_cast<int>(next(2)), 1 + static_cast<int>(next(12)),
                  1 + static_cast<int>(next(28)));
    const std::string country = countries[next(3)];
    for (std::uint64_t line = 0, lines = 1 + next(4); line < lines; ++line) {
      const int quantity = (cancel ? -1 : 1) * (1 + static_cast<int>(next(5)));
      const std::string price = next(20) == 0 ? "0" : std::to_string(1 + next(9)) + "." + std::to_string(next(100));
      text += (cancel ? "C" : "") + std::to_string(1000 + invoice) + "," + codes[next(5)] + "," +
              std::to_string(quantity) + "," + day + "," + price + "," + customer + "," + country + "\n";
    }
  }
  return text;
}

}  // namespace

TEST_CASE("cohorts of a streamed read equal the table's, to the bit, under every streamable rule set") {
  const std::string text = mixed_file();
  for (int k = 0; k < 6; ++k) {
    CleaningRules rules;
    if (k & 1) rules.cancellations = CleaningRules::Cancellations::kNet;
    if (k & 2) rules.missing_customer = CleaningRules::MissingCustomer::kSynthetic;
    if (k >= 4) {
      rules.drop_non_product = rules.drop_bad_price = true;
      rules.countries = {"France"};
      rules.exclude_countries = true;
      rules.window_start = core::days_from_civil(2010, 3, 1);
    }
    core::ReadOptions o;
    o.stream = true;
    o.rules = rules;
    const core::Analysis table = analyse(text, rules), streamed = analyse(text, rules, 1000, o);
    const core::Cohorts a = core::cohorts_of(table), b = core::cohorts_of(streamed);
    CAPTURE(k);
    REQUIRE(a.months.size() > 12);
    CHECK(b.months == a.months);
    CHECK(b.size == a.size);
    CHECK(b.active == a.active);
    CHECK(b.revenue == a.revenue);  // exact: the same sums in the same order
    CHECK(core::country_rows(streamed) == core::country_rows(table));
  }
}

TEST_CASE("cohorts: a customer's revenue in a month adds up however the months are ordered in the file") {
  const std::string text =
      "InvoiceNo,InvoiceDate,Quantity,UnitPrice,CustomerID\n"
      "1,2011-03-05,1,10,a\n"
      "C2,2011-01-20,-1,4,a\n"  // a return before the first purchase: widens nothing, counts nowhere
      "3,2011-02-03,1,5,a\n"
      "4,2011-03-03,1,7,a\n"
      "C5,2011-03-09,-1,1,b\n";  // a customer with returns only: no cohort
  CleaningRules r;
  r.cancellations = CleaningRules::Cancellations::kNet;
  const core::Cohorts c = core::cohorts_of(analyse(text, r));
  CHECK(c.months == std::vector<std::string>{"2011-02", "2011-03"});
  CHECK(c.size == std::vector<std::int64_t>{1, 0});
  CHECK(c.active[0] == std::vector<std::int64_t>{1, 1});
  CHECK(c.revenue[0] == std::vector<double>{5, 17});
}

TEST_CASE("cohorts of a streamed read over implausibly many months are refused when asked for, not while reading") {
  const std::string text =
      "InvoiceNo,InvoiceDate,Quantity,UnitPrice,CustomerID\n1,1011-01-05,1,1,a\n2,2011-01-05,1,1,b\n";
  core::ReadOptions o;
  o.stream = true;
  const core::Analysis a = analyse(text, {}, 1 << 20, o);
  CHECK(a.customers.size() == 2);
  CHECK_THROWS_WITH_AS(core::cohorts_of(a), doctest::Contains("1011-01 to 2011-01"), core::InputError);
}
