// Calendar arithmetic on proleptic Gregorian days (days since 1970-01-01), no time zones:
// retail exports carry local wall-clock times and recency is counted in calendar days.
#pragma once

#include <cstdint>
#include <string>

namespace core {

/// Days since 1970-01-01 of a valid y-m-d (Hinnant's days_from_civil).
std::int32_t days_from_civil(int y, int m, int d);

/// True when y-m-d is a real date in years 1000..9999.
bool valid_date(int y, int m, int d);

/// "YYYY-MM-DD".
std::string format_date(std::int32_t days);

}  // namespace core
