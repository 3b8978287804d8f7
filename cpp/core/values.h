// Parsing of the values in transaction files: numbers, dates, customer ids. No allocation, no
// locale: the same bytes give the same values natively and in wasm.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace core {

/// Strips ASCII spaces and tabs at both ends.
[[gnu::always_inline]] inline std::string_view trim(std::string_view s) {
  auto blank = [](char c) { return c == ' ' || c == '\t'; };
  if (s.empty() || (!blank(s.front()) && !blank(s.back()))) return s;
  std::size_t b = 0, e = s.size();
  while (b < e && (s[b] == ' ' || s[b] == '\t')) ++b;
  while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t')) --e;
  return s.substr(b, e - b);
}

/// Parses a decimal number ("12", "-3.5", "1e3", "+0.25") with '.' as the decimal point.
/// Returns false on anything else (empty, text, trailing junk). Correctly rounded.
bool parse_number(std::string_view s, double& out);

/// How a column writes its numbers: `1,234.56` is {'.', ','}; `1.234,56` is {',', '.'}.
struct NumberFormat {
  char decimal = '.';
  char thousands = 0;  ///< 0: none expected (spaces and apostrophes are always skipped)
};

/// Parses a number as exports and spreadsheets write it: the given decimal and thousands
/// separators, currency symbols (£ $ € ¥ ₹, or EUR/USD/GBP) before or after, spaces, negatives as
/// `-12`, `(12)` or `12-`. Returns false on anything else.
bool parse_number(std::string_view s, const NumberFormat& format, double& out);

/// A number as read: exactly mantissa × 10^-scale when its text was a plain decimal (scale ≥ 0),
/// else the double parse_number gave (scale < 0). Kept exact so the table can store it as an
/// integer without a floating-point round trip.
struct Decimal {
  std::int64_t mantissa = 0;  ///< sign included; |mantissa| < 2^53
  int scale = -1;             ///< 0..18 digits after the point; < 0: see value
  double value = 0;

  /// The double parse_number gives for the same text: mantissa / 10^scale, correctly rounded.
  double to_double() const {
    static constexpr double kPow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8, 1e9,
                                        1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18};
    return scale < 0 ? value : static_cast<double>(mantissa) / kPow10[scale];
  }
};

/// The shape nearly every price and quantity has — an optional sign, digits, and the decimal
/// separator followed by digits, 18 digits at most — read inline into a Decimal (whose to_double()
/// is what parse_number would give). False means "not that simple": ask parse_number. A negative
/// zero is not simple (it has to stay -0.0).
[[gnu::always_inline]] inline bool parse_plain_decimal(std::string_view s, char decimal, Decimal& out) {
  const char* p = s.data();
  const char* const end = p + s.size();
  const bool neg = p != end && *p == '-';
  if (p != end && (*p == '-' || *p == '+')) ++p;
  const char* const first = p;
  std::uint64_t mant = 0;
  for (; p != end && static_cast<unsigned>(*p - '0') < 10; ++p) mant = mant * 10 + static_cast<unsigned>(*p - '0');
  if (p == first) return false;
  int scale = 0;
  if (p != end) {
    if (*p != decimal) return false;
    const char* const point = p++;
    for (; p != end && static_cast<unsigned>(*p - '0') < 10; ++p) mant = mant * 10 + static_cast<unsigned>(*p - '0');
    scale = static_cast<int>(p - point - 1);
    if (p != end || scale == 0) return false;
  }
  if (p - first - (scale > 0) > 18 || mant >= (std::uint64_t{1} << 53) || (neg && mant == 0)) return false;
  out.mantissa = neg ? -static_cast<std::int64_t>(mant) : static_cast<std::int64_t>(mant);
  out.scale = scale;
  return true;
}

/// The format of a column judged from sample values: the last of `.` and `,` in a value with both
/// is the decimal separator; a lone separator followed by other than three digits is decimal; a
/// value with the same separator twice uses it for thousands. What stays ambiguous (every value
/// like `1,250`) reads as decimal comma in `;`-delimited files and as thousands otherwise.
NumberFormat sniff_number_format(const std::vector<std::string>& samples, char delimiter);

/// "1,234.56" or "1.234,56" style, for messages and the page.
std::string describe(const NumberFormat& f);

/// A date as written in a file. ISO dates are unambiguous; slash dates keep both readings
/// (`a/b/y` as month/day and as day/month) until the file shows which one holds.
struct ParsedDate {
  enum class Kind { kInvalid, kIso, kSlash } kind = Kind::kInvalid;
  std::int32_t days = 0;     ///< kIso: days since 1970-01-01
  std::int32_t days_md = 0;  ///< kSlash: read as M/D/Y (valid if md_ok)
  std::int32_t days_dm = 0;  ///< kSlash: read as D/M/Y (valid if dm_ok)
  bool md_ok = false;
  bool dm_ok = false;
  std::int32_t slash_key = 0;  ///< kSlash: year × 10000 + first number × 100 + second
  bool offset = false;         ///< the time carries a zone (Z, UTC, +01:00, -0500): the date is kept as written
};

/// Parses `YYYY-MM-DD[( |T)HH:MM[:SS[.fff]]]`, `YYYY/MM/DD[ time]` and `A/B/YYYY[ H:MM[:SS]]`
/// (also with `.` or `-` between A, B and the year). The time, if any, is checked and ignored:
/// recency is counted in calendar days. It may end in AM / PM and a zone (`Z`, `UTC`, `GMT`,
/// `+01:00`, `-0500`): the date stays the one written, the local day of the purchase.
ParsedDate parse_date(std::string_view s);

/// A customer id as written, trimmed; empty for a missing id (empty, NA, NaN, NULL, None).
std::string_view customer_id_text(std::string_view s);

/// Normalises a customer id: trims, and turns a float-formatted integer (`13085.0`, as pandas and
/// Excel write ids) into `13085`. Returns an empty view for a missing id (empty, NA, NaN, NULL).
std::string_view normalize_id(std::string_view s);

}  // namespace core
