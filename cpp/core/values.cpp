#include "values.h"

#include <cmath>
#include <cstdlib>
#include <cstring>

#include "dates.h"

namespace core {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Reads 1..max_len digits at s[i]; false if none.
bool read_int(std::string_view s, std::size_t& i, int max_len, int& out) {
  int v = 0;
  int len = 0;
  while (i < s.size() && is_digit(s[i]) && len < max_len) {
    v = v * 10 + (s[i] - '0');
    ++i;
    ++len;
  }
  if (len == 0 || (i < s.size() && is_digit(s[i]))) return false;
  out = v;
  return true;
}

// A zone after a time at s[i..] (after optional spaces): Z, UTC, GMT, or +HH[:MM] / -HHMM.
bool zone_tail(std::string_view s, std::size_t i) {
  while (i < s.size() && s[i] == ' ') ++i;
  const std::string_view z = s.substr(i);
  if (z == "Z" || z == "UTC" || z == "GMT") return true;
  if (z.size() < 3 || (z[0] != '+' && z[0] != '-')) return false;
  if (!is_digit(z[1]) || !is_digit(z[2])) return false;
  const int hh = (z[1] - '0') * 10 + (z[2] - '0');
  if (hh > 14) return false;
  std::string_view rest = z.substr(3);
  if (!rest.empty() && rest[0] == ':') rest.remove_prefix(1);
  if (rest.empty()) return true;
  return rest.size() == 2 && is_digit(rest[0]) && is_digit(rest[1]) && (rest[0] - '0') * 10 + (rest[1] - '0') <= 59;
}

// Validates an optional time part "[ |T]H:MM[:SS[.fff]][ AM|PM][zone]" at s[i..]; `zone` is set
// when it ends in a time zone.
bool valid_time_tail(std::string_view s, std::size_t i, bool& zone) {
  if (i == s.size()) return true;
  if (s[i] != ' ' && s[i] != 'T') return false;
  while (i < s.size() && (s[i] == ' ' || s[i] == 'T')) ++i;
  if (i == s.size()) return true;
  int h = 0, m = 0, sec = 0;
  if (!read_int(s, i, 2, h) || i >= s.size() || s[i] != ':') return false;
  ++i;
  if (!read_int(s, i, 2, m)) return false;
  if (i < s.size() && s[i] == ':') {
    ++i;
    if (!read_int(s, i, 2, sec)) return false;
    if (i < s.size() && s[i] == '.') {
      ++i;
      while (i < s.size() && is_digit(s[i])) ++i;
    }
  }
  if (h > 24 || m > 59 || sec > 60) return false;
  std::size_t j = i;
  while (j < s.size() && s[j] == ' ') ++j;
  if (j + 1 < s.size() && (s[j] == 'A' || s[j] == 'P' || s[j] == 'a' || s[j] == 'p') &&
      (s[j + 1] == 'M' || s[j + 1] == 'm')) {
    if (h < 1 || h > 12) return false;
    i = j + 2;
  }
  if (i == s.size()) return true;
  zone = zone_tail(s, i);
  return zone;
}

const double kPow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                         1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

}  // namespace

bool parse_number(std::string_view s, double& out) {
  s = trim(s);
  std::size_t i = 0;
  const std::size_t n = s.size();
  bool neg = false;
  if (i < n && (s[i] == '-' || s[i] == '+')) neg = s[i++] == '-';
  std::uint64_t mant = 0;
  int digits = 0;  // significant digits taken into mant
  int exp10 = 0;   // decimal exponent adjustment
  bool any = false;
  bool exact = true;  // mant holds every digit
  for (; i < n && is_digit(s[i]); ++i) {
    any = true;
    if (digits < 19) {
      if (mant != 0 || s[i] != '0') ++digits;
      mant = mant * 10 + static_cast<std::uint64_t>(s[i] - '0');
    } else {
      ++exp10;
      exact = exact && s[i] == '0';
    }
  }
  if (i < n && s[i] == '.') {
    ++i;
    for (; i < n && is_digit(s[i]); ++i) {
      any = true;
      if (digits < 19) {
        if (mant != 0 || s[i] != '0') ++digits;
        mant = mant * 10 + static_cast<std::uint64_t>(s[i] - '0');
        --exp10;
      } else {
        exact = exact && s[i] == '0';
      }
    }
  }
  if (!any) return false;
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    bool eneg = false;
    if (i < n && (s[i] == '-' || s[i] == '+')) eneg = s[i++] == '-';
    int e = 0;
    bool edigits = false;
    for (; i < n && is_digit(s[i]); ++i) {
      edigits = true;
      if (e < 100000) e = e * 10 + (s[i] - '0');
    }
    if (!edigits) return false;
    exp10 += eneg ? -e : e;
  }
  if (i != n) return false;
  // Clinger's fast path: exact mantissa below 2^53 and |exponent| <= 22 is correctly rounded.
  if (exact && mant < (std::uint64_t{1} << 53) && exp10 >= -22 && exp10 <= 22) {
    double v = static_cast<double>(mant);
    v = exp10 < 0 ? v / kPow10[-exp10] : v * kPow10[exp10];
    out = neg ? -v : v;
    return true;
  }
  // Rare: let strtod round (both libcs round correctly).
  char buf[128];
  if (n >= sizeof buf) return false;
  std::memcpy(buf, s.data(), n);
  buf[n] = 0;
  char* end = nullptr;
  const double v = std::strtod(buf, &end);
  if (end != buf + n || !std::isfinite(v)) return false;
  out = v;
  return true;
}

bool parse_number(std::string_view s, const NumberFormat& f, double& out) {
  if (f.decimal == '.' && f.thousands == 0 && parse_number(s, out)) return true;
  s = trim(s);
  if (s.empty() || s.size() > 60) return false;
  char buf[64];
  std::size_t n = 0;
  bool neg = false;
  if (s.size() >= 2 && s.front() == '(' && s.back() == ')') {
    neg = true;
    s = trim(s.substr(1, s.size() - 2));
  }
  auto starts = [&](std::string_view p) { return s.substr(0, p.size()) == p; };
  auto ends = [&](std::string_view p) { return s.size() >= p.size() && s.substr(s.size() - p.size()) == p; };
  for (std::string_view code : {"EUR", "USD", "GBP"}) {
    if (starts(code)) s = trim(s.substr(3));
    if (ends(code)) s = trim(s.substr(0, s.size() - 3));
  }
  if (!s.empty() && s.back() == '-' && s.find_first_of("0123456789") != std::string_view::npos && s.front() != '-') {
    neg = !neg;
    s = trim(s.substr(0, s.size() - 1));
  }
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c == static_cast<unsigned char>(f.decimal)) {
      buf[n++] = '.';
    } else if ((f.thousands != 0 && c == static_cast<unsigned char>(f.thousands)) || c == ' ' || c == '\'' ||
               c == '$') {
      continue;
    } else if (c == 0xC2 && i + 1 < s.size() &&
               (static_cast<unsigned char>(s[i + 1]) == 0xA3 || static_cast<unsigned char>(s[i + 1]) == 0xA5 ||
                static_cast<unsigned char>(s[i + 1]) == 0xA0)) {
      ++i;  // £ ¥ or a no-break space
    } else if (c == 0xE2 && i + 2 < s.size() &&
               ((static_cast<unsigned char>(s[i + 1]) == 0x82 &&
                 (static_cast<unsigned char>(s[i + 2]) == 0xAC || static_cast<unsigned char>(s[i + 2]) == 0xB9)) ||
                (static_cast<unsigned char>(s[i + 1]) == 0x80 && static_cast<unsigned char>(s[i + 2]) == 0xAF))) {
      i += 2;  // € ₹ or a narrow no-break space
    } else if ((c >= '0' && c <= '9') || c == '-' || c == '+' || c == 'e' || c == 'E' ||
               (c == '.' && f.thousands != '.')) {
      buf[n++] = static_cast<char>(c);
    } else {
      return false;
    }
  }
  if (n == 0) return false;
  double v;
  if (!parse_number(std::string_view(buf, n), v)) return false;
  if (neg && v < 0) return false;  // "(-12)": not a number anyone writes
  out = neg ? -v : v;
  return true;
}

NumberFormat sniff_number_format(const std::vector<std::string>& samples, char delimiter) {
  // Votes: a separator proven decimal, proven thousands (repeated, or before the other one), or
  // ambiguous (one separator followed by exactly three digits).
  int comma_decimal = 0, point_decimal = 0, comma_thousands = 0, point_thousands = 0;
  int ambiguous_comma = 0, ambiguous_point = 0;
  for (const std::string& raw : samples) {
    const std::string_view v = trim(raw);
    const std::size_t comma = v.rfind(','), point = v.rfind('.');
    const bool has_comma = comma != std::string_view::npos, has_point = point != std::string_view::npos;
    if (has_comma && has_point) {
      if (comma > point) {
        ++comma_decimal;
        ++point_thousands;
      } else {
        ++point_decimal;
        ++comma_thousands;
      }
      continue;
    }
    if (!has_comma && !has_point) continue;
    const char sep = has_comma ? ',' : '.';
    const std::size_t pos = has_comma ? comma : point;
    std::size_t digits = 0;
    while (pos + 1 + digits < v.size() && is_digit(v[pos + 1 + digits])) ++digits;
    if (v.find(sep) != pos) {
      ++(sep == ',' ? comma_thousands : point_thousands);
    } else if (digits != 3) {
      ++(sep == ',' ? comma_decimal : point_decimal);
    } else {
      ++(sep == ',' ? ambiguous_comma : ambiguous_point);
    }
  }
  NumberFormat f;
  const bool comma_is_decimal =
      comma_decimal > point_decimal || point_thousands > comma_thousands ||
      (comma_decimal == 0 && point_decimal == 0 && comma_thousands == 0 && ambiguous_comma > 0 && delimiter == ';');
  if (comma_is_decimal) {
    f.decimal = ',';
    f.thousands = (point_thousands > 0 || ambiguous_point > 0) ? '.' : 0;
  } else {
    f.decimal = '.';
    f.thousands = (comma_thousands > 0 || ambiguous_comma > 0) ? ',' : 0;
  }
  return f;
}

std::string describe(const NumberFormat& f) {
  if (f.decimal == ',') return f.thousands == '.' ? "1.234,56" : "1234,56";
  return f.thousands == ',' ? "1,234.56" : "1234.56";
}

ParsedDate parse_date(std::string_view s) {
  ParsedDate r;
  s = trim(s);
  std::size_t i = 0;
  int a = 0, b = 0, c = 0;
  if (s.size() >= 8 && is_digit(s[0]) && is_digit(s[1]) && is_digit(s[2]) && is_digit(s[3]) &&
      (s[4] == '-' || s[4] == '/')) {
    // YYYY-MM-DD
    const char sep = s[4];
    if (!read_int(s, i, 4, a) || s[i] != sep) return r;
    ++i;
    if (!read_int(s, i, 2, b) || i >= s.size() || s[i] != sep) return r;
    ++i;
    if (!read_int(s, i, 2, c) || !valid_date(a, b, c) || !valid_time_tail(s, i, r.offset)) return r;
    r.kind = ParsedDate::Kind::kIso;
    r.days = days_from_civil(a, b, c);
    return r;
  }
  // A/B/YYYY
  if (!read_int(s, i, 2, a) || i >= s.size()) return r;
  const char sep = s[i];
  if (sep != '/' && sep != '.' && sep != '-') return r;
  ++i;
  if (!read_int(s, i, 2, b) || i >= s.size() || s[i] != sep) return r;
  ++i;
  const std::size_t year_start = i;
  if (!read_int(s, i, 4, c) || i - year_start != 4 || !valid_time_tail(s, i, r.offset)) return r;
  r.md_ok = valid_date(c, a, b);
  r.dm_ok = valid_date(c, b, a);
  if (!r.md_ok && !r.dm_ok) return r;
  r.kind = ParsedDate::Kind::kSlash;
  r.slash_key = c * 10000 + a * 100 + b;
  if (r.md_ok) r.days_md = days_from_civil(c, a, b);
  if (r.dm_ok) r.days_dm = days_from_civil(c, b, a);
  return r;
}

std::string_view customer_id_text(std::string_view s) {
  s = trim(s);
  if (s.empty() || s == "NA" || s == "NaN" || s == "nan" || s == "NULL" || s == "null" || s == "None") return {};
  return s;
}

std::string_view normalize_id(std::string_view s) {
  s = customer_id_text(s);
  if (s.empty()) return {};
  // "13085.0" / "13085.00" -> "13085"
  const std::size_t dot = s.find('.');
  if (dot != std::string_view::npos && dot > 0) {
    bool int_part = true;
    for (std::size_t k = (s[0] == '-' ? 1 : 0); k < dot; ++k) int_part = int_part && is_digit(s[k]);
    bool zeros = dot + 1 < s.size();
    for (std::size_t k = dot + 1; k < s.size(); ++k) zeros = zeros && s[k] == '0';
    if (int_part && zeros) return s.substr(0, dot);
  }
  return s;
}

}  // namespace core
