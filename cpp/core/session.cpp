#include "session.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <numeric>

#include "csv_writer.h"
#include "dates.h"
#include "errors.h"
#include "gmm.h"
#include "tsne.h"

namespace core {

Session::Session() = default;
Session::~Session() = default;
Session::Session(Session&&) noexcept = default;
Session& Session::operator=(Session&&) noexcept = default;

void Session::begin(const AnalysisSettings& s, const ReadExecution& e) {
  reader_.reset();
  analysis_.reset();
  ready_ = false;
  execution_ = e;
  ReadOptions o = s.read;
  o.file_name = e.file_name;
  o.size_hint = e.size_hint;
  o.max_rows = e.max_rows;
  o.max_stream_rows = e.max_stream_rows;
  o.stream = e.mode == ReadExecution::Mode::kStream;
  o.stream_above_rows = e.mode == ReadExecution::Mode::kAuto ? e.stream_above_rows : 0;
  o.find_duplicates = e.find_duplicates;
  o.rules = s.clean;
  o.params = s.features;
  reader_ = std::make_unique<TransactionReader>(o);
  pending_rules_ = s.clean;
  pending_features_ = s.features;
  settings_ = AnalysisSettings{};
  settings_.read = s.read;
}

void Session::feed(const char* data, std::size_t n) {
  if (!reader_) throw InvalidArgument("feed: no read in progress (begin first, or the read failed)");
  try {
    reader_->feed(data, n);
  } catch (...) {
    reader_.reset();  // a failed read cannot go on
    throw;
  }
}

std::int64_t Session::rows_read() const { return reader_ ? reader_->rows() : 0; }

void Session::finish(bool features) {
  finish_read();
  reclean(pending_rules_, pending_features_, features);
}

void Session::finish_read() {
  if (!reader_) throw InvalidArgument("finish: no read in progress (begin first, or the read failed)");
  std::unique_ptr<TransactionReader> reader = std::move(reader_);
  auto a = std::make_unique<Analysis>();
  a->read = reader->finish();
  reader.reset();
  analysis_ = std::move(a);
  ready_ = false;  // read, not yet cleaned
}

void Session::reclean(const CleaningRules& rules, const FeatureParams& params, bool features) {
  if (!analysis_) throw InvalidArgument("no file read yet: read a file first");
  Analysis& a = *analysis_;
  if (!features && !a.read.streamed && !a.read.customer_level) {
    CleanResult cleaned = clean(a.read.table, rules);
    a.cleaned = std::move(cleaned);
    a.customers = CustomerTable{};
  } else {
    core::analyse(a, rules, params);
  }
  settings_.clean = rules;
  settings_.features = params;
  ++id_;
  ready_ = true;
}

const Analysis& Session::need() const {
  if (!analysis_) throw InvalidArgument("no file read yet: read a file first");
  if (!ready_)
    throw InvalidArgument("the file was read, but its cleaning failed: change the rules and apply them again");
  return *analysis_;
}

const Analysis& Session::analysis() const { return need(); }

std::vector<std::string> Session::warnings() const { return analysis_warnings(need()); }

std::string Session::stream_note() const {
  const Analysis& a = need();
  if (!a.read.streamed) return "";
  const std::int64_t rows = a.read.summary.rows_read, limit = execution_.max_rows;
  return "This file was read in one pass (streaming): its " + std::to_string(rows) +
         " rows were cleaned and added up per customer as they went by, not kept, so the tab holds customers only. "
         "A change of cleaning rule reads the file again. The rules that need every row (exact duplicates, the last N "
         "months, outliers, rarely bought products) need the rows kept as a table: " +
         (limit <= 0 || rows <= limit ? std::string("turning one on reads the file again that way, with more memory.")
                                      : "a file of more than " + std::to_string(limit) +
                                            " rows is too big for that in this tab; use the native command-line tool "
                                            "(loyaltylens) for those rules.");
}

ScoresOutcome Session::scores(const RfmSettings& s) const {
  const CustomerTable& t = need().customers;
  ScoresOutcome o;
  o.analysis_id = id_;
  o.scores = score_rfm(t.column(s.recency), t.column(s.frequency), t.column(s.monetary), s.scores);
  o.rules = !s.rules.empty() ? s.rules : s.preset == "rfm-package" ? rfm_package_preset() : rf_grid_preset();
  o.segment = assign_segments(o.scores, o.rules);
  o.check = check_rules(o.rules);
  // Thresholds are their own edges; quintiles freeze at their bins' bounds.
  o.edges = s.scores.method == RfmScoreParams::Method::kThresholds ? s.scores.thresholds : frozen_edges(o.scores);
  return o;
}

PreparedPoints Session::prepare(const ClusterSettings& s) const {
  const CustomerTable& t = need().customers;
  if (s.features.empty()) throw InvalidArgument("cluster.features: choose at least one feature to cluster on");
  PreparedPoints p;
  p.features = s.features;
  RowMatrix x(static_cast<Eigen::Index>(t.size()), static_cast<Eigen::Index>(s.features.size()));
  for (std::size_t j = 0; j < s.features.size(); ++j) {
    const std::vector<double>& col = t.column(s.features[j]);
    // An undefined value (days_between of a one-order customer) takes the column's largest value:
    // no second purchase yet is at least as long a gap as anyone's.
    double fill = 0;
    for (double v : col)
      if (!std::isnan(v)) fill = std::max(fill, v);
    p.fill.push_back(fill);
    for (std::size_t i = 0; i < t.size(); ++i) {
      const double v = col[i];
      x(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) = std::isnan(v) ? fill : v;
    }
  }
  PreprocessParams pp = s.preprocess;
  pp.columns.clear();
  p.x = fit_transform(x, pp, &p.preprocess);
  return p;
}

void number_by_monetary(ClusterResult& r, const std::vector<double>& monetary, int k) {
  std::vector<double> mean(static_cast<std::size_t>(k), 0.0);
  std::vector<std::int64_t> count(static_cast<std::size_t>(k), 0);
  for (std::size_t i = 0; i < r.labels.size(); ++i) {
    mean[static_cast<std::size_t>(r.labels[i])] += monetary[i];
    ++count[static_cast<std::size_t>(r.labels[i])];
  }
  for (int c = 0; c < k; ++c)
    if (count[static_cast<std::size_t>(c)])
      mean[static_cast<std::size_t>(c)] /= static_cast<double>(count[static_cast<std::size_t>(c)]);
  std::vector<int> order(static_cast<std::size_t>(k));
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](int a, int b) { return mean[static_cast<std::size_t>(a)] > mean[static_cast<std::size_t>(b)]; });
  std::vector<int> rank(static_cast<std::size_t>(k));
  for (int q = 0; q < k; ++q) rank[static_cast<std::size_t>(order[static_cast<std::size_t>(q)])] = q;
  for (int& l : r.labels) l = rank[static_cast<std::size_t>(l)];
  const auto reorder_rows = [&](RowMatrix& m) {
    if (m.rows() != k) return;
    RowMatrix out(m.rows(), m.cols());
    for (int q = 0; q < k; ++q) out.row(q) = m.row(order[static_cast<std::size_t>(q)]);
    m = std::move(out);
  };
  reorder_rows(r.centers);
  if (!r.medoids.empty()) {
    std::vector<std::int64_t> med(static_cast<std::size_t>(k));
    for (int q = 0; q < k; ++q)
      med[static_cast<std::size_t>(q)] = r.medoids[static_cast<std::size_t>(order[static_cast<std::size_t>(q)])];
    r.medoids = std::move(med);
  }
  if (r.responsibilities.cols() == k) {
    RowMatrix resp(r.responsibilities.rows(), k);
    for (int q = 0; q < k; ++q) resp.col(q) = r.responsibilities.col(order[static_cast<std::size_t>(q)]);
    r.responsibilities = std::move(resp);
  }
  if (r.weights.size() == k) {
    Eigen::VectorXd w(k);
    std::vector<RowMatrix> covs;
    for (int q = 0; q < k; ++q) {
      w[q] = r.weights[order[static_cast<std::size_t>(q)]];
      if (r.covariances.size() == static_cast<std::size_t>(k))
        covs.push_back(r.covariances[static_cast<std::size_t>(order[static_cast<std::size_t>(q)])]);
    }
    r.weights = std::move(w);
    if (!covs.empty()) r.covariances = std::move(covs);
  }
  for (int& c : r.collapsed) c = rank[static_cast<std::size_t>(c)];
  std::sort(r.collapsed.begin(), r.collapsed.end());
}

ClusterOutcome Session::cluster(const ClusterSettings& s, const ProgressFn& progress, Quality quality) const {
  const CustomerTable& t = need().customers;
  if (static_cast<std::int64_t>(t.size()) < s.params.n_clusters)
    throw InvalidArgument("there are " + std::to_string(t.size()) + " customers, fewer than k=" +
                          std::to_string(s.params.n_clusters) + " segments; choose k <= " + std::to_string(t.size()));
  PreparedPoints p = prepare(s);
  ClusterOutcome o;
  o.analysis_id = id_;
  o.settings = s;
  o.result = run_clustering(p.x, s.params, progress);
  const int k = s.params.n_clusters;
  number_by_monetary(o.result, t.monetary(), k);
  std::vector<std::int64_t> count(static_cast<std::size_t>(k), 0);
  for (int l : o.result.labels) ++count[static_cast<std::size_t>(l)];
  std::int64_t distinct = 0;
  for (std::int64_t c : count) distinct += c > 0;
  if (quality == Quality::kWith && distinct >= 2 && distinct <= p.x.rows() - 1) {
    o.has_quality = true;
    o.silhouette = p.x.rows() <= kSilhouetteExactMax
                       ? silhouette(p.x, o.result.labels)
                       : silhouette_sampled(p.x, o.result.labels, kSilhouetteSample, s.params.seed);
    o.davies_bouldin = davies_bouldin(p.x, o.result.labels);
    o.calinski_harabasz = calinski_harabasz(p.x, o.result.labels);
  }
  o.profiles = profile_segments(t, o.result.labels, k);
  o.features = std::move(p.features);
  o.fill = std::move(p.fill);
  o.preprocess = std::move(p.preprocess);
  return o;
}

SweepResult Session::sweep(const ClusterSettings& s, const SweepSettings& sweep, const ProgressFn& progress) const {
  SweepParams sp;
  sp.base = s.params;
  sp.k_min = sweep.k_min;
  sp.k_max = sweep.k_max;
  sp.silhouette_exact_max = kSilhouetteExactMax;
  sp.silhouette_sample = kSilhouetteSample;
  return k_sweep(prepare(s).x, sp, progress);
}

EmbedOutcome Session::embed(const ClusterSettings& s, const MapSettings& map) const {
  PreparedPoints p = prepare(s);
  EmbedOutcome o;
  o.analysis_id = id_;
  o.features = p.features;
  o.method = map.method;
  if (map.method == MapSettings::Method::kTsne) {
    TsneParams tp;
    tp.perplexity = map.perplexity;
    tp.seed = map.seed;
    TsneResult r = tsne(p.x, tp);
    o.coords = std::move(r.embedding);
    o.kl_divergence = r.kl_divergence;
    o.sampled = r.sampled;
    o.sample_size = static_cast<std::int64_t>(r.sample_rows.size());
    o.perplexity = r.perplexity_used;
    o.note = r.note;
    return o;
  }
  PcaParams pp;
  pp.n_components = std::min<int>(2, static_cast<int>(p.x.cols()));
  PcaResult r = pca(p.x, pp);
  o.coords = std::move(r.embedding);
  o.explained_variance_ratio.assign(r.explained_variance_ratio.data(),
                                    r.explained_variance_ratio.data() + r.explained_variance_ratio.size());
  o.loadings = std::move(r.loadings);
  return o;
}

Cohorts Session::cohorts() const { return cohorts_of(need()); }

FittedModel Session::fit_model(const AnalysisSettings& s, const ScoresOutcome& scores, const ClusterOutcome& c,
                               const std::vector<std::string>& names, const std::vector<std::string>& colors) const {
  const Analysis& a = need();
  if (scores.analysis_id != id_ || c.analysis_id != id_)
    throw InvalidArgument(
        "the scores or the segments belong to another analysis than the current one: compute them again");
  const CustomerTable& t = a.customers;
  FittedModel m;
  m.settings = s;
  m.settings.cluster = c.settings;
  m.features = c.features;
  m.fill = c.fill;
  m.preprocess = c.preprocess;
  m.algorithm = c.settings.params.algorithm;
  m.k = c.settings.params.n_clusters;
  m.centers = c.result.centers;
  m.weights = c.result.weights;
  m.covariances = c.result.covariances;
  m.rfm_edges = scores.edges;
  for (const SegmentRule& r : scores.rules) m.rfm_segments.push_back(r.name);
  m.rfm_segments.push_back("Others");
  for (int q = 0; q < m.k; ++q) {
    const SegmentProfile& p = c.profiles.segments[static_cast<std::size_t>(q)];
    FittedModel::Segment seg;
    seg.name = p.name;
    seg.customers = p.customers;
    seg.revenue = p.revenue;
    m.segments.push_back(seg);
  }
  restyle_segments(m, names, colors);
  m.file_name = a.read.summary.file_name;
  m.customers = static_cast<std::int64_t>(t.size());
  m.first_date = a.read.summary.first_date;
  m.last_date = a.read.summary.last_date;
  m.as_of = a.read.customer_level ? std::string() : format_date(t.as_of);
  std::vector<std::string> dist_features = m.features;
  for (const std::string& f : {s.rfm.recency, s.rfm.frequency, s.rfm.monetary})
    if (std::find(dist_features.begin(), dist_features.end(), f) == dist_features.end()) dist_features.push_back(f);
  for (const std::string& f : dist_features) m.distributions.push_back(distribution_of(f, t.column(f)));
  // How well the model's assignment gives back the fit's own labels (1 for K-Means, K-Medoids and
  // mixtures; a hierarchy's cut can differ for customers between clusters).
  const std::vector<int> back = assign_segments_of_model(m, t);
  std::int64_t same = 0;
  for (std::size_t i = 0; i < back.size(); ++i) same += back[i] == c.result.labels[i];
  m.agreement = back.empty() ? 1 : static_cast<double>(same) / static_cast<double>(back.size());
  return m;
}

ApplyOutcome Session::apply(const FittedModel& m, bool refit_rfm, Quality quality) const {
  const CustomerTable& t = need().customers;
  ApplyOutcome o;
  o.analysis_id = id_;
  if (t.size() == 0) throw InvalidArgument("the file has no customers to score");
  ClusterOutcome& c = o.segments;
  c.analysis_id = id_;
  c.settings = m.settings.cluster;
  c.settings.params.n_clusters = m.k;
  c.settings.params.algorithm = m.algorithm;
  c.features = m.features;
  c.fill = m.fill;
  c.preprocess = m.preprocess;
  c.result.labels = assign_segments_of_model(m, t);
  c.result.centers = m.centers;
  c.result.weights = m.weights;
  c.result.covariances = m.covariances;
  c.result.converged = true;
  o.scores = score_rfm(t.column(m.settings.rfm.recency), t.column(m.settings.rfm.frequency),
                       t.column(m.settings.rfm.monetary), refit_rfm ? m.settings.rfm.scores : frozen_score_params(m));
  const std::vector<SegmentRule> rules = !m.settings.rfm.rules.empty()            ? m.settings.rfm.rules
                                         : m.settings.rfm.preset == "rfm-package" ? rfm_package_preset()
                                                                                  : rf_grid_preset();
  o.rfm_segment = assign_segments(o.scores, rules);
  for (const SegmentRule& r : rules) o.rfm_names.push_back(r.name);
  o.rfm_names.push_back("Others");
  const std::vector<int>& labels = c.result.labels;
  o.drift = drift(m, t, labels);
  {
    const ReadSummary& rs = need().read.summary;
    bool same = static_cast<std::int64_t>(t.size()) == m.customers && rs.first_date == m.first_date &&
                rs.last_date == m.last_date &&
                (need().read.customer_level ? m.as_of.empty() : format_date(t.as_of) == m.as_of) &&
                o.drift.sizes_now == o.drift.sizes_then;
    for (const DriftReport::Feature& f : o.drift.features) same = same && f.then == f.now;
    o.drift.same_data = same;
  }
  c.profiles = profile_segments(t, labels, m.k);
  for (std::size_t q = 0; q < c.profiles.segments.size() && q < m.segments.size(); ++q)
    if (!m.segments[q].name.empty()) c.profiles.segments[q].name = m.segments[q].name;
  std::int64_t distinct = 0;
  std::vector<std::int64_t> count(static_cast<std::size_t>(m.k), 0);
  for (int l : labels) distinct += count[static_cast<std::size_t>(l)]++ == 0;
  const auto n = static_cast<std::int64_t>(t.size());
  if (quality == Quality::kWith && distinct >= 2 && distinct <= n - 1) {
    const RowMatrix x = m.preprocess.transform(model_features(m, t));
    c.has_quality = true;
    c.silhouette = n <= kSilhouetteExactMax
                       ? silhouette(x, labels)
                       : silhouette_sampled(x, labels, kSilhouetteSample, m.settings.cluster.params.seed);
    c.davies_bouldin = davies_bouldin(x, labels);
    c.calinski_harabasz = calinski_harabasz(x, labels);
    // On these customers: Σ squared distances to their segment's centre, and the algorithm's
    // objective where it is a distance sum (a mixture's likelihood is not recomputed here).
    double inertia = 0, distance = 0;
    for (Eigen::Index i = 0; i < x.rows(); ++i) {
      const double d2 = (x.row(i) - m.centers.row(labels[static_cast<std::size_t>(i)])).squaredNorm();
      inertia += d2;
      distance += std::sqrt(d2);
    }
    c.result.inertia = inertia;
    c.result.objective = m.algorithm == Algorithm::kKMedoids ? distance
                         : m.algorithm == Algorithm::kGmm    ? std::numeric_limits<double>::quiet_NaN()
                                                             : inertia;
  }
  return o;
}

std::string segments_csv(const CustomerTable& t, const std::vector<int>& labels,
                         const std::vector<std::string>* names) {
  if (labels.size() != t.size())
    throw InvalidArgument("labels (" + std::to_string(labels.size()) + ") and customers (" + std::to_string(t.size()) +
                          ") differ in length");
  std::string out = names ? "customer_id,segment,recency,frequency,monetary,segment_name\n"
                          : "customer_id,segment,recency,frequency,monetary\n";
  out.reserve(out.size() + t.size() * 40);
  char buf[96];
  const std::vector<double>&r = t.recency(), &f = t.frequency(), &m = t.monetary();
  for (std::size_t i = 0; i < t.size(); ++i) {
    out += csv_cell(t.ids[i]);
    std::snprintf(buf, sizeof buf, ",%d,%.0f,%.0f,%.2f", labels[i] + 1, r[i], f[i], m[i]);
    out += buf;
    if (names) {
      const auto l = static_cast<std::size_t>(labels[i]);
      out += "," + csv_cell(l < names->size() ? (*names)[l] : std::string());
    }
    out += '\n';
  }
  return out;
}

}  // namespace core
