// The commands that read a transactions file: csv, clean, features, segment, apply, profile. Each
// reads through the core's Session (the page's worker runs the same calls in wasm), takes its
// settings from the schema's flags, and writes the core's JSON or CSV.
#include <sys/resource.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "commands.h"
#include "csv_reader.h"
#include "csv_writer.h"
#include "dates.h"
#include "errors.h"
#include "input.h"
#include "report.h"
#include "session.h"
#include "text_decoder.h"

namespace cli {
namespace {

const std::vector<std::string> kReadGroups = {"read"};
const std::vector<std::string> kFileGroups = {"read", "clean", "features"};

const CommandSpec kCsv{"csv",
                       "usage: loyaltylens csv FILE --json [reading flags]\n"
                       "  the records exactly as the reader splits them, as JSON arrays of strings; on stderr\n"
                       "  \"line N: M fields, header has K\" for each record with another field count\n",
                       kReadGroups,
                       {{"json", false}},
                       1,
                       1,
                       false};
const CommandSpec kClean{"clean",
                         "usage: loyaltylens clean FILE [--json] [--ledger-csv OUT.csv] [flags]\n"
                         "  what the reader found and what each cleaning rule removed (the ledger)\n",
                         kFileGroups,
                         {{"json", false}, {"ledger-csv", true}},
                         1,
                         1,
                         true};
const CommandSpec kFeatures{"features",
                            "usage: loyaltylens features FILE [--as-of YYYY-MM-DD] [--out customers.csv] [flags]\n"
                            "  every customer feature (recency … spend_4w), one row per customer\n",
                            kFileGroups,
                            {{"out", true}},
                            1,
                            1,
                            true};
const CommandSpec kSegment{"segment",
                           "usage: loyaltylens segment FILE [--k K] [--seed S] [--n-init N] [--out OUT.csv]\n"
                           "                           [--save-project PROJECT.json] [flags]\n"
                           "  RFM per customer, K-Means on standardised log1p recency, frequency and monetary (the\n"
                           "  page's defaults: k 4, seed 1, 10 restarts); writes customer_id,segment,recency,\n"
                           "  frequency,monetary. --save-project writes the project the page saves: the settings\n"
                           "  and the fitted model, for loyaltylens apply\n",
                           {"read", "clean", "features", "rfm", "cluster"},
                           {{"out", true}, {"save-project", true}},
                           1,
                           1,
                           true};
const CommandSpec kApply{"apply",
                         "usage: loyaltylens apply PROJECT.json FILE [--out segments.csv] [--drift-json drift.json]\n"
                         "                         [--refit-rfm] [reading, cleaning and feature flags]\n"
                         "  scores FILE with a saved project without refitting: the same cleaning and features,\n"
                         "  the frozen transforms, each customer in the saved segments; writes the columns of\n"
                         "  segment plus segment_name. Flags override the project's settings (a new --as-of, …).\n"
                         "  --drift-json writes each feature's distribution then and now (PSI) and the segments'\n"
                         "  sizes; --refit-rfm scores RFM on new quintiles instead of the frozen edges\n",
                         kFileGroups,
                         {{"out", true}, {"drift-json", true}, {"refit-rfm", false}},
                         2,
                         2,
                         true};
const CommandSpec kProfile{"profile",
                           "usage: loyaltylens profile FILE [--k K] [--stream] [flags]\n"
                           "  seconds per stage (read, clean, features, segment) and peak memory, as JSON; with\n"
                           "  --stream, read_s is the whole ingest (cleaning and features happen while reading)\n",
                           {"read", "clean", "features", "cluster"},
                           {},
                           1,
                           1,
                           true};

void write_output(const std::string& out, const std::string& text) {
  if (out.empty() || out == "-") {
    std::fwrite(text.data(), 1, text.size(), stdout);
    return;
  }
  std::ofstream o(out, std::ios::binary);
  o << text;
  o.close();
  if (!o) throw core::InputError("cannot write \"" + out + "\"");
}

// --stream with a rule that needs every row: say which flag to drop.
void refuse_unstreamable(const core::CleaningRules& rules) {
  const std::string rule = core::rule_needing_all_rows(rules);
  if (rule.empty()) return;
  const std::string flag = core::flag_of_rule(rule);
  throw core::InvalidArgument("the cleaning rule \"" + rule + "\" (" + flag +
                              ") needs every row at once, and --stream reads the file in one pass without keeping "
                              "its rows: drop --stream (the rows are then kept) or drop " +
                              flag);
}

// Reads the file into the session with the settings, in 1 MiB chunks.
void read_into(core::Session& session, const Args& a, const std::string& path) {
  if (a.stream) refuse_unstreamable(a.settings.clean);
  InputFile in(path);
  core::ReadExecution e;
  e.file_name = in.name();
  // A gzip file's unpacked size is not known: no reservation from its size.
  e.size_hint = in.gzip() ? 0 : in.disk_size();
  e.mode = a.stream ? core::ReadExecution::Mode::kStream : core::ReadExecution::Mode::kTable;
  // Hashing every line costs some 10% of reading: only for the rule that uses the hashes.
  e.find_duplicates = a.settings.clean.drop_duplicates;
  session.begin(a.settings, e);
  std::vector<char> buf(std::size_t{1} << 20);
  std::size_t n;
  while ((n = in.read(buf.data(), buf.size())) > 0) session.feed(buf.data(), n);
}

void notes_and_warnings(const core::Session& s) {
  for (const auto& n : core::analysis_notes(s.analysis())) std::fprintf(stderr, "note: %s\n", n.c_str());
  for (const auto& w : s.warnings()) std::fprintf(stderr, "warning: %s\n", w.c_str());
}

std::string read_text(const std::string& path, std::size_t limit) {
  std::ifstream f(path, std::ios::binary);
  if (!f) throw core::InputError("cannot open \"" + path + "\"");
  std::string text;
  std::vector<char> buf(1 << 16);
  while (f.read(buf.data(), static_cast<std::streamsize>(buf.size())) || f.gcount() > 0) {
    text.append(buf.data(), static_cast<std::size_t>(f.gcount()));
    if (text.size() > limit)
      throw core::InputError("\"" + base_name(path) + "\" is larger than " + std::to_string(limit >> 20) +
                             " MB: a project file is settings and a model, far smaller; is this the right file?");
  }
  return text;
}

}  // namespace

int run_csv(const std::vector<std::string>& argv) {
  const Args a = parse_args(kCsv, argv);
  if (!a.has("json")) throw UsageError("csv prints JSON only: add --json");
  InputFile in(a.positional[0]);
  const core::ReadOptions& r = a.settings.read;
  core::CsvOptions options;
  options.delimiter = r.delimiter;
  options.quote = r.quote;
  options.escape = r.escape;
  options.comment = r.comment;
  options.skip_initial_space = r.skip_initial_space;
  // Records with another field count than the first (the header) are printed as split, and each
  // is reported on stderr with its line (the first 1,000; then a count).
  constexpr std::int64_t kMaxReported = 1000;
  std::int64_t header_fields = -1, ragged = 0;
  std::string out = "[";
  bool first = true;
  core::CsvReader reader(options, [&](const core::CsvRecord& rec) {
    const auto n = static_cast<std::int64_t>(rec.fields.size());
    if (header_fields < 0)
      header_fields = n;
    else if (n != header_fields && ++ragged <= kMaxReported)
      std::fprintf(stderr, "line %lld: %lld fields, header has %lld\n", static_cast<long long>(rec.line),
                   static_cast<long long>(n), static_cast<long long>(header_fields));
    out += first ? "\n[" : ",\n[";
    first = false;
    for (std::size_t i = 0; i < rec.fields.size(); ++i) out += (i ? "," : "") + core::json_quote(rec.fields[i]);
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
    std::fprintf(stderr, "%s: %lld of %lld records have another field count than the header's %lld\n",
                 in.name().c_str(), static_cast<long long>(ragged), static_cast<long long>(reader.records()),
                 static_cast<long long>(header_fields));
  return 0;
}

int run_clean(const std::vector<std::string>& argv) {
  const Args a = parse_args(kClean, argv);
  core::Session s;
  read_into(s, a, a.positional[0]);
  s.finish_read();
  try {
    s.reclean(a.settings.clean, a.settings.features);
  } catch (const core::InputError&) {
    // No purchase left: the ledger says where they went.
    s.reclean(a.settings.clean, a.settings.features, /*features=*/false);
  }
  const std::string ledger_out = a.option("ledger-csv");
  if (!ledger_out.empty()) write_output(ledger_out, core::ledger_csv(s.analysis().cleaned.ledger));
  if (a.has("json")) {
    const core::Json report = core::analysis_json(s, false);
    core::Json o = core::Json::object();
    o.set("read", *report.find("summary"))
        .set("unreadable_examples", *report.find("unreadableExamples"))
        .set("ledger", *report.find("ledger"));
    write_output("", core::dump_json(core::snake_case_keys(o)) + "\n");
  } else if (ledger_out.empty()) {
    write_output("", core::ledger_csv(s.analysis().cleaned.ledger));
  }
  notes_and_warnings(s);
  return 0;
}

int run_features(const std::vector<std::string>& argv) {
  const Args a = parse_args(kFeatures, argv);
  core::Session s;
  read_into(s, a, a.positional[0]);
  s.finish();
  const core::CustomerTable& t = s.analysis().customers;
  const auto& names = core::feature_names();
  std::string csv = "customer_id,country";
  for (const auto& n : names) csv += "," + n;
  csv += ",first_purchase,last_purchase\n";
  for (std::size_t i = 0; i < t.size(); ++i) {
    csv += core::csv_cell(t.ids[i]) + "," + core::csv_cell(t.country[i]);
    for (const auto& col : t.columns) csv += "," + core::csv_number(col[i]);
    csv += "," + core::format_date(t.first_day[i]) + "," + core::format_date(t.last_day[i]) + "\n";
  }
  write_output(a.option("out"), csv);
  std::fprintf(stderr, "%s: %zu customers as of %s\n", s.analysis().read.summary.file_name.c_str(), t.size(),
               core::format_date(t.as_of).c_str());
  notes_and_warnings(s);
  return 0;
}

namespace {

void summary_line(const core::Session& s, int k) {
  const auto& sm = s.analysis().read.summary;
  const auto& l = s.analysis().cleaned.ledger;
  std::fprintf(stderr,
               "%s: %lld rows read, %lld kept (%lld without customer id, %lld cancelled, %lld unreadable); "
               "%zu customers; %d segments; dates %s..%s (%s)\n",
               sm.file_name.c_str(), static_cast<long long>(sm.rows_read), static_cast<long long>(l.rows_after),
               static_cast<long long>(core::rows_removed_by(l, "missing_customer")),
               static_cast<long long>(core::rows_removed_by(l, "cancellations")),
               static_cast<long long>(sm.rows_unreadable), s.analysis().customers.size(), k, sm.first_date.c_str(),
               sm.last_date.c_str(), sm.date_format.c_str());
}

}  // namespace

int run_segment(const std::vector<std::string>& argv) {
  const Args a = parse_args(kSegment, argv);
  core::Session s;
  read_into(s, a, a.positional[0]);
  s.finish();
  core::ClusterOutcome c;
  try {
    c = s.cluster(a.settings.cluster, {}, core::Session::Quality::kWithout);  // the table needs no silhouette
  } catch (const core::InvalidArgument& e) {
    throw core::InputError(e.what());
  }
  write_output(a.option("out"), core::segments_csv(s.analysis().customers, c.result.labels));
  if (a.has("save-project")) {
    const core::FittedModel m = s.fit_model(a.settings, s.scores(a.settings.rfm), c);
    write_output(a.option("save-project"), core::dump_json(core::model_to_json(m), 2) + "\n");
  }
  summary_line(s, a.settings.cluster.params.n_clusters);
  notes_and_warnings(s);
  return 0;
}

int run_apply(const std::vector<std::string>& argv) {
  // The project's settings first; flags given override them.
  const std::string project_path = [&] {
    for (const std::string& w : argv)
      if (w.empty() || w[0] != '-') return w;
    return std::string();
  }();
  if (project_path.empty()) throw UsageError("apply needs PROJECT.json and FILE");
  core::FittedModel m;
  try {
    m = core::read_project(read_text(project_path, core::kMaxProjectBytes), base_name(project_path));
  } catch (const core::InvalidArgument& e) {
    throw core::InputError(std::string(e.what()) +
                           ". The project file cannot be used: save it again from the page or with "
                           "loyaltylens segment --save-project.");
  }
  const Args a = parse_args(kApply, argv, m.settings);
  core::Session s;
  read_into(s, a, a.positional[1]);
  s.finish();
  // The table and the drift report need no silhouette.
  const core::ApplyOutcome o = s.apply(m, a.has("refit-rfm"), core::Session::Quality::kWithout);
  std::vector<std::string> names;
  for (const auto& seg : m.segments) names.push_back(seg.name);
  const std::string segments = core::segments_csv(s.analysis().customers, o.labels(), &names);
  const std::string drift = a.has("drift-json") ? core::dump_json(core::drift_json(o.drift, m), 2) + "\n" : "";
  write_output(a.option("out"), segments);
  if (a.has("drift-json")) write_output(a.option("drift-json"), drift);
  summary_line(s, m.k);
  notes_and_warnings(s);
  if (o.drift.same_data)
    std::fprintf(stderr,
                 "note: these are the customers the project was fitted on (same count, dates and distributions)\n");
  for (const auto& w : o.drift.warnings) std::fprintf(stderr, "warning: %s\n", w.c_str());
  return 0;
}

int run_profile(const std::vector<std::string>& argv) {
  const Args a = parse_args(kProfile, argv);
  using Clock = std::chrono::steady_clock;
  auto seconds = [](Clock::time_point x, Clock::time_point y) { return std::chrono::duration<double>(y - x).count(); };
  const auto t0 = Clock::now();
  core::Session s;
  read_into(s, a, a.positional[0]);
  s.finish_read();
  const auto t1 = Clock::now();
  // A streamed read has cleaned and computed the features while reading: its clean and features
  // stages take no time of their own (read_s is the whole ingest).
  s.reclean(a.settings.clean, a.settings.features, /*features=*/false);
  const auto t2 = Clock::now();
  s.reclean(a.settings.clean, a.settings.features);
  const auto t3 = Clock::now();
  // The features stage is what the second call added to the first.
  const double clean_s = seconds(t1, t2), features_s = std::max(0.0, seconds(t2, t3) - clean_s);
  const core::ClusterOutcome c = s.cluster(a.settings.cluster, {}, core::Session::Quality::kWithout);
  const auto t4 = Clock::now();
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  const core::Analysis& an = s.analysis();
  const core::CustomerTable& t = an.customers;
  double sum_r = 0, sum_f = 0, sum_m = 0;
  for (std::size_t i = 0; i < t.size(); ++i) {
    sum_r += t.recency()[i];
    sum_f += t.frequency()[i];
    sum_m += t.monetary()[i];
  }
  core::Json o = core::Json::object();
  o.set("file", an.read.summary.file_name)
      .set("bytes", an.read.summary.bytes)
      .set("mode", an.read.streamed ? "stream" : "table");
  o.set("rows", an.read.summary.rows_read).set("customers", t.size());
  o.set("read_s", seconds(t0, t1))
      .set("clean_s", clean_s)
      .set("features_s", features_s)
      .set("segment_s", seconds(t3, t4));
  o.set("ingest_s", seconds(t0, t1) + clean_s + features_s)
      .set("max_rss_mb", static_cast<double>(ru.ru_maxrss) / 1024.0);
  o.set("sum_recency", sum_r).set("sum_frequency", sum_f).set("sum_monetary", sum_m).set("inertia", c.result.objective);
  write_output("", core::dump_json(o) + "\n");
  return 0;
}

const CommandSpec kSchema{"schema",
                          "usage: loyaltylens schema [--out schema.json]\n"
                          "  every parameter of an analysis as JSON (group, key, flag, kind, default, choices,\n"
                          "  range, help), the column roles, features, presets and limits: what the page reads\n",
                          {},
                          {{"out", true}},
                          0,
                          0,
                          false};

int run_schema(const std::vector<std::string>& argv) {
  const Args a = parse_args(kSchema, argv);
  write_output(a.option("out"), core::dump_json(core::schema_json(), 2) + "\n");
  return 0;
}

const CommandSpec* data_command_spec(const std::string& name) {
  for (const CommandSpec* s : {&kCsv, &kClean, &kFeatures, &kSegment, &kApply, &kProfile, &kSchema})
    if (name == s->name) return s;
  return nullptr;
}

}  // namespace cli
