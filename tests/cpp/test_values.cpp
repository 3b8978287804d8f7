#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include "dates.h"
#include "values.h"

using core::parse_date;
using core::parse_number;
using core::ParsedDate;

TEST_CASE("numbers") {
  double v = 0;
  CHECK((parse_number("2.55", v) && v == 2.55));
  CHECK((parse_number(" -12 ", v) && v == -12));
  CHECK((parse_number("+0.125", v) && v == 0.125));
  CHECK((parse_number("1e3", v) && v == 1000));
  CHECK((parse_number(".5", v) && v == 0.5));
  CHECK((parse_number("38970.00", v) && v == 38970));
  CHECK((parse_number("0.1", v) && v == 0.1));
  CHECK((parse_number("123456789012345678901", v) && v == 123456789012345678901.0));
  CHECK_FALSE(parse_number("", v));
  CHECK_FALSE(parse_number("-", v));
  CHECK_FALSE(parse_number("abc", v));
  CHECK_FALSE(parse_number("1.2.3", v));
  CHECK_FALSE(parse_number("12abc", v));
  CHECK_FALSE(parse_number("1e", v));
}

TEST_CASE("dates: ISO with and without time") {
  const ParsedDate d = parse_date("2011-12-09 12:50:00");
  CHECK(d.kind == ParsedDate::Kind::kIso);
  CHECK(core::format_date(d.days) == "2011-12-09");
  CHECK(parse_date("2011-12-09").kind == ParsedDate::Kind::kIso);
  CHECK(parse_date("2017-01-28T14:06:53Z").kind == ParsedDate::Kind::kIso);
  CHECK(parse_date("2011-02-30").kind == ParsedDate::Kind::kInvalid);
  CHECK(parse_date("2011-12-09 25:00").kind == ParsedDate::Kind::kInvalid);
  CHECK(parse_date("tomorrow").kind == ParsedDate::Kind::kInvalid);
  CHECK(core::days_from_civil(1970, 1, 1) == 0);
  CHECK(core::format_date(core::days_from_civil(2000, 2, 29)) == "2000-02-29");
}

TEST_CASE("dates: slash dates keep both readings") {
  ParsedDate d = parse_date("12/1/2010 8:26");
  CHECK(d.kind == ParsedDate::Kind::kSlash);
  CHECK(d.md_ok);
  CHECK(d.dm_ok);
  CHECK(core::format_date(d.days_md) == "2010-12-01");
  CHECK(core::format_date(d.days_dm) == "2010-01-12");
  d = parse_date("12/13/2010 8:26");
  CHECK(d.md_ok);
  CHECK_FALSE(d.dm_ok);
  d = parse_date("13.12.2010");
  CHECK_FALSE(d.md_ok);
  CHECK(d.dm_ok);
  CHECK(core::format_date(d.days_dm) == "2010-12-13");
  CHECK(parse_date("13/13/2010").kind == ParsedDate::Kind::kInvalid);
}

TEST_CASE("customer ids") {
  CHECK(core::normalize_id("13085.0") == "13085");
  CHECK(core::normalize_id(" 17850 ") == "17850");
  CHECK(core::normalize_id("13085.5") == "13085.5");
  CHECK(core::normalize_id("A-1.0") == "A-1.0");
  CHECK(core::normalize_id("").empty());
  CHECK(core::normalize_id("NA").empty());
  CHECK(core::normalize_id("nan").empty());
}

TEST_CASE("plain decimals: the inline path gives parse_number's double, or leaves the text to it") {
  auto same_as_parse_number = [](const std::string& s, char decimal) {
    core::Decimal d;
    if (!core::parse_plain_decimal(s, decimal, d)) return true;  // not plain: parse_number decides
    double v;
    core::NumberFormat f;
    f.decimal = decimal;
    return core::parse_number(s, f, v) && v == d.to_double() && std::signbit(v) == std::signbit(d.to_double());
  };
  for (const char* s :
       {"2.55", "-12", "+0.125", "38970.00", "0.1", "0", "7", "123456789012345678", "1.005", "0.000001"})
    CHECK_MESSAGE(same_as_parse_number(s, '.'), s);
  CHECK(same_as_parse_number("1,5", ','));
  core::Decimal d;
  CHECK((core::parse_plain_decimal("2.55", '.', d) && d.mantissa == 255 && d.scale == 2));
  CHECK((core::parse_plain_decimal("-12", '.', d) && d.mantissa == -12 && d.scale == 0));
  for (const char* s :
       {"", "-", ".5", "5.", "1.2.3", " 2", "2 ", "1e3", "-0", "-0.00", "1,234.5", "1234567890123456789", "£2"})
    CHECK_FALSE_MESSAGE(core::parse_plain_decimal(s, '.', d), s);
  CHECK_FALSE(core::parse_plain_decimal("2.55", ',', d));  // '.' is not this column's decimal separator
}
