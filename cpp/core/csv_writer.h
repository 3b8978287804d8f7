// Writing CSV that spreadsheets open safely: RFC 4180 quoting and OWASP's advice against formula
// injection.
#pragma once

#include <string>

namespace core {

/// One CSV cell: quoted when it holds a comma, quote or line break (RFC 4180); a text cell that a
/// spreadsheet would run as a formula (starts with = + - @ tab CR LF NUL and is not a number) gets a
/// leading apostrophe (OWASP CSV injection advice). Numbers stay numbers.
std::string csv_cell(const std::string& s);

/// A number with up to 10 significant digits ("32.4", "1e+12"); empty for NaN.
std::string csv_number(double v);

}  // namespace core
