#include <doctest/doctest.h>

#include <cmath>

#include "dates.h"
#include "errors.h"
#include "pipeline_support.h"

using test::analyse;
using test::read;
using test::read_fixture;

namespace {

void check_tiny(const core::Analysis& a) {
  const auto& s = a.read.summary;
  CHECK(s.rows_read == 7);
  CHECK(s.rows_unreadable == 0);
  CHECK(s.first_date == "2010-12-01");
  CHECK(s.last_date == "2010-12-10");
  CHECK(core::rows_removed_by(a.cleaned.ledger, "missing_customer") == 1);
  CHECK(core::rows_removed_by(a.cleaned.ledger, "cancellations") == 1);
  CHECK(a.cleaned.ledger.rows_after == 5);
  const auto& t = a.customers;
  REQUIRE(t.size() == 3);
  CHECK(core::format_date(t.as_of) == "2010-12-11");
  CHECK(t.ids == std::vector<std::string>{"17850", "13047", "12583"});
  CHECK(t.recency() == std::vector<double>{6, 3, 1});
  CHECK(t.frequency() == std::vector<double>{2, 1, 1});
  CHECK(t.monetary()[0] == doctest::Approx(6 * 2.55 + 2 * 3.0 + 6 * 1.85));
  CHECK(t.monetary()[1] == doctest::Approx(42.5));
  CHECK(t.monetary()[2] == doctest::Approx(18.0));
}

}  // namespace

TEST_CASE("UCI Online Retail layout: hand-computed recency, frequency, monetary") {
  const core::Analysis a = analyse(read_fixture("tiny_online_retail.csv"));
  check_tiny(a);
  CHECK(a.read.summary.layout == "UCI Online Retail");
  CHECK(a.read.summary.encoding == "UTF-8");
  CHECK(a.read.summary.date_format == "YYYY-MM-DD");
  CHECK(a.read.table.has_price);
}

TEST_CASE("Online Retail II layout, Windows-1252, M/D/YYYY dates and 17850.0 ids give the same") {
  const std::string bytes = read_fixture("tiny_online_retail_ii.csv");
  for (std::size_t chunk : {1, 7, 64, 1 << 20}) {
    const core::Analysis a = analyse(bytes, {}, chunk);
    check_tiny(a);
    CHECK(a.read.summary.layout == "UCI Online Retail II");
    CHECK(a.read.summary.encoding == "Windows-1252");
    CHECK(a.read.summary.date_format.rfind("M/D/YYYY", 0) == 0);
    CHECK(a.read.table.descriptions[2] == "HAND WARMER £ UNION JACK");
  }
}

TEST_CASE("day/month order is taken from the data, or from the user") {
  const std::string text =
      "InvoiceNo,InvoiceDate,Quantity,UnitPrice,CustomerID\n"
      "1,13/12/2010 10:00,1,1,A\n"
      "2,02/12/2010 10:00,1,1,B\n";
  const core::Analysis a = analyse(text);
  CHECK(a.read.summary.date_format.rfind("D/M/YYYY", 0) == 0);
  CHECK(core::format_date(a.customers.as_of) == "2010-12-14");
  CHECK(a.customers.recency() == std::vector<double>{1, 12});

  const std::string ambiguous =
      "InvoiceNo,InvoiceDate,Quantity,UnitPrice,CustomerID\n1,02/03/2010,1,1,A\n2,04/03/2010,1,1,B\n";
  CHECK(read(ambiguous).summary.date_format.find("ambiguous") != std::string::npos);
  CHECK(core::format_date(read(ambiguous).table.day[0]) == "2010-02-03");
  core::ReadOptions dmy;
  dmy.date_order = core::ReadOptions::DateOrder::kDayFirst;
  CHECK(core::format_date(read(ambiguous, 1 << 20, dmy).table.day[0]) == "2010-03-02");
  // The user's order contradicts the data: a clear refusal.
  core::ReadOptions mdy;
  mdy.date_order = core::ReadOptions::DateOrder::kMonthFirst;
  CHECK_THROWS_WITH_AS(read(text, 1 << 20, mdy), doctest::Contains("line 2"), core::InputError);
}

TEST_CASE("dates that fit neither order are refused with the lines") {
  const std::string text =
      "InvoiceNo,InvoiceDate,Quantity,UnitPrice,CustomerID\n"
      "1,13/12/2010,1,1,A\n"
      "2,12/13/2010,1,1,B\n";
  CHECK_THROWS_WITH_AS(read(text), doctest::Contains("(line 3 has \"12/13/2010\")"), core::InputError);
}

TEST_CASE("semicolons, decimal commas, thousands dots and D.M.YYYY dates") {
  const std::string text =
      "CustomerID;InvoiceNo;InvoiceDate;Quantity;UnitPrice\n"
      "A;1;13.12.2010;2;1,50\n"
      "B;2;01.12.2010;1;1.234,50\n"
      "C;3;02.12.2010;1;€ 7,25\n";
  const core::Analysis a = analyse(text);
  CHECK(a.read.summary.delimiter == ";");
  CHECK(a.read.summary.number_format == "1.234,56");
  CHECK(a.read.summary.date_format.rfind("D.M.YYYY", 0) == 0);
  CHECK(a.customers.monetary() == std::vector<double>{3.0, 1234.5, 7.25});
}

TEST_CASE("Excel serial days and integer day numbers (dunnhumby DAY) with an anchor") {
  const core::ReadResult serial = read("CustomerID,InvoiceNo,InvoiceDate,Amount\nA,1,40522,10\nA,2,40521.75,5\n");
  CHECK(serial.summary.date_format == "Excel serial day numbers");
  CHECK(serial.summary.last_date == "2010-12-10");
  CHECK(serial.summary.first_date == "2010-12-09");

  const std::string dunnhumby =
      "household_key,BASKET_ID,DAY,PRODUCT_ID,QUANTITY,SALES_VALUE,STORE_ID,RETAIL_DISC\n"
      "1,10,1,5,1,2.5,364,-0.6\n"
      "1,11,8,6,2,3.0,364,0\n"
      "2,12,711,5,1,1.0,31742,0\n";
  core::ReadOptions options;
  options.day_anchor = core::days_from_civil(2011, 1, 1);
  const core::Analysis a = analyse(dunnhumby, {}, 5, options);
  CHECK(a.read.summary.layout == "dunnhumby The Complete Journey");
  CHECK(a.read.summary.date_format == "day numbers (day 1 = 2011-01-01)");
  CHECK(a.read.summary.first_date == "2011-01-01");
  CHECK(a.customers.ids == std::vector<std::string>{"1", "2"});
  CHECK(a.customers.recency() == std::vector<double>{704, 1});
  CHECK(a.customers.monetary() == std::vector<double>{5.5, 1.0});
  CHECK(!a.read.table.has_price);
}

TEST_CASE("84.51 Complete Journey 2.0 layout: line amounts instead of quantity x price") {
  const std::string text =
      "\"household_id\",\"basket_id\",\"quantity\",\"sales_value\",\"transaction_timestamp\"\n"
      "\"2261\",\"31625220889\",1,3.86,\"2017-01-28 14:06:53\"\n"
      "\"2261\",\"31625220889\",2,1.50,\"2017-01-28 14:06:53\"\n"
      "\"2131\",\"32053127496\",1,1.59,\"2017-02-28 22:31:57\"\n";
  const core::Analysis a = analyse(text);
  CHECK(a.read.summary.layout == "84.51° Complete Journey 2.0");
  CHECK(a.customers.ids == std::vector<std::string>{"2261", "2131"});
  CHECK(a.customers.monetary()[0] == doctest::Approx(5.36));
  CHECK(a.customers.frequency() == std::vector<double>{1, 1});
  CHECK(a.customers.recency() == std::vector<double>{32, 1});
}

TEST_CASE("roles chosen by the user override the header names; no invoice column: one order a day") {
  const std::string text =
      "client,when,qty,unit,mail\nX,2020-01-01,2,5,x@example.com\nX,2020-01-01,1,1,\nX,2020-01-03,1,1,\n";
  CHECK_THROWS_WITH_AS(read(text), doctest::Contains("customer id"), core::InputError);
  core::ReadOptions o;
  o.role_columns[static_cast<int>(core::Role::kCustomer)] = "client";
  o.role_columns[static_cast<int>(core::Role::kDate)] = "when";
  o.role_columns[static_cast<int>(core::Role::kQuantity)] = "qty";
  o.role_columns[static_cast<int>(core::Role::kPrice)] = "unit";
  o.role_columns[static_cast<int>(core::Role::kEmail)] = "mail";
  core::Analysis a;
  a.read = read(text, 3, o);
  core::analyse(a, {});
  CHECK(a.customers.frequency() == std::vector<double>{2});
  CHECK(a.customers.monetary() == std::vector<double>{12});
  CHECK(a.customers.email == std::vector<std::string>{"x@example.com"});
  o.role_columns[static_cast<int>(core::Role::kCountry)] = "nope";
  CHECK_THROWS_WITH_AS(read(text, 3, o), doctest::Contains("\"nope\" chosen as country"), core::InputError);
}

TEST_CASE("unreadable rows are counted with warnings naming line and column, never silently used") {
  const std::string text =
      "InvoiceNo,InvoiceDate,Quantity,UnitPrice,CustomerID\n"
      "1,2011-01-01,2,1.5,A\n"
      "2,not a date,1,1,A\n"
      "3,2011-01-02,x,1,A\n"
      "4,2011-01-03\n";
  const core::Analysis a = analyse(text);
  CHECK(a.read.summary.rows_read == 4);
  CHECK(a.read.summary.rows_unreadable == 3);
  REQUIRE(a.read.summary.warnings.size() == 4);
  CHECK(a.read.summary.warnings[0].find("1 row has fewer fields than the header's 5 (line 5)") == 0);
  CHECK(a.read.summary.warnings[1].find("line 3: column 2") != std::string::npos);
  CHECK(a.read.summary.warnings[2].find("line 4: column 3") != std::string::npos);
  CHECK(a.read.summary.warnings[3].find("line 5: column 3: quantity \"\" is not a number") != std::string::npos);
  CHECK(a.customers.monetary() == std::vector<double>{3.0});
}

TEST_CASE("missing columns: the message names what is missing and what was found") {
  try {
    core::ReadOptions o;
    o.file_name = "people.csv";
    read(read_fixture("missing_columns.csv"), 1 << 20, o);
    FAIL("expected InputError");
  } catch (const core::InputError& e) {
    const std::string m = e.what();
    CHECK(m.find("people.csv") != std::string::npos);
    CHECK(m.find("customer id") != std::string::npos);
    CHECK(m.find("\"name\", \"email\", \"signup\"") != std::string::npos);
  }
}

TEST_CASE("not a CSV: binary files, empty files, no purchases left") {
  CHECK_THROWS_WITH_AS(read(std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16)), doctest::Contains("PNG image"),
                       core::InputError);
  CHECK_THROWS_WITH_AS(read(std::string("PK\x03\x04\x14\0\x06\0", 8)), doctest::Contains("ZIP"), core::InputError);
  CHECK_THROWS_WITH_AS(read(std::string("ab\0cd,e\n", 8)), doctest::Contains("NUL"), core::InputError);
  CHECK_THROWS_WITH_AS(read(""), doctest::Contains("empty"), core::InputError);
  CHECK_THROWS_WITH_AS(analyse("InvoiceNo,InvoiceDate,Quantity,UnitPrice,CustomerID\n"),
                       doctest::Contains("no purchases"), core::InputError);
  CHECK_THROWS_WITH_AS(analyse("InvoiceNo,InvoiceDate,Quantity,UnitPrice,CustomerID\nC1,2011-01-01,-1,1,A\n"),
                       doctest::Contains("removed 1"), core::InputError);
}

TEST_CASE("exact duplicate lines are flagged; near duplicates are not") {
  const core::ReadResult r = read(
      "InvoiceNo,InvoiceDate,Quantity,UnitPrice,CustomerID\n1,2011-01-01,1,1,A\n1,2011-01-01,1,1,A\n1,2011-01-01,2,1,"
      "A\n");
  CHECK(r.table.flags[0] == 0);
  CHECK(r.table.flags[1] == core::kDuplicate);
  CHECK(r.table.flags[2] == 0);
}

TEST_CASE("read without the duplicate check: the same table, and the duplicates rule refused") {
  const std::string text =
      "InvoiceNo,InvoiceDate,Quantity,UnitPrice,CustomerID\n1,2011-01-01,1,1,A\n1,2011-01-01,1,1,A\n1,2011-01-01,2,1,"
      "A\n";
  core::ReadOptions o;
  o.find_duplicates = false;
  core::Analysis a;
  a.read = read(text, 1 << 20, o);
  CHECK(a.read.table.flags[1] == 0);
  core::analyse(a, {});
  CHECK(a.customers.monetary() == std::vector<double>{4});
  core::CleaningRules rules;
  rules.drop_duplicates = true;
  CHECK_THROWS_WITH_AS(core::analyse(a, rules), doctest::Contains("read it again"), core::InvalidArgument);
}

TEST_CASE("a customer-level table (one row per customer, ready RFM) is accepted as it is") {
  const std::string text =
      "CustomerID,Recency,Frequency,Monetary,Country\n"
      "12346.0,326,1,77183.60,United Kingdom\n"
      "12347,2,7,4310.00,Iceland\n"
      "12348,75,x,1797.24,Finland\n";
  const core::Analysis a = analyse(text);
  CHECK(a.read.customer_level);
  CHECK(a.read.summary.layout == "customer table (one row per customer)");
  CHECK(a.customers.ids == std::vector<std::string>{"12346", "12347"});
  CHECK(a.customers.recency() == std::vector<double>{326, 2});
  CHECK(a.customers.column("avg_order_value")[1] == doctest::Approx(4310.0 / 7));
  CHECK(std::isnan(a.customers.column("tenure")[0]));
  CHECK(a.customers.country == std::vector<std::string>{"United Kingdom", "Iceland"});
  CHECK(a.read.summary.rows_unreadable == 1);
  CHECK(a.read.summary.warnings.at(0).find("line 4: column 3: frequency \"x\"") != std::string::npos);
  CHECK(a.cleaned.ledger.rows_after == 2);
  CHECK(core::compute_cohorts(a.read.table, a.cleaned).months.empty());
}

TEST_CASE("roles from content: a date column without a date name, an email column") {
  const std::string text =
      "Client,Order,When,Qty,UnitPrice,Contact\n"
      "A,1,2011-01-05,2,1.5,a@example.com\n"
      "B,2,2011-01-06,1,2.0,b@example.org\n";
  core::ReadOptions o;
  o.role_columns[static_cast<int>(core::Role::kCustomer)] = "Client";
  o.role_columns[static_cast<int>(core::Role::kInvoice)] = "Order";
  const core::Analysis a = analyse(text, {}, 7, o);
  CHECK(a.read.summary.columns[static_cast<std::size_t>(a.read.summary.roles[static_cast<int>(core::Role::kDate)])] ==
        "When");
  CHECK(a.customers.email == std::vector<std::string>{"a@example.com", "b@example.org"});
  CHECK(a.read.summary.warnings.at(0).find("found in column 3 (\"When\")") != std::string::npos);
}

TEST_CASE("rows that repeat the previous row's invoice, customer and date read like any other") {
  // Within one invoice: a product first seen mid-invoice, a long stock code, numbers that are not
  // plain decimals, a customer change, a time change, an exact duplicate and a near one.
  const std::string text =
      "InvoiceNo,StockCode,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n"
      "1,A,2,2011-01-05 10:00,1.50,c1,UK\n"
      "1,B,1,2011-01-05 10:00,2.00,c1,UK\n"
      "1,GIFT_VOUCHER_50,1,2011-01-05 10:00,50,c1,UK\n"
      "1,A,1e1,2011-01-05 10:00, 1.50 ,c1,UK\n"
      "1,A,2,2011-01-05 10:01,1.50,c1,UK\n"
      "1,A,2,2011-01-05 10:01,1.50,c1,UK\n"
      "1,A,2,2011-01-05 10:01,1.50,c2,UK\n"
      "2,B,3,2011-01-06,2.00,c2,France\n";
  const core::ReadResult r = read(text);
  REQUIRE(r.table.rows() == 8);
  CHECK(r.table.flags[5] == core::kDuplicate);  // the same line as row 5
  CHECK(r.table.flags[6] == 0);                 // another customer
  CHECK(r.table.quantity[3] == 10);
  CHECK(r.table.value[3] == 1.5);
  CHECK(r.table.products[r.table.product[2]] == "GIFT_VOUCHER_50");
  CHECK(r.table.customers[r.table.customer[6]] == "c2");
  CHECK(r.table.countries[r.table.country[7]] == "France");
  const core::Analysis a = analyse(text);
  CHECK(a.customers.ids == std::vector<std::string>{"c1", "c2"});
  CHECK(a.customers.monetary()[0] == doctest::Approx(2 * 1.5 + 2 + 50 + 10 * 1.5 + 2 * 1.5 + 2 * 1.5));
  CHECK(a.customers.frequency() == std::vector<double>{1, 2});
  CHECK(a.customers.column("distinct_products") == std::vector<double>{3, 2});
}

TEST_CASE("day/month dates without an invoice column: one order per customer and day") {
  core::ReadOptions o;
  o.role_columns[static_cast<int>(core::Role::kCustomer)] = "client";
  o.role_columns[static_cast<int>(core::Role::kDate)] = "when";
  o.role_columns[static_cast<int>(core::Role::kQuantity)] = "qty";
  o.role_columns[static_cast<int>(core::Role::kPrice)] = "unit";
  const std::string text = "client,when,qty,unit\nX,13/12/2010,1,1\nX,14/12/2010,1,1\nX,14/12/2010,2,1\n";
  core::Analysis a;
  a.read = read(text, 1 << 20, o);
  core::analyse(a, {});
  CHECK(a.read.summary.date_format.rfind("D/M/YYYY", 0) == 0);
  CHECK(a.customers.frequency() == std::vector<double>{2});  // 13 and 14 December
  CHECK(a.customers.recency() == std::vector<double>{1});
}

TEST_CASE("streaming: the same ledger and customers as the table, without the rows") {
  const std::string bytes = read_fixture("tiny_online_retail_ii.csv");
  for (const bool net : {false, true}) {
    core::CleaningRules rules;
    if (net) rules.cancellations = core::CleaningRules::Cancellations::kNet;
    rules.missing_customer =
        net ? core::CleaningRules::MissingCustomer::kSynthetic : core::CleaningRules::MissingCustomer::kDrop;
    core::ReadOptions o;
    o.stream = true;
    o.rules = rules;
    const core::Analysis table = analyse(bytes, rules, 5);
    const core::Analysis streamed = analyse(bytes, rules, 5, o);
    CHECK(streamed.read.streamed);
    CHECK(streamed.read.table.rows() == 0);
    CHECK(streamed.read.summary.first_date == table.read.summary.first_date);
    CHECK(streamed.read.summary.last_date == table.read.summary.last_date);
    const core::Ledger &lt = table.cleaned.ledger, &ls = streamed.cleaned.ledger;
    CHECK(ls.rows_before == lt.rows_before);
    CHECK(ls.rows_after == lt.rows_after);
    CHECK(ls.customers_before == lt.customers_before);
    CHECK(ls.customers_after == lt.customers_after);
    CHECK(ls.revenue_after == lt.revenue_after);
    REQUIRE(ls.entries.size() == lt.entries.size());
    for (std::size_t k = 0; k < ls.entries.size(); ++k) {
      CHECK(ls.entries[k].rows == lt.entries[k].rows);
      CHECK(ls.entries[k].customers == lt.entries[k].customers);
      CHECK(ls.entries[k].examples == lt.entries[k].examples);
      CHECK(ls.entries[k].detail == lt.entries[k].detail);
    }
    CHECK(streamed.customers.ids == table.customers.ids);
    REQUIRE(streamed.customers.columns.size() == table.customers.columns.size());
    for (std::size_t k = 0; k < table.customers.columns.size(); ++k)
      for (std::size_t i = 0; i < table.customers.size(); ++i) {
        const double x = streamed.customers.columns[k][i], y = table.customers.columns[k][i];
        CHECK((x == y || (std::isnan(x) && std::isnan(y))));  // bit for bit; days_between is NaN for one order
      }
    CHECK(streamed.customers.as_of == table.customers.as_of);
  }
}

TEST_CASE("streaming: rules that need every row are refused, and so is a change of rules afterwards") {
  core::ReadOptions o;
  o.stream = true;
  for (int k = 0; k < 4; ++k) {
    o.rules = {};
    if (k == 0) o.rules.drop_duplicates = true;
    if (k == 1) o.rules.window_months = 6;
    if (k == 2) o.rules.outliers = core::CleaningRules::Outliers::kIqr;
    if (k == 3) o.rules.min_product_customers = 2;
    CHECK_THROWS_WITH_AS(read(read_fixture("tiny_online_retail.csv"), 1 << 20, o), doctest::Contains("needs every row"),
                         core::InvalidArgument);
  }
  o.rules = {};
  core::Analysis a = analyse(read_fixture("tiny_online_retail.csv"), {}, 1 << 20, o);
  CHECK(a.customers.size() == 3);
  core::CleaningRules other;
  other.drop_bad_price = true;
  CHECK_THROWS_WITH_AS(core::analyse(a, other), doctest::Contains("read it again"), core::InvalidArgument);
  CHECK(a.customers.size() == 3);  // unchanged
}

TEST_CASE("streaming: slash dates read in the order the first rows show; a later contradiction is refused") {
  std::string text = "InvoiceNo,InvoiceDate,Quantity,UnitPrice,CustomerID\n";
  for (int i = 0; i < 2000; ++i) text += std::to_string(i) + ",02/03/2010,1,1,A\n";  // ambiguous: read month first
  core::ReadOptions o;
  o.stream = true;
  const core::Analysis a = analyse(text, {}, 1 << 20, o);
  CHECK(a.read.summary.first_date == "2010-02-03");
  text += "9999,13/03/2010,1,1,B\n";  // day first after all
  CHECK_THROWS_WITH_AS(read(text, 1 << 20, o), doctest::Contains("line 2002"), core::InputError);
  o.date_order = core::ReadOptions::DateOrder::kDayFirst;
  CHECK(analyse(text, {}, 1 << 20, o).read.summary.last_date == "2010-03-13");
}

TEST_CASE("streaming: the row limit of the table does not apply") {
  std::string text = "InvoiceNo,InvoiceDate,Quantity,UnitPrice,CustomerID\n";
  for (int i = 0; i < 3000; ++i) text += std::to_string(i) + ",2011-01-01,1,1,A\n";
  core::ReadOptions o;
  o.max_rows = 1000;
  CHECK_THROWS_WITH_AS(read(text, 1 << 20, o), doctest::Contains("more than 1000 rows"), core::InputError);
  o.stream = true;
  CHECK(analyse(text, {}, 1 << 20, o).customers.frequency() == std::vector<double>{3000});
}

namespace {

std::string rows_of(int n) {
  std::string text = "InvoiceNo,InvoiceDate,Quantity,UnitPrice,CustomerID\n";
  for (int i = 0; i < n; ++i) text += std::to_string(i) + ",2011-01-01,1,1,C" + std::to_string(i % 7) + "\n";
  return text;
}

}  // namespace

TEST_CASE("auto mode: a file estimated above stream_above_rows streams, with the same results") {
  const std::string text = rows_of(3000);
  core::ReadOptions o;
  o.size_hint = static_cast<std::int64_t>(text.size());
  o.stream_above_rows = 2000;
  const core::Analysis streamed = analyse(text, {}, 4096, o);
  CHECK(streamed.read.streamed);
  CHECK(streamed.read.table.rows() == 0);
  const core::Analysis table = analyse(text);
  CHECK_FALSE(table.read.streamed);
  CHECK(streamed.customers.ids == table.customers.ids);
  CHECK(streamed.customers.monetary() == table.customers.monetary());
  o.stream_above_rows = 5000;  // below the threshold: a table
  CHECK_FALSE(analyse(text, {}, 4096, o).read.streamed);
  o.size_hint = 0;  // size unknown: no estimate, a table
  o.stream_above_rows = 2000;
  CHECK_FALSE(analyse(text, {}, 4096, o).read.streamed);
}

TEST_CASE("auto mode: a rule that needs every row keeps the table; over the table's budget the refusal names it") {
  const std::string text = rows_of(3000);
  core::ReadOptions o;
  o.size_hint = static_cast<std::int64_t>(text.size());
  o.stream_above_rows = 2000;
  o.rules.drop_duplicates = true;
  const core::ReadResult r = read(text, 4096, o);
  CHECK_FALSE(r.streamed);
  CHECK(r.table.rows() == 3000);
  o.max_rows = 2500;  // estimated 3000 rows: over the table's budget
  CHECK_THROWS_WITH_AS(read(text, 4096, o), doctest::Contains("The cleaning rule \"duplicates\" needs the whole table"),
                       core::InputError);
  o.rules.drop_duplicates = false;  // then it streams
  CHECK(read(text, 4096, o).streamed);
}

TEST_CASE("streaming has its own row budget, checked early and at the limit") {
  const std::string text = rows_of(3000);
  core::ReadOptions o;
  o.stream = true;
  o.max_stream_rows = 1000;
  CHECK_THROWS_WITH_AS(read(text, 4096, o), doctest::Contains("more than 1000 rows (line 1002)"), core::InputError);
  o.size_hint = static_cast<std::int64_t>(text.size());
  CHECK_THROWS_WITH_AS(read(text, 4096, o), doctest::Contains("read even in one pass"), core::InputError);
  o.max_stream_rows = 10000;
  CHECK(read(text, 4096, o).streamed);
}

TEST_CASE("without find_duplicates the table has no hashes, and the duplicates rule says so") {
  core::ReadOptions o;
  o.find_duplicates = false;
  core::Analysis a = analyse(read_fixture("tiny_online_retail.csv"), {}, 1 << 20, o);
  CHECK_FALSE(a.read.table.duplicates_found);
  core::CleaningRules rules;
  rules.drop_duplicates = true;
  CHECK_THROWS_AS(core::analyse(a, rules), core::InvalidArgument);
}
