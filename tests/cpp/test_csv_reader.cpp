#include <doctest/doctest.h>

#include <random>
#include <string>
#include <vector>

#include "csv_reader.h"
#include "errors.h"

using core::CsvOptions;
using core::CsvReader;
using core::CsvRecord;
using Rows = std::vector<std::vector<std::string>>;

namespace {

struct Parsed {
  Rows rows;
  std::vector<std::int64_t> lines;
  char delimiter = 0;
};

// Feeds `text` in pieces cut at the given offsets.
Parsed parse_split(const std::string& text, const std::vector<std::size_t>& cuts, char delimiter = 0) {
  Parsed p;
  CsvOptions o;
  o.delimiter = delimiter;
  CsvReader reader(o, [&](const CsvRecord& r) {
    p.rows.emplace_back(r.fields.begin(), r.fields.end());
    p.lines.push_back(r.line);
  });
  std::size_t prev = 0;
  for (std::size_t c : cuts) {
    reader.feed(std::string_view(text).substr(prev, c - prev));
    prev = c;
  }
  reader.feed(std::string_view(text).substr(prev));
  reader.finish();
  p.delimiter = reader.delimiter();
  return p;
}

}  // namespace

TEST_CASE("plain records, LF / CRLF / CR line ends, trailing line end optional") {
  for (const char* text : {"a,b\n1,2\n", "a,b\r\n1,2\r\n", "a,b\r1,2\r", "a,b\n1,2"}) {
    const Rows rows = core::parse_csv(text);
    CHECK(rows == Rows{{"a", "b"}, {"1", "2"}});
  }
}

TEST_CASE("RFC 4180 quoting: delimiters, doubled quotes and line breaks inside quotes") {
  const std::string text = "id,desc,n\n1,\"RED, WHITE\",2\n2,\"say \"\"hi\"\"\",3\n3,\"two\nlines\",4\n";
  const Parsed p = parse_split(text, {});
  REQUIRE(p.rows.size() == 4);
  CHECK(p.rows[1] == std::vector<std::string>{"1", "RED, WHITE", "2"});
  CHECK(p.rows[2] == std::vector<std::string>{"2", "say \"hi\"", "3"});
  CHECK(p.rows[3] == std::vector<std::string>{"3", "two\nlines", "4"});
  CHECK(p.lines == std::vector<std::int64_t>{1, 2, 3, 4});
}

TEST_CASE("empty fields, a trailing delimiter and blank lines") {
  CHECK(core::parse_csv("a,b,c\n,,\n\n\n1,,3\n") == Rows{{"a", "b", "c"}, {"", "", ""}, {"1", "", "3"}});
  CHECK(core::parse_csv("a,b,\n") == Rows{{"a", "b", ""}});
  CHECK(core::parse_csv("\n\na,b\n1,2\n") == Rows{{"a", "b"}, {"1", "2"}});
  CHECK(core::parse_csv("").empty());
}

TEST_CASE("line numbers count physical lines, including those inside quotes and blank ones") {
  const Parsed p = parse_split("h1,h2\n\n\"a\nb\",1\r\n\"c\r\nd\",2\n3,4\n", {});
  CHECK(p.lines == std::vector<std::int64_t>{1, 3, 5, 7});
}

TEST_CASE("delimiter sniffing: comma, semicolon, tab, pipe") {
  CHECK(parse_split("a;b;c\n1,5;2;3\n", {}).delimiter == ';');
  CHECK(parse_split("a\tb\n1\t2\n", {}).delimiter == '\t');
  CHECK(parse_split("a|b|c\n1|2|3\n", {}).delimiter == '|');
  CHECK(parse_split("a,b\n\"x;y\",2\n", {}).delimiter == ',');
  CHECK(parse_split("single\n1\n", {}).delimiter == ',');
}

TEST_CASE("text after a closing quote is kept") {
  CHECK(core::parse_csv("a,b\n\"x\"y,2\n") == Rows{{"a", "b"}, {"xy", "2"}});
}

TEST_CASE("an unterminated quote at the end of the file names its line and column") {
  try {
    core::parse_csv("a,b\n1,\"open\n2,3\n");
    FAIL("expected InputError");
  } catch (const core::InputError& e) {
    CHECK(e.line() == 2);
    CHECK(e.column() == 2);
    CHECK(std::string(e.what()).find("line 2") != std::string::npos);
  }
}

TEST_CASE("every chunk boundary gives the same records") {
  const std::string text =
      "InvoiceNo,Description,Quantity\r\n536365,\"WHITE, \"\"HANGING\"\" HEART\",6\r\n"
      "\r\nC536379,\"multi\r\nline\",-1\r536380,\"x\"y,2\n536381,,\"\"\n536382,last,3";
  const Parsed whole = parse_split(text, {});
  REQUIRE(whole.rows.size() == 6);
  for (std::size_t cut = 0; cut <= text.size(); ++cut) {
    const Parsed one = parse_split(text, {cut}, ',');
    CHECK_MESSAGE(one.rows == whole.rows, "cut at " << cut);
    CHECK_MESSAGE(one.lines == whole.lines, "cut at " << cut);
    for (std::size_t cut2 = cut; cut2 <= text.size(); cut2 += 3) {
      const Parsed two = parse_split(text, {cut, cut2}, ',');
      CHECK_MESSAGE(two.rows == whole.rows, "cuts at " << cut << ", " << cut2);
    }
  }
  // One byte at a time.
  std::vector<std::size_t> cuts;
  for (std::size_t i = 1; i < text.size(); ++i) cuts.push_back(i);
  CHECK(parse_split(text, cuts, ',').rows == whole.rows);
}

namespace {

// The reader's rules, one byte at a time and nothing else: the fast path (64 bytes at a time) must
// agree with it on every input.
Parsed reference_parse(const std::string& s, char d) {
  Parsed p;
  std::vector<std::string> fields;
  std::string field;
  enum { kStart, kUnquoted, kQuoted, kAfterClose, kAfterText } state = kStart;
  std::int64_t line = 1, record_line = 1;
  bool cr_counted = false;
  auto end_field = [&] {
    fields.push_back(field);
    field.clear();
  };
  auto end_record = [&] {
    if (!(fields.size() == 1 && fields[0].empty())) {
      p.rows.push_back(fields);
      p.lines.push_back(record_line);
    }
    fields.clear();
  };
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (state == kStart && fields.empty()) record_line = line;
    if (state == kStart && c == '"') {
      state = kQuoted;
      continue;
    }
    if (state == kQuoted) {
      if (c == '"') {
        state = kAfterClose;
        cr_counted = false;
      } else {
        if (c == '\n' && !cr_counted) ++line;
        if (c == '\r') ++line;
        cr_counted = c == '\r';
        field += c;
      }
      continue;
    }
    if (state == kAfterClose && c == '"') {
      field += '"';
      state = kQuoted;
      continue;
    }
    if (c == d) {
      end_field();
      state = kStart;
    } else if (c == '\n' || c == '\r') {
      end_field();
      ++line;
      end_record();
      state = kStart;
      if (c == '\r' && i + 1 < s.size() && s[i + 1] == '\n') ++i;
    } else {
      field += c;
      if (state == kStart) state = kUnquoted;
      if (state == kAfterClose) state = kAfterText;
    }
  }
  if (state == kQuoted) throw core::InputError("open quote");
  if (state != kStart || !fields.empty()) {
    end_field();
    end_record();
  }
  return p;
}

}  // namespace

TEST_CASE("the 64-byte fast path agrees with a byte-at-a-time reading on random text") {
  std::mt19937 rng(11);
  const std::string alphabet = "ab,,,\"\n\r 1";
  for (int round = 0; round < 3000; ++round) {
    std::string text(static_cast<std::size_t>(rng() % 300), 'x');
    for (char& c : text) c = alphabet[rng() % alphabet.size()];
    Parsed expected;
    bool open_quote = false;
    try {
      expected = reference_parse(text, ',');
    } catch (const core::InputError&) {
      open_quote = true;
    }
    const std::size_t cut = text.empty() ? 0 : rng() % text.size();
    if (open_quote) {
      CHECK_THROWS_AS(parse_split(text, {cut}, ','), core::InputError);
      continue;
    }
    const Parsed got = parse_split(text, {cut}, ',');
    CHECK_MESSAGE(got.rows == expected.rows, "round " << round << ", cut " << cut);
    CHECK_MESSAGE(got.lines == expected.lines, "round " << round << ", cut " << cut);
  }
}

TEST_CASE("long records: fields across 64-byte blocks, quotes at block edges") {
  std::string text = "id,desc,n\n";
  for (int i = 0; i < 200; ++i) {
    text += std::to_string(i) + "," + std::string(static_cast<std::size_t>(i % 97), 'x');
    text += i % 3 == 0 ? ",\"q,\"\"" + std::string(static_cast<std::size_t>(i % 61), 'y') + "\"" : ",plain";
    text += i % 5 == 0 ? "\r\n" : "\n";
  }
  const Parsed expected = reference_parse(text, ',');
  REQUIRE(expected.rows.size() == 201);
  for (std::size_t cut : {std::size_t{1}, std::size_t{63}, std::size_t{64}, std::size_t{65}, text.size() / 2, text.size() - 1}) {
    const Parsed got = parse_split(text, {cut}, ',');
    CHECK(got.rows == expected.rows);
    CHECK(got.lines == expected.lines);
  }
}
