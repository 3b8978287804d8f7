#include "schema.h"

#include <algorithm>
#include <climits>
#include <cmath>

#include "dates.h"
#include "errors.h"
#include "hierarchy.h"
#include "kmeans.h"
#include "model.h"
#include "values.h"

namespace core {

bool RfmSettings::operator==(const RfmSettings& o) const {
  const auto same_rules = [](const std::vector<SegmentRule>& a, const std::vector<SegmentRule>& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
      if (a[i].name != b[i].name || a[i].r_min != b[i].r_min || a[i].r_max != b[i].r_max || a[i].f_min != b[i].f_min ||
          a[i].f_max != b[i].f_max || a[i].m_min != b[i].m_min || a[i].m_max != b[i].m_max)
        return false;
    return true;
  };
  return scores.method == o.scores.method && scores.thresholds == o.scores.thresholds && recency == o.recency &&
         frequency == o.frequency && monetary == o.monetary && preset == o.preset && same_rules(rules, o.rules);
}

namespace {

using Kind = Param::Kind;
template <class T>
using Field = T& (*)(AnalysisSettings&);

std::string name_of(const Param& p) { return std::string(p.group) + "." + p.key; }

std::string shown(const Json& v) {
  const std::string s = dump_json(v);
  return s.size() > 60 ? s.substr(0, 57) + "..." : s;
}

[[noreturn]] void refuse(const Param& p, const Json& v, const std::string& what) {
  throw InvalidArgument(name_of(p) + ": " + shown(v) + " " + what);
}

std::string choice_list(const std::vector<std::string>& choices) {
  std::string s;
  for (std::size_t i = 0; i < choices.size(); ++i)
    s += (i == 0 ? "" : i + 1 == choices.size() ? " or " : ", ") + ("\"" + choices[i] + "\"");
  return s;
}

std::string number_text(double v) { return json_number(v); }

double number_in(const Param& p, const Json& v) {
  if (!v.is_number()) refuse(p, v, "should be a number");
  const double x = v.as_number();
  const bool low = p.open_min ? x <= p.min : x < p.min;
  if (low || x > p.max) {
    const std::string range = p.max >= 1e300 ? (p.open_min ? "> " : ">= ") + number_text(p.min)
                                             : std::string(p.open_min ? "in (" : "in [") + number_text(p.min) + ", " +
                                                   number_text(p.max) + "]";
    refuse(p, v, "should be " + range);
  }
  return x;
}

Param boolean(const char* group, const char* key, const char* flag, Field<bool> f, const char* help) {
  Param p{group, key, flag, Kind::kBool, {}, 0, 0, false, help, true, nullptr, nullptr};
  p.get = [f](const AnalysisSettings& s) { return Json(f(const_cast<AnalysisSettings&>(s))); };
  p.set = [f, p](AnalysisSettings& s, const Json& v) {
    if (!v.is_bool()) refuse(p, v, "should be true or false");
    f(s) = v.as_bool();
  };
  return p;
}

template <class T>
Param integer(const char* group, const char* key, const char* flag, Field<T> f, double min, double max,
              const char* help) {
  Param p{group, key, flag, Kind::kInt, {}, min, max, false, help, false, nullptr, nullptr};
  p.get = [f](const AnalysisSettings& s) { return Json(static_cast<double>(f(const_cast<AnalysisSettings&>(s)))); };
  p.set = [f, p](AnalysisSettings& s, const Json& v) {
    const double x = number_in(p, v);
    if (x != std::floor(x)) refuse(p, v, "should be a whole number");
    f(s) = static_cast<T>(x);
  };
  return p;
}

Param number(const char* group, const char* key, const char* flag, Field<double> f, double min, double max,
             bool open_min, const char* help) {
  Param p{group, key, flag, Kind::kNumber, {}, min, max, open_min, help, false, nullptr, nullptr};
  p.get = [f](const AnalysisSettings& s) { return Json(f(const_cast<AnalysisSettings&>(s))); };
  p.set = [f, p](AnalysisSettings& s, const Json& v) { f(s) = number_in(p, v); };
  return p;
}

template <class T>
Param enumeration(const char* group, const char* key, const char* flag, Field<T> f,
                  std::vector<std::pair<const char*, T>> names, const char* help) {
  Param p{group, key, flag, Kind::kEnum, {}, 0, 0, false, help, false, nullptr, nullptr};
  for (const auto& n : names) p.choices.emplace_back(n.first);
  p.get = [f, names](const AnalysisSettings& s) {
    const T value = f(const_cast<AnalysisSettings&>(s));
    for (const auto& n : names)
      if (n.second == value) return Json(n.first);
    return Json();
  };
  p.set = [f, names, p](AnalysisSettings& s, const Json& v) {
    if (v.is_string())
      for (const auto& n : names)
        if (v.as_string() == n.first) {
          f(s) = n.second;
          return;
        }
    refuse(p, v, "should be " + choice_list(p.choices));
  };
  return p;
}

// A date as YYYY-MM-DD, or "" for none (`none` is the struct's value for none) when `optional`.
Param date(const char* group, const char* key, const char* flag, Field<std::int32_t> f, std::int32_t none,
           bool optional, const char* help) {
  Param p{group, key, flag, Kind::kDate, {}, 0, 0, false, help, false, nullptr, nullptr};
  p.get = [f, none, optional](const AnalysisSettings& s) {
    const std::int32_t d = f(const_cast<AnalysisSettings&>(s));
    return optional && d == none ? Json("") : Json(format_date(d));
  };
  p.set = [f, none, optional, p](AnalysisSettings& s, const Json& v) {
    if (!v.is_string())
      refuse(p, v, optional ? "should be a date as YYYY-MM-DD, or \"\" for none" : "should be a date as YYYY-MM-DD");
    if (v.as_string().empty()) {
      if (!optional) refuse(p, v, "should be a date as YYYY-MM-DD");
      f(s) = none;
      return;
    }
    const ParsedDate d = parse_date(v.as_string());
    if (d.kind != ParsedDate::Kind::kIso || v.as_string().size() != 10) refuse(p, v, "should be a date as YYYY-MM-DD");
    f(s) = d.days;
  };
  return p;
}

// A list of strings; `allowed` (if not empty) the names an item may take.
Param list(const char* group, const char* key, const char* flag, Field<std::vector<std::string>> f,
           std::vector<std::string> allowed, bool non_empty, const char* help) {
  Param p{group, key, flag, Kind::kList, std::move(allowed), 0, 0, false, help, false, nullptr, nullptr};
  p.get = [f](const AnalysisSettings& s) { return Json::array_of(f(const_cast<AnalysisSettings&>(s))); };
  p.set = [f, p, non_empty](AnalysisSettings& s, const Json& v) {
    if (!v.is_array()) refuse(p, v, "should be a list of names");
    if (v.size() > 10000) refuse(p, v, "holds more than 10,000 items");
    std::vector<std::string> out;
    for (const Json& x : v.items()) {
      if (!x.is_string() || x.as_string().empty()) refuse(p, v, "should hold non-empty names only");
      if (!p.choices.empty() && std::find(p.choices.begin(), p.choices.end(), x.as_string()) == p.choices.end())
        refuse(p, v, "has \"" + x.as_string() + "\", which is none of " + choice_list(p.choices));
      if (std::find(out.begin(), out.end(), x.as_string()) != out.end())
        refuse(p, v, "names \"" + x.as_string() + "\" twice");
      out.push_back(x.as_string());
    }
    if (non_empty && out.empty()) refuse(p, v, "should name at least one");
    f(s) = std::move(out);
  };
  return p;
}

// A dialect character: "auto" (sniffed), "none", or one of the allowed characters (with names).
Param dialect_char(const char* key, const char* flag, Field<std::optional<char>> f,
                   const std::vector<std::pair<const char*, char>>& chars, const char* help) {
  Param p{"read", key, flag, Kind::kEnum, {"auto"}, 0, 0, false, help, false, nullptr, nullptr};
  for (const auto& c : chars) p.choices.emplace_back(c.first);
  p.get = [f, chars](const AnalysisSettings& s) {
    const std::optional<char> v = f(const_cast<AnalysisSettings&>(s));
    if (!v) return Json("auto");
    for (const auto& c : chars)
      if (c.second == *v) return Json(c.first);
    return Json(std::string(1, *v));
  };
  p.set = [f, chars, p](AnalysisSettings& s, const Json& v) {
    if (v.is_string() && v.as_string() == "auto") {
      f(s) = std::nullopt;
      return;
    }
    if (v.is_string())
      for (const auto& c : chars)
        if (v.as_string() == c.first) {
          f(s) = c.second;
          return;
        }
    refuse(p, v, "should be " + choice_list(p.choices));
  };
  return p;
}

Param roles_param() {
  Param p{
      "read",
      "roles",
      "--role",
      Kind::kRoles,
      {},
      0,
      0,
      false,
      "the column of each role ({customer: \"Client\", invoice: null, …}); a role not named is detected, null is none",
      false,
      nullptr,
      nullptr};
  for (int i = 0; i < kRoleCount; ++i) p.choices.emplace_back(role_key(static_cast<Role>(i)));
  p.get = [](const AnalysisSettings& s) {
    Json o = Json::object();
    for (int i = 0; i < kRoleCount; ++i) {
      const std::string& c = s.read.role_columns[static_cast<std::size_t>(i)];
      if (c.empty()) continue;
      o.set(role_key(static_cast<Role>(i)), c == "-" ? Json() : Json(c));
    }
    return o;
  };
  p.set = [p](AnalysisSettings& s, const Json& v) {
    if (!v.is_object()) refuse(p, v, "should be an object of role: column");
    for (const auto& [key, column] : v.members()) {
      Role r;
      if (!role_from_key(key, r))
        refuse(p, v, "names the role \"" + key + "\", which is none of " + choice_list(p.choices));
      std::string& slot = s.read.role_columns[static_cast<std::size_t>(r)];
      if (column.is_null())
        slot = "-";
      else if (column.is_string() && column.as_string() != "-")
        slot = column.as_string();
      else
        refuse(p, v, "gives the role \"" + key + "\" a value that is neither a column name nor null");
    }
  };
  return p;
}

Param thresholds_param() {
  Param p{"rfm",
          "thresholds",
          nullptr,
          Kind::kThresholds,
          {},
          0,
          0,
          false,
          "with method \"thresholds\": four non-decreasing edges each for R, F and M (a saved project's frozen "
          "quintile edges) ([[r1..r4], [f1..f4], [m1..m4]])",
          false,
          nullptr,
          nullptr};
  p.get = [](const AnalysisSettings& s) {
    Json a = Json::array();
    for (const auto& metric : s.rfm.scores.thresholds)
      a.push_back(Json::array_of(std::vector<double>(metric.begin(), metric.end())));
    return a;
  };
  p.set = [p](AnalysisSettings& s, const Json& v) {
    if (!v.is_array() || v.size() != 3) refuse(p, v, "should be three lists of four numbers (R, F, M)");
    for (std::size_t k = 0; k < 3; ++k) {
      const Json& m = v.items()[k];
      if (!m.is_array() || m.size() != 4) refuse(p, v, "should be three lists of four numbers (R, F, M)");
      for (std::size_t j = 0; j < 4; ++j) {
        const Json& x = m.items()[j];
        if (!x.is_number()) refuse(p, v, "should hold numbers only");
        if (j > 0 && x.as_number() < m.items()[j - 1].as_number())
          refuse(p, v, "should have non-decreasing edges in each list");
        s.rfm.scores.thresholds[k][j] = x.as_number();
      }
    }
  };
  return p;
}

Param rules_param() {
  Param p{"rfm",
          "rules",
          nullptr,
          Kind::kRules,
          {},
          0,
          0,
          false,
          "named segments as rules over the scores, first match wins ([{name, rMin, rMax, fMin, fMax, mMin, mMax}]); "
          "[] for the preset's",
          false,
          nullptr,
          nullptr};
  p.get = [](const AnalysisSettings& s) {
    Json a = Json::array();
    for (const SegmentRule& r : s.rfm.rules) {
      Json o = Json::object();
      o.set("name", r.name).set("rMin", r.r_min).set("rMax", r.r_max).set("fMin", r.f_min).set("fMax", r.f_max);
      o.set("mMin", r.m_min).set("mMax", r.m_max);
      a.push_back(std::move(o));
    }
    return a;
  };
  p.set = [p](AnalysisSettings& s, const Json& v) {
    if (!v.is_array()) refuse(p, v, "should be a list of rules");
    if (v.size() > 1000) refuse(p, v, "holds more than 1,000 rules");
    std::vector<SegmentRule> rules;
    for (std::size_t i = 0; i < v.size(); ++i) {
      const Json& o = v.items()[i];
      if (!o.is_object()) refuse(p, v, "should hold objects {name, rMin, …}");
      SegmentRule r;
      const Json* name = o.find("name");
      if (name == nullptr || !name->is_string() || name->as_string().empty())
        throw InvalidArgument("rfm.rules[" + std::to_string(i) + "].name: should be a non-empty string");
      r.name = name->as_string();
      int* fields[] = {&r.r_min, &r.r_max, &r.f_min, &r.f_max, &r.m_min, &r.m_max};
      const char* keys[] = {"rMin", "rMax", "fMin", "fMax", "mMin", "mMax"};
      for (int k = 0; k < 6; ++k) {
        const Json* x = o.find(keys[k]);
        if (x == nullptr) continue;  // the full range
        if (!x->is_number() || x->as_number() != std::floor(x->as_number()) || x->as_number() < 1 || x->as_number() > 5)
          throw InvalidArgument("rfm.rules[" + std::to_string(i) + "]." + keys[k] + ": " + shown(*x) +
                                " should be a whole number 1 to 5");
        *fields[k] = static_cast<int>(x->as_number());
      }
      for (const auto& [key, x] : o.members()) {
        (void)x;
        if (key != "name" && std::find(std::begin(keys), std::end(keys), key) == std::end(keys))
          throw InvalidArgument("rfm.rules[" + std::to_string(i) + "]: unknown field \"" + key + "\"");
      }
      rules.push_back(r);
    }
    s.rfm.rules = std::move(rules);
  };
  return p;
}

std::vector<std::string> feature_choices() { return feature_names(); }

Param feature_enum(const char* key, Field<std::string> f, const char* help) {
  Param p{"rfm", key, nullptr, Kind::kEnum, feature_choices(), 0, 0, false, help, false, nullptr, nullptr};
  p.get = [f](const AnalysisSettings& s) { return Json(f(const_cast<AnalysisSettings&>(s))); };
  p.set = [f, p](AnalysisSettings& s, const Json& v) {
    if (!v.is_string() || std::find(p.choices.begin(), p.choices.end(), v.as_string()) == p.choices.end())
      refuse(p, v, "should be a customer feature (" + choice_list(p.choices) + ")");
    f(s) = v.as_string();
  };
  return p;
}

std::vector<Param> make_schema() {
  using R = CleaningRules;
  using O = ReadOptions;
  constexpr double kBig = 1e308;
  std::vector<Param> s;
  s.reserve(64);
  // --- read ---
  {
    Param p{"read",
            "delimiter",
            "--delimiter",
            Kind::kEnum,
            {"auto", ",", ";", "tab", "|", "space"},
            0,
            0,
            false,
            "the character between fields; auto: sniffed from the first lines",
            false,
            nullptr,
            nullptr};
    p.get = [](const AnalysisSettings& st) {
      const char d = st.read.delimiter;
      return Json(d == 0      ? std::string("auto")
                  : d == '\t' ? std::string("tab")
                  : d == ' '  ? std::string("space")
                              : std::string(1, d));
    };
    p.set = [p](AnalysisSettings& st, const Json& v) {
      const std::string x = v.is_string() ? v.as_string() : "";
      if (x == "auto")
        st.read.delimiter = 0;
      else if (x == "tab")
        st.read.delimiter = '\t';
      else if (x == "space")
        st.read.delimiter = ' ';
      else if (x == "," || x == ";" || x == "|")
        st.read.delimiter = x[0];
      else
        refuse(p, v, "should be " + choice_list(p.choices));
    };
    s.push_back(p);
  }
  s.push_back(dialect_char(
      "quote", "--quote", [](AnalysisSettings& st) -> std::optional<char>& { return st.read.quote; },
      {{"\"", '"'}, {"'", '\''}, {"none", '\0'}},
      "the quote around fields holding a delimiter; auto: sniffed (\" or ')"));
  s.push_back(dialect_char(
      "escape", "--escape", [](AnalysisSettings& st) -> std::optional<char>& { return st.read.escape; },
      {{"\\", '\\'}, {"none", '\0'}},
      "the character before a quote inside quotes (MySQL's \\\"); none: quotes are doubled; auto: sniffed"));
  s.push_back(dialect_char(
      "comment", "--comment", [](AnalysisSettings& st) -> std::optional<char>& { return st.read.comment; },
      {{"#", '#'}, {"%", '%'}, {"!", '!'}, {"none", '\0'}},
      "lines starting with it are skipped anywhere; auto: # lines before the header only"));
  s.push_back(enumeration<std::optional<bool>>(
      "read", "skipInitialSpace", "--skip-initial-space",
      [](AnalysisSettings& st) -> std::optional<bool>& { return st.read.skip_initial_space; },
      {{"auto", std::nullopt}, {"on", true}, {"off", false}},
      "spaces right after a delimiter are not part of the field (\", \" files); auto: sniffed"));
  s.back().switch_flag = true;
  s.push_back(enumeration<O::Ragged>(
      "read", "ragged", "--ragged", [](AnalysisSettings& st) -> O::Ragged& { return st.read.ragged; },
      {{"keep", O::Ragged::kKeep}, {"skip", O::Ragged::kSkip}},
      "rows with another field count than the header: kept (padded, extra fields joined onto the "
      "last column) or skipped; each is reported with its line"));
  {
    Param p{"read",
            "decimal",
            "--decimal",
            Kind::kEnum,
            {"auto", ".", ","},
            0,
            0,
            false,
            "the decimal mark of quantities and prices; auto: sniffed per column",
            false,
            nullptr,
            nullptr};
    p.get = [](const AnalysisSettings& st) {
      return Json(st.read.decimal == 0 ? std::string("auto") : std::string(1, st.read.decimal));
    };
    p.set = [p](AnalysisSettings& st, const Json& v) {
      const std::string x = v.is_string() ? v.as_string() : "";
      if (x == "auto")
        st.read.decimal = 0;
      else if (x == "." || x == ",")
        st.read.decimal = x[0];
      else
        refuse(p, v, "should be " + choice_list(p.choices));
    };
    s.push_back(p);
  }
  s.push_back(enumeration<O::DateOrder>(
      "read", "dateOrder", "--date-order", [](AnalysisSettings& st) -> O::DateOrder& { return st.read.date_order; },
      {{"auto", O::DateOrder::kAuto}, {"mdy", O::DateOrder::kMonthFirst}, {"dmy", O::DateOrder::kDayFirst}},
      "slash dates month first (mdy) or day first (dmy); auto: decided from the data"));
  s.push_back(date(
      "read", "dayAnchor", "--day-anchor", [](AnalysisSettings& st) -> std::int32_t& { return st.read.day_anchor; }, 0,
      false, "day 1 of integer day columns (dunnhumby's DAY)"));
  s.push_back(enumeration<Auto>(
      "read", "normalizeIds", "--normalize-ids", [](AnalysisSettings& st) -> Auto& { return st.read.normalize_ids; },
      {{"auto", Auto::kAuto}, {"on", Auto::kOn}, {"off", Auto::kOff}},
      "ids like 13085.0 read as 13085; auto: only when every id is a whole number"));
  s.push_back(enumeration<Auto>(
      "read", "amountIs", "--amount-is", [](AnalysisSettings& st) -> Auto& { return st.read.order_totals; },
      {{"auto", Auto::kAuto}, {"order", Auto::kOn}, {"line", Auto::kOff}},
      "what an amount column (without unit prices) holds: each line's amount, or each order's total "
      "on every line (then counted once per order); auto: told from the orders with several lines"));
  s.push_back(roles_param());
  // --- clean ---
  s.push_back(enumeration<R::MissingCustomer>(
      "clean", "missingCustomer", "--missing-customer",
      [](AnalysisSettings& st) -> R::MissingCustomer& { return st.clean.missing_customer; },
      {{"drop", R::MissingCustomer::kDrop}, {"synthetic", R::MissingCustomer::kSynthetic}},
      "rows without a customer id: dropped, or each invoice its own customer"));
  s.push_back(boolean(
      "clean", "dropDuplicates", "--drop-duplicates",
      [](AnalysisSettings& st) -> bool& { return st.clean.drop_duplicates; }, "drop extra copies of identical lines"));
  s.push_back(enumeration<R::Cancellations>(
      "clean", "cancellations", "--cancellations",
      [](AnalysisSettings& st) -> R::Cancellations& { return st.clean.cancellations; },
      {{"drop", R::Cancellations::kDrop}, {"net", R::Cancellations::kNet}},
      "cancellations and returns: dropped, or kept as returns"));
  s.push_back(enumeration<Auto>(
      "clean", "cancelPrefix", "--cancel-prefix", [](AnalysisSettings& st) -> Auto& { return st.clean.cancel_prefix; },
      {{"auto", Auto::kAuto}, {"on", Auto::kOn}, {"off", Auto::kOff}},
      "invoices starting with C cancel; auto: only where the file's invoices follow that convention"));
  s.push_back(boolean(
      "clean", "dropNonProduct", "--drop-non-product",
      [](AnalysisSettings& st) -> bool& { return st.clean.drop_non_product; },
      "drop service codes (POST, DOT, M, BANK CHARGES, …)"));
  s.push_back(list(
      "clean", "nonProductCodes", "--non-product-codes",
      [](AnalysisSettings& st) -> std::vector<std::string>& { return st.clean.non_product_codes; }, {}, false,
      "the non-product codes (comma-separated on the command line, where it also turns the rule on)"));
  s.push_back(boolean(
      "clean", "dropBadPrice", "--drop-bad-price",
      [](AnalysisSettings& st) -> bool& { return st.clean.drop_bad_price; }, "drop purchases with a unit price <= 0"));
  s.push_back(list(
      "clean", "countries", "--countries",
      [](AnalysisSettings& st) -> std::vector<std::string>& { return st.clean.countries; }, {}, false,
      "keep only these countries (or with excludeCountries, drop them); empty: every country"));
  s.push_back(boolean(
      "clean", "excludeCountries", nullptr, [](AnalysisSettings& st) -> bool& { return st.clean.exclude_countries; },
      "the countries listed are dropped, not kept"));
  s.push_back(integer<int>(
      "clean", "windowMonths", "--window-months", [](AnalysisSettings& st) -> int& { return st.clean.window_months; },
      0, 1200, "keep the last N months up to the file's last day; 0: off"));
  s.back().suggested = 12;
  s.push_back(date(
      "clean", "windowStart", "--from", [](AnalysisSettings& st) -> std::int32_t& { return st.clean.window_start; },
      INT32_MIN, true, "keep from this day (inclusive); \"\": no start"));
  s.push_back(date(
      "clean", "windowEnd", "--to", [](AnalysisSettings& st) -> std::int32_t& { return st.clean.window_end; },
      INT32_MAX, true, "keep up to this day (inclusive); \"\": no end"));
  s.push_back(enumeration<R::Outliers>(
      "clean", "outliers", "--outliers", [](AnalysisSettings& st) -> R::Outliers& { return st.clean.outliers; },
      {{"off", R::Outliers::kOff}, {"percentile", R::Outliers::kPercentile}, {"iqr", R::Outliers::kIqr}},
      "drop lines with an extreme quantity or amount: beyond a percentile, or an IQR fence"));
  s.push_back(number(
      "clean", "outlierPercentile", "--outlier-percentile",
      [](AnalysisSettings& st) -> double& { return st.clean.outlier_percentile; }, 50, 100, true,
      "with percentile: drop beyond this percentile (and below 100 minus it)"));
  s.push_back(number(
      "clean", "iqrFactor", "--iqr-factor", [](AnalysisSettings& st) -> double& { return st.clean.iqr_factor; }, 0,
      kBig, false, "with iqr: drop beyond k x IQR from the quartiles"));
  s.push_back(integer<int>(
      "clean", "minProductCustomers", "--min-product-customers",
      [](AnalysisSettings& st) -> int& { return st.clean.min_product_customers; }, 0, 1e9,
      "drop products bought by fewer than N customers; 0: off"));
  s.back().suggested = 2;
  s.push_back(number(
      "clean", "warnShare", "--warn-share", [](AnalysisSettings& st) -> double& { return st.clean.warn_share; }, 0, 1,
      true, "warn when a rule removes more than this share of the rows or the revenue"));
  // --- features ---
  s.push_back(date(
      "features", "asOf", "--as-of", [](AnalysisSettings& st) -> std::int32_t& { return st.features.as_of; }, INT32_MIN,
      true, "the day recency is counted to; \"\": the day after the last purchase"));
  s.push_back(integer<int>(
      "features", "recentDays", "--recent-days", [](AnalysisSettings& st) -> int& { return st.features.recent_days; },
      1, 3660, "the window of the visits_4w and spend_4w features, in days"));
  // --- rfm ---
  s.push_back(enumeration<RfmScoreParams::Method>(
      "rfm", "method", "--rfm-method",
      [](AnalysisSettings& st) -> RfmScoreParams::Method& { return st.rfm.scores.method; },
      {{"quintiles", RfmScoreParams::Method::kQuintiles}, {"thresholds", RfmScoreParams::Method::kThresholds}},
      "scores 1-5 by quintiles of the customers, or by your edges"));
  s.push_back(thresholds_param());
  s.push_back(feature_enum(
      "recency", [](AnalysisSettings& st) -> std::string& { return st.rfm.recency; }, "the feature scored as R"));
  s.push_back(feature_enum(
      "frequency", [](AnalysisSettings& st) -> std::string& { return st.rfm.frequency; }, "the feature scored as F"));
  s.push_back(feature_enum(
      "monetary", [](AnalysisSettings& st) -> std::string& { return st.rfm.monetary; }, "the feature scored as M"));
  s.push_back(enumeration<std::string>(
      "rfm", "preset", "--rfm-preset", [](AnalysisSettings& st) -> std::string& { return st.rfm.preset; },
      {{"rf-grid", "rf-grid"}, {"rfm-package", "rfm-package"}},
      "the named segments when no rules are given: the R x F grid, or the R rfm package's 10"));
  s.push_back(rules_param());
  // --- cluster ---
  s.push_back(list(
      "cluster", "features", "--features",
      [](AnalysisSettings& st) -> std::vector<std::string>& { return st.cluster.features; }, feature_choices(), true,
      "the customer features clustered"));
  s.push_back(boolean(
      "cluster", "log1p", "--log", [](AnalysisSettings& st) -> bool& { return st.cluster.preprocess.log1p; },
      "log(1 + x) of each feature before scaling"));
  s.push_back(number(
      "cluster", "winsorLo", "--winsor-lo",
      [](AnalysisSettings& st) -> double& { return st.cluster.preprocess.winsor_lo; }, 0, 100, false,
      "clip below this percentile (0: no clip)"));
  s.push_back(number(
      "cluster", "winsorHi", "--winsor-hi",
      [](AnalysisSettings& st) -> double& { return st.cluster.preprocess.winsor_hi; }, 0, 100, false,
      "clip above this percentile (100: no clip)"));
  s.push_back(enumeration<ScalerKind>(
      "cluster", "scaler", "--scale", [](AnalysisSettings& st) -> ScalerKind& { return st.cluster.preprocess.scaler; },
      {{"standard", ScalerKind::kStandard},
       {"robust", ScalerKind::kRobust},
       {"minmax", ScalerKind::kMinMax},
       {"none", ScalerKind::kNone}},
      "standard (z-score), robust (median, IQR), min-max, or none"));
  s.push_back(enumeration<Algorithm>(
      "cluster", "algorithm", "--algo", [](AnalysisSettings& st) -> Algorithm& { return st.cluster.params.algorithm; },
      {{"kmeans", Algorithm::kKMeans},
       {"kmedoids", Algorithm::kKMedoids},
       {"gmm", Algorithm::kGmm},
       {"ward", Algorithm::kWard},
       {"average", Algorithm::kAverage},
       {"complete", Algorithm::kComplete},
       {"single", Algorithm::kSingle}},
      "the clustering algorithm"));
  s.push_back(integer<int>(
      "cluster", "k", "--k", [](AnalysisSettings& st) -> int& { return st.cluster.params.n_clusters; }, 1, 1000,
      "the number of segments"));
  s.push_back(integer<std::uint64_t>(
      "cluster", "seed", "--seed", [](AnalysisSettings& st) -> std::uint64_t& { return st.cluster.params.seed; }, 0,
      9007199254740992.0, "the seed of every random choice (same seed, same segments)"));
  s.push_back(integer<int>(
      "cluster", "nInit", "--n-init", [](AnalysisSettings& st) -> int& { return st.cluster.params.n_init; }, 0, 1000,
      "restarts; 0: the algorithm's own (K-Means 10, the others 1)"));
  s.push_back(enumeration<CovarianceType>(
      "cluster", "covariance", "--covariance",
      [](AnalysisSettings& st) -> CovarianceType& { return st.cluster.params.covariance; },
      {{"full", CovarianceType::kFull}, {"diag", CovarianceType::kDiag}},
      "Gaussian mixture: full or diagonal covariances"));
  // --- map ---
  s.push_back(enumeration<MapSettings::Method>(
      "map", "method", "--method", [](AnalysisSettings& st) -> MapSettings::Method& { return st.map.method; },
      {{"pca", MapSettings::Method::kPca}, {"tsne", MapSettings::Method::kTsne}},
      "the 2-D map: PCA, or t-SNE (on a sample above 3,000 customers)"));
  s.push_back(number(
      "map", "perplexity", "--perplexity", [](AnalysisSettings& st) -> double& { return st.map.perplexity; }, 0, 10000,
      true, "t-SNE: the perplexity (neighbours each point sees)"));
  s.push_back(integer<std::uint64_t>(
      "map", "seed", "--seed", [](AnalysisSettings& st) -> std::uint64_t& { return st.map.seed; }, 0,
      9007199254740992.0, "t-SNE: the seed"));
  // --- sweep ---
  s.push_back(integer<int>(
      "sweep", "kMin", "--k-min", [](AnalysisSettings& st) -> int& { return st.sweep.k_min; }, 2, 1000,
      "\"Compare k\" from this k"));
  s.push_back(integer<int>(
      "sweep", "kMax", "--k-max", [](AnalysisSettings& st) -> int& { return st.sweep.k_max; }, 2, 1000,
      "\"Compare k\" up to this k"));
  return s;
}

}  // namespace

const std::vector<Param>& schema() {
  static const std::vector<Param> kSchema = make_schema();
  return kSchema;
}

const Param* find_param(const std::string& group, const std::string& key) {
  for (const Param& p : schema())
    if (group == p.group && key == p.key) return &p;
  return nullptr;
}

namespace {

const char* kind_name(Kind k) {
  switch (k) {
    case Kind::kBool: return "bool";
    case Kind::kInt: return "int";
    case Kind::kNumber: return "number";
    case Kind::kEnum: return "enum";
    case Kind::kDate: return "date";
    case Kind::kText: return "text";
    case Kind::kList: return "list";
    case Kind::kRoles: return "roles";
    case Kind::kThresholds: return "thresholds";
    case Kind::kRules: return "rules";
  }
  return "?";
}

Json rules_json(const std::vector<SegmentRule>& rules) {
  AnalysisSettings s;
  s.rfm.rules = rules;
  return find_param("rfm", "rules")->get(s);
}

const std::vector<const char*>& groups() {
  static const std::vector<const char*> kGroups = {"read", "clean", "features", "rfm", "cluster", "map", "sweep"};
  return kGroups;
}

}  // namespace

Json schema_json() {
  const AnalysisSettings defaults;
  Json params = Json::array();
  for (const Param& p : schema()) {
    Json o = Json::object();
    o.set("group", p.group)
        .set("key", p.key)
        .set("flag", p.flag ? Json(p.flag) : Json())
        .set("kind", kind_name(p.kind));
    o.set("default", p.get(defaults));
    if (!p.choices.empty()) o.set("choices", Json::array_of(p.choices));
    if (p.kind == Kind::kInt || p.kind == Kind::kNumber)
      o.set("min", p.min).set("max", p.max >= 1e300 ? Json() : Json(p.max)).set("openMin", p.open_min);
    o.set("help", p.help);
    if (p.switch_flag) o.set("switch", true);
    if (std::isfinite(p.suggested)) o.set("suggested", p.suggested);
    params.push_back(std::move(o));
  }
  Json roles = Json::array();
  for (int i = 0; i < kRoleCount; ++i)
    roles.push_back(
        Json::object().set("key", role_key(static_cast<Role>(i))).set("name", role_name(static_cast<Role>(i))));
  Json presets = Json::object();
  presets.set("rf-grid", rules_json(rf_grid_preset())).set("rfm-package", rules_json(rfm_package_preset()));
  Json out = Json::object();
  out.set("params", std::move(params));
  out.set("roles", std::move(roles));
  out.set("features", Json::array_of(feature_names()));
  out.set("presets", std::move(presets));
  // What nInit 0 means for each algorithm (the page says "best of 10 starts" from here).
  out.set("restarts", Json::object()
                          .set("kmeans", KMeansParams{}.n_init)
                          .set("kmedoids", KMedoidsParams{}.n_init)
                          .set("gmm", GmmParams{}.n_init));
  // Limits the page says beside a choice before the core refuses it.
  out.set("limits", Json::object()
                        .set("pairwiseLinkageRows", static_cast<double>(kMaxPairwiseLinkageRows))
                        .set("silhouetteExactRows", static_cast<double>(SweepParams{}.silhouette_exact_max))
                        .set("projectBytes", static_cast<double>(kMaxProjectBytes)));
  return out;
}

Json settings_to_json(const AnalysisSettings& s) {
  Json out = Json::object();
  for (const char* g : groups()) out.set(g, Json::object());
  for (const Param& p : schema()) out[p.group].set(p.key, p.get(s));
  return out;
}

void group_from_json(const std::string& group, const Json& j, AnalysisSettings& s, std::vector<std::string>* unknown) {
  if (!j.is_object())
    throw InvalidArgument(group + ": should be an object of settings, got " + std::string(json_type_name(j.type())));
  for (const auto& [key, value] : j.members()) {
    const Param* p = find_param(group, key);
    if (p == nullptr) {
      if (unknown != nullptr) {
        unknown->push_back(std::string(group).append(".").append(key));
        continue;
      }
      throw InvalidArgument(std::string(group).append(".").append(key).append(": no such setting"));
    }
    p->set(s, value);
  }
}

void settings_from_json(const Json& j, AnalysisSettings& s, std::vector<std::string>* unknown) {
  if (!j.is_object())
    throw InvalidArgument("settings: should be an object of groups, got " + std::string(json_type_name(j.type())));
  for (const Json::Member& member : j.members()) {
    const std::string& group = member.first;
    const Json& value = member.second;
    if (std::find_if(groups().begin(), groups().end(), [&group](const char* g) { return group == g; }) ==
        groups().end()) {
      if (unknown != nullptr) {
        unknown->push_back(group);
        continue;
      }
      throw InvalidArgument(group + ": no such group of settings (read, clean, features, rfm, cluster, map or sweep)");
    }
    group_from_json(group, value, s, unknown);
  }
}

Json flag_value(const Param& p, const std::string& flag, const std::string& value) {
  const auto bad = [&](const std::string& what) -> Json {
    throw InvalidArgument(flag + " takes " + what + ", got \"" + value + "\"");
  };
  switch (p.kind) {
    case Kind::kBool:
      if (value.empty() || value == "yes" || value == "true" || value == "on") return Json(true);
      if (value == "no" || value == "false" || value == "off") return Json(false);
      return bad("yes or no");
    case Kind::kInt: {
      double v;
      if (!parse_number(value, v) || v != std::floor(v)) return bad("a whole number");
      return Json(v);
    }
    case Kind::kNumber: {
      double v;
      if (!parse_number(value, v)) return bad("a number");
      return Json(v);
    }
    case Kind::kEnum:
      if (std::find(p.choices.begin(), p.choices.end(), value) == p.choices.end()) {
        if (std::string(p.key) == "delimiter" && value == "\\t") return Json("tab");
        if (std::string(p.key) == "delimiter" && value == " ") return Json("space");
        std::string plain;
        for (std::size_t i = 0; i < p.choices.size(); ++i)
          plain += (i == 0 ? "" : i + 1 == p.choices.size() ? " or " : ", ") + p.choices[i];
        return bad(plain);
      }
      return Json(value);
    case Kind::kDate: {
      const ParsedDate d = parse_date(value);
      if (d.kind != ParsedDate::Kind::kIso || value.size() != 10) return bad("a date as YYYY-MM-DD");
      return Json(value);
    }
    case Kind::kText: return Json(value);
    case Kind::kList: {
      Json a = Json::array();
      std::size_t start = 0;
      while (start <= value.size()) {
        const std::size_t comma = value.find(',', start);
        const std::string item = value.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
        if (!item.empty()) a.push_back(Json(item));
        if (comma == std::string::npos) break;
        start = comma + 1;
      }
      return a;
    }
    case Kind::kRoles: {
      const std::size_t eq = value.find('=');
      Role r;
      if (eq == std::string::npos || !role_from_key(value.substr(0, eq), r))
        return bad("ROLE=COLUMN with ROLE one of " + choice_list(p.choices));
      const std::string column = value.substr(eq + 1);
      return Json::object().set(value.substr(0, eq), column == "-" ? Json() : Json(column));
    }
    case Kind::kThresholds:
    case Kind::kRules: return bad("a value the command line cannot give (use a project file)");
  }
  return Json();
}

std::string flag_of_rule(const std::string& rule) {
  if (rule == "duplicates") return "--drop-duplicates";
  if (rule == "window") return "--window-months";
  if (rule == "outliers") return "--outliers";
  if (rule == "rare_products") return "--min-product-customers";
  return rule;
}

}  // namespace core
