// The exports LoyaltyLens had never seen (issue 15): each heuristic checks its evidence on the file
// at hand. Every case is small enough to check by hand: its customers and revenue are in the
// comments and the assertions. Each runs the table path and the streamed path (one pass), which
// must agree.
#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "errors.h"
#include "pipeline_support.h"

namespace {

core::Analysis run(const std::string& text, const core::CleaningRules& rules = {}, core::ReadOptions o = {}) {
  return test::analyse(text, rules, 1 << 20, o);
}

// The same file read in one pass with the same rules: the same customers, ledger and decisions.
core::Analysis run_streamed(const std::string& text, const core::CleaningRules& rules = {}, core::ReadOptions o = {}) {
  o.stream = true;
  o.rules = rules;
  o.find_duplicates = false;
  core::Analysis a;
  a.read = test::read(text, 7, o);  // odd chunks
  core::analyse(a, rules);
  return a;
}

double total(const std::vector<double>& v) {
  double s = 0;
  for (double x : v) s += x;
  return s;
}

const core::LedgerEntry& entry(const core::Analysis& a, const std::string& rule) {
  for (const auto& e : a.cleaned.ledger.entries)
    if (e.rule == rule) return e;
  FAIL("no ledger entry " << rule);
  return a.cleaned.ledger.entries.front();
}

const core::Decision* decision(const core::Analysis& a, const std::string& key) {
  for (const auto& d : a.read.summary.decisions)
    if (d.key == key) return &d;
  return nullptr;
}

bool contains(const std::string& s, const std::string& needle) { return s.find(needle) != std::string::npos; }

void same_results(const core::Analysis& a, const core::Analysis& b) {
  CHECK(a.customers.ids == b.customers.ids);
  CHECK(a.customers.monetary() == b.customers.monetary());
  CHECK(a.customers.frequency() == b.customers.frequency());
  CHECK(a.cleaned.ledger.rows_after == b.cleaned.ledger.rows_after);
  CHECK(a.cleaned.ledger.revenue_after == b.cleaned.ledger.revenue_after);
}

// A Superstore-like export: order ids CA-2016-152156 and US-2015-108966, string customer ids, a
// Sales line amount beside Quantity, M/D/YYYY dates. 6 orders, 3 customers.
const std::string kSuperstore =
    "Row ID,Order ID,Order Date,Customer ID,Product ID,Sales,Quantity\n"
    "1,CA-2016-152156,11/8/2016,CG-12520,FUR-BO-10001798,261.96,2\n"
    "2,CA-2016-152156,11/8/2016,CG-12520,FUR-CH-10000454,731.94,3\n"
    "3,US-2015-108966,10/11/2015,SO-20335,FUR-TA-10000577,957.5775,5\n"
    "4,US-2015-108966,10/11/2015,SO-20335,OFF-ST-10000760,22.368,2\n"
    "5,CA-2014-115812,6/9/2014,BH-11710,FUR-FU-10001487,48.86,7\n"
    "6,CA-2014-115812,6/9/2014,BH-11710,OFF-AR-10002833,7.28,4\n"
    "7,CA-2017-114412,4/15/2017,CG-12520,OFF-PA-10002365,15.552,3\n"
    "8,US-2016-161389,12/6/2016,SO-20335,OFF-BI-10003656,407.976,3\n"
    "9,CA-2015-106320,9/25/2015,BH-11710,FUR-TA-10000577,1044.63,3\n";

}  // namespace

TEST_CASE("CA-/US- order ids: the C prefix is not a cancellation there, and nothing is lost") {
  for (const bool streamed : {false, true}) {
    const core::Analysis a = streamed ? run_streamed(kSuperstore) : run(kSuperstore);
    // Every row kept: 9 rows, Σ Sales = 3,498.1435.
    CHECK(a.cleaned.ledger.rows_after == 9);
    CHECK(std::fabs(a.cleaned.ledger.revenue_after - 3498.1435) < 1e-9);
    CHECK(a.customers.ids == std::vector<std::string>{"CG-12520", "SO-20335", "BH-11710"});
    CHECK(a.customers.frequency() == std::vector<double>{2, 2, 2});
    const core::LedgerEntry& e = entry(a, "cancellations");
    CHECK(e.rows == 0);
    REQUIRE(e.heuristic);
    CHECK_FALSE(e.decision.applies);
    CHECK(contains(e.decision.outcome, "not applicable to this file: most invoices (67%) start with C"));
    CHECK(e.decision.examples.front() == "CA-2016-152156");
    CHECK(e.warning.empty());
  }
  CHECK(run(kSuperstore).read.summary.date_format.rfind("M/D/YYYY", 0) == 0);
  // Forced on, the rule removes the CA- orders (6 of 9 rows) and says that is a large share.
  core::CleaningRules on;
  on.cancel_prefix = core::Auto::kOn;
  const core::Analysis forced = run(kSuperstore, on);
  CHECK(entry(forced, "cancellations").rows == 6);
  CHECK(entry(forced, "cancellations").decision.forced);
  CHECK(contains(entry(forced, "cancellations").warning, "removed 67% of the rows (6 of 9)"));
  CHECK(contains(entry(forced, "cancellations").warning, "Examples: line 2"));
  bool warned = false;
  for (const auto& w : core::analysis_warnings(forced))
    warned = warned || contains(w, "\"Cancellations and returns\" removed 67%");
  CHECK(warned);
  same_results(forced, run_streamed(kSuperstore, on));
}

TEST_CASE("C followed by another format than the other invoices: not a cancellation mark") {
  std::string text = "Order ID,Order Date,Customer ID,Sales\n";
  for (int k = 0; k < 8; ++k)
    text += "US-2015-10" + std::to_string(8960 + k) + ",2015-01-0" + std::to_string(k + 1) + ",SO-20335,10\n";
  text += "CA-2016-152156,2016-01-01,CG-12520,25\nCA-2016-152157,2016-01-02,CG-12520,5\n";
  const core::Analysis a = run(text);
  const core::LedgerEntry& e = entry(a, "cancellations");
  CHECK(e.rows == 0);
  CHECK(contains(e.decision.outcome,
                 "after the C, \"A-2016-152156\" (a letter, \"-\", digits, \"-\", digits) is not written like "
                 "the other invoices (2 letters, \"-\", digits, \"-\", digits, like US-2015-108960)"));
  CHECK(a.customers.monetary() == std::vector<double>{80, 30});
}

TEST_CASE("UCI's C536379: the prefix applies (the format of the other invoices, negative quantities)") {
  const std::string text =
      "InvoiceNo,InvoiceDate,Quantity,UnitPrice,CustomerID\n"
      "536365,2010-12-01,6,2.55,17850\n"
      "536366,2010-12-01,2,1.85,17850\n"
      "C536379,2010-12-01,-1,27.50,17850\n"
      "536367,2010-12-02,4,5.00,13047\n";
  for (const bool streamed : {false, true}) {
    const core::Analysis a = streamed ? run_streamed(text) : run(text);
    const core::LedgerEntry& e = entry(a, "cancellations");
    CHECK(e.rows == 1);
    CHECK(e.decision.applies);
    CHECK(contains(e.decision.evidence, "1 of 4 invoices (25%) start with C"));
    CHECK(contains(e.decision.evidence, "100% of their 1 rows have a negative quantity"));
    CHECK(a.customers.monetary() == std::vector<double>{15.3 + 3.7, 20});
  }
  // Forced off: the C invoice is read as it is; its quantity is negative, so it still cancels.
  core::CleaningRules off;
  off.cancel_prefix = core::Auto::kOff;
  CHECK(entry(run(text, off), "cancellations").rows == 1);
}

TEST_CASE(
    "C-prefixed invoices with positive quantities: a cancellation only where they cancel an invoice in the file") {
  // C900 and C901 look like the other invoices (digits) but nothing says they cancel: purchases.
  const std::string purchases =
      "Invoice,Date,Quantity,Price,Customer\n"
      "100,2011-01-01,1,10,A\n101,2011-01-02,1,10,B\n102,2011-01-03,1,10,A\n"
      "C900,2011-01-04,1,10,A\nC901,2011-01-05,1,10,B\n";
  const core::Analysis a = run(purchases);
  CHECK(entry(a, "cancellations").rows == 0);
  CHECK(contains(entry(a, "cancellations").decision.outcome, "nothing else says they cancel"));
  CHECK(a.customers.monetary() == std::vector<double>{30, 20});
  // C100 and C101 cancel invoices that are in the file: cancellations.
  const std::string originals =
      "Invoice,Date,Quantity,Price,Customer\n"
      "100,2011-01-01,1,10,A\n101,2011-01-02,1,10,B\n102,2011-01-03,1,10,A\n"
      "C100,2011-01-04,1,10,A\nC101,2011-01-05,1,10,B\n";
  const core::Analysis b = run(originals);
  CHECK(entry(b, "cancellations").rows == 2);
  CHECK(contains(entry(b, "cancellations").decision.evidence, "100% cancel an invoice that is in the file"));
  // Every invoice starts with C: the letter is part of the numbers.
  const std::string all_c =
      "Invoice,Date,Quantity,Price,Customer\nC1,2011-01-01,1,10,A\nC2,2011-01-02,-1,10,A\nC3,2011-01-03,2,10,B\n";
  const core::Analysis c = run(all_c);
  CHECK(contains(entry(c, "cancellations").decision.outcome, "every invoice starts with C"));
  CHECK(entry(c, "cancellations").rows == 1);  // the negative quantity, still a return
}

TEST_CASE("customer ids written as floats: .0 dropped only when every id is a whole number") {
  const std::string numeric =
      "InvoiceNo,InvoiceDate,Quantity,UnitPrice,CustomerID\n"
      "1,2011-01-01,1,10,13085.0\n2,2011-01-02,1,5,13085\n3,2011-01-03,1,7,12.00\n";
  for (const bool streamed : {false, true}) {
    const core::Analysis a = streamed ? run_streamed(numeric) : run(numeric);
    // 13085.0 and 13085 are one customer (15), 12.00 is 12 (7).
    CHECK(a.customers.ids == std::vector<std::string>{"13085", "12"});
    CHECK(a.customers.monetary() == std::vector<double>{15, 7});
    const core::Decision* d = decision(a, "id_normalisation");
    REQUIRE(d != nullptr);
    CHECK(d->applies);
  }
  CHECK(contains(decision(run(numeric), "id_normalisation")->evidence, "1 ids occur both ways"));
  const std::string mixed =
      "InvoiceNo,InvoiceDate,Quantity,UnitPrice,CustomerID\n"
      "1,2011-01-01,1,10,13085.0\n2,2011-01-02,1,5,CG-12520\n3,2011-01-03,1,7,12.5\n";
  const core::Analysis b = run(mixed);
  CHECK(b.customers.ids == std::vector<std::string>{"13085.0", "CG-12520", "12.5"});
  CHECK_FALSE(decision(b, "id_normalisation")->applies);
  CHECK(contains(decision(b, "id_normalisation")->evidence, "2 are not whole numbers (e.g. \"CG-12520\")"));
  // Forced: the user says the column is numeric.
  core::ReadOptions on;
  on.normalize_ids = core::Auto::kOn;
  CHECK(run(mixed, {}, on).customers.ids == std::vector<std::string>{"13085", "CG-12520", "12.5"});
}

TEST_CASE("order totals repeated on every line are counted once per order") {
  // Orders 1 (3 lines, total 30), 2 (2 lines, total 12), 3 (1 line, 5); customers A (1, 3) and B (2).
  std::string text = "Order,Date,Customer,Product,Quantity,Total\n";
  text += "1,2011-01-01,A,p1,1,30\n1,2011-01-01,A,p2,2,30\n1,2011-01-01,A,p3,4,30\n";
  text += "2,2011-01-02,B,p1,3,12\n2,2011-01-02,B,p4,1,12\n";
  text += "3,2011-01-03,A,p2,1,5\n";
  // Ten more two-line orders (totals 40 … 49) for the evidence.
  for (int k = 0; k < 10; ++k) {
    const std::string id = std::to_string(10 + k), t = std::to_string(40 + k);
    text += id + ",2011-02-01,C," + "p1,1," + t + "\n" + id + ",2011-02-01,C,p2,2," + t + "\n";
  }
  for (const bool streamed : {false, true}) {
    const core::Analysis a = streamed ? run_streamed(text) : run(text);
    const core::Decision* d = decision(a, "order_totals");
    REQUIRE(d != nullptr);
    CHECK(d->applies);
    CHECK(contains(d->evidence, "in 12 of 12 orders with several lines (100%) every line carries the same \"Total\""));
    CHECK(a.customers.ids == std::vector<std::string>{"A", "B", "C"});
    CHECK(a.customers.monetary() == std::vector<double>{35, 12, 445});
    CHECK(a.cleaned.ledger.revenue_after == 492);
  }
  core::ReadOptions line;
  line.order_totals = core::Auto::kOff;
  CHECK(run(text, {}, line).customers.monetary() == std::vector<double>{95, 24, 890});
}

TEST_CASE("line amounts are line amounts: a file whose lines differ is not taken for order totals") {
  std::string text = "Order,Date,Customer,Quantity,Total\n";
  for (int k = 0; k < 12; ++k)
    text += std::to_string(k) + ",2011-01-01,A,1,10\n" + std::to_string(k) + ",2011-01-01,A,2,20\n";
  const core::Analysis a = run(text);
  CHECK_FALSE(decision(a, "order_totals")->applies);
  CHECK(a.customers.monetary() == std::vector<double>{360});
}

TEST_CASE("a returns-flag column: flagged rows are returns (dropped, or netted as negative)") {
  const std::string text =
      "Order,Date,Customer,Quantity,Price,Returned\n"
      "1,2011-01-01,A,2,10,No\n2,2011-01-02,A,1,10,Yes\n3,2011-01-03,B,1,5,no\n4,2011-01-04,B,1,5,\n";
  for (const bool streamed : {false, true}) {
    const core::Analysis a = streamed ? run_streamed(text) : run(text);
    CHECK(entry(a, "cancellations").rows == 1);
    CHECK(a.customers.monetary() == std::vector<double>{20, 10});
    REQUIRE(decision(a, "returns_flag") != nullptr);
    CHECK(contains(decision(a, "returns_flag")->evidence, "1 rows are marked as returns"));
  }
  core::CleaningRules net;
  net.cancellations = core::CleaningRules::Cancellations::kNet;
  CHECK(run(text, net).customers.monetary() == std::vector<double>{10, 10});
  CHECK(run(text).read.summary.role_reasons[static_cast<int>(core::Role::kReturn)].find("\"Returned\"") !=
        std::string::npos);
  // A column named like a flag that holds other values is not one.
  const core::Analysis b = run("Order,Date,Customer,Quantity,Price,Return\n1,2011-01-01,A,1,10,store 5\n");
  CHECK(b.read.summary.roles[static_cast<int>(core::Role::kReturn)] == -1);
  CHECK(contains(b.read.summary.warnings.back(), "line 2 has \"store 5\""));
  CHECK(b.customers.monetary() == std::vector<double>{10});
}

TEST_CASE("timestamps with a time-zone offset or AM/PM: the day as written") {
  const core::Analysis a =
      run("Order,Date,Customer,Quantity,Price\n"
          "1,2011-12-09T23:30:00-05:00,A,1,10\n2,2011-12-10 08:00:00+01:00,A,1,10\n3,2011-12-10T09:00:00Z,B,1,1\n"
          "4,2011-12-11 07:05 UTC,B,1,1\n");
  CHECK(a.read.summary.rows_unreadable == 0);
  CHECK(a.read.summary.first_date == "2011-12-09");
  CHECK(a.read.summary.last_date == "2011-12-11");
  REQUIRE(decision(a, "time_zone") != nullptr);
  CHECK(contains(decision(a, "time_zone")->evidence, "4 dates carry a time-zone offset"));
  const core::Analysis b =
      run("Order,Date,Customer,Quantity,Price\n1,12/9/2011 8:26 PM,A,1,10\n2,12/10/2011 12:05 am,A,1,10\n");
  CHECK(b.read.summary.rows_unreadable == 0);
  CHECK(b.read.summary.last_date == "2011-12-10");
  CHECK(run("Order,Date,Customer,Quantity,Price\n1,12/9/2011 13:26 PM,A,1,10\n2,12/9/2011 8:26,A,1,1\n")
            .read.summary.rows_unreadable == 1);
}

TEST_CASE("slash dates with no day above 12: the order the rows run in decides, else a warning") {
  // Day-first dates over six months, days 1..12 only, in file order. Read month first they jump
  // back and forth; read day first they run forward.
  std::string text = "Order,Date,Customer,Quantity,Price\n";
  int order = 0;
  for (int month = 1; month <= 6; ++month)
    for (int day : {2, 5, 7, 11})
      text += std::to_string(++order) + "," + (day < 10 ? "0" : "") + std::to_string(day) + "/0" +
              std::to_string(month) + "/2011,A,1,1\n";
  for (const bool streamed : {false, true}) {
    const core::Analysis a = streamed ? run_streamed(text) : run(text);
    CHECK(a.read.summary.first_date == "2011-01-02");
    CHECK(a.read.summary.last_date == "2011-06-11");
    CHECK(a.read.summary.date_format.rfind("D/M/YYYY", 0) == 0);
    const core::Decision* d = decision(a, "date_order");
    REQUIRE(d != nullptr);
    CHECK(d->outcome == "day/month/year");
    CHECK(contains(d->evidence,
                   "the rows run forward in time (0 of 23 changes of date go back, against 5 read the other way)"));
    CHECK(contains(d->evidence, "22 of 24 rows (91.7%) have a date that reads either way"));
  }
  // Two dates, no order to go by: month first, with a warning saying how many would change.
  const core::Analysis b = run("Order,Date,Customer,Quantity,Price\n1,02/03/2011,A,1,1\n2,04/05/2011,A,1,1\n");
  CHECK(b.read.summary.first_date == "2011-02-03");
  CHECK(contains(b.read.summary.warnings.front(), "could be month/day or day/month"));
  CHECK(contains(b.read.summary.warnings.front(), "2 of 2 rows"));
}

TEST_CASE("non-product codes: only codes that occur, and the default list's only where the description agrees") {
  const std::string text =
      "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID\n"
      "1,POST,POSTAGE,1,2011-01-01,18,A\n"
      "1,M,T-SHIRT SIZE M,2,2011-01-01,10,A\n"
      "2,85123A,WHITE HANGING HEART,1,2011-01-02,2.55,B\n";
  core::CleaningRules rules;
  rules.drop_non_product = true;
  for (const bool streamed : {false, true}) {
    const core::Analysis a = streamed ? run_streamed(text, rules) : run(text, rules);
    const core::LedgerEntry& e = entry(a, "non_product");
    CHECK(e.rows == 1);  // POST only: "M" is a T-shirt here
    CHECK(contains(e.decision.evidence, "2 of the 23 listed codes occur in this file: POST (POSTAGE)"));
    CHECK(contains(e.decision.evidence,
                   "kept, because their description is not what the code means in UCI's files: M (T-SHIRT SIZE M)"));
    CHECK(a.customers.monetary() == std::vector<double>{20, 2.55});
  }
  // The user's own list is taken as given.
  rules.non_product_codes = {"M"};
  CHECK(entry(run(text, rules), "non_product").rows == 1);
  CHECK(run(text, rules).customers.monetary() == std::vector<double>{18, 2.55});
  // None of the listed codes occurs: said so.
  rules.non_product_codes = core::CleaningRules::default_non_product_codes();
  const core::Analysis none =
      run("InvoiceNo,StockCode,Quantity,InvoiceDate,UnitPrice,CustomerID\n1,X1,1,2011-01-01,1,A\n", rules);
  CHECK(entry(none, "non_product").decision.outcome == "not applicable: none of the listed codes occurs in this file");
}

TEST_CASE("synthetic customers need an invoice column: without one the rows are dropped, and the ledger says why") {
  const std::string text = "Date,Customer,Quantity,Price\n2011-01-01,A,1,10\n2011-01-01,,1,5\n2011-01-02,,1,7\n";
  core::CleaningRules rules;
  rules.missing_customer = core::CleaningRules::MissingCustomer::kSynthetic;
  for (const bool streamed : {false, true}) {
    const core::Analysis a = streamed ? run_streamed(text, rules) : run(text, rules);
    CHECK(a.customers.ids == std::vector<std::string>{"A"});
    const core::LedgerEntry& e = entry(a, "missing_customer");
    CHECK(e.rows == 2);
    CHECK(contains(e.decision.outcome, "the file has no invoice column"));
    CHECK(contains(e.warning, "removed 67% of the rows"));
  }
  // With invoices: one customer per invoice without an id.
  const core::Analysis b =
      run("Invoice,Date,Customer,Quantity,Price\n1,2011-01-01,A,1,10\n2,2011-01-01,,1,5\n2,2011-01-01,,1,1\n3,2011-01-"
          "02,,1,7\n",
          rules);
  CHECK(b.customers.size() == 3);
  CHECK(entry(b, "missing_customer").decision.applies);
}

TEST_CASE("dialects through the whole reader: space- and \", \"-delimited exports, # comments, single quotes") {
  const core::Analysis spaced =
      run("InvoiceNo InvoiceDate Quantity UnitPrice CustomerID\n1 2011-01-01 2 1.5 A\n2 2011-01-02 1 4 B\n");
  CHECK(spaced.read.summary.delimiter == "space");
  CHECK(spaced.customers.monetary() == std::vector<double>{3, 4});
  const core::Analysis comma_space =
      run("# exported by the till, 2011-02-01\n"
          "InvoiceNo, InvoiceDate, Description, Quantity, UnitPrice, CustomerID\n"
          "1, 2011-01-01, \"MUG, RED\", 2, 1.5, A\n2, 2011-01-02, PLATE, 1, 4, B\n");
  CHECK(comma_space.read.summary.skip_initial_space);
  CHECK(comma_space.read.summary.comment_lines == 1);
  CHECK(comma_space.read.summary.roles[static_cast<int>(core::Role::kCustomer)] == 5);
  CHECK(comma_space.customers.monetary() == std::vector<double>{3, 4});
  const core::Analysis single =
      run("'InvoiceNo','InvoiceDate','Quantity','UnitPrice','CustomerID'\n'1','2011-01-01','2','1.5','O''Brien'\n");
  CHECK(single.read.summary.quote == "'");
  CHECK(single.customers.ids == std::vector<std::string>{"O'Brien"});
  const core::Analysis mysql =
      run("InvoiceNo,Description,InvoiceDate,Quantity,UnitPrice,CustomerID\n"
          "1,\"12\\\" RULER, STEEL\",2011-01-01,2,1.5,A\n2,\"plain\",2011-01-02,1,4,B\n");
  CHECK(mysql.read.summary.escape == "\\");
  CHECK(mysql.customers.monetary() == std::vector<double>{3, 4});
}
