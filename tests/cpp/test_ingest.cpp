#include <doctest/doctest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "errors.h"
#include "ingest.h"

namespace {

std::string read_fixture(const std::string& name) {
  std::ifstream f(std::string(LL_FIXTURES) + "/" + name, std::ios::binary);
  REQUIRE_MESSAGE(f.good(), "missing fixture " << name);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

core::IngestResult ingest(const std::string& bytes, std::size_t chunk = 1 << 20, const std::string& name = "t.csv") {
  core::Ingest in(name);
  for (std::size_t i = 0; i < bytes.size(); i += chunk) in.feed(bytes.data() + i, std::min(chunk, bytes.size() - i));
  return in.finish();
}

void check_tiny(const core::IngestResult& r) {
  const auto& s = r.summary;
  CHECK(s.rows_read == 7);
  CHECK(s.rows_no_customer == 1);
  CHECK(s.rows_cancelled == 1);
  CHECK(s.rows_invalid == 0);
  CHECK(s.rows_kept == 5);
  CHECK(s.as_of == "2010-12-11");
  CHECK(s.first_date == "2010-12-01");
  CHECK(s.last_date == "2010-12-10");
  const auto& t = r.customers;
  REQUIRE(t.size() == 3);
  CHECK(t.ids == std::vector<std::string>{"17850", "13047", "12583"});
  CHECK(t.recency == std::vector<double>{6, 3, 1});
  CHECK(t.frequency == std::vector<double>{2, 1, 1});
  CHECK(t.monetary[0] == doctest::Approx(6 * 2.55 + 2 * 3.0 + 6 * 1.85));
  CHECK(t.monetary[1] == doctest::Approx(42.5));
  CHECK(t.monetary[2] == doctest::Approx(18.0));
}

}  // namespace

TEST_CASE("UCI Online Retail layout: hand-computed recency, frequency, monetary") {
  const core::IngestResult r = ingest(read_fixture("tiny_online_retail.csv"));
  check_tiny(r);
  CHECK(r.summary.layout == "UCI Online Retail");
  CHECK(r.summary.encoding == "UTF-8");
  CHECK(r.summary.date_format == "YYYY-MM-DD");
}

TEST_CASE("Online Retail II layout, Windows-1252, M/D/YYYY dates and 17850.0 ids give the same") {
  const std::string bytes = read_fixture("tiny_online_retail_ii.csv");
  for (std::size_t chunk : {1, 7, 64, 1 << 20}) {
    const core::IngestResult r = ingest(bytes, chunk);
    check_tiny(r);
    CHECK(r.summary.layout == "UCI Online Retail II");
    CHECK(r.summary.encoding == "Windows-1252");
    CHECK(r.summary.date_format.rfind("M/D/YYYY", 0) == 0);
  }
}

TEST_CASE("day/month order is taken from the data") {
  const std::string text =
      "InvoiceNo,InvoiceDate,Quantity,UnitPrice,CustomerID\n"
      "1,13/12/2010 10:00,1,1,A\n"
      "2,02/12/2010 10:00,1,1,B\n";
  const core::IngestResult r = ingest(text);
  CHECK(r.summary.date_format.rfind("D/M/YYYY", 0) == 0);
  CHECK(r.summary.as_of == "2010-12-14");
  CHECK(r.customers.recency == std::vector<double>{1, 12});
}

TEST_CASE("dates that fit neither order are refused with the lines") {
  const std::string text =
      "InvoiceNo,InvoiceDate,Quantity,UnitPrice,CustomerID\n"
      "1,13/12/2010,1,1,A\n"
      "2,12/13/2010,1,1,B\n";
  CHECK_THROWS_AS(ingest(text), core::InputError);
}

TEST_CASE("bad rows are counted with warnings naming line and column, never silently used") {
  const std::string text =
      "InvoiceNo,InvoiceDate,Quantity,UnitPrice,CustomerID\n"
      "1,2011-01-01,2,1.5,A\n"
      "2,not a date,1,1,A\n"
      "3,2011-01-02,x,1,A\n"
      "4,2011-01-03\n";
  const core::IngestResult r = ingest(text);
  CHECK(r.summary.rows_read == 4);
  CHECK(r.summary.rows_kept == 1);
  CHECK(r.summary.rows_invalid == 3);
  REQUIRE(r.summary.warnings.size() == 3);
  CHECK(r.summary.warnings[0].find("line 3, column 2") != std::string::npos);
  CHECK(r.summary.warnings[1].find("line 4, column 3") != std::string::npos);
  CHECK(r.summary.warnings[2].find("line 5") != std::string::npos);
  CHECK(r.customers.monetary == std::vector<double>{3.0});
}

TEST_CASE("line amounts (Complete Journey layout) instead of quantity x price") {
  const std::string text =
      "\"household_id\",\"basket_id\",\"quantity\",\"sales_value\",\"transaction_timestamp\"\n"
      "\"2261\",\"31625220889\",1,3.86,\"2017-01-28 14:06:53\"\n"
      "\"2261\",\"31625220889\",2,1.50,\"2017-01-28 14:06:53\"\n"
      "\"2131\",\"32053127496\",1,1.59,\"2017-02-28 22:31:57\"\n";
  const core::IngestResult r = ingest(text);
  CHECK(r.summary.layout == "Complete Journey");
  CHECK(r.customers.ids == std::vector<std::string>{"2261", "2131"});
  CHECK(r.customers.monetary[0] == doctest::Approx(5.36));
  CHECK(r.customers.frequency == std::vector<double>{1, 1});
  CHECK(r.customers.recency == std::vector<double>{32, 1});
}

TEST_CASE("missing columns: the message names what is missing and what was found") {
  try {
    ingest(read_fixture("missing_columns.csv"), 1 << 20, "people.csv");
    FAIL("expected InputError");
  } catch (const core::InputError& e) {
    const std::string m = e.what();
    CHECK(m.find("people.csv") != std::string::npos);
    CHECK(m.find("customer id") != std::string::npos);
    CHECK(m.find("\"name\", \"email\", \"signup\"") != std::string::npos);
  }
}

TEST_CASE("not a CSV: binary files, empty files, no purchases left") {
  CHECK_THROWS_WITH_AS(ingest(std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16)), doctest::Contains("PNG image"), core::InputError);
  CHECK_THROWS_WITH_AS(ingest(std::string("PK\x03\x04\x14\0\x06\0", 8)), doctest::Contains("ZIP"), core::InputError);
  CHECK_THROWS_WITH_AS(ingest(""), doctest::Contains("empty"), core::InputError);
  CHECK_THROWS_WITH_AS(ingest("InvoiceNo,InvoiceDate,Quantity,UnitPrice,CustomerID\n"), doctest::Contains("no purchases"),
                       core::InputError);
  CHECK_THROWS_WITH_AS(ingest("InvoiceNo,InvoiceDate,Quantity,UnitPrice,CustomerID\nC1,2011-01-01,-1,1,A\n"),
                       doctest::Contains("1 are cancellations"), core::InputError);
}
