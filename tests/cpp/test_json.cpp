#include <doctest/doctest.h>

#include <cmath>
#include <string>

#include "errors.h"
#include "json.h"

using core::Json;
using core::parse_json;

TEST_CASE("JSON: values round-trip to the same bytes; numbers are the shortest text that reads back") {
  const std::string text = R"({"a":1,"b":[true,false,null],"c":"x\"y\\z\n","d":{"e":-0.5,"f":1e+300,"g":0.1}})";
  const Json j = parse_json(text);
  CHECK(core::dump_json(j) == text);
  CHECK(core::json_number(0.1) == "0.1");
  CHECK(core::json_number(1.0 / 3) == "0.3333333333333333");
  CHECK(core::json_number(5391.21) == "5391.21");
  CHECK(core::json_number(-0.0) == "-0");
  CHECK(core::json_number(std::nan("")) == "null");
  CHECK(core::dump_json(parse_json("[1, 2.5, 3]"), 2) == "[1, 2.5, 3]");
  CHECK(core::dump_json(parse_json(R"({"k":[{"x":1}]})"), 2) == "{\n  \"k\": [\n    {\n      \"x\": 1\n    }\n  ]\n}");
  CHECK(j.find("d")->find("e")->as_number() == -0.5);
  CHECK(j.find("zz") == nullptr);
}

TEST_CASE("JSON: \\u escapes and surrogate pairs become UTF-8; control characters are escaped on output") {
  CHECK(parse_json(R"("\u00e9\u20ac\ud83d\ude00")").as_string() == "\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80");
  CHECK(core::json_quote(std::string("a\x01"
                                     "b",
                                     3)) == "\"a\\u0001b\"");
  CHECK_THROWS_WITH_AS(parse_json(R"("\ud83d")"), doctest::Contains("lone high surrogate"), core::InputError);
}

TEST_CASE("JSON: every syntax error names its line and column; limits on depth, size and duplicate keys") {
  const auto error_of = [](const std::string& text) -> std::string {
    try {
      parse_json(text, "the project file");
    } catch (const core::InputError& e) {
      return e.what();
    }
    return "";
  };
  CHECK(error_of("{\n  \"a\": 1,\n}") ==
        "the project file is not valid JSON: line 3, column 1: expected a member name in double quotes");
  CHECK(error_of("[1, 2") ==
        "the project file is not valid JSON: line 1, column 6: expected ',' or ']' after an array item");
  CHECK(error_of("\"open") == "the project file is not valid JSON: line 1, column 6: a string is not closed");
  CHECK(error_of("{\"a\": NaN}").find("NaN and Infinity are not JSON numbers") != std::string::npos);
  CHECK(error_of("01").find("unexpected text after the end of the value") != std::string::npos);
  CHECK(error_of("{\"a\":1,\"a\":2}").find("the member \"a\" appears twice") != std::string::npos);
  CHECK(error_of("").find("it is empty") != std::string::npos);
  CHECK(error_of("[1e999]").find("out of range") != std::string::npos);
  CHECK(error_of("\"a\tb\"").find("control character") != std::string::npos);
  std::string deep(100, '[');
  deep += std::string(100, ']');
  CHECK(error_of(deep).find("nested deeper than 64 levels") != std::string::npos);
  core::JsonLimits small;
  small.max_bytes = 10;
  CHECK_THROWS_WITH_AS(parse_json("[1,2,3,4,5,6,7]", "x", small), doctest::Contains("more than"), core::InputError);
  try {
    parse_json("[\n\n   x]");
    FAIL("expected an error");
  } catch (const core::InputError& e) {
    CHECK(e.line() == 3);
    CHECK(e.column() == 4);
  }
  CHECK(parse_json("\xEF\xBB\xBF[1]").size() == 1);  // a byte order mark is skipped
}
