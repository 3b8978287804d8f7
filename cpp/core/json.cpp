#include "json.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "errors.h"
#include "values.h"

namespace core {

const Json* Json::find(std::string_view key) const {
  if (type_ != Type::kObject) return nullptr;
  for (const Member& m : members_)
    if (m.first == key) return &m.second;
  return nullptr;
}

Json& Json::operator[](std::string_view key) {
  for (Member& m : members_)
    if (m.first == key) return m.second;
  members_.emplace_back(std::string(key), Json());
  return members_.back().second;
}

Json& Json::set(std::string_view key, Json value) {
  (*this)[key] = std::move(value);
  return *this;
}

bool Json::operator==(const Json& o) const {
  if (type_ != o.type_) return false;
  switch (type_) {
    case Type::kNull: return true;
    case Type::kBool: return bool_ == o.bool_;
    case Type::kNumber: return number_ == o.number_;
    case Type::kString: return string_ == o.string_;
    case Type::kArray: return items_ == o.items_;
    case Type::kObject: return members_ == o.members_;
  }
  return false;
}

const char* json_type_name(Json::Type t) {
  switch (t) {
    case Json::Type::kNull: return "null";
    case Json::Type::kBool: return "boolean";
    case Json::Type::kNumber: return "number";
    case Json::Type::kString: return "string";
    case Json::Type::kArray: return "array";
    case Json::Type::kObject: return "object";
  }
  return "?";
}

namespace {

class Parser {
 public:
  Parser(std::string_view text, const std::string& what, const JsonLimits& limits)
      : s_(text), what_(what), limits_(limits) {}

  Json document() {
    if (s_.size() > limits_.max_bytes)
      fail("it is " + std::to_string(s_.size() >> 20) + " MB, more than the " +
           std::to_string(limits_.max_bytes >> 20) + " MB such a file can hold");
    if (s_.size() >= 3 && std::memcmp(s_.data(), "\xEF\xBB\xBF", 3) == 0) i_ = 3;  // a byte order mark
    space();
    if (i_ == s_.size()) fail("it is empty");
    Json v = value(0);
    space();
    if (i_ != s_.size()) fail("unexpected text after the end of the value");
    return v;
  }

 private:
  [[noreturn]] void fail(const std::string& why) const {
    std::int64_t line = 1, column = 1;
    for (std::size_t k = 0; k < i_ && k < s_.size(); ++k) {
      if (s_[k] == '\n') {
        ++line;
        column = 1;
      } else if ((static_cast<unsigned char>(s_[k]) & 0xC0) != 0x80) {
        ++column;
      }
    }
    throw InputError(
        what_ + " is not valid JSON: line " + std::to_string(line) + ", column " + std::to_string(column) + ": " + why,
        line, column);
  }

  void space() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n' || s_[i_] == '\r')) ++i_;
  }

  bool literal(const char* word) {
    const std::size_t n = std::strlen(word);
    if (s_.compare(i_, n, word) != 0) return false;
    i_ += n;
    return true;
  }

  Json value(std::size_t depth) {
    if (depth >= limits_.max_depth) fail("values nested deeper than " + std::to_string(limits_.max_depth) + " levels");
    if (i_ >= s_.size()) fail("the text ends where a value should be");
    const char c = s_[i_];
    if (c == '{') return object(depth);
    if (c == '[') return array(depth);
    if (c == '"') return Json(string());
    if (c == '-' || (c >= '0' && c <= '9')) return Json(number());
    if (literal("true")) return Json(true);
    if (literal("false")) return Json(false);
    if (literal("null")) return Json();
    if (c == 'N' || c == 'I') fail("NaN and Infinity are not JSON numbers");
    fail(std::string("unexpected character '") + (static_cast<unsigned char>(c) < 0x20 ? '?' : c) +
         "' where a value should be");
  }

  Json object(std::size_t depth) {
    Json o = Json::object();
    ++i_;
    space();
    if (i_ < s_.size() && s_[i_] == '}') {
      ++i_;
      return o;
    }
    while (true) {
      space();
      if (i_ >= s_.size() || s_[i_] != '"') fail("expected a member name in double quotes");
      const std::size_t at = i_;
      std::string key = string();
      if (o.find(key) != nullptr) {
        i_ = at;
        fail("the member \"" + key + "\" appears twice");
      }
      space();
      if (i_ >= s_.size() || s_[i_] != ':') fail("expected ':' after the member name");
      ++i_;
      space();
      Json v = value(depth + 1);
      o.set(key, std::move(v));
      space();
      if (i_ < s_.size() && s_[i_] == ',') {
        ++i_;
        continue;
      }
      if (i_ < s_.size() && s_[i_] == '}') {
        ++i_;
        return o;
      }
      fail("expected ',' or '}' after an object member");
    }
  }

  Json array(std::size_t depth) {
    Json a = Json::array();
    ++i_;
    space();
    if (i_ < s_.size() && s_[i_] == ']') {
      ++i_;
      return a;
    }
    while (true) {
      space();
      a.push_back(value(depth + 1));
      space();
      if (i_ < s_.size() && s_[i_] == ',') {
        ++i_;
        continue;
      }
      if (i_ < s_.size() && s_[i_] == ']') {
        ++i_;
        return a;
      }
      fail("expected ',' or ']' after an array item");
    }
  }

  unsigned hex4() {
    if (i_ + 4 > s_.size()) fail("a \\u escape needs four hex digits");
    unsigned v = 0;
    for (int k = 0; k < 4; ++k) {
      const char c = s_[i_++];
      v <<= 4;
      if (c >= '0' && c <= '9')
        v |= static_cast<unsigned>(c - '0');
      else if (c >= 'a' && c <= 'f')
        v |= static_cast<unsigned>(c - 'a' + 10);
      else if (c >= 'A' && c <= 'F')
        v |= static_cast<unsigned>(c - 'A' + 10);
      else
        fail("a \\u escape needs four hex digits");
    }
    return v;
  }

  static void utf8(std::string& out, unsigned cp) {
    if (cp < 0x80) {
      out += static_cast<char>(cp);
    } else if (cp < 0x800) {
      out += static_cast<char>(0xC0 | (cp >> 6));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += static_cast<char>(0xE0 | (cp >> 12));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    } else {
      out += static_cast<char>(0xF0 | (cp >> 18));
      out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
      out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
      out += static_cast<char>(0x80 | (cp & 0x3F));
    }
  }

  std::string string() {
    ++i_;  // the opening quote
    std::string out;
    while (true) {
      if (i_ >= s_.size()) fail("a string is not closed");
      const char c = s_[i_];
      if (c == '"') {
        ++i_;
        return out;
      }
      if (static_cast<unsigned char>(c) < 0x20) fail("a control character inside a string (write it as an escape)");
      if (c != '\\') {
        out += c;
        ++i_;
        continue;
      }
      ++i_;
      if (i_ >= s_.size()) fail("a string is not closed");
      const char e = s_[i_++];
      switch (e) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          unsigned cp = hex4();
          if (cp >= 0xD800 && cp <= 0xDBFF) {
            if (i_ + 2 > s_.size() || s_[i_] != '\\' || s_[i_ + 1] != 'u')
              fail("a lone high surrogate in a \\u escape");
            i_ += 2;
            const unsigned lo = hex4();
            if (lo < 0xDC00 || lo > 0xDFFF) fail("a high surrogate not followed by a low one");
            cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
          } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
            fail("a lone low surrogate in a \\u escape");
          }
          utf8(out, cp);
          break;
        }
        default: fail(std::string("an unknown escape \\") + e);
      }
    }
  }

  double number() {
    const std::size_t start = i_;
    if (s_[i_] == '-') ++i_;
    if (i_ >= s_.size()) fail("a number ends after its sign");
    if (s_[i_] == '0') {
      ++i_;
    } else if (s_[i_] >= '1' && s_[i_] <= '9') {
      while (i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9') ++i_;
    } else {
      fail("a number needs a digit");
    }
    if (i_ < s_.size() && s_[i_] == '.') {
      ++i_;
      if (i_ >= s_.size() || s_[i_] < '0' || s_[i_] > '9') fail("a digit is needed after the decimal point");
      while (i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9') ++i_;
    }
    if (i_ < s_.size() && (s_[i_] == 'e' || s_[i_] == 'E')) {
      ++i_;
      if (i_ < s_.size() && (s_[i_] == '+' || s_[i_] == '-')) ++i_;
      if (i_ >= s_.size() || s_[i_] < '0' || s_[i_] > '9') fail("a digit is needed in the exponent");
      while (i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9') ++i_;
    }
    double v = 0;
    if (!parse_number(s_.substr(start, i_ - start), v) || !std::isfinite(v)) {
      i_ = start;
      fail("the number is out of range");
    }
    return v;
  }

  std::string_view s_;
  const std::string& what_;
  JsonLimits limits_;
  std::size_t i_ = 0;
};

void dump(const Json& v, int indent, int level, std::string& out) {
  const auto newline = [&](int l) {
    if (indent <= 0) return;
    out += '\n';
    out.append(static_cast<std::size_t>(indent) * static_cast<std::size_t>(l), ' ');
  };
  switch (v.type()) {
    case Json::Type::kNull: out += "null"; return;
    case Json::Type::kBool: out += v.as_bool() ? "true" : "false"; return;
    case Json::Type::kNumber: out += json_number(v.as_number()); return;
    case Json::Type::kString: out += json_quote(v.as_string()); return;
    case Json::Type::kArray: {
      if (v.items().empty()) {
        out += "[]";
        return;
      }
      // Arrays of plain numbers stay on one line (centroids, edges): readable and short.
      bool flat = true;
      for (const Json& x : v.items()) flat = flat && (x.is_number() || x.is_bool() || x.is_null());
      out += '[';
      for (std::size_t k = 0; k < v.items().size(); ++k) {
        if (k) out += indent > 0 && flat ? ", " : ",";
        if (!flat) newline(level + 1);
        dump(v.items()[k], indent, level + 1, out);
      }
      if (!flat) newline(level);
      out += ']';
      return;
    }
    case Json::Type::kObject: {
      if (v.members().empty()) {
        out += "{}";
        return;
      }
      out += '{';
      for (std::size_t k = 0; k < v.members().size(); ++k) {
        if (k) out += ',';
        newline(level + 1);
        out += json_quote(v.members()[k].first);
        out += indent > 0 ? ": " : ":";
        dump(v.members()[k].second, indent, level + 1, out);
      }
      newline(level);
      out += '}';
      return;
    }
  }
}

}  // namespace

Json parse_json(std::string_view text, const std::string& what, const JsonLimits& limits) {
  return Parser(text, what, limits).document();
}

std::string dump_json(const Json& value, int indent) {
  std::string out;
  dump(value, indent, 0, out);
  return out;
}

std::string json_quote(std::string_view s) {
  std::string o = "\"";
  for (unsigned char c : s) {
    switch (c) {
      case '"': o += "\\\""; break;
      case '\\': o += "\\\\"; break;
      case '\n': o += "\\n"; break;
      case '\r': o += "\\r"; break;
      case '\t': o += "\\t"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          o += buf;
        } else {
          o += static_cast<char>(c);
        }
    }
  }
  return o + "\"";
}

std::string json_number(double v) {
  if (!std::isfinite(v)) return "null";
  if (v == 0) return std::signbit(v) ? "-0" : "0";
  char buf[48];
  for (int precision = 1; precision <= 17; ++precision) {
    std::snprintf(buf, sizeof buf, "%.*g", precision, v);
    if (std::strtod(buf, nullptr) == v) break;
  }
  // "1.5e+02" reads better as "150": plain digits for magnitudes people write that way.
  const double a = std::fabs(v);
  if (std::strchr(buf, 'e') != nullptr && a >= 1e-6 && a < 1e16) {
    char fixed[48];
    for (int decimals = 0; decimals <= 20; ++decimals) {
      std::snprintf(fixed, sizeof fixed, "%.*f", decimals, v);
      if (std::strtod(fixed, nullptr) == v) return fixed;
    }
  }
  return buf;
}

}  // namespace core
