// The only file that knows Emscripten: Embind functions over the core. Values in, values out; no
// C++ object crosses into JS (nothing to .delete()). Every exception becomes {ok:false, error}.
// The API is documented in docs/protocol.md; keep the two in step.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "errors.h"
#include "dates.h"
#include "pipeline.h"
#include "rfm_scores.h"
#include "clustering.h"
#include "embedding.h"
#include "metrics.h"
#include "preprocess.h"
#include "profiles.h"
#include "tsne.h"
#include "segmentation.h"

using emscripten::val;

namespace {

// State between calls (docs/protocol.md): the reader while a file streams in, then the compact
// transaction table, so a change of cleaning rule re-runs stages 4–5 without reading the file again.
std::unique_ptr<core::TransactionReader> g_reader;
std::unique_ptr<core::Analysis> g_analysis;
std::int64_t g_table_row_limit = 0;  // the table's row budget of the current read (ReadOptions::max_rows)

val ok() {
  val r = val::object();
  r.set("ok", true);
  return r;
}

val error(const char* name, const std::string& message) {
  val e = val::object();
  e.set("name", std::string(name));
  e.set("message", message);
  val r = val::object();
  r.set("ok", false);
  r.set("error", e);
  return r;
}

template <typename F>
val guarded(F&& f) {
  try {
    return f();
  } catch (const core::InputError& e) {
    return error("InputError", e.what());
  } catch (const core::InvalidArgument& e) {
    return error("InvalidArgument", e.what());
  } catch (const std::bad_alloc&) {
    return error("OutOfMemory", "the browser tab ran out of memory for this file; try a smaller date "
                                "range, or the native loyaltylens command-line tool");
  } catch (const std::exception& e) {
    return error("InternalError", e.what());
  }
}

// Copies out at once: a heap view dies when memory grows.
val to_float64(const std::vector<double>& v) {
  return val::global("Float64Array").new_(emscripten::typed_memory_view(v.size(), v.data())).call<val>("slice");
}

val to_int32(const std::vector<int>& v) {
  return val::global("Int32Array").new_(emscripten::typed_memory_view(v.size(), v.data())).call<val>("slice");
}

std::vector<double> from_float64(const val& a) {
  return emscripten::convertJSArrayToNumberVector<double>(a);
}

val string_list(const std::vector<std::string>& v) {
  val a = val::array();
  for (std::size_t i = 0; i < v.size(); ++i) a.set(i, v[i]);
  return a;
}

std::string string_or(const val& v, const char* key, const std::string& fallback) {
  const val x = v[key];
  return x.isString() ? x.as<std::string>() : fallback;
}

core::CleaningRules cleaning_rules(const val& o);

// "auto" (or absent), `on` or `off`.
core::Auto auto_or(const val& o, const char* key, const char* on = "on", const char* off = "off") {
  const std::string v = string_or(o, key, "auto");
  if (v == "auto") return core::Auto::kAuto;
  if (v == on) return core::Auto::kOn;
  if (v == off) return core::Auto::kOff;
  throw core::InvalidArgument(std::string(key) + " \"" + v + "\" should be 'auto', '" + on + "' or '" + off + "'");
}

// A dialect character: absent → sniffed; 'none' → '\0'; else the one character.
std::optional<char> dialect_char(const val& o, const char* key) {
  const std::string v = string_or(o, key, "auto");
  if (v == "auto") return std::nullopt;
  if (v == "none") return '\0';
  if (v.size() != 1) throw core::InvalidArgument(std::string(key) + " \"" + v + "\" should be one character, 'none' or 'auto'");
  return v[0];
}
core::FeatureParams feature_params(const val& o);

// The tab's budgets (docs/limits.md). The transaction table stays under ~2 GB of wasm32's 4 GB;
// a streamed read holds customers and invoices, not rows, so it may have far more rows.
constexpr std::int64_t kMaxTableRows = 48'000'000;
// Streamed, the heap grows with the distinct invoices and (customer, invoice) pairs: ~7.5 bytes a
// row in the synthetic retail files (75 MB over the start at 10M rows), so ~2 GB at this many.
constexpr std::int64_t kMaxStreamRows = 250'000'000;
// Auto mode streams files estimated above this many rows (when the rules allow): the table costs
// some 32 bytes a row of wasm heap at its peak (349 MB at 10M rows, bench/wasm_ingest.mjs), so
// from here on it would pass ~160 MB; streamed, 10M rows take 107 MB.
constexpr std::int64_t kStreamAboveRows = 4'000'000;

// ReadOptions.mode: 'table' (default) keeps the rows; 'stream' cleans and aggregates while reading
// with options.rules and options.featureParams; 'auto' streams when the file is estimated above
// options.streamAboveRows rows (default kStreamAboveRows) and every rule that is on can stream.
void read_mode(const val& o, core::ReadOptions& r) {
  const std::string mode = string_or(o, "mode", "table");
  if (mode != "table" && mode != "stream" && mode != "auto")
    throw core::InvalidArgument("mode \"" + mode + "\" should be 'table', 'stream' or 'auto'");
  r.stream = mode == "stream";
  if (mode == "auto") {
    r.stream_above_rows = kStreamAboveRows;
    if (o["streamAboveRows"].isNumber()) r.stream_above_rows = static_cast<std::int64_t>(o["streamAboveRows"].as<double>());
    if (r.stream_above_rows < 1)
      throw core::InvalidArgument("streamAboveRows=" + std::to_string(r.stream_above_rows) + " should be >= 1");
  }
  r.max_stream_rows = kMaxStreamRows;
  r.rules = cleaning_rules(o["rules"]);
  r.params = feature_params(o["featureParams"]);
  // Off: reading skips a hash of every line (some 10% faster), and the duplicates rule then needs
  // the file read again with it on. A streamed read never keeps hashes.
  if (o["findDuplicates"].isTrue() || o["findDuplicates"].isFalse()) r.find_duplicates = o["findDuplicates"].isTrue();
}

core::ReadOptions read_options(const val& o) {
  core::ReadOptions r;
  if (o.isUndefined() || o.isNull()) return r;
  r.file_name = string_or(o, "fileName", "file");
  if (o["size"].isNumber()) r.size_hint = static_cast<std::int64_t>(o["size"].as<double>());
  r.max_rows = kMaxTableRows;
  // maxRows may lower the table's budget (tests of what happens beyond it), never raise it.
  if (o["maxRows"].isNumber()) r.max_rows = std::max<std::int64_t>(1, std::min(kMaxTableRows, static_cast<std::int64_t>(o["maxRows"].as<double>())));
  read_mode(o, r);
  const std::string delimiter = string_or(o, "delimiter", "");
  if (delimiter == "tab") r.delimiter = '\t';
  else if (delimiter == "space") r.delimiter = ' ';
  else if (delimiter.size() == 1) r.delimiter = delimiter[0];
  r.quote = dialect_char(o, "quote");
  r.escape = dialect_char(o, "escape");
  r.comment = dialect_char(o, "comment");
  if (o["skipInitialSpace"].isTrue() || o["skipInitialSpace"].isFalse()) r.skip_initial_space = o["skipInitialSpace"].isTrue();
  const std::string ragged = string_or(o, "ragged", "keep");
  if (ragged != "keep" && ragged != "skip") throw core::InvalidArgument("ragged \"" + ragged + "\" should be 'keep' or 'skip'");
  r.ragged = ragged == "skip" ? core::ReadOptions::Ragged::kSkip : core::ReadOptions::Ragged::kKeep;
  r.normalize_ids = auto_or(o, "normalizeIds");
  r.order_totals = auto_or(o, "amountIs", "order", "line");
  const std::string decimal = string_or(o, "decimal", "");
  if (decimal == "." || decimal == ",") r.decimal = decimal[0];
  const std::string order = string_or(o, "dateOrder", "auto");
  if (order == "mdy") r.date_order = core::ReadOptions::DateOrder::kMonthFirst;
  else if (order == "dmy") r.date_order = core::ReadOptions::DateOrder::kDayFirst;
  const std::string anchor = string_or(o, "dayAnchor", "");
  if (!anchor.empty()) {
    const core::ParsedDate d = core::parse_date(anchor);
    if (d.kind != core::ParsedDate::Kind::kIso) throw core::InvalidArgument("dayAnchor \"" + anchor + "\" is not a YYYY-MM-DD date");
    r.day_anchor = d.days;
  }
  const val roles = o["roles"];
  if (!roles.isUndefined() && !roles.isNull()) {
    for (int i = 0; i < core::kRoleCount; ++i) {
      const val c = roles[core::role_key(static_cast<core::Role>(i))];
      if (c.isString()) r.role_columns[static_cast<std::size_t>(i)] = c.as<std::string>();
      else if (c.isNull()) r.role_columns[static_cast<std::size_t>(i)] = "-";
    }
  }
  return r;
}

std::vector<std::string> string_vector(const val& a) {
  std::vector<std::string> out;
  if (!a.isArray()) return out;
  const std::size_t n = a["length"].as<std::size_t>();
  for (std::size_t i = 0; i < n; ++i) out.push_back(a[i].as<std::string>());
  return out;
}

std::int32_t day_or(const val& v, const char* key, std::int32_t fallback) {
  const std::string s = string_or(v, key, "");
  if (s.empty()) return fallback;
  const core::ParsedDate d = core::parse_date(s);
  if (d.kind != core::ParsedDate::Kind::kIso) throw core::InvalidArgument(std::string(key) + " \"" + s + "\" is not a YYYY-MM-DD date");
  return d.days;
}

core::CleaningRules cleaning_rules(const val& o) {
  using R = core::CleaningRules;
  R r;
  if (o.isUndefined() || o.isNull()) return r;
  if (string_or(o, "missingCustomer", "drop") == "synthetic") r.missing_customer = R::MissingCustomer::kSynthetic;
  r.drop_duplicates = o["dropDuplicates"].isTrue();
  if (string_or(o, "cancellations", "drop") == "net") r.cancellations = R::Cancellations::kNet;
  r.cancel_prefix = auto_or(o, "cancelPrefix");
  if (o["warnShare"].isNumber()) r.warn_share = o["warnShare"].as<double>();
  r.drop_non_product = o["dropNonProduct"].isTrue();
  if (o["nonProductCodes"].isArray()) r.non_product_codes = string_vector(o["nonProductCodes"]);
  r.drop_bad_price = o["dropBadPrice"].isTrue();
  r.countries = string_vector(o["countries"]);
  r.exclude_countries = o["excludeCountries"].isTrue();
  if (o["windowMonths"].isNumber()) r.window_months = o["windowMonths"].as<int>();
  r.window_start = day_or(o, "windowStart", INT32_MIN);
  r.window_end = day_or(o, "windowEnd", INT32_MAX);
  const std::string outliers = string_or(o, "outliers", "off");
  if (outliers == "percentile") r.outliers = R::Outliers::kPercentile;
  else if (outliers == "iqr") r.outliers = R::Outliers::kIqr;
  if (o["outlierPercentile"].isNumber()) r.outlier_percentile = o["outlierPercentile"].as<double>();
  if (o["iqrFactor"].isNumber()) r.iqr_factor = o["iqrFactor"].as<double>();
  if (o["minProductCustomers"].isNumber()) r.min_product_customers = o["minProductCustomers"].as<int>();
  return r;
}

core::FeatureParams feature_params(const val& o) {
  core::FeatureParams p;
  if (o.isUndefined() || o.isNull()) return p;
  p.as_of = day_or(o, "asOf", INT32_MIN);
  if (o["recentDays"].isNumber()) p.recent_days = o["recentDays"].as<int>();
  return p;
}

val decision_to_js(const core::Decision& d) {
  val o = val::object();
  o.set("key", d.key);
  o.set("title", d.title);
  o.set("applies", d.applies);
  o.set("forced", d.forced);
  o.set("outcome", d.outcome);
  o.set("evidence", d.evidence);
  o.set("examples", string_list(d.examples));
  return o;
}

val ledger_to_js(const core::Ledger& l) {
  auto totals = [](std::int64_t rows, std::int64_t customers, double revenue) {
    val t = val::object();
    t.set("rows", static_cast<double>(rows));
    t.set("customers", static_cast<double>(customers));
    t.set("revenue", revenue);
    return t;
  };
  val out = val::object();
  out.set("before", totals(l.rows_before, l.customers_before, l.revenue_before));
  out.set("after", totals(l.rows_after, l.customers_after, l.revenue_after));
  val rules = val::array();
  for (std::size_t i = 0; i < l.entries.size(); ++i) {
    const auto& e = l.entries[i];
    val r = val::object();
    r.set("rule", e.rule);
    r.set("title", e.title);
    r.set("detail", e.detail);
    r.set("enabled", e.enabled);
    r.set("rows", static_cast<double>(e.rows));
    r.set("customers", static_cast<double>(e.customers));
    r.set("revenue", e.revenue);
    r.set("examples", string_list(e.examples));
    r.set("decision", e.heuristic ? decision_to_js(e.decision) : val::null());
    r.set("warning", e.warning);
    rules.set(i, r);
  }
  out.set("rules", rules);
  return out;
}

std::string join_lines(const std::vector<std::string>& v) {
  std::string s;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (i) s += '\n';
    s += v[i];
  }
  return s;
}

// Summary, ledger and customer table of the current analysis (see docs/protocol.md).
val analysis_to_js(const core::Analysis& a) {
  const core::ReadSummary& s = a.read.summary;
  const core::Ledger& l = a.cleaned.ledger;
  const core::CustomerTable& t = a.customers;
  val sum = val::object();
  sum.set("fileName", s.file_name);
  sum.set("bytes", static_cast<double>(s.bytes));
  sum.set("encoding", s.encoding);
  sum.set("delimiter", s.delimiter);
  sum.set("quote", s.quote);
  sum.set("escape", s.escape);
  sum.set("comment", s.comment);
  sum.set("skipInitialSpace", s.skip_initial_space);
  sum.set("commentLines", static_cast<double>(s.comment_lines));
  sum.set("dialectEvidence", string_list(s.dialect_evidence));
  val ragged = val::object();
  const auto lines = [](const std::vector<std::int64_t>& v) {
    val a = val::array();
    for (std::size_t i = 0; i < v.size(); ++i) a.set(i, static_cast<double>(v[i]));
    return a;
  };
  ragged.set("policy", std::string(s.ragged.skipped ? "skip" : "keep"));
  ragged.set("shortRows", static_cast<double>(s.ragged.short_rows));
  ragged.set("shortLines", lines(s.ragged.short_lines));
  ragged.set("longRows", static_cast<double>(s.ragged.long_rows));
  ragged.set("longLines", lines(s.ragged.long_lines));
  sum.set("ragged", ragged);
  val decisions = val::array();
  for (std::size_t i = 0; i < s.decisions.size(); ++i) decisions.set(i, decision_to_js(s.decisions[i]));
  sum.set("decisions", decisions);
  sum.set("layout", s.layout);
  sum.set("dateFormat", s.date_format);
  sum.set("numberFormat", s.number_format);
  sum.set("columns", string_list(s.columns));
  val roles = val::object();
  for (int r = 0; r < core::kRoleCount; ++r) {
    const int c = s.roles[static_cast<std::size_t>(r)];
    roles.set(core::role_key(static_cast<core::Role>(r)), c >= 0 ? val(s.columns[static_cast<std::size_t>(c)]) : val::null());
  }
  sum.set("roles", roles);
  val reasons = val::object();
  for (int r = 0; r < core::kRoleCount; ++r)
    reasons.set(core::role_key(static_cast<core::Role>(r)), s.role_reasons[static_cast<std::size_t>(r)]);
  sum.set("roleReasons", reasons);
  sum.set("rowsRead", static_cast<double>(s.rows_read));
  sum.set("rowsKept", static_cast<double>(l.rows_after));
  sum.set("rowsNoCustomer", static_cast<double>(core::rows_removed_by(l, "missing_customer")));
  sum.set("rowsCancelled", static_cast<double>(core::rows_removed_by(l, "cancellations")));
  sum.set("rowsInvalid", static_cast<double>(s.rows_unreadable));
  std::vector<std::string> warnings = core::analysis_warnings(a);
  if (a.read.streamed)
    warnings.push_back(
        "This file was read in one pass (streaming): its " + std::to_string(s.rows_read) +
        " rows were cleaned and added up per customer as they went by, not kept, so the tab holds customers only. "
        "A change of cleaning rule reads the file again. The rules that need every row (exact duplicates, the last N "
        "months, outliers, rarely bought products) need the rows kept as a table: " +
        (s.rows_read <= g_table_row_limit ? std::string("turning one on reads the file again that way, with more memory.")
                                      : "a file of more than " + std::to_string(g_table_row_limit) +
                                            " rows is too big for that in this tab; use the native command-line tool "
                                            "(loyaltylens) for those rules."));
  sum.set("warnings", string_list(warnings));
  sum.set("unreadableExamples", string_list(a.read.unreadable_examples));
  sum.set("customers", static_cast<double>(t.size()));
  sum.set("returnsOnlyCustomers", static_cast<double>(t.returns_only));
  sum.set("negativeSpendCustomers", static_cast<double>(t.negative_monetary));
  sum.set("firstDate", s.first_date);
  sum.set("lastDate", s.last_date);
  sum.set("asOf", a.read.customer_level ? std::string() : core::format_date(t.as_of));
  sum.set("customerLevel", a.read.customer_level);
  // How the file was read (docs/protocol.md): the worker decides from these what a change of rule needs.
  sum.set("readMode", std::string(a.read.streamed ? "stream" : "table"));
  sum.set("duplicatesChecked", a.read.table.duplicates_found);
  sum.set("tableRowLimit", static_cast<double>(g_table_row_limit));
  val r = ok();
  r.set("summary", sum);
  r.set("ledger", ledger_to_js(l));
  r.set("customerIds", join_lines(t.ids));
  r.set("countries", join_lines(t.country));
  r.set("emails", join_lines(t.email));  // contact columns when the file has them ('' each otherwise)
  r.set("phones", join_lines(t.phone));
  r.set("recency", to_float64(t.recency()));
  r.set("frequency", to_float64(t.frequency()));
  r.set("monetary", to_float64(t.monetary()));
  val features = val::object();
  const auto& names = core::feature_names();
  for (std::size_t i = 0; i < names.size(); ++i) features.set(names[i], to_float64(t.columns[i]));
  r.set("features", features);
  return r;
}

val ingest_begin(const val& options) {
  return guarded([&] {
    g_reader.reset();
    g_analysis.reset();
    const core::ReadOptions o = read_options(options);
    g_table_row_limit = o.max_rows;
    g_reader = std::make_unique<core::TransactionReader>(o);
    return ok();
  });
}

// Copies a Uint8Array into the wasm heap in one memcpy (through a typed_memory_view .set()).
val ingest_chunk(const val& bytes) {
  return guarded([&] {
    if (!g_reader) throw core::InvalidArgument("ingestChunk called before ingestBegin (or after a failed chunk)");
    // One buffer for every chunk of the file: no allocation per chunk on the hot path.
    static std::vector<char> buf;
    const std::size_t n = bytes["length"].as<std::size_t>();
    buf.resize(n);
    val view(emscripten::typed_memory_view(n, reinterpret_cast<unsigned char*>(buf.data())));
    view.call<void>("set", bytes);
    try {
      g_reader->feed(buf.data(), n);
    } catch (...) {
      g_reader.reset();  // a failed read cannot go on
      throw;
    }
    val r = ok();
    r.set("rowsRead", static_cast<double>(g_reader->rows()));
    return r;
  });
}

val ingest_finish(const val& rules, const val& params) {
  return guarded([&] {
    if (!g_reader) throw core::InvalidArgument("ingestFinish called before ingestBegin");
    std::unique_ptr<core::TransactionReader> reader = std::move(g_reader);
    auto a = std::make_unique<core::Analysis>();
    a->read = reader->finish();
    reader.reset();
    core::analyse(*a, cleaning_rules(rules), feature_params(params));
    g_analysis = std::move(a);
    return analysis_to_js(*g_analysis);
  });
}

std::vector<core::SegmentRule> segment_rules(const val& o) {
  const std::string preset = string_or(o, "preset", "rf-grid");
  if (!o.isUndefined() && !o.isNull() && o["rules"].isArray()) {
    std::vector<core::SegmentRule> rules;
    const val a = o["rules"];
    const std::size_t n = a["length"].as<std::size_t>();
    for (std::size_t i = 0; i < n; ++i) {
      const val r = a[i];
      core::SegmentRule rule;
      rule.name = string_or(r, "name", "Segment " + std::to_string(i + 1));
      auto get = [&](const char* key, int fallback) { return r[key].isNumber() ? r[key].as<int>() : fallback; };
      rule.r_min = get("rMin", 1);
      rule.r_max = get("rMax", 5);
      rule.f_min = get("fMin", 1);
      rule.f_max = get("fMax", 5);
      rule.m_min = get("mMin", 1);
      rule.m_max = get("mMax", 5);
      rules.push_back(rule);
    }
    return rules;
  }
  if (preset == "rfm-package") return core::rfm_package_preset();
  if (preset != "rf-grid") throw core::InvalidArgument("unknown segment preset \"" + preset + "\" (rf-grid or rfm-package)");
  return core::rf_grid_preset();
}

val rules_to_js(const std::vector<core::SegmentRule>& rules) {
  val a = val::array();
  for (std::size_t i = 0; i < rules.size(); ++i) {
    const auto& r = rules[i];
    val o = val::object();
    o.set("name", r.name);
    o.set("rMin", r.r_min);
    o.set("rMax", r.r_max);
    o.set("fMin", r.f_min);
    o.set("fMax", r.f_max);
    o.set("mMin", r.m_min);
    o.set("mMax", r.m_max);
    a.set(i, o);
  }
  return a;
}

// RFM scores and named segments of the current customers. params: {method: 'quintiles'|'thresholds',
// thresholds: [[4 R edges], [4 F], [4 M]], recency/frequency/monetary: feature names, preset, rules}.
val rfm_scores(const val& params) {
  return guarded([&] {
    if (!g_analysis) throw core::InvalidArgument("rfmScores needs a file read first");
    const core::CustomerTable& t = g_analysis->customers;
    core::RfmScoreParams p;
    if (string_or(params, "method", "quintiles") == "thresholds") {
      p.method = core::RfmScoreParams::Method::kThresholds;
      const val th = params["thresholds"];
      for (int k = 0; k < 3; ++k)
        for (int j = 0; j < 4; ++j) p.thresholds[static_cast<std::size_t>(k)][static_cast<std::size_t>(j)] = th[k][j].as<double>();
    }
    const std::string rn = string_or(params, "recency", "recency"), fn = string_or(params, "frequency", "frequency"),
                      mn = string_or(params, "monetary", "monetary");
    const core::RfmScores s = core::score_rfm(t.column(rn), t.column(fn), t.column(mn), p);
    const std::vector<core::SegmentRule> rules = segment_rules(params);
    const std::vector<int> seg = core::assign_segments(s, rules);
    const core::RuleCheck check = core::check_rules(rules);
    auto bytes = [](const std::vector<std::uint8_t>& v) {
      return val::global("Uint8Array").new_(emscripten::typed_memory_view(v.size(), v.data())).call<val>("slice");
    };
    val bins = val::array();
    for (int k = 0; k < 3; ++k) {
      val metric = val::array();
      for (int b = 0; b < 5; ++b) {
        const core::ScoreBin& x = s.bins[static_cast<std::size_t>(k)][static_cast<std::size_t>(b)];
        val o = val::object();
        o.set("score", x.score);
        o.set("customers", static_cast<double>(x.customers));
        o.set("min", x.min);
        o.set("max", x.max);
        metric.set(b, o);
      }
      bins.set(k, metric);
    }
    val c = val::object();
    c.set("uncovered", string_list(check.uncovered));
    c.set("overlapping", string_list(check.overlapping));
    c.set("unreachable", string_list(check.unreachable));
    c.set("invalid", string_list(check.invalid));
    val out = ok();
    out.set("r", bytes(s.r));
    out.set("f", bytes(s.f));
    out.set("m", bytes(s.m));
    out.set("bins", bins);
    out.set("rules", rules_to_js(rules));
    out.set("segment", to_int32(seg));
    out.set("check", c);
    return out;
  });
}

// The chosen customer features, preprocessed (log1p, winsorize, scale) for clustering.
// params: {features: ['recency', 'frequency', 'monetary'], log1p: true, winsorLo: 0, winsorHi: 100,
// scaler: 'standard'|'robust'|'minmax'|'none'}.
core::RowMatrix prepared_features(const val& params, std::vector<std::string>* names_out = nullptr) {
  if (!g_analysis) throw core::InvalidArgument("clustering needs a file read first");
  const core::CustomerTable& t = g_analysis->customers;
  std::vector<std::string> names = string_vector(params["features"]);
  if (names.empty()) names = {"recency", "frequency", "monetary"};
  core::RowMatrix x(static_cast<Eigen::Index>(t.size()), static_cast<Eigen::Index>(names.size()));
  for (std::size_t j = 0; j < names.size(); ++j) {
    const std::vector<double>& col = t.column(names[j]);
    // An undefined value (days_between of a one-order customer) takes the column's largest value:
    // no second purchase yet is at least as long a gap as anyone's.
    double fill = 0;
    for (double v : col)
      if (!std::isnan(v)) fill = std::max(fill, v);
    for (std::size_t i = 0; i < t.size(); ++i) {
      const double v = col[i];
      x(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) = std::isnan(v) ? fill : v;
    }
  }
  core::PreprocessParams pp;
  pp.log1p = params["log1p"].isUndefined() ? true : params["log1p"].isTrue();
  if (params["winsorLo"].isNumber()) pp.winsor_lo = params["winsorLo"].as<double>();
  if (params["winsorHi"].isNumber()) pp.winsor_hi = params["winsorHi"].as<double>();
  pp.scaler = core::parse_scaler(string_or(params, "scaler", "standard"));
  if (names_out) *names_out = names;
  return core::fit_transform(x, pp);
}

core::ClusterParams cluster_params(const val& params) {
  core::ClusterParams cp;
  cp.algorithm = core::parse_algorithm(string_or(params, "algorithm", "kmeans"));
  if (params["k"].isNumber()) cp.n_clusters = params["k"].as<int>();
  if (params["nInit"].isNumber()) cp.n_init = params["nInit"].as<int>();
  if (params["seed"].isNumber()) cp.seed = static_cast<std::uint64_t>(params["seed"].as<double>());
  if (string_or(params, "covariance", "full") == "diag") cp.covariance = core::CovarianceType::kDiag;
  // K-Means restarts split over workers (restartsPoints): a range, or the winning restart alone.
  if (params["restartBegin"].isNumber()) cp.restart_begin = params["restartBegin"].as<int>();
  if (params["restartEnd"].isNumber()) cp.restart_end = params["restartEnd"].as<int>();
  return cp;
}

val matrix_to_js(const core::RowMatrix& m) {
  std::vector<double> v(m.data(), m.data() + m.size());
  return to_float64(v);
}

// Clusters the current customers. Segments are renumbered by mean monetary value, highest first.
// Result: {labels, centers (k × d, prepared space), medoids (customer indices) | null, objective,
// inertia, iterations, converged, sampled, logLikelihood, bic, aic, responsibilities (n × k, GMM),
// linkage ((n−1) × 4, SciPy layout, hierarchical), silhouette {mean, values, sampled, stdError},
// daviesBouldin, calinskiHarabasz, profiles: [{segment, name, customers, customerShare, revenue,
// revenueShare, mean, median, relative, valueScore}], features, overallMean}.
val cluster_customers(const val& params) {
  return guarded([&] {
    std::vector<std::string> names;
    const core::RowMatrix x = prepared_features(params, &names);
    const core::ClusterParams cp = cluster_params(params);
    core::ClusterResult r = core::run_clustering(x, cp);
    const int k = cp.n_clusters;
    const core::CustomerTable& t = g_analysis->customers;
    // Renumber by mean monetary, descending (ties by the algorithm's number).
    std::vector<double> mean_m(static_cast<std::size_t>(k), 0.0);
    std::vector<std::int64_t> count(static_cast<std::size_t>(k), 0);
    for (std::size_t i = 0; i < r.labels.size(); ++i) {
      mean_m[static_cast<std::size_t>(r.labels[i])] += t.monetary()[i];
      ++count[static_cast<std::size_t>(r.labels[i])];
    }
    for (int c = 0; c < k; ++c)
      if (count[static_cast<std::size_t>(c)]) mean_m[static_cast<std::size_t>(c)] /= static_cast<double>(count[static_cast<std::size_t>(c)]);
    std::vector<int> order(static_cast<std::size_t>(k));
    for (int c = 0; c < k; ++c) order[static_cast<std::size_t>(c)] = c;
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
      return mean_m[static_cast<std::size_t>(a)] > mean_m[static_cast<std::size_t>(b)];
    });
    std::vector<int> rank(static_cast<std::size_t>(k));
    for (int q = 0; q < k; ++q) rank[static_cast<std::size_t>(order[static_cast<std::size_t>(q)])] = q;
    for (int& l : r.labels) l = rank[static_cast<std::size_t>(l)];
    core::RowMatrix centers(r.centers.rows(), r.centers.cols());
    for (int q = 0; q < k && q < r.centers.rows(); ++q) centers.row(q) = r.centers.row(order[static_cast<std::size_t>(q)]);
    val out = ok();
    out.set("labels", to_int32(r.labels));
    out.set("centers", matrix_to_js(centers));
    out.set("features", string_list(names));
    if (!r.medoids.empty()) {
      std::vector<int> med(static_cast<std::size_t>(k));
      for (int q = 0; q < k; ++q) med[static_cast<std::size_t>(q)] = static_cast<int>(r.medoids[static_cast<std::size_t>(order[static_cast<std::size_t>(q)])]);
      out.set("medoids", to_int32(med));
    } else {
      out.set("medoids", val::null());
    }
    out.set("objective", r.objective);
    out.set("inertia", r.inertia);
    out.set("iterations", r.iterations);
    out.set("converged", r.converged);
    out.set("restart", r.restart);
    out.set("sampled", r.sampled);
    out.set("logLikelihood", r.log_likelihood);
    out.set("bic", r.bic);
    out.set("aic", r.aic);
    if (r.responsibilities.size() > 0) {
      core::RowMatrix resp(r.responsibilities.rows(), r.responsibilities.cols());
      for (int q = 0; q < k; ++q) resp.col(q) = r.responsibilities.col(order[static_cast<std::size_t>(q)]);
      out.set("responsibilities", matrix_to_js(resp));
    } else {
      out.set("responsibilities", val::null());
    }
    out.set("linkage", r.linkage.size() > 0 ? matrix_to_js(r.linkage) : val::null());
    // Quality: exact silhouette up to 20k customers, else a 5,000-customer sample.
    std::int64_t distinct = 0;
    for (std::int64_t c : count) distinct += c > 0;
    val sil = val::null();
    if (distinct >= 2 && distinct <= x.rows() - 1) {
      const core::SilhouetteResult s = x.rows() <= 20000 ? core::silhouette(x, r.labels)
                                                          : core::silhouette_sampled(x, r.labels, 5000, cp.seed);
      sil = val::object();
      sil.set("mean", s.mean);
      sil.set("values", to_float64(s.values));
      std::vector<double> rows(s.rows.begin(), s.rows.end());
      sil.set("rows", to_float64(rows));
      sil.set("sampled", s.sampled);
      sil.set("stdError", s.std_error);
      out.set("daviesBouldin", core::davies_bouldin(x, r.labels));
      out.set("calinskiHarabasz", core::calinski_harabasz(x, r.labels));
    } else {
      out.set("daviesBouldin", val::null());
      out.set("calinskiHarabasz", val::null());
    }
    out.set("silhouette", sil);
    const core::Profiles p = core::profile_segments(t, r.labels, k);
    val profiles = val::array();
    for (std::size_t q = 0; q < p.segments.size(); ++q) {
      const core::SegmentProfile& sp = p.segments[q];
      val o = val::object();
      o.set("segment", sp.segment);
      o.set("name", sp.name);
      o.set("customers", static_cast<double>(sp.customers));
      o.set("customerShare", sp.customer_share);
      o.set("revenue", sp.revenue);
      o.set("revenueShare", sp.revenue_share);
      o.set("mean", to_float64(sp.mean));
      o.set("median", to_float64(sp.median));
      o.set("relative", to_float64(sp.relative));
      o.set("valueScore", sp.value_score);
      profiles.set(q, o);
    }
    out.set("profiles", profiles);
    out.set("profileFeatures", string_list(p.features));
    out.set("overallMean", to_float64(p.overall_mean));
    return out;
  });
}

core::SweepParams sweep_params(const val& params) {
  core::SweepParams sp;
  sp.base = cluster_params(params);
  if (params["kMin"].isNumber()) sp.k_min = params["kMin"].as<int>();
  if (params["kMax"].isNumber()) sp.k_max = params["kMax"].as<int>();
  return sp;
}

val sweep_to_js(const core::SweepResult& r) {
  val out = ok();
  out.set("k", to_int32(r.k));
  out.set("objective", to_float64(r.objective));
  out.set("inertia", to_float64(r.inertia));
  out.set("silhouette", to_float64(r.silhouette));
  out.set("daviesBouldin", to_float64(r.davies_bouldin));
  out.set("calinskiHarabasz", to_float64(r.calinski_harabasz));
  out.set("bic", to_float64(r.bic));
  out.set("silhouetteSampled", r.silhouette_sampled);
  return out;
}

// k = kMin..kMax curves for the chosen algorithm: {k, objective, inertia, silhouette,
// daviesBouldin, calinskiHarabasz, bic, silhouetteSampled}.
val k_sweep(const val& params) {
  return guarded([&] {
    const core::RowMatrix x = prepared_features(params);
    return sweep_to_js(core::k_sweep(x, sweep_params(params)));
  });
}

// The matrix every clustering call of these params runs on (features chosen, log1p, winsorized,
// scaled), for the sweep workers: {points (n × d, row-major), n, d, features}.
val prepared_points(const val& params) {
  return guarded([&] {
    std::vector<std::string> names;
    const core::RowMatrix x = prepared_features(params, &names);
    val out = ok();
    out.set("points", val::global("Float64Array")
                          .new_(emscripten::typed_memory_view(static_cast<std::size_t>(x.size()), x.data()))
                          .call<val>("slice"));
    out.set("n", static_cast<double>(x.rows()));
    out.set("d", static_cast<double>(x.cols()));
    out.set("features", string_list(names));
    return out;
  });
}

// The n × d matrix of a points request (`what`: its name, for the messages): one copy into the
// heap (typed_memory_view .set), as for file chunks.
core::RowMatrix points_matrix(const char* what, const val& points, const val& n_rows, const val& n_cols) {
  const std::string name = what;
  if (!points.instanceof(val::global("Float64Array"))) throw core::InvalidArgument(name + ": points should be a Float64Array");
  if (!n_rows.isNumber() || !n_cols.isNumber()) throw core::InvalidArgument(name + ": n and d should be numbers");
  const double n = n_rows.as<double>(), d = n_cols.as<double>();
  if (!(n >= 1 && d >= 1 && n == std::floor(n) && d == std::floor(d)))
    throw core::InvalidArgument(name + ": n and d should be whole numbers >= 1");
  const std::size_t length = points["length"].as<std::size_t>();
  if (n * d != static_cast<double>(length))
    throw core::InvalidArgument(name + ": " + std::to_string(length) + " values are not n=" +
                                std::to_string(static_cast<std::int64_t>(n)) + " rows of d=" +
                                std::to_string(static_cast<std::int64_t>(d)));
  core::RowMatrix x(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(d));
  val(emscripten::typed_memory_view(static_cast<std::size_t>(x.size()), x.data())).call<void>("set", points);
  return x;
}

// kSweep on given points instead of the current customers: no state, so a worker without the
// file (a sweep worker) computes exactly what kSweep computes for the same k on the same matrix.
val sweep_points(const val& points, const val& n_rows, const val& n_cols, const val& params) {
  return guarded([&] { return sweep_to_js(core::k_sweep(points_matrix("sweepPoints", points, n_rows, n_cols), sweep_params(params))); });
}

// K-Means restarts [restartBegin, restartEnd) of clusterCustomers' params on given points (the
// matrix preparedPoints gives for them): {restart, inertia} of the range's best. Workers split the
// restarts of one clustering this way; clusterCustomers then runs the winning restart alone and
// gives bit for bit the single-worker result (web/api/sweep-pool.js).
val restarts_points(const val& points, const val& n_rows, const val& n_cols, const val& params) {
  return guarded([&] {
    const core::ClusterParams cp = cluster_params(params);
    if (cp.algorithm != core::Algorithm::kKMeans) throw core::InvalidArgument("restartsPoints: k-means restarts only");
    const core::ClusterResult r = core::run_clustering(points_matrix("restartsPoints", points, n_rows, n_cols), cp);
    val out = ok();
    out.set("restart", r.restart);
    out.set("inertia", r.objective);
    return out;
  });
}

// 2-D PCA of the prepared features: {coords (n × 2), explainedVarianceRatio, loadings (d × 2), features}.
val embed(const val& params) {
  return guarded([&] {
    std::vector<std::string> names;
    const core::RowMatrix x = prepared_features(params, &names);
    const std::string method = string_or(params, "method", "pca");
    if (method != "pca" && method != "tsne")
      throw core::InvalidArgument("unknown embedding method \"" + method + "\" (pca or tsne)");
    if (method == "tsne") {
      core::TsneParams tp;
      if (params["perplexity"].isNumber()) tp.perplexity = params["perplexity"].as<double>();
      if (params["seed"].isNumber()) tp.seed = static_cast<std::uint64_t>(params["seed"].as<double>());
      const core::TsneResult r = core::tsne(x, tp);
      val out = ok();
      out.set("coords", matrix_to_js(r.embedding));
      out.set("klDivergence", r.kl_divergence);
      out.set("sampled", r.sampled);
      out.set("sampleSize", static_cast<double>(r.sample_rows.size()));
      out.set("perplexity", r.perplexity_used);
      out.set("note", r.note);
      out.set("features", string_list(names));
      out.set("method", std::string("tsne"));
      return out;
    }
    core::PcaParams pp;
    pp.n_components = std::min<int>(2, static_cast<int>(x.cols()));
    const core::PcaResult r = core::pca(x, pp);
    val out = ok();
    out.set("coords", matrix_to_js(r.embedding));
    std::vector<double> ratio(r.explained_variance_ratio.data(), r.explained_variance_ratio.data() + r.explained_variance_ratio.size());
    out.set("explainedVarianceRatio", to_float64(ratio));
    out.set("loadings", matrix_to_js(r.loadings));
    out.set("features", string_list(names));
    out.set("method", std::string("pca"));
    return out;
  });
}

// The default cleaning rules (what CleaningRules{} holds), for the page's form.
val default_rules() {
  return guarded([&] {
    const core::CleaningRules r;
    val o = ok();
    o.set("missingCustomer", std::string("drop"));
    o.set("dropDuplicates", r.drop_duplicates);
    o.set("cancellations", std::string("drop"));
    o.set("cancelPrefix", std::string("auto"));
    o.set("warnShare", r.warn_share);
    o.set("dropNonProduct", r.drop_non_product);
    o.set("nonProductCodes", string_list(r.non_product_codes));
    o.set("dropBadPrice", r.drop_bad_price);
    o.set("windowMonths", r.window_months);
    o.set("outliers", std::string("off"));
    o.set("outlierPercentile", r.outlier_percentile);
    o.set("iqrFactor", r.iqr_factor);
    o.set("minProductCustomers", r.min_product_customers);
    return o;
  });
}

// Every country in the file (any readable row), with its rows, most rows first.
val countries() {
  return guarded([&] {
    if (!g_analysis) throw core::InvalidArgument("countries needs a file read first");
    const core::TransactionTable& t = g_analysis->read.table;  // its dictionaries, with or without rows
    const std::vector<std::int64_t> counted = core::country_rows(*g_analysis);
    const std::vector<double> rows(counted.begin(), counted.end());
    std::vector<int> order(rows.size());
    for (std::size_t c = 0; c < order.size(); ++c) order[c] = static_cast<int>(c);
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return rows[static_cast<std::size_t>(a)] > rows[static_cast<std::size_t>(b)]; });
    val names = val::array(), counts = val::array();
    for (std::size_t q = 0; q < order.size(); ++q) {
      names.set(q, t.countries[order[q]]);
      counts.set(q, rows[static_cast<std::size_t>(order[q])]);
    }
    val o = ok();
    o.set("names", names);
    o.set("rows", counts);
    return o;
  });
}

// The key of the first rule that is on and needs every row at once ("duplicates", "window",
// "outliers", "rare_products"), or "" when these rules can all run on a streamed read.
val rule_needing_all_rows(const val& rules) {
  return guarded([&] {
    val r = ok();
    r.set("rule", core::rule_needing_all_rows(cleaning_rules(rules)));
    return r;
  });
}

// The issue-3 call without arguments: default rules and features.
val ingest_finish_defaults() { return ingest_finish(val::undefined(), val::undefined()); }

val apply_rules(const val& rules, const val& params) {
  return guarded([&] {
    if (!g_analysis) throw core::InvalidArgument("applyRules needs a file read first (ingestFinish)");
    core::analyse(*g_analysis, cleaning_rules(rules), feature_params(params));
    return analysis_to_js(*g_analysis);
  });
}

val ledger_csv() {
  return guarded([&] {
    if (!g_analysis) throw core::InvalidArgument("ledgerCsv needs a file read first");
    val r = ok();
    r.set("csv", core::ledger_csv(g_analysis->cleaned.ledger));
    return r;
  });
}

val cohorts() {
  return guarded([&] {
    if (!g_analysis) throw core::InvalidArgument("cohorts needs a file read first");
    const core::Cohorts c = core::cohorts_of(*g_analysis);
    val active = val::array(), revenue = val::array();
    for (std::size_t i = 0; i < c.months.size(); ++i) {
      std::vector<double> a(c.active[i].begin(), c.active[i].end());
      active.set(i, to_float64(a));
      revenue.set(i, to_float64(c.revenue[i]));
    }
    val r = ok();
    r.set("months", string_list(c.months));
    r.set("active", active);
    r.set("revenue", revenue);
    return r;
  });
}

val segment(const val& recency, const val& frequency, const val& monetary, const val& params) {
  return guarded([&] {
    const std::vector<double> r = from_float64(recency), f = from_float64(frequency), m = from_float64(monetary);
    if (r.size() != f.size() || r.size() != m.size())
      throw core::InvalidArgument("recency, frequency and monetary differ in length (" + std::to_string(r.size()) +
                                  ", " + std::to_string(f.size()) + ", " + std::to_string(m.size()) + ")");
    core::SegmentParams p;
    if (params["k"].isNumber()) p.k = params["k"].as<int>();
    if (params["seed"].isNumber()) p.seed = static_cast<std::uint64_t>(params["seed"].as<double>());
    if (params["nInit"].isNumber()) p.n_init = params["nInit"].as<int>();
    const core::Segmentation s = core::segment_customers(r.data(), f.data(), m.data(), r.size(), p);
    std::vector<double> centers(s.centers.data(), s.centers.data() + s.centers.size());
    val segs = val::array();
    for (std::size_t i = 0; i < s.segments.size(); ++i) {
      const auto& g = s.segments[i];
      val o = val::object();
      o.set("segment", g.segment);
      o.set("customers", static_cast<double>(g.customers));
      o.set("meanRecency", g.mean_recency);
      o.set("meanFrequency", g.mean_frequency);
      o.set("meanMonetary", g.mean_monetary);
      o.set("revenue", g.revenue);
      segs.set(i, o);
    }
    val out = ok();
    out.set("labels", to_int32(s.labels));
    out.set("centers", to_float64(centers));
    out.set("inertia", s.inertia);
    out.set("iterations", s.iterations);
    out.set("segments", segs);
    return out;
  });
}

val segments_csv(const val& ids_joined, const val& labels, const val& recency, const val& frequency,
                 const val& monetary) {
  return guarded([&] {
    const std::string joined = ids_joined.as<std::string>();
    std::vector<std::string> ids;
    std::size_t start = 0;
    if (!joined.empty()) {
      while (true) {
        const std::size_t nl = joined.find('\n', start);
        ids.push_back(joined.substr(start, nl == std::string::npos ? std::string::npos : nl - start));
        if (nl == std::string::npos) break;
        start = nl + 1;
      }
    }
    const std::vector<int> l = emscripten::convertJSArrayToNumberVector<int>(labels);
    const std::vector<double> r = from_float64(recency), f = from_float64(frequency), m = from_float64(monetary);
    if (r.size() != ids.size() || f.size() != ids.size() || m.size() != ids.size())
      throw core::InvalidArgument("customer ids and features differ in length");
    val out = ok();
    out.set("csv", core::segments_csv(ids, l, r.data(), f.data(), m.data()));
    return out;
  });
}

}  // namespace

EMSCRIPTEN_BINDINGS(loyaltylens) {
  emscripten::function("ingestBegin", &ingest_begin);
  emscripten::function("ingestChunk", &ingest_chunk);
  emscripten::function("ingestFinish", &ingest_finish);
  emscripten::function("ingestFinish", &ingest_finish_defaults);  // overload by argument count
  emscripten::function("applyRules", &apply_rules);
  emscripten::function("ruleNeedingAllRows", &rule_needing_all_rows);
  emscripten::function("ledgerCsv", &ledger_csv);
  emscripten::function("cohorts", &cohorts);
  emscripten::function("rfmScores", &rfm_scores);
  emscripten::function("defaultRules", &default_rules);
  emscripten::function("countries", &countries);
  emscripten::function("clusterCustomers", &cluster_customers);
  emscripten::function("kSweep", &k_sweep);
  emscripten::function("preparedPoints", &prepared_points);
  emscripten::function("sweepPoints", &sweep_points);
  emscripten::function("restartsPoints", &restarts_points);
  emscripten::function("embed", &embed);
  emscripten::function("segment", &segment);
  emscripten::function("segmentsCsv", &segments_csv);
}
