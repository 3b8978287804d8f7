// The only file that knows Emscripten: Embind functions over the core's Session. It converts —
// JavaScript values to the core's JSON and settings (through the schema), results to JavaScript
// values (the core's JSON as objects, per-customer arrays as typed arrays, copied out at once) —
// and turns every exception into {ok: false, error}. It decides nothing: every policy (segment
// numbering, undefined features, the silhouette's sample, warnings) is the Session's.
// The API is documented in docs/protocol.md; keep the two in step.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "errors.h"
#include "model.h"
#include "report.h"
#include "schema.h"
#include "session.h"

using emscripten::val;

namespace {

// What the worker holds: the session (the read table, or a streamed read's customers).
core::Session g_session;

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
  } catch (const core::Cancelled&) {
    return error("AbortError", "cancelled");
  } catch (const std::bad_alloc&) {
    return error("OutOfMemory",
                 "the browser tab ran out of memory for this file; try a smaller date range, or the native loyaltylens "
                 "command-line tool");
  } catch (const std::exception& e) {
    return error("InternalError", e.what());
  }
}

// ---------- conversions ----------

// A JavaScript value as the core's JSON (undefined: null), through JSON.stringify.
core::Json json_of(const val& v) {
  if (v.isUndefined() || v.isNull()) return core::Json();
  const val text = val::global("JSON").call<val>("stringify", v);
  if (!text.isString()) return core::Json();
  return core::parse_json(text.as<std::string>(), "the request");
}

// The core's JSON as a JavaScript value, through JSON.parse.
val val_of(const core::Json& j) { return val::global("JSON").call<val>("parse", core::dump_json(j)); }

// Copies out at once: a heap view dies when memory grows.
val float64(const double* v, std::size_t n) {
  return val::global("Float64Array").new_(emscripten::typed_memory_view(n, v)).call<val>("slice");
}
val float64(const std::vector<double>& v) { return float64(v.data(), v.size()); }
val float64(const core::RowMatrix& m) { return float64(m.data(), static_cast<std::size_t>(m.size())); }
val int32(const std::vector<int>& v) {
  return val::global("Int32Array").new_(emscripten::typed_memory_view(v.size(), v.data())).call<val>("slice");
}
val uint8(const std::vector<std::uint8_t>& v) {
  return val::global("Uint8Array").new_(emscripten::typed_memory_view(v.size(), v.data())).call<val>("slice");
}

std::string joined(const std::vector<std::string>& v) {
  std::string s;
  for (std::size_t i = 0; i < v.size(); ++i) (i ? s += '\n' : s) += v[i];
  return s;
}

// A request's keys that are not settings of the group (the protocol's own), left out.
core::Json without(const core::Json& j, std::initializer_list<const char*> keys) {
  core::Json out = core::Json::object();
  if (!j.is_object()) return out;
  for (const auto& m : j.members())
    if (std::find_if(keys.begin(), keys.end(), [&m](const char* k) { return m.first == k; }) == keys.end())
      out.set(m.first, m.second);
  return out;
}

// A group of settings from a request object (absent: the defaults).
core::AnalysisSettings settings(std::initializer_list<std::pair<const char*, core::Json>> groups) {
  core::AnalysisSettings s;
  for (const auto& [group, j] : groups)
    if (j.is_object()) core::group_from_json(group, j, s);
  return s;
}

// ---------- reading and cleaning ----------

// The analysis with the per-customer columns (docs/protocol.md §1 Analysis).
val analysis_result() {
  val r = val_of(core::analysis_json(g_session, true));
  r.set("ok", true);
  const core::CustomerTable& t = g_session.analysis().customers;
  r.set("analysisId", static_cast<double>(g_session.analysis_id()));
  r.set("customerIds", joined(t.ids));
  r.set("countries", joined(t.country));
  r.set("emails", joined(t.email));  // contact columns when the file has them ('' each otherwise)
  r.set("phones", joined(t.phone));
  r.set("recency", float64(t.recency()));
  r.set("frequency", float64(t.frequency()));
  r.set("monetary", float64(t.monetary()));
  val features = val::object();
  const auto& names = core::feature_names();
  for (std::size_t i = 0; i < names.size(); ++i) features.set(names[i], float64(t.columns[i]));
  r.set("features", features);
  return r;
}

// options: the read settings (delimiter, quote, roles, …) with the read's execution (fileName,
// size, mode 'table'|'stream'|'auto', streamAboveRows, maxRows, findDuplicates) and the rules
// and featureParams a streamed read cleans with.
val ingest_begin(const val& options) {
  return guarded([&] {
    const core::Json o = json_of(options);
    core::ReadExecution e;
    e.max_rows = kMaxTableRows;
    e.max_stream_rows = kMaxStreamRows;
    core::Json read = core::Json::object(), rules, features;
    if (o.is_object()) {
      if (const core::Json* v = o.find("fileName"); v && v->is_string()) e.file_name = v->as_string();
      if (const core::Json* v = o.find("size"); v && v->is_number())
        e.size_hint = static_cast<std::int64_t>(v->as_number());
      // maxRows may lower the table's budget (tests of what happens beyond it), never raise it.
      if (const core::Json* v = o.find("maxRows"); v && v->is_number())
        e.max_rows = std::max<std::int64_t>(1, std::min(kMaxTableRows, static_cast<std::int64_t>(v->as_number())));
      const std::string mode = o.find("mode") && o.find("mode")->is_string() ? o.find("mode")->as_string() : "table";
      if (mode != "table" && mode != "stream" && mode != "auto")
        throw core::InvalidArgument("mode \"" + mode + "\" should be 'table', 'stream' or 'auto'");
      e.mode = mode == "stream" ? core::ReadExecution::Mode::kStream
               : mode == "auto" ? core::ReadExecution::Mode::kAuto
                                : core::ReadExecution::Mode::kTable;
      e.stream_above_rows = kStreamAboveRows;
      if (const core::Json* v = o.find("streamAboveRows"); v && v->is_number()) {
        e.stream_above_rows = static_cast<std::int64_t>(v->as_number());
        if (e.stream_above_rows < 1)
          throw core::InvalidArgument("streamAboveRows=" + std::to_string(e.stream_above_rows) + " should be >= 1");
      }
      // Off: reading skips a hash of every line (some 10% faster), and the duplicates rule then
      // needs the file read again with it on. A streamed read never keeps hashes.
      if (const core::Json* v = o.find("findDuplicates"); v && v->is_bool()) e.find_duplicates = v->as_bool();
      if (const core::Json* v = o.find("rules")) rules = *v;
      if (const core::Json* v = o.find("featureParams")) features = *v;
      read = without(
          o, {"fileName", "size", "maxRows", "mode", "streamAboveRows", "findDuplicates", "rules", "featureParams"});
    }
    g_session.begin(settings({{"read", read}, {"clean", rules}, {"features", features}}), e);
    return ok();
  });
}

// Copies a Uint8Array into the wasm heap in one memcpy (through a typed_memory_view .set()).
val ingest_chunk(const val& bytes) {
  return guarded([&] {
    // One buffer for every chunk of the file: no allocation per chunk on the hot path.
    static std::vector<char> buf;
    const std::size_t n = bytes["length"].as<std::size_t>();
    buf.resize(n);
    val view(emscripten::typed_memory_view(n, reinterpret_cast<unsigned char*>(buf.data())));
    view.call<void>("set", bytes);
    g_session.feed(buf.data(), n);
    val r = ok();
    r.set("rowsRead", static_cast<double>(g_session.rows_read()));
    return r;
  });
}

val ingest_finish(const val& rules, const val& params) {
  return guarded([&] {
    g_session.finish_read();
    const core::AnalysisSettings s = settings({{"clean", json_of(rules)}, {"features", json_of(params)}});
    g_session.reclean(s.clean, s.features);
    return analysis_result();
  });
}
val ingest_finish_defaults() { return ingest_finish(val::undefined(), val::undefined()); }

val apply_rules(const val& rules, const val& params) {
  return guarded([&] {
    const core::AnalysisSettings s = settings({{"clean", json_of(rules)}, {"features", json_of(params)}});
    g_session.reclean(s.clean, s.features);
    return analysis_result();
  });
}

// The key of the first rule that is on and needs every row at once ("duplicates", "window",
// "outliers", "rare_products"), or "" when these rules can all run on a streamed read.
val rule_needing_all_rows(const val& rules) {
  return guarded([&] {
    val r = ok();
    r.set("rule", core::rule_needing_all_rows(settings({{"clean", json_of(rules)}}).clean));
    return r;
  });
}

val ledger_csv() {
  return guarded([&] {
    val r = ok();
    r.set("csv", core::ledger_csv(g_session.analysis().cleaned.ledger));
    return r;
  });
}

val cohorts() {
  return guarded([&] {
    const core::Cohorts c = g_session.cohorts();
    val active = val::array(), revenue = val::array();
    for (std::size_t i = 0; i < c.months.size(); ++i) {
      active.set(i, float64(std::vector<double>(c.active[i].begin(), c.active[i].end())));
      revenue.set(i, float64(c.revenue[i]));
    }
    val r = ok();
    r.set("analysisId", static_cast<double>(g_session.analysis_id()));
    r.set("months", val_of(core::Json::array_of(c.months)));
    r.set("active", active);
    r.set("revenue", revenue);
    return r;
  });
}

// Every country in the file (any readable row), with its rows, most rows first.
val countries() {
  return guarded([&] {
    const core::Analysis& a = g_session.analysis();
    const std::vector<std::int64_t> rows = core::country_rows(a);
    std::vector<int> order(rows.size());
    for (std::size_t c = 0; c < order.size(); ++c) order[c] = static_cast<int>(c);
    std::stable_sort(order.begin(), order.end(), [&](int x, int y) {
      return rows[static_cast<std::size_t>(x)] > rows[static_cast<std::size_t>(y)];
    });
    core::Json names = core::Json::array(), counts = core::Json::array();
    for (int c : order) {
      names.push_back(core::Json(a.read.table.countries[c]));
      counts.push_back(core::Json(rows[static_cast<std::size_t>(c)]));
    }
    val o = ok();
    o.set("names", val_of(names));
    o.set("rows", val_of(counts));
    return o;
  });
}

// ---------- the schema ----------

val schema() {
  return guarded([&] {
    val r = val_of(core::schema_json());
    r.set("ok", true);
    return r;
  });
}

// ---------- scores, clusters, maps ----------

val scores_result(const core::ScoresOutcome& o) {
  val out = val_of(core::scores_json(o));
  out.set("ok", true);
  out.set("r", uint8(o.scores.r));
  out.set("f", uint8(o.scores.f));
  out.set("m", uint8(o.scores.m));
  out.set("segment", int32(o.segment));
  return out;
}

// params: the rfm group ({method, thresholds, recency, frequency, monetary, preset, rules}).
val rfm_scores(const val& params) {
  return guarded([&] { return scores_result(g_session.scores(settings({{"rfm", json_of(params)}}).rfm)); });
}

// The cluster group of a request, without the protocol's own keys (the restarts split).
core::ClusterSettings cluster_settings(const core::Json& params) {
  return settings({{"cluster", without(params, {"restartBegin", "restartEnd", "kMin", "kMax", "method", "perplexity",
                                                "mapSeed"})}})
      .cluster;
}

val cluster_result(const core::ClusterOutcome& c) {
  val out = val_of(core::cluster_json(c));
  out.set("ok", true);
  const core::ClusterResult& r = c.result;
  out.set("labels", int32(r.labels));
  out.set("centers", float64(r.centers));
  if (!r.medoids.empty()) {
    std::vector<int> med(r.medoids.begin(), r.medoids.end());
    out.set("medoids", int32(med));
  } else {
    out.set("medoids", val::null());
  }
  out.set("responsibilities", r.responsibilities.size() > 0 ? float64(r.responsibilities) : val::null());
  out.set("linkage", r.linkage.size() > 0 ? float64(r.linkage) : val::null());
  if (c.has_quality) {
    val sil = out["silhouette"];
    sil.set("values", float64(c.silhouette.values));
    sil.set("rows", float64(std::vector<double>(c.silhouette.rows.begin(), c.silhouette.rows.end())));
  }
  for (std::size_t q = 0; q < c.profiles.segments.size(); ++q) {
    const core::SegmentProfile& p = c.profiles.segments[q];
    val o = out["profiles"][q];
    o.set("mean", float64(p.mean));
    o.set("median", float64(p.median));
    o.set("relative", float64(p.relative));
  }
  out.set("overallMean", float64(c.profiles.overall_mean));
  return out;
}

// Clusters the current customers: params is the cluster group ({features, log1p, winsorLo,
// winsorHi, scaler, algorithm, k, seed, nInit, covariance}), and for a restarts split the range
// [restartBegin, restartEnd) (web/api/sweep-pool.js).
val cluster_customers(const val& params) {
  return guarded([&] {
    const core::Json j = json_of(params);
    core::ClusterSettings s = cluster_settings(j);
    if (const core::Json* v = j.find("restartBegin"); v && v->is_number())
      s.params.restart_begin = static_cast<int>(v->as_number());
    if (const core::Json* v = j.find("restartEnd"); v && v->is_number())
      s.params.restart_end = static_cast<int>(v->as_number());
    return cluster_result(g_session.cluster(s));
  });
}

val sweep_result(const core::SweepResult& r) {
  val out = ok();
  out.set("k", int32(r.k));
  out.set("objective", float64(r.objective));
  out.set("inertia", float64(r.inertia));
  out.set("silhouette", float64(r.silhouette));
  out.set("daviesBouldin", float64(r.davies_bouldin));
  out.set("calinskiHarabasz", float64(r.calinski_harabasz));
  out.set("bic", float64(r.bic));
  out.set("collapsed", int32(r.collapsed));
  out.set("silhouetteSampled", r.silhouette_sampled);
  return out;
}

// The k a sweep suggests (core::suggest_k) for the curves of a whole sweep, however many workers
// computed its ks: sweep {k, silhouette, bic, collapsed, silhouetteSampled}, params the cluster
// group (its algorithm). {k (0: none), criterion, reason}.
val suggest_k(const val& sweep, const val& params) {
  return guarded([&] {
    core::SweepResult r;
    r.k = emscripten::convertJSArrayToNumberVector<int>(sweep["k"]);
    r.silhouette = emscripten::convertJSArrayToNumberVector<double>(sweep["silhouette"]);
    r.bic = emscripten::convertJSArrayToNumberVector<double>(sweep["bic"]);
    r.collapsed = emscripten::convertJSArrayToNumberVector<int>(sweep["collapsed"]);
    r.silhouette_sampled = sweep["silhouetteSampled"].as<bool>();
    if (r.silhouette.size() != r.k.size() || r.bic.size() != r.k.size() || r.collapsed.size() != r.k.size())
      throw core::InvalidArgument("suggestK: the curves should have one value per k (" + std::to_string(r.k.size()) +
                                  ")");
    const core::KSuggestion g = core::suggest_k(r, cluster_settings(without(json_of(params), {"k"})).params.algorithm);
    val out = ok();
    out.set("k", g.k);
    out.set("criterion", std::string(core::criterion_name(g.criterion)));
    out.set("reason", g.reason);
    return out;
  });
}

core::SweepSettings sweep_settings(const core::Json& j) {
  core::Json sweep = core::Json::object();
  if (const core::Json* v = j.find("kMin")) sweep.set("kMin", *v);
  if (const core::Json* v = j.find("kMax")) sweep.set("kMax", *v);
  return settings({{"sweep", sweep}}).sweep;
}

// k = kMin..kMax curves for the chosen algorithm.
val k_sweep(const val& params) {
  return guarded([&] {
    const core::Json j = json_of(params);
    // A sweep's k is its range (kMin..kMax): a k among the parameters is not one of them.
    val out = sweep_result(g_session.sweep(cluster_settings(without(j, {"k"})), sweep_settings(j)));
    out.set("analysisId", static_cast<double>(g_session.analysis_id()));
    return out;
  });
}

// The matrix every clustering call of these params runs on, for the sweep workers:
// {points (n × d, row-major), n, d, features}.
val prepared_points(const val& params) {
  return guarded([&] {
    const core::PreparedPoints p = g_session.prepare(cluster_settings(json_of(params)));
    val out = ok();
    out.set("points", float64(p.x));
    out.set("n", static_cast<double>(p.x.rows()));
    out.set("d", static_cast<double>(p.x.cols()));
    out.set("features", val_of(core::Json::array_of(p.features)));
    out.set("analysisId", static_cast<double>(g_session.analysis_id()));
    return out;
  });
}

// The n × d matrix of a points request (`what`: its name, for the messages): one copy into the
// heap (typed_memory_view .set), as for file chunks.
core::RowMatrix points_matrix(const char* what, const val& points, const val& n_rows, const val& n_cols) {
  const std::string name = what;
  if (!points.instanceof (val::global("Float64Array")))
    throw core::InvalidArgument(name + ": points should be a Float64Array");
  if (!n_rows.isNumber() || !n_cols.isNumber()) throw core::InvalidArgument(name + ": n and d should be numbers");
  const double n = n_rows.as<double>(), d = n_cols.as<double>();
  if (!(n >= 1 && d >= 1 && n == std::floor(n) && d == std::floor(d)))
    throw core::InvalidArgument(name + ": n and d should be whole numbers >= 1");
  const std::size_t length = points["length"].as<std::size_t>();
  if (n * d != static_cast<double>(length))
    throw core::InvalidArgument(name + ": " + std::to_string(length) +
                                " values are not n=" + std::to_string(static_cast<std::int64_t>(n)) +
                                " rows of d=" + std::to_string(static_cast<std::int64_t>(d)));
  core::RowMatrix x(static_cast<Eigen::Index>(n), static_cast<Eigen::Index>(d));
  val(emscripten::typed_memory_view(static_cast<std::size_t>(x.size()), x.data())).call<void>("set", points);
  return x;
}

// kSweep on given points instead of the current customers: no state, so a worker without the
// file (a sweep worker) computes exactly what kSweep computes for the same k on the same matrix.
val sweep_points(const val& points, const val& n_rows, const val& n_cols, const val& params) {
  return guarded([&] {
    const core::Json j = json_of(params);
    const core::ClusterSettings s = cluster_settings(without(j, {"k"}));
    const core::SweepSettings w = sweep_settings(j);
    core::SweepParams sp;
    sp.base = s.params;
    sp.k_min = w.k_min;
    sp.k_max = w.k_max;
    sp.silhouette_exact_max = core::Session::kSilhouetteExactMax;
    sp.silhouette_sample = core::Session::kSilhouetteSample;
    return sweep_result(core::k_sweep(points_matrix("sweepPoints", points, n_rows, n_cols), sp));
  });
}

// K-Means restarts [restartBegin, restartEnd) on given points (the matrix preparedPoints gives):
// {restart, inertia} of the range's best. Workers split the restarts of one clustering this way;
// clusterCustomers then runs the winning restart alone and gives bit for bit the single-worker
// result (web/api/sweep-pool.js).
val restarts_points(const val& points, const val& n_rows, const val& n_cols, const val& params) {
  return guarded([&] {
    const core::Json j = json_of(params);
    core::ClusterParams cp = cluster_settings(j).params;
    if (const core::Json* v = j.find("restartBegin"); v && v->is_number())
      cp.restart_begin = static_cast<int>(v->as_number());
    if (const core::Json* v = j.find("restartEnd"); v && v->is_number())
      cp.restart_end = static_cast<int>(v->as_number());
    if (cp.algorithm != core::Algorithm::kKMeans) throw core::InvalidArgument("restartsPoints: k-means restarts only");
    const core::ClusterResult r = core::run_clustering(points_matrix("restartsPoints", points, n_rows, n_cols), cp);
    val out = ok();
    out.set("restart", r.restart);
    out.set("inertia", r.objective);
    return out;
  });
}

// The 2-D map of the prepared features: params is the cluster group plus the map's method,
// perplexity and mapSeed (the t-SNE seed; seed is the clustering's).
val embed(const val& params) {
  return guarded([&] {
    const core::Json j = json_of(params);
    core::Json map = core::Json::object();
    if (const core::Json* v = j.find("method")) map.set("method", *v);
    if (const core::Json* v = j.find("perplexity")) map.set("perplexity", *v);
    if (const core::Json* v = j.find("mapSeed"))
      map.set("seed", *v);
    else if (const core::Json* s = j.find("seed"))
      map.set("seed", *s);
    const core::EmbedOutcome e = g_session.embed(cluster_settings(j), settings({{"map", map}}).map);
    val out = ok();
    out.set("analysisId", static_cast<double>(e.analysis_id));
    out.set("coords", float64(e.coords));
    out.set("features", val_of(core::Json::array_of(e.features)));
    if (e.method == core::MapSettings::Method::kTsne) {
      out.set("method", std::string("tsne"));
      out.set("klDivergence", e.kl_divergence);
      out.set("sampled", e.sampled);
      out.set("sampleSize", static_cast<double>(e.sample_size));
      out.set("perplexity", e.perplexity);
      out.set("note", e.note);
    } else {
      out.set("method", std::string("pca"));
      out.set("explainedVarianceRatio", float64(e.explained_variance_ratio));
      out.set("loadings", float64(e.loadings));
    }
    return out;
  });
}

// The K-Means segments table of the downloads, byte for byte `loyaltylens segment`'s: the
// session's clustering with the default settings and this k, seed and nInit.
val segment(const val& params) {
  return guarded([&] {
    core::ClusterSettings s = cluster_settings(json_of(params));
    // segments.csv's K-Means: the segments and profiles, no silhouette (the clustering shown has it).
    const core::ClusterOutcome c = g_session.cluster(s, {}, core::Session::Quality::kWithout);
    val out = cluster_result(c);
    out.set("csv", core::segments_csv(g_session.analysis().customers, c.result.labels));
    return out;
  });
}

// ---------- projects ----------

std::vector<std::string> strings_of(const core::Json* j) {
  std::vector<std::string> out;
  if (j == nullptr || !j->is_array()) return out;
  for (const core::Json& x : j->items()) out.push_back(x.is_string() ? x.as_string() : std::string());
  return out;
}

// The project file of the current analysis: params {rfm, cluster, map (the groups of the page's
// requests), names, colors}; the read, clean and features settings are the analysis' own. The
// model is fitted again from them (the same calls, the same segments as on screen). With
// {project: text, names, colors} instead: that project (applied, not refitted) with these names
// and colours.
val save_project(const val& params) {
  return guarded([&] {
    const core::Json j = json_of(params);
    if (const core::Json* text = j.find("project"); text && text->is_string()) {
      core::FittedModel m = core::read_project(text->as_string(), "project.json");
      core::restyle_segments(m, strings_of(j.find("names")), strings_of(j.find("colors")));
      val out = ok();
      out.set("analysisId", static_cast<double>(g_session.analysis_id()));
      out.set("text", core::dump_json(core::model_to_json(m), 2) + "\n");
      return out;
    }
    core::AnalysisSettings s = g_session.settings();
    for (const char* group : {"rfm", "map"})
      if (const core::Json* v = j.find(group); v && v->is_object()) core::group_from_json(group, *v, s);
    if (const core::Json* v = j.find("cluster"); v && v->is_object()) s.cluster = cluster_settings(*v);
    const core::FittedModel m = g_session.fit_model(s, g_session.scores(s.rfm),
                                                    g_session.cluster(s.cluster, {}, core::Session::Quality::kWithout),
                                                    strings_of(j.find("names")), strings_of(j.find("colors")));
    val out = ok();
    out.set("analysisId", static_cast<double>(g_session.analysis_id()));
    out.set("text", core::dump_json(core::model_to_json(m), 2) + "\n");
    return out;
  });
}

// Reads a project file's text: {settings, model: {k, algorithm, features, segments, fittedOn,
// agreement}} or an error naming the field.
val open_project(const val& text, const val& file_name) {
  return guarded([&] {
    const core::FittedModel m =
        core::read_project(text.as<std::string>(), file_name.isString() ? file_name.as<std::string>() : "project.json");
    const core::Json j = core::model_to_json(m);
    val out = ok();
    out.set("settings", val_of(*j.find("settings")));
    core::Json summary = *j.find("model");
    out.set("model",
            val_of(without(summary, {"fill", "preprocess", "centers", "weights", "covariances", "distributions"})));
    return out;
  });
}

// Scores the current customers with a saved project: the saved segments as a clustering's
// result (cluster_result: labels, centers, profiles with the saved names, quality), and r, f, m,
// rfmSegment, rfmNames, drift, csv (the segments table with segment_name, as `loyaltylens apply`).
val apply_project(const val& text, const val& options) {
  return guarded([&] {
    const core::Json o = json_of(options);
    const core::Json* name = o.find("fileName");
    const core::FittedModel m =
        core::read_project(text.as<std::string>(), name && name->is_string() ? name->as_string() : "project.json");
    const core::Json* refit = o.find("refitRfm");
    const core::ApplyOutcome a = g_session.apply(m, refit != nullptr && refit->is_bool() && refit->as_bool());
    std::vector<std::string> names;
    for (const auto& seg : m.segments) names.push_back(seg.name);
    val out = cluster_result(a.segments);
    out.set("r", uint8(a.scores.r));
    out.set("f", uint8(a.scores.f));
    out.set("m", uint8(a.scores.m));
    out.set("rfmSegment", int32(a.rfm_segment));
    out.set("rfmNames", val_of(core::Json::array_of(a.rfm_names)));
    out.set("drift", val_of(core::drift_json(a.drift, m)));
    out.set("csv", core::segments_csv(g_session.analysis().customers, a.labels(), &names));
    return out;
  });
}

}  // namespace

EMSCRIPTEN_BINDINGS(loyaltylens) {
  emscripten::function("schema", &schema);
  emscripten::function("ingestBegin", &ingest_begin);
  emscripten::function("ingestChunk", &ingest_chunk);
  emscripten::function("ingestFinish", &ingest_finish);
  emscripten::function("ingestFinish", &ingest_finish_defaults);  // overload by argument count
  emscripten::function("applyRules", &apply_rules);
  emscripten::function("ruleNeedingAllRows", &rule_needing_all_rows);
  emscripten::function("ledgerCsv", &ledger_csv);
  emscripten::function("cohorts", &cohorts);
  emscripten::function("countries", &countries);
  emscripten::function("rfmScores", &rfm_scores);
  emscripten::function("clusterCustomers", &cluster_customers);
  emscripten::function("kSweep", &k_sweep);
  emscripten::function("suggestK", &suggest_k);
  emscripten::function("preparedPoints", &prepared_points);
  emscripten::function("sweepPoints", &sweep_points);
  emscripten::function("restartsPoints", &restarts_points);
  emscripten::function("embed", &embed);
  emscripten::function("segment", &segment);
  emscripten::function("saveProject", &save_project);
  emscripten::function("openProject", &open_project);
  emscripten::function("applyProject", &apply_project);
}
