// Parsing of the values in transaction files: numbers, dates, customer ids. No allocation, no
// locale: the same bytes give the same values natively and in wasm.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace core {

/// Strips ASCII spaces and tabs at both ends.
inline std::string_view trim(std::string_view s) {
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
};

/// Parses `YYYY-MM-DD[( |T)HH:MM[:SS[.fff]]]`, `YYYY/MM/DD[ time]` and `A/B/YYYY[ H:MM[:SS]]`
/// (also with `.` or `-` between A, B and the year). The time, if any, is checked and ignored:
/// recency is counted in calendar days.
ParsedDate parse_date(std::string_view s);

/// Normalises a customer id: trims, and turns a float-formatted integer (`13085.0`, as pandas and
/// Excel write ids) into `13085`. Returns an empty view for a missing id (empty, NA, NaN, NULL).
std::string_view normalize_id(std::string_view s);

}  // namespace core
