#include "csv_writer.h"

#include <cmath>
#include <cstdio>

#include "values.h"

namespace core {

std::string csv_cell(const std::string& s) {
  std::string v = s;
  if (!v.empty()) {
    const char c = v[0];
    double num;
    const bool risky = c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r' || c == '\n' || c == '\0';
    if (risky && !parse_number(v, num)) v.insert(v.begin(), '\'');
  }
  if (v.find_first_of(std::string(",\"\r\n\0", 5)) == std::string::npos) return v;
  std::string q = "\"";
  for (char c : v) {
    if (c == '"') q += '"';
    q += c;
  }
  q += '"';
  return q;
}

std::string csv_number(double v) {
  if (std::isnan(v)) return "";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.10g", v);
  return buf;
}

}  // namespace core
