#include "report.h"

#include <cctype>

#include "dates.h"

namespace core {
namespace {

Json lines(const std::vector<std::int64_t>& v) {
  Json a = Json::array();
  for (std::int64_t x : v) a.push_back(Json(x));
  return a;
}

}  // namespace

Json decision_json(const Decision& d) {
  return Json::object()
      .set("key", d.key)
      .set("title", d.title)
      .set("applies", d.applies)
      .set("forced", d.forced)
      .set("outcome", d.outcome)
      .set("evidence", d.evidence)
      .set("examples", Json::array_of(d.examples));
}

Json ledger_json(const Ledger& l) {
  const auto totals = [](std::int64_t rows, std::int64_t customers, double revenue) {
    return Json::object().set("rows", rows).set("customers", customers).set("revenue", revenue);
  };
  Json rules = Json::array();
  for (const LedgerEntry& e : l.entries)
    rules.push_back(Json::object()
                        .set("rule", e.rule)
                        .set("title", e.title)
                        .set("detail", e.detail)
                        .set("enabled", e.enabled)
                        .set("rows", e.rows)
                        .set("customers", e.customers)
                        .set("revenue", e.revenue)
                        .set("examples", Json::array_of(e.examples))
                        .set("decision", e.heuristic ? decision_json(e.decision) : Json())
                        .set("warning", e.warning));
  return Json::object()
      .set("before", totals(l.rows_before, l.customers_before, l.revenue_before))
      .set("after", totals(l.rows_after, l.customers_after, l.revenue_after))
      .set("rules", std::move(rules));
}

Json summary_json(const Session& session, bool execution) {
  const Analysis& a = session.analysis();
  const ReadSummary& s = a.read.summary;
  const Ledger& l = a.cleaned.ledger;
  const CustomerTable& t = a.customers;
  Json o = Json::object();
  o.set("file", s.file_name).set("bytes", s.bytes).set("encoding", s.encoding).set("delimiter", s.delimiter);
  o.set("dialect", Json::object()
                       .set("delimiter", s.delimiter)
                       .set("quote", s.quote)
                       .set("escape", s.escape)
                       .set("comment", s.comment)
                       .set("skipInitialSpace", s.skip_initial_space)
                       .set("commentLines", s.comment_lines)
                       .set("evidence", Json::array_of(s.dialect_evidence)));
  o.set("ragged", Json::object()
                      .set("policy", s.ragged.skipped ? "skip" : "keep")
                      .set("shortRows", s.ragged.short_rows)
                      .set("shortLines", lines(s.ragged.short_lines))
                      .set("longRows", s.ragged.long_rows)
                      .set("longLines", lines(s.ragged.long_lines)));
  o.set("layout", s.layout).set("dateFormat", s.date_format).set("numberFormat", s.number_format);
  o.set("columns", Json::array_of(s.columns));
  Json roles = Json::object(), reasons = Json::object();
  for (int r = 0; r < kRoleCount; ++r) {
    const int c = s.roles[static_cast<std::size_t>(r)];
    if (c >= 0) roles.set(role_key(static_cast<Role>(r)), s.columns[static_cast<std::size_t>(c)]);
    reasons.set(role_key(static_cast<Role>(r)), s.role_reasons[static_cast<std::size_t>(r)]);
  }
  o.set("roles", std::move(roles)).set("roleReasons", std::move(reasons));
  Json decisions = Json::array();
  for (const Decision& d : s.decisions) decisions.push_back(decision_json(d));
  o.set("decisions", std::move(decisions));
  o.set("rowsRead", s.rows_read).set("rowsUnreadable", s.rows_unreadable);
  o.set("rowsKept", l.rows_after);
  o.set("rowsNoCustomer", rows_removed_by(l, "missing_customer"))
      .set("rowsCancelled", rows_removed_by(l, "cancellations"));
  o.set("customers", t.size())
      .set("returnsOnlyCustomers", t.returns_only)
      .set("negativeSpendCustomers", t.negative_monetary);
  o.set("firstDate", s.first_date).set("lastDate", s.last_date);
  o.set("asOf", a.read.customer_level || t.size() == 0 ? std::string() : format_date(t.as_of));
  o.set("customerLevel", a.read.customer_level);
  o.set("warnings", Json::array_of(session.warnings()));
  if (execution) {
    o.set("readMode", a.read.streamed ? "stream" : "table");
    o.set("duplicatesChecked", a.read.table.duplicates_found);
    o.set("tableRowLimit", session.table_row_limit());
    o.set("streamNote", session.stream_note());
    o.set("analysisId", static_cast<double>(session.analysis_id()));
  }
  return o;
}

Json analysis_json(const Session& s, bool execution) {
  return Json::object()
      .set("summary", summary_json(s, execution))
      .set("ledger", ledger_json(s.analysis().cleaned.ledger))
      .set("unreadableExamples", Json::array_of(s.analysis().read.unreadable_examples));
}

Json scores_json(const ScoresOutcome& o) {
  Json bins = Json::array();
  for (const auto& metric : o.scores.bins) {
    Json m = Json::array();
    for (const ScoreBin& b : metric)
      m.push_back(
          Json::object().set("score", b.score).set("customers", b.customers).set("min", b.min).set("max", b.max));
    bins.push_back(std::move(m));
  }
  RfmSettings rs;
  rs.rules = o.rules;
  AnalysisSettings st;
  st.rfm = rs;
  Json edges = Json::array();
  for (const auto& e : o.edges) edges.push_back(Json::array_of(std::vector<double>(e.begin(), e.end())));
  return Json::object()
      .set("analysisId", static_cast<double>(o.analysis_id))
      .set("bins", std::move(bins))
      .set("rules", find_param("rfm", "rules")->get(st))
      .set("check", Json::object()
                        .set("uncovered", Json::array_of(o.check.uncovered))
                        .set("overlapping", Json::array_of(o.check.overlapping))
                        .set("unreachable", Json::array_of(o.check.unreachable))
                        .set("invalid", Json::array_of(o.check.invalid)))
      .set("edges", std::move(edges));
}

Json cluster_json(const ClusterOutcome& o) {
  const ClusterResult& r = o.result;
  Json j = Json::object();
  j.set("analysisId", static_cast<double>(o.analysis_id));
  j.set("features", Json::array_of(o.features));
  j.set("algorithm", algorithm_name(o.settings.params.algorithm)).set("k", o.settings.params.n_clusters);
  j.set("objective", r.objective)
      .set("inertia", r.inertia)
      .set("iterations", r.iterations)
      .set("converged", r.converged);
  j.set("restart", r.restart).set("sampled", r.sampled);
  j.set("logLikelihood", r.log_likelihood).set("bic", r.bic).set("aic", r.aic);
  j.set("collapsed", Json::array_of(r.collapsed));  // segment indices (0-based, as the labels)
  if (o.has_quality) {
    j.set("silhouette", Json::object()
                            .set("mean", o.silhouette.mean)
                            .set("sampled", o.silhouette.sampled)
                            .set("stdError", o.silhouette.std_error));
    j.set("daviesBouldin", o.davies_bouldin).set("calinskiHarabasz", o.calinski_harabasz);
  } else {
    j.set("silhouette", Json()).set("daviesBouldin", Json()).set("calinskiHarabasz", Json());
  }
  Json profiles = Json::array();
  for (const SegmentProfile& p : o.profiles.segments)
    profiles.push_back(Json::object()
                           .set("segment", p.segment)
                           .set("name", p.name)
                           .set("customers", p.customers)
                           .set("customerShare", p.customer_share)
                           .set("revenue", p.revenue)
                           .set("revenueShare", p.revenue_share)
                           .set("mean", Json::array_of(p.mean))
                           .set("median", Json::array_of(p.median))
                           .set("relative", Json::array_of(p.relative))
                           .set("valueScore", p.value_score));
  j.set("profiles", std::move(profiles));
  j.set("profileFeatures", Json::array_of(o.profiles.features));
  j.set("overallMean", Json::array_of(o.profiles.overall_mean));
  return j;
}

Json snake_case_keys(const Json& j) {
  if (j.is_array()) {
    Json a = Json::array();
    for (const Json& x : j.items()) a.push_back(snake_case_keys(x));
    return a;
  }
  if (!j.is_object()) return j;
  Json o = Json::object();
  for (const auto& [key, value] : j.members()) {
    std::string k;
    for (char c : key) {
      if (std::isupper(static_cast<unsigned char>(c))) {
        k += '_';
        k += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      } else {
        k += c;
      }
    }
    o.set(k, snake_case_keys(value));
  }
  return o;
}

}  // namespace core
