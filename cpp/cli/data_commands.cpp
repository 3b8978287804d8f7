#include "data_commands.h"

#include <chrono>
#include <cstdio>
#include <sys/resource.h>
#include <cstring>
#include <fstream>
#include <iostream>

#include "csv_reader.h"
#include "csv_writer.h"
#include "dates.h"
#include "input.h"
#include "errors.h"
#include "json.h"
#include "options.h"
#include "segmentation.h"
#include "text_decoder.h"

namespace cli {
namespace {

void write_output(const std::string& out, const std::string& text) {
  if (out.empty() || out == "-") {
    std::fwrite(text.data(), 1, text.size(), stdout);
    return;
  }
  std::ofstream o(out, std::ios::binary);
  o << text;
  if (!o) throw core::InputError("cannot write \"" + out + "\"");
}

// Takes "--flag VALUE" out of args; returns "" when absent.
std::string take(std::vector<std::string>& args, const std::string& flag) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] != flag) continue;
    if (i + 1 >= args.size()) throw UsageError(flag + " needs a value");
    std::string v = args[i + 1];
    args.erase(args.begin() + static_cast<long>(i), args.begin() + static_cast<long>(i) + 2);
    return v;
  }
  return "";
}

bool take_flag(std::vector<std::string>& args, const std::string& flag) {
  for (std::size_t i = 0; i < args.size(); ++i)
    if (args[i] == flag) {
      args.erase(args.begin() + static_cast<long>(i));
      return true;
    }
  return false;
}

void no_more(const std::vector<std::string>& args) {
  if (!args.empty()) throw UsageError("unknown option or extra argument \"" + args[0] + "\"");
}

std::string decision_json(const core::Decision& d) {
  return "{\"key\":" + json_string(d.key) + ",\"title\":" + json_string(d.title) + ",\"applies\":" + (d.applies ? "true" : "false") +
         ",\"forced\":" + (d.forced ? "true" : "false") + ",\"outcome\":" + json_string(d.outcome) +
         ",\"evidence\":" + json_string(d.evidence) + ",\"examples\":" + json_strings(d.examples) + "}";
}

std::string summary_json(const core::ReadSummary& s) {
  std::string o = "{";
  o += "\"file\":" + json_string(s.file_name) + ",\"bytes\":" + std::to_string(s.bytes);
  o += ",\"encoding\":" + json_string(s.encoding) + ",\"delimiter\":" + json_string(s.delimiter);
  o += ",\"dialect\":{\"delimiter\":" + json_string(s.delimiter) + ",\"quote\":" + json_string(s.quote) +
       ",\"escape\":" + json_string(s.escape) + ",\"comment\":" + json_string(s.comment) +
       ",\"skip_initial_space\":" + (s.skip_initial_space ? "true" : "false") +
       ",\"comment_lines\":" + std::to_string(s.comment_lines) + ",\"evidence\":" + json_strings(s.dialect_evidence) + "}";
  const auto lines = [](const std::vector<std::int64_t>& v) {
    std::string a = "[";
    for (std::size_t i = 0; i < v.size(); ++i) a += (i ? "," : "") + std::to_string(v[i]);
    return a + "]";
  };
  o += ",\"ragged\":{\"policy\":" + json_string(s.ragged.skipped ? "skip" : "keep") +
       ",\"short_rows\":" + std::to_string(s.ragged.short_rows) + ",\"short_lines\":" + lines(s.ragged.short_lines) +
       ",\"long_rows\":" + std::to_string(s.ragged.long_rows) + ",\"long_lines\":" + lines(s.ragged.long_lines) + "}";
  o += ",\"layout\":" + json_string(s.layout) + ",\"date_format\":" + json_string(s.date_format);
  o += ",\"number_format\":" + json_string(s.number_format) + ",\"columns\":[";
  for (std::size_t i = 0; i < s.columns.size(); ++i) o += (i ? "," : "") + json_string(s.columns[i]);
  o += "],\"roles\":{";
  bool first = true;
  for (int r = 0; r < core::kRoleCount; ++r) {
    const int c = s.roles[static_cast<std::size_t>(r)];
    if (c < 0) continue;
    o += (first ? "" : ",") + json_string(core::role_key(static_cast<core::Role>(r))) + ":" +
         json_string(s.columns[static_cast<std::size_t>(c)]);
    first = false;
  }
  o += "},\"role_reasons\":{";
  for (int r = 0; r < core::kRoleCount; ++r)
    o += (r ? "," : "") + json_string(core::role_key(static_cast<core::Role>(r))) + ":" +
         json_string(s.role_reasons[static_cast<std::size_t>(r)]);
  o += "},\"decisions\":[";
  for (std::size_t i = 0; i < s.decisions.size(); ++i) o += (i ? "," : "") + decision_json(s.decisions[i]);
  o += "],\"rows_read\":" + std::to_string(s.rows_read) + ",\"rows_unreadable\":" + std::to_string(s.rows_unreadable);
  o += ",\"first_date\":" + json_string(s.first_date) + ",\"last_date\":" + json_string(s.last_date) + ",\"warnings\":[";
  for (std::size_t i = 0; i < s.warnings.size(); ++i) o += (i ? "," : "") + json_string(s.warnings[i]);
  return o + "]}";
}

std::string ledger_json(const core::Ledger& l) {
  std::string o = "{\"before\":{\"rows\":" + std::to_string(l.rows_before) + ",\"customers\":" +
                  std::to_string(l.customers_before) + ",\"revenue\":" + json_number(l.revenue_before) + "}";
  o += ",\"after\":{\"rows\":" + std::to_string(l.rows_after) + ",\"customers\":" + std::to_string(l.customers_after) +
       ",\"revenue\":" + json_number(l.revenue_after) + "},\"rules\":[";
  for (std::size_t i = 0; i < l.entries.size(); ++i) {
    const auto& e = l.entries[i];
    o += (i ? "," : "");
    o += "{\"rule\":" + json_string(e.rule) + ",\"title\":" + json_string(e.title) + ",\"detail\":" + json_string(e.detail);
    o += std::string(",\"enabled\":") + (e.enabled ? "true" : "false") + ",\"rows\":" + std::to_string(e.rows);
    o += ",\"customers\":" + std::to_string(e.customers) + ",\"revenue\":" + json_number(e.revenue) + ",\"examples\":[";
    for (std::size_t k = 0; k < e.examples.size(); ++k) o += (k ? "," : "") + json_string(e.examples[k]);
    o += "],\"decision\":" + (e.heuristic ? decision_json(e.decision) : std::string("null")) + ",\"warning\":" + json_string(e.warning) + "}";
  }
  return o + "]}";
}

// The ledger of the rules: a streamed read cleaned while reading; else cleaning runs on the table.
void clean_read(core::Analysis& a, const core::CleaningRules& rules) {
  a.cleaned = a.read.streamed ? a.read.stream_cleaned : core::clean(a.read.table, rules);
}

}  // namespace

int run_csv(std::vector<std::string> args) {
  core::ReadOptions read;
  bool json = false;
  std::string file;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string a = args[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= args.size()) throw UsageError(a + " needs a value");
      return args[++i];
    };
    if (a == "--json") json = true;
    else if (parse_reading_flag(a, value, read)) continue;
    else if (file.empty() && !a.empty() && a[0] != '-') file = a;
    else throw UsageError("unknown option or extra argument \"" + a + "\"");
  }
  if (file.empty()) throw UsageError("csv takes one FILE (and --json)");
  if (!json) throw UsageError("csv prints JSON only: add --json");
  InputFile in(file);
  core::CsvOptions options;
  options.delimiter = read.delimiter;
  options.quote = read.quote;
  options.escape = read.escape;
  options.comment = read.comment;
  options.skip_initial_space = read.skip_initial_space;
  // Records with another field count than the first (the header) are printed as split, and each
  // is reported on stderr with its line (the first 1,000; then a count).
  constexpr std::int64_t kMaxReported = 1000;
  std::int64_t header_fields = -1, ragged = 0;
  std::string out = "[";
  bool first = true;
  core::CsvReader reader(options, [&](const core::CsvRecord& r) {
    const auto n = static_cast<std::int64_t>(r.fields.size());
    if (header_fields < 0) header_fields = n;
    else if (n != header_fields && ++ragged <= kMaxReported)
      std::fprintf(stderr, "line %lld: %lld fields, header has %lld\n", static_cast<long long>(r.line), static_cast<long long>(n),
                   static_cast<long long>(header_fields));
    out += first ? "\n[" : ",\n[";
    first = false;
    for (std::size_t i = 0; i < r.fields.size(); ++i) out += (i ? "," : "") + json_string(std::string(r.fields[i]));
    out += "]";
  });
  core::TextDecoder decoder;
  std::vector<char> buf(std::size_t{1} << 20);
  std::string text;
  std::size_t n;
  while ((n = in.read(buf.data(), buf.size())) > 0) {
    text.clear();
    decoder.decode(buf.data(), n, text);
    reader.feed(text);
    std::fwrite(out.data(), 1, out.size(), stdout);
    out.clear();
  }
  text.clear();
  decoder.finish(text);
  reader.feed(text);
  reader.finish();
  out += first ? "]\n" : "\n]\n";
  std::fwrite(out.data(), 1, out.size(), stdout);
  if (ragged > kMaxReported)
    std::fprintf(stderr, "… and %lld more records with another field count than the header's\n",
                 static_cast<long long>(ragged - kMaxReported));
  if (ragged > 0)
    std::fprintf(stderr, "%s: %lld of %lld records have another field count than the header's %lld\n", in.name().c_str(),
                 static_cast<long long>(ragged), static_cast<long long>(reader.records()), static_cast<long long>(header_fields));
  return 0;
}

int run_clean(std::vector<std::string> args) {
  Common c = parse_common(args);
  const bool json = take_flag(args, "--json");
  const std::string ledger_out = take(args, "--ledger-csv");
  no_more(args);
  core::Analysis a;
  a.read = read_file(c.file, c.read);
  clean_read(a, c.rules);
  if (!ledger_out.empty()) write_output(ledger_out, core::ledger_csv(a.cleaned.ledger));
  if (json) {
    std::string o = "{\"read\":" + summary_json(a.read.summary) + ",\"unreadable_examples\":[";
    for (std::size_t i = 0; i < a.read.unreadable_examples.size(); ++i)
      o += (i ? "," : "") + json_string(a.read.unreadable_examples[i]);
    o += "],\"ledger\":" + ledger_json(a.cleaned.ledger) + "}\n";
    write_output("", o);
  } else if (ledger_out.empty()) {
    write_output("", core::ledger_csv(a.cleaned.ledger));
  }
  for (const auto& n : core::analysis_notes(a)) std::fprintf(stderr, "note: %s\n", n.c_str());
  for (const auto& w : core::analysis_warnings(a)) std::fprintf(stderr, "warning: %s\n", w.c_str());
  return 0;
}

int run_features(std::vector<std::string> args) {
  Common c = parse_common(args);
  const std::string as_of = take(args, "--as-of");
  const std::string out = take(args, "--out");
  no_more(args);
  core::FeatureParams params;
  if (!as_of.empty()) params.as_of = parse_day("--as-of", as_of);
  c.read.params = params;  // a streamed read computes the features as it reads
  core::Analysis a;
  a.read = read_file(c.file, c.read);
  core::analyse(a, c.rules, params);
  const auto& t = a.customers;
  const auto& names = core::feature_names();
  std::string csv = "customer_id,country";
  for (const auto& n : names) csv += "," + n;
  csv += ",first_purchase,last_purchase\n";
  for (std::size_t i = 0; i < t.size(); ++i) {
    csv += core::csv_cell(t.ids[i]) + "," + core::csv_cell(t.country[i]);
    for (const auto& col : t.columns) csv += "," + core::csv_number(col[i]);
    csv += "," + core::format_date(t.first_day[i]) + "," + core::format_date(t.last_day[i]) + "\n";
  }
  write_output(out, csv);
  std::fprintf(stderr, "%s: %zu customers as of %s\n", a.read.summary.file_name.c_str(), t.size(),
               core::format_date(t.as_of).c_str());
  for (const auto& n : core::analysis_notes(a)) std::fprintf(stderr, "note: %s\n", n.c_str());
  for (const auto& w : core::analysis_warnings(a)) std::fprintf(stderr, "warning: %s\n", w.c_str());
  return 0;
}

int run_segment(std::vector<std::string> args) {
  Common c = parse_common(args);
  core::SegmentParams p;
  const std::string k = take(args, "--k"), seed = take(args, "--seed"), n_init = take(args, "--n-init");
  const std::string out = take(args, "--out");
  no_more(args);
  if (!k.empty()) p.k = static_cast<int>(parse_int("--k", k));
  if (!seed.empty()) p.seed = static_cast<std::uint64_t>(parse_int("--seed", seed));
  if (!n_init.empty()) p.n_init = static_cast<int>(parse_int("--n-init", n_init));
  if (p.k < 1 || p.k > 1000) throw UsageError("--k should be between 1 and 1000, got " + std::to_string(p.k));
  if (p.n_init < 1) throw UsageError("--n-init should be >= 1");

  core::Analysis a;
  a.read = read_file(c.file, c.read);
  core::analyse(a, c.rules);
  const core::CustomerTable& t = a.customers;
  core::Segmentation s;
  try {
    s = core::segment_customers(t.recency().data(), t.frequency().data(), t.monetary().data(), t.size(), p);
  } catch (const core::InvalidArgument& e) {
    throw core::InputError(e.what());
  }
  write_output(out, core::segments_csv(t.ids, s.labels, t.recency().data(), t.frequency().data(), t.monetary().data()));
  const auto& sm = a.read.summary;
  const auto& l = a.cleaned.ledger;
  std::fprintf(stderr,
               "%s: %lld rows read, %lld kept (%lld without customer id, %lld cancelled, %lld unreadable); "
               "%zu customers; %d segments; dates %s..%s (%s)\n",
               sm.file_name.c_str(), static_cast<long long>(sm.rows_read), static_cast<long long>(l.rows_after),
               static_cast<long long>(core::rows_removed_by(l, "missing_customer")),
               static_cast<long long>(core::rows_removed_by(l, "cancellations")),
               static_cast<long long>(sm.rows_unreadable), t.size(), p.k, sm.first_date.c_str(), sm.last_date.c_str(),
               sm.date_format.c_str());
  for (const auto& n : core::analysis_notes(a)) std::fprintf(stderr, "note: %s\n", n.c_str());
  for (const auto& w : core::analysis_warnings(a)) std::fprintf(stderr, "warning: %s\n", w.c_str());
  return 0;
}

int run_profile(std::vector<std::string> args) {
  Common c = parse_common(args);
  const std::string k = take(args, "--k");
  no_more(args);
  using Clock = std::chrono::steady_clock;
  auto seconds = [](Clock::time_point a, Clock::time_point b) { return std::chrono::duration<double>(b - a).count(); };
  const auto t0 = Clock::now();
  core::Analysis a;
  a.read = read_file(c.file, c.read);
  const auto t1 = Clock::now();
  // A streamed read has cleaned and computed the features while reading: its clean and features
  // stages take no time of their own (read_s is the whole ingest).
  clean_read(a, c.rules);
  const auto t2 = Clock::now();
  a.customers = a.read.streamed ? a.read.customers : core::compute_features(a.read.table, a.cleaned);
  const auto t3 = Clock::now();
  core::SegmentParams p;
  if (!k.empty()) p.k = static_cast<int>(parse_int("--k", k));
  const auto& t = a.customers;
  const core::Segmentation s = core::segment_customers(t.recency().data(), t.frequency().data(), t.monetary().data(), t.size(), p);
  const auto t4 = Clock::now();
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  std::string o = "{\"file\":" + json_string(a.read.summary.file_name) + ",\"bytes\":" + std::to_string(a.read.summary.bytes);
  o += std::string(",\"mode\":") + (a.read.streamed ? "\"stream\"" : "\"table\"");
  o += ",\"rows\":" + std::to_string(a.read.summary.rows_read) + ",\"customers\":" + std::to_string(t.size());
  o += ",\"read_s\":" + json_number(seconds(t0, t1)) + ",\"clean_s\":" + json_number(seconds(t1, t2));
  o += ",\"features_s\":" + json_number(seconds(t2, t3)) + ",\"segment_s\":" + json_number(seconds(t3, t4));
  o += ",\"ingest_s\":" + json_number(seconds(t0, t3)) + ",\"max_rss_mb\":" + json_number(ru.ru_maxrss / 1024.0);
  double sum_r = 0, sum_f = 0, sum_m = 0;
  for (std::size_t i = 0; i < t.size(); ++i) {
    sum_r += t.recency()[i];
    sum_f += t.frequency()[i];
    sum_m += t.monetary()[i];
  }
  o += ",\"sum_recency\":" + json_number(sum_r) + ",\"sum_frequency\":" + json_number(sum_f);
  o += ",\"sum_monetary\":" + json_number(sum_m) + ",\"inertia\":" + json_number(s.inertia) + "}\n";
  write_output("", o);
  return 0;
}

}  // namespace cli
