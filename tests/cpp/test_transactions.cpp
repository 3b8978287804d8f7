#include <doctest/doctest.h>

#include <cmath>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include "pipeline_support.h"
#include "transactions.h"
#include "values.h"

namespace {

core::Decimal plain(const std::string& text) {
  core::Decimal d;
  REQUIRE(core::parse_plain_decimal(text, '.', d));
  return d;
}

core::Decimal from_double(double v) {
  core::Decimal d;
  d.value = v;
  return d;
}

}  // namespace

TEST_CASE("dictionary: codes in order of first appearance, short, 8-byte and long keys alike") {
  core::Dictionary d;
  const std::vector<std::string> keys = {"85123A",
                                         "POST",
                                         "",
                                         "ABCDEFGH",
                                         "ABCDEFGHI",
                                         "United Kingdom",
                                         "AB",
                                         std::string("AB\0", 3),
                                         std::string("\0", 1)};
  for (std::size_t i = 0; i < keys.size(); ++i) CHECK(d.intern(keys[i]) == static_cast<std::int32_t>(i));
  for (std::size_t i = 0; i < keys.size(); ++i) {
    CHECK(d.intern(keys[i]) == static_cast<std::int32_t>(i));  // found again, not added
    CHECK(d.find(keys[i]) == static_cast<std::int32_t>(i));
    CHECK(d[static_cast<std::int32_t>(i)] == keys[i]);
  }
  CHECK(d.size() == static_cast<std::int32_t>(keys.size()));
  CHECK(d.find("85123B") == -1);
  CHECK(d.find_short("POST") == 1);
  CHECK(d.find_short("ABCDEFGHI") == -1);  // longer than 8 bytes: not the inline path's
  CHECK(d.find_short("nope") == -1);
}

TEST_CASE("dictionary: many keys, through the growth of its slots") {
  core::Dictionary d;
  for (int i = 0; i < 20000; ++i) CHECK(d.intern("k" + std::to_string(i * 7919)) == i);
  for (int i = 0; i < 20000; i += 97) CHECK(d.find("k" + std::to_string(i * 7919)) == i);
  CHECK(d.find("k1") == -1);
}

TEST_CASE("code column: widens from 1 to 2 to 4 bytes a row, every code kept") {
  core::CodeColumn c;
  std::vector<std::int32_t> codes = {-1, 0, 5, 254};
  c.append(codes.data(), codes.size());
  CHECK(c.bytes_per_row() == 1);
  const std::vector<std::int32_t> wider = {255, -1, 65534};
  c.append(wider.data(), wider.size());
  CHECK(c.bytes_per_row() == 2);
  const std::vector<std::int32_t> widest = {65535, 3, 1 << 30};
  c.append(widest.data(), widest.size());
  CHECK(c.bytes_per_row() == 4);
  codes.insert(codes.end(), wider.begin(), wider.end());
  codes.insert(codes.end(), widest.begin(), widest.end());
  REQUIRE(c.size() == codes.size());
  for (std::size_t i = 0; i < codes.size(); ++i) CHECK(c[i] == codes[i]);
}

TEST_CASE("decimal column: gives back exactly the parser's doubles; finer scales and doubles when needed") {
  core::DecimalColumn c;
  const std::vector<std::string> texts = {"2.55", "6", "-12", "0.1", "38970.00", "1.005", "0"};
  std::vector<core::Decimal> v;
  for (const auto& t : texts) v.push_back(plain(t));
  c.append(v.data(), v.size());
  CHECK(c.bytes_per_row() == 4);  // every value a 32-bit multiple of 10^-3
  for (std::size_t i = 0; i < texts.size(); ++i) {
    double expected;
    REQUIRE(core::parse_number(texts[i], expected));
    CHECK(c[i] == expected);
  }
  // A value that came as a double (thousands separators, currency) is kept at the scale when exact.
  const core::Decimal converted = from_double(1234.5);
  c.append(&converted, 1);
  CHECK(c.bytes_per_row() == 4);
  CHECK(c[texts.size()] == 1234.5);
  // Beyond 32 bits at the scale: the column turns to doubles, every value unchanged.
  const core::Decimal big = plain("99999999.123");
  c.append(&big, 1);
  CHECK(c.bytes_per_row() == 8);
  CHECK(c[texts.size() + 1] == 99999999.123);
  for (std::size_t i = 0; i < texts.size(); ++i) {
    double expected;
    REQUIRE(core::parse_number(texts[i], expected));
    CHECK(c[i] == expected);
  }
}

TEST_CASE("decimal column: random plain decimals round-trip bit for bit") {
  std::mt19937_64 rng(7);
  core::DecimalColumn c;
  std::vector<double> expected;
  for (int i = 0; i < 5000; ++i) {
    const int decimals = static_cast<int>(rng() % 4);
    std::string s = std::to_string(rng() % 100000);
    if (decimals > 0) {
      s += ".";
      for (int k = 0; k < decimals; ++k) s += static_cast<char>('0' + rng() % 10);
    }
    if (rng() % 5 == 0 && s != "0") s = "-" + s;
    double d;
    REQUIRE(core::parse_number(s, d));
    core::Decimal dec;
    if (!core::parse_plain_decimal(s, '.', dec)) dec = from_double(d);  // "-0…": stays a double
    c.append(&dec, 1);
    expected.push_back(d);
  }
  for (std::size_t i = 0; i < expected.size(); ++i) {
    CHECK(c[i] == expected[i]);
    CHECK(std::signbit(c[i]) == std::signbit(expected[i]));
  }
}

TEST_CASE("decimal column: a negative zero stays one") {
  core::DecimalColumn c;
  const core::Decimal values[] = {plain("1.5"), from_double(-0.0)};
  c.append(values, 2);
  CHECK(c[0] == 1.5);
  CHECK(c[1] == 0.0);
  CHECK(std::signbit(c[1]));
}

TEST_CASE("line column: the row's line from a few (row, offset) pairs") {
  core::LineColumn c;
  const std::vector<std::int32_t> lines = {2, 3, 4, 6, 7, 10, 11, 12};
  c.append(lines.data(), 3);
  c.append(lines.data() + 3, lines.size() - 3);
  REQUIRE(c.size() == lines.size());
  for (std::size_t i = 0; i < lines.size(); ++i) CHECK(c[i] == lines[i]);
}

TEST_CASE("for_each_block: every index once, in order") {
  for (std::size_t n : {std::size_t{0}, std::size_t{1}, std::size_t{16384}, std::size_t{200001}}) {
    for (std::size_t block : {std::size_t{1}, std::size_t{1000}, std::size_t{16384}}) {
      std::size_t next = 0, blocks = 0;
      core::for_each_block(
          n,
          [&](std::size_t begin, std::size_t end) {
            CHECK(begin == next);
            CHECK(end > begin);
            next = end;
            ++blocks;
          },
          block);
      CHECK(next == n);
      CHECK(blocks == (n + block - 1) / block);
    }
  }
}

TEST_CASE("the demo data's table: about 20 bytes a row") {
  const core::ReadResult r = test::read(test::read_fixture("../../public/samples/online-retail-sample.csv"));
  CHECK(r.table.rows() == 99096);
  // 2-byte customer, invoice and product codes, a 1-byte country, a 4-byte day, 4-byte quantity
  // and price, a flag byte.
  CHECK(r.table.bytes_per_row() == 20);
}
