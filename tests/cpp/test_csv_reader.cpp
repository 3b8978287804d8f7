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
Parsed parse_split(const std::string& text, const std::vector<std::size_t>& cuts, const CsvOptions& o) {
  Parsed p;
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

// The usual dialect with this delimiter, nothing sniffed.
CsvOptions usual(char delimiter, bool general = false) {
  CsvOptions o;
  o.delimiter = delimiter;
  o.quote = '"';
  o.escape = '\0';
  o.skip_initial_space = false;
  o.comment = '\0';
  o.force_general = general;
  return o;
}

// delimiter 0: the whole dialect sniffed; else the usual dialect with that delimiter.
Parsed parse_split(const std::string& text, const std::vector<std::size_t>& cuts, char delimiter = 0) {
  return parse_split(text, cuts, delimiter == 0 ? CsvOptions{} : usual(delimiter));
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
  for (std::size_t cut :
       {std::size_t{1}, std::size_t{63}, std::size_t{64}, std::size_t{65}, text.size() / 2, text.size() - 1}) {
    const Parsed got = parse_split(text, {cut}, ',');
    CHECK(got.rows == expected.rows);
    CHECK(got.lines == expected.lines);
  }
}

// ---------------------------------------------------------------------------------------------
// Dialects: what real exports write besides RFC 4180, sniffed with their evidence or given.

namespace {

std::string joined(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += x + "\n";
  return s;
}

struct Sniffed {
  Rows rows;
  std::vector<std::int64_t> lines;
  core::CsvDialect dialect;
  std::string evidence;
};

Sniffed sniff_parse(const std::string& text, CsvOptions o = {}) {
  Sniffed s;
  CsvReader reader(o, [&](const CsvRecord& r) {
    s.rows.emplace_back(r.fields.begin(), r.fields.end());
    s.lines.push_back(r.line);
  });
  reader.feed(text);
  reader.finish();
  s.dialect = reader.dialect();
  s.evidence = joined(reader.evidence());
  return s;
}

}  // namespace

TEST_CASE("the byte-at-a-time parser agrees with the fast path on the usual dialect, on random text") {
  std::mt19937 rng(29);
  const std::string alphabet = "ab,,;\"\"\n\r '\\#1";
  for (int round = 0; round < 4000; ++round) {
    std::string text(static_cast<std::size_t>(rng() % 200), 'x');
    for (char& c : text) c = alphabet[rng() % alphabet.size()];
    const std::size_t cut = text.empty() ? 0 : rng() % text.size();
    const char d = round % 2 ? ',' : ';';
    Parsed fast, general;
    bool fast_failed = false, general_failed = false;
    try {
      fast = parse_split(text, {cut}, usual(d));
    } catch (const core::InputError&) {
      fast_failed = true;
    }
    try {
      general = parse_split(text, {cut / 2, cut}, usual(d, true));
    } catch (const core::InputError&) {
      general_failed = true;
    }
    REQUIRE_MESSAGE(fast_failed == general_failed, "round " << round);
    CHECK_MESSAGE(fast.rows == general.rows, "round " << round << ", cut " << cut);
    CHECK_MESSAGE(fast.lines == general.lines, "round " << round << ", cut " << cut);
  }
}

TEST_CASE("space-delimited files: sniffed only when no other delimiter splits the lines evenly") {
  const Sniffed s = sniff_parse("id name qty\n1 tea 3\n2 cake 1\n");
  CHECK(s.dialect.delimiter == ' ');
  CHECK(s.rows == Rows{{"id", "name", "qty"}, {"1", "tea", "3"}, {"2", "cake", "1"}});
  // Aligned columns: runs of spaces are one delimiter; spaces at a line's ends are no fields.
  const Sniffed aligned = sniff_parse("  id  name    qty\n   1  tea       3  \n  12  cake     10\n");
  CHECK(aligned.dialect.delimiter == ' ');
  CHECK(aligned.rows == Rows{{"id", "name", "qty"}, {"1", "tea", "3"}, {"12", "cake", "10"}});
  // Quoted values may hold spaces.
  CHECK(sniff_parse("id name\n1 \"Earl Grey\"\n").rows == Rows{{"id", "name"}, {"1", "Earl Grey"}});
  // Values with spaces in a comma file do not make it space-delimited.
  const Sniffed comma =
      sniff_parse("Customer Name,Order Date\nJohn Smith,2011-01-04 08:26\nAnn Lee,2011-01-05 09:00\n");
  CHECK(comma.dialect.delimiter == ',');
  CHECK(comma.rows[1] == std::vector<std::string>{"John Smith", "2011-01-04 08:26"});
  CHECK(s.evidence.find("runs of spaces") != std::string::npos);
}

TEST_CASE("\", \"-delimited files: spaces after the delimiter skipped, so a quote after one opens a field") {
  const Sniffed s = sniff_parse("a, b, c\n1, \"x, y\", 3\n2, z, 4\n");
  CHECK(s.dialect.delimiter == ',');
  CHECK(s.dialect.skip_initial_space);
  CHECK(s.rows == Rows{{"a", "b", "c"}, {"1", "x, y", "3"}, {"2", "z", "4"}});
  CHECK(s.evidence.find("spaces after the delimiter skipped") != std::string::npos);
  // The "evil.csv" case (gebi/csv-test): Go with trim_leading_space reads two fields.
  const Sniffed evil = sniff_parse("character, quote\nExpert, \"Trust me, I'm an expert\"\nBuddha, \"\"\n");
  CHECK(evil.rows[1] == std::vector<std::string>{"Expert", "Trust me, I'm an expert"});
  CHECK(evil.rows[2] == std::vector<std::string>{"Buddha", ""});
  // A comma file where some values start with a space keeps them.
  const Sniffed kept = sniff_parse("a,b\n1, x\n2,y\n3,z\n");
  CHECK_FALSE(kept.dialect.skip_initial_space);
  CHECK(kept.rows[1] == std::vector<std::string>{"1", " x"});
  // Given: no sniffing of that part.
  CsvOptions o;
  o.skip_initial_space = false;
  CHECK(sniff_parse("a, b\n1, 2\n", o).rows == Rows{{"a", " b"}, {"1", " 2"}});
}

TEST_CASE("single-quoted files: sniffed from fields wrapped in ', never from apostrophes in text") {
  const Sniffed s = sniff_parse("'id','name'\n'1','O''Brien, Pat'\n'2','Lee'\n");
  CHECK(s.dialect.quote == '\'');
  CHECK(s.rows == Rows{{"id", "name"}, {"1", "O'Brien, Pat"}, {"2", "Lee"}});
  CHECK(s.evidence.find("single quotes") != std::string::npos);
  const Sniffed apostrophes = sniff_parse("name,qty\nO'Brien,1\nD'Arcy's,2\n'90s mix,3\n");
  CHECK(apostrophes.dialect.quote == '"');
  CHECK(apostrophes.rows[3] == std::vector<std::string>{"'90s mix", "3"});
  // Double quotes present: they stay the quote character.
  CHECK(sniff_parse("a,b\n'x',\"y, z\"\n'p',q\n").dialect.quote == '"');
  CsvOptions none;
  none.quote = '\0';
  CHECK(sniff_parse("a,b\n\"x,y\n", none).rows == Rows{{"a", "b"}, {"\"x", "y"}});
}

TEST_CASE("backslash-escaped quotes (MySQL): sniffed when they explain the sample, not from Windows paths") {
  const Sniffed s = sniff_parse("id,desc\n1,\"He said \\\"hi\\\", twice\"\n2,\"plain\"\n3,x\n");
  CHECK(s.dialect.escape == '\\');
  CHECK(s.rows == Rows{{"id", "desc"}, {"1", "He said \"hi\", twice"}, {"2", "plain"}, {"3", "x"}});
  CHECK(s.evidence.find("backslash escapes") != std::string::npos);
  // A path ending in a backslash is text: reading \" as an escape would leave the quote open.
  const Sniffed paths = sniff_parse("id,path\n1,\"C:\\dir\\\"\n2,\"D:\\x\"\n");
  CHECK(paths.dialect.escape == '\0');
  CHECK(paths.rows == Rows{{"id", "path"}, {"1", "C:\\dir\\"}, {"2", "D:\\x"}});
  // Given: outside quotes too, the escaped byte stands for itself (a delimiter, a line break).
  CsvOptions o;
  o.escape = '\\';
  CHECK(sniff_parse("a,b\n1\\,5,x\\\ny\n", o).rows == Rows{{"a", "b"}, {"1,5", "x\ny"}});
}

TEST_CASE("comment lines: # lines before the header are skipped, others only with a comment character") {
  const Sniffed s = sniff_parse("# exported 2024-01-01\r\n# by the shop\r\nid,qty\r\n1,2\r\n");
  CHECK(s.rows == Rows{{"id", "qty"}, {"1", "2"}});
  CHECK(s.lines == std::vector<std::int64_t>{3, 4});
  CHECK(s.evidence.find("2 comment lines") != std::string::npos);
  // Shopify order names start with #: a data line is never a comment unless asked.
  CHECK(sniff_parse("Name,Total\n#1001,5\n#1002,6\n").rows == Rows{{"Name", "Total"}, {"#1001", "5"}, {"#1002", "6"}});
  // A '#' header cell (a row-number column) is not a comment.
  CHECK(sniff_parse("#,name\n1,x\n").rows == Rows{{"#", "name"}, {"1", "x"}});
  CsvOptions o;
  o.comment = '#';
  const Sniffed anywhere = sniff_parse("id,qty\n#note, with a comma\n1,2\n", o);
  CHECK(anywhere.rows == Rows{{"id", "qty"}, {"1", "2"}});
  CHECK(anywhere.lines == std::vector<std::int64_t>{1, 3});
  CsvOptions off;
  off.comment = '\0';
  CHECK(sniff_parse("#x\nid\n", off).rows == Rows{{"#x"}, {"id"}});
}

TEST_CASE("every chunk boundary gives the same records in every dialect") {
  struct Case {
    std::string text;
    CsvOptions options;
  };
  CsvOptions spaced;
  spaced.skip_initial_space = true;
  CsvOptions single;
  single.quote = '\'';
  CsvOptions escaped;
  escaped.escape = '\\';
  CsvOptions comments;
  comments.comment = '#';
  const std::vector<Case> cases = {
      {"a, b, c\r\n1, \"x,\r\n y\", 3\r\n\r\n2,  z, \"\"\n", spaced},
      {"'a','b'\n'1','it''s'\r'2',x'y'\n", single},
      {"a,b\n\"q\\\"1\",\\,\n\"multi\\\nline\",end\\", escaped},
      {"a,b\n# c1\r\n1,2\n#c2\n\"#3\",4", comments},
      {"id  name\n 1   x \r\n 22  \"y z\"\n",
       [] {
         CsvOptions o;
         o.delimiter = ' ';
         o.skip_initial_space = true;
         return o;
       }()},
  };
  for (const Case& c : cases) {
    const Parsed whole = parse_split(c.text, {}, c.options);
    REQUIRE(whole.rows.size() >= 2);
    for (std::size_t cut = 0; cut <= c.text.size(); ++cut) {
      const Parsed one = parse_split(c.text, {cut}, c.options);
      CHECK_MESSAGE(one.rows == whole.rows, c.text << " cut at " << cut);
      CHECK_MESSAGE(one.lines == whole.lines, c.text << " cut at " << cut);
    }
  }
}

TEST_CASE("csv-spectrum cases read as the suite expects, in the sniffed dialect") {
  CHECK(sniff_parse("first,last,address,city,zip\nJohn,Doe,120 any st.,\"Anytown, WW\",08123\n").rows[1] ==
        std::vector<std::string>{"John", "Doe", "120 any st.", "Anytown, WW", "08123"});
  CHECK(sniff_parse("a,b,c\n1,\"\",\"\"\n2,3,4\n").rows == Rows{{"a", "b", "c"}, {"1", "", ""}, {"2", "3", "4"}});
  CHECK(sniff_parse("a,b,c\r\n1,\"\",\"\"\r\n2,3,4\r\n").rows == Rows{{"a", "b", "c"}, {"1", "", ""}, {"2", "3", "4"}});
  CHECK(sniff_parse("a,b\n1,\"ha \"\"ha\"\" ha\"\n3,4\n").rows == Rows{{"a", "b"}, {"1", "ha \"ha\" ha"}, {"3", "4"}});
  CHECK(sniff_parse("key,val\n1,\"{\"\"type\"\": \"\"Point\"\", \"\"coordinates\"\": [102.0, 0.5]}\"\n").rows[1] ==
        std::vector<std::string>{"1", "{\"type\": \"Point\", \"coordinates\": [102.0, 0.5]}"});
  CHECK(sniff_parse("a,b,c\n1,2,3\n\"Once upon \na time\",5,6\n7,8,9\n").rows[2] ==
        std::vector<std::string>{"Once upon \na time", "5", "6"});
  CHECK(sniff_parse("a,b\n1,\"ha \n\"\"ha\"\" \nha\"\n3,4\n").rows[1] ==
        std::vector<std::string>{"1", "ha \n\"ha\" \nha"});
  CHECK(sniff_parse("a,b,c\n1,2,3\n").rows == Rows{{"a", "b", "c"}, {"1", "2", "3"}});
  CHECK(sniff_parse("a,b,c\r\n1,2,3\r\n").rows == Rows{{"a", "b", "c"}, {"1", "2", "3"}});
  CHECK(sniff_parse("a,b,c\n1,2,3\n4,5,ʤ\n").rows[2] == std::vector<std::string>{"4", "5", "ʤ"});
  CHECK(sniff_parse("lat,lng\n\"23.5\",\"-12.0\"\n").rows[1] == std::vector<std::string>{"23.5", "-12.0"});
}
