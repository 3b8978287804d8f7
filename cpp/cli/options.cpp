#include "options.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cctype>
#include <cstring>

#include "dates.h"
#include "input.h"
#include "errors.h"
#include "values.h"

namespace cli {

const char* const kCommonHelp =
    "reading:\n"
    "  --delimiter C           , ; tab | space  (default: sniffed)\n"
    "  --quote C               \" or ' or none  (default: sniffed)\n"
    "  --escape C              \\ or none: the character before a quote inside quotes, as MySQL\n"
    "                          writes \\\" (default: sniffed; none means quotes are doubled)\n"
    "  --comment C             skip lines starting with C anywhere, or none (default: # lines\n"
    "                          before the header are skipped)\n"
    "  --skip-initial-space    spaces after a delimiter are not part of the field (\", \" files);\n"
    "                          --no-skip-initial-space keeps them (default: sniffed)\n"
    "  --ragged M              keep (default: short rows padded, extra fields joined onto the last\n"
    "                          column) or skip rows whose field count differs from the header's;\n"
    "                          each is reported with its line either way\n"
    "  --normalize-ids M       auto (default: 13085.0 read as 13085 only when every id is a whole\n"
    "                          number), on or off\n"
    "  --amount-is M           auto (default: told from the orders with several lines), line or\n"
    "                          order (the amount column repeats each order's total on its lines)\n"
    "  --decimal C             . or ,  (default: sniffed per column)\n"
    "  --date-order ORDER      mdy or dmy for slash dates (default: decided from the data)\n"
    "  --day-anchor DATE       day 1 of integer day columns (default 2000-01-01)\n"
    "  --role ROLE=COLUMN      use COLUMN for ROLE (customer invoice date quantity price amount\n"
    "                          product description country email phone); COLUMN '-' for none\n"
    "  --stream                clean and aggregate while reading, without keeping the rows: memory\n"
    "                          follows customers, not rows (same results); not with the rules that\n"
    "                          need every row (--drop-duplicates, --window-months, --outliers,\n"
    "                          --min-product-customers)\n"
    "cleaning (applied in this order):\n"
    "  --missing-customer M    drop (default) or synthetic (each invoice its own customer)\n"
    "  --drop-duplicates       drop extra copies of identical lines\n"
    "  --cancellations M       drop (default) or net (keep as returns)\n"
    "  --cancel-prefix M       auto (default: invoices starting with C cancel only where the file's\n"
    "                          invoices follow that convention), on or off\n"
    "  --drop-non-product      drop service codes (POST, DOT, M, BANK CHARGES, …)\n"
    "  --non-product-codes L   comma-separated codes instead of the default list\n"
    "  --drop-bad-price        drop purchases with unit price <= 0\n"
    "  --countries L           keep only these countries (comma-separated)\n"
    "  --exclude-countries L   drop these countries\n"
    "  --window-months N       keep the last N months\n"
    "  --from DATE, --to DATE  keep this date range (YYYY-MM-DD, inclusive)\n"
    "  --outliers M            off (default), percentile or iqr\n"
    "  --outlier-percentile P  with percentile: drop beyond P (default 99.9)\n"
    "  --iqr-factor K          with iqr: drop beyond K x IQR (default 3)\n"
    "  --min-product-customers N  drop products bought by fewer than N customers\n"
    "  --warn-share S          warn when a rule removes more than this share of the rows or the\n"
    "                          revenue (default 0.2)\n";

long long parse_int(const std::string& flag, const std::string& value) {
  char* end = nullptr;
  errno = 0;
  const long long v = std::strtoll(value.c_str(), &end, 10);
  if (end == value.c_str() || *end != '\0' || errno != 0)
    throw UsageError(flag + " takes a whole number, got \"" + value + "\"");
  return v;
}

double parse_double(const std::string& flag, const std::string& value) {
  double v;
  if (!core::parse_number(value, v)) throw UsageError(flag + " takes a number, got \"" + value + "\"");
  return v;
}

int parse_day(const std::string& flag, const std::string& value) {
  const core::ParsedDate d = core::parse_date(value);
  if (d.kind != core::ParsedDate::Kind::kIso) throw UsageError(flag + " takes a date as YYYY-MM-DD, got \"" + value + "\"");
  return d.days;
}

static std::vector<std::string> split_list(const std::string& s) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= s.size()) {
    const std::size_t comma = s.find(',', start);
    const std::string item = s.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (!item.empty()) out.push_back(item);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

static core::Auto parse_auto(const std::string& flag, const std::string& v, const char* on = "on", const char* off = "off") {
  if (v == "auto") return core::Auto::kAuto;
  if (v == on) return core::Auto::kOn;
  if (v == off) return core::Auto::kOff;
  throw UsageError(flag + " takes auto, " + on + " or " + off + ", got \"" + v + "\"");
}

static char one_char(const std::string& flag, const std::string& v, const char* allowed) {
  if (v == "none") return '\0';
  if (v.size() == 1 && std::strchr(allowed, v[0])) return v[0];
  throw UsageError(flag + " takes " + (std::strcmp(allowed, "\"'") == 0 ? "\" ' or none" : std::string(allowed) + " or none") +
                   ", got \"" + v + "\"");
}

bool parse_reading_flag(const std::string& a, const std::function<std::string()>& value, core::ReadOptions& read) {
  if (a == "--delimiter") {
    const std::string v = value();
    if (v == "tab" || v == "\\t") read.delimiter = '\t';
    else if (v == "space" || v == " ") read.delimiter = ' ';
    else if (v.size() == 1 && std::strchr(",;|\t", v[0])) read.delimiter = v[0];
    else throw UsageError("--delimiter takes , ; tab | or space, got \"" + v + "\"");
  } else if (a == "--quote") {
    read.quote = one_char(a, value(), "\"'");
  } else if (a == "--escape") {
    read.escape = one_char(a, value(), "\\");
  } else if (a == "--comment") {
    const std::string v = value();
    if (v != "none" && (v.size() != 1 || std::isalnum(static_cast<unsigned char>(v[0])) || v[0] == '"' || v[0] == ','))
      throw UsageError("--comment takes one character that starts comment lines (such as #), or none, got \"" + v + "\"");
    read.comment = v == "none" ? '\0' : v[0];
  } else if (a == "--skip-initial-space" || a == "--no-skip-initial-space") {
    read.skip_initial_space = a == "--skip-initial-space";
  } else if (a == "--normalize-ids") {
    read.normalize_ids = parse_auto(a, value());
  } else if (a == "--amount-is") {
    read.order_totals = parse_auto(a, value(), "order", "line");
  } else if (a == "--ragged") {
    const std::string v = value();
    if (v == "keep") read.ragged = core::ReadOptions::Ragged::kKeep;
    else if (v == "skip") read.ragged = core::ReadOptions::Ragged::kSkip;
    else throw UsageError("--ragged takes keep or skip, got \"" + v + "\"");
  } else {
    return false;
  }
  return true;
}

// --stream with a rule that needs every row: say which flag to drop.
static void refuse_unstreamable(const core::CleaningRules& rules) {
  const std::string rule = core::rule_needing_all_rows(rules);
  if (rule.empty()) return;
  const std::string flag = rule == "duplicates"   ? "--drop-duplicates"
                           : rule == "window"     ? "--window-months"
                           : rule == "outliers"   ? "--outliers"
                                                  : "--min-product-customers";
  throw core::InvalidArgument("the cleaning rule \"" + rule + "\" (" + flag +
                              ") needs every row at once, and --stream reads the file in one pass without keeping "
                              "its rows: drop --stream (the rows are then kept) or drop " + flag);
}

Common parse_common(std::vector<std::string>& args) {
  Common c;
  std::vector<std::string> rest;
  using R = core::CleaningRules;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string a = args[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= args.size()) throw UsageError(a + " needs a value");
      return args[++i];
    };
    if (parse_reading_flag(a, value, c.read)) {
    } else if (a == "--decimal") {
      const std::string v = value();
      if (v != "." && v != ",") throw UsageError("--decimal takes . or , got \"" + v + "\"");
      c.read.decimal = v[0];
    } else if (a == "--date-order") {
      const std::string v = value();
      if (v == "mdy") c.read.date_order = core::ReadOptions::DateOrder::kMonthFirst;
      else if (v == "dmy") c.read.date_order = core::ReadOptions::DateOrder::kDayFirst;
      else throw UsageError("--date-order takes mdy or dmy, got \"" + v + "\"");
    } else if (a == "--day-anchor") {
      c.read.day_anchor = parse_day(a, value());
    } else if (a == "--role") {
      const std::string v = value();
      const std::size_t eq = v.find('=');
      core::Role role;
      if (eq == std::string::npos || !core::role_from_key(v.substr(0, eq), role))
        throw UsageError("--role takes ROLE=COLUMN with ROLE one of customer invoice date quantity price amount "
                         "product description country email phone, got \"" + v + "\"");
      c.read.role_columns[static_cast<std::size_t>(role)] = v.substr(eq + 1);
    } else if (a == "--stream") {
      c.read.stream = true;
    } else if (a == "--missing-customer") {
      const std::string v = value();
      if (v == "drop") c.rules.missing_customer = R::MissingCustomer::kDrop;
      else if (v == "synthetic") c.rules.missing_customer = R::MissingCustomer::kSynthetic;
      else throw UsageError("--missing-customer takes drop or synthetic, got \"" + v + "\"");
    } else if (a == "--drop-duplicates") {
      c.rules.drop_duplicates = true;
    } else if (a == "--cancellations") {
      const std::string v = value();
      if (v == "drop") c.rules.cancellations = R::Cancellations::kDrop;
      else if (v == "net") c.rules.cancellations = R::Cancellations::kNet;
      else throw UsageError("--cancellations takes drop or net, got \"" + v + "\"");
    } else if (a == "--cancel-prefix") {
      c.rules.cancel_prefix = parse_auto(a, value());
    } else if (a == "--warn-share") {
      c.rules.warn_share = parse_double(a, value());
      if (!(c.rules.warn_share > 0 && c.rules.warn_share <= 1)) throw UsageError("--warn-share takes a share in (0, 1], got \"" + args[i] + "\"");
    } else if (a == "--drop-non-product") {
      c.rules.drop_non_product = true;
    } else if (a == "--non-product-codes") {
      c.rules.non_product_codes = split_list(value());
      c.rules.drop_non_product = true;
    } else if (a == "--drop-bad-price") {
      c.rules.drop_bad_price = true;
    } else if (a == "--countries" || a == "--exclude-countries") {
      c.rules.countries = split_list(value());
      c.rules.exclude_countries = a == "--exclude-countries";
    } else if (a == "--window-months") {
      c.rules.window_months = static_cast<int>(parse_int(a, value()));
    } else if (a == "--from") {
      c.rules.window_start = parse_day(a, value());
    } else if (a == "--to") {
      c.rules.window_end = parse_day(a, value());
    } else if (a == "--outliers") {
      const std::string v = value();
      if (v == "off") c.rules.outliers = R::Outliers::kOff;
      else if (v == "percentile") c.rules.outliers = R::Outliers::kPercentile;
      else if (v == "iqr") c.rules.outliers = R::Outliers::kIqr;
      else throw UsageError("--outliers takes off, percentile or iqr, got \"" + v + "\"");
    } else if (a == "--outlier-percentile") {
      c.rules.outlier_percentile = parse_double(a, value());
    } else if (a == "--iqr-factor") {
      c.rules.iqr_factor = parse_double(a, value());
    } else if (a == "--min-product-customers") {
      c.rules.min_product_customers = static_cast<int>(parse_int(a, value()));
    } else if (c.file.empty() && (a.empty() || a[0] != '-')) {
      c.file = a;
    } else {
      rest.push_back(a);
    }
  }
  args.swap(rest);
  if (c.file.empty()) throw UsageError("an input FILE is needed");
  // Hashing every line costs some 10% of reading: only for the rule that uses the hashes.
  c.read.find_duplicates = c.rules.drop_duplicates;
  c.read.rules = c.rules;
  if (c.read.stream) refuse_unstreamable(c.rules);
  const std::size_t slash = c.file.find_last_of('/');
  c.read.file_name = slash == std::string::npos ? c.file : c.file.substr(slash + 1);
  return c;
}

core::ReadResult read_file(const std::string& path, core::ReadOptions options) {
  InputFile in(path);
  // A gzip file's unpacked size is not known: no reservation from its size.
  options.size_hint = in.gzip() ? 0 : in.disk_size();
  core::TransactionReader reader(std::move(options));
  std::vector<char> buf(std::size_t{1} << 20);
  std::size_t n;
  while ((n = in.read(buf.data(), buf.size())) > 0) reader.feed(buf.data(), n);
  return reader.finish();
}

}  // namespace cli
