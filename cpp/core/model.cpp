#include "model.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>

#include "distance.h"
#include "errors.h"
#include "gmm.h"

namespace core {
namespace {

constexpr const char* kFormatName = "loyaltylens-project";
constexpr int kMaxK = 1000;
constexpr std::size_t kMaxFeatures = 64;

Json numbers(const double* v, std::size_t n) {
  Json a = Json::array();
  for (std::size_t i = 0; i < n; ++i) a.push_back(Json(v[i]));
  return a;
}
Json numbers(const Eigen::VectorXd& v) { return numbers(v.data(), static_cast<std::size_t>(v.size())); }
Json numbers(const std::vector<double>& v) { return numbers(v.data(), v.size()); }
Json matrix(const RowMatrix& m) {
  Json a = Json::array();
  for (Eigen::Index r = 0; r < m.rows(); ++r) a.push_back(numbers(m.row(r).data(), static_cast<std::size_t>(m.cols())));
  return a;
}
// ±infinity (no clip) as null.
Json clips(const Eigen::VectorXd& v) {
  Json a = Json::array();
  for (Eigen::Index i = 0; i < v.size(); ++i) a.push_back(std::isfinite(v[i]) ? Json(v[i]) : Json());
  return a;
}

// ---------- reading, every field checked ----------

class Reader {
 public:
  explicit Reader(std::string path) : path_(std::move(path)) {}

  [[noreturn]] void fail(const std::string& field, const std::string& what) const {
    throw InvalidArgument(path_ + (field.empty() ? "" : "." + field) + ": " + what);
  }

  const Json& member(const Json& o, const char* key) const {
    const Json* v = o.find(key);
    if (v == nullptr) fail(key, "is missing");
    return *v;
  }

  void only(const Json& o, std::initializer_list<const char*> keys) const {
    for (const Json::Member& m : o.members()) {
      const std::string& key = m.first;
      if (std::find_if(keys.begin(), keys.end(), [&key](const char* k) { return key == k; }) == keys.end())
        fail(key, "is not a field of this format (remove it, or open the file with the LoyaltyLens that wrote it)");
    }
  }

  Reader at(const std::string& field) const { return Reader(path_ + "." + field); }
  Reader at(std::size_t i) const { return Reader(path_ + "[" + std::to_string(i) + "]"); }

  const Json& object(const Json& v) const {
    if (!v.is_object()) fail("", std::string("should be an object, not ") + json_type_name(v.type()));
    return v;
  }
  std::string text(const Json& v) const {
    if (!v.is_string()) fail("", std::string("should be a string, not ") + json_type_name(v.type()));
    return v.as_string();
  }
  double number(const Json& v) const {
    if (!v.is_number()) fail("", std::string("should be a number, not ") + json_type_name(v.type()));
    if (!std::isfinite(v.as_number())) fail("", "should be a finite number");
    return v.as_number();
  }
  std::int64_t whole(const Json& v, double lo, double hi) const {
    const double x = number(v);
    if (x != std::floor(x) || x < lo || x > hi)
      fail("", dump_json(v) + " should be a whole number from " + json_number(lo) + " to " + json_number(hi));
    return static_cast<std::int64_t>(x);
  }
  std::vector<double> vector(const Json& v, std::size_t n) const {
    if (!v.is_array())
      fail("", std::string("should be a list of ") + std::to_string(n) + " numbers, not " + json_type_name(v.type()));
    if (v.size() != n)
      fail("", "holds " + std::to_string(v.size()) + " numbers where " + std::to_string(n) + " are needed");
    std::vector<double> out;
    for (std::size_t i = 0; i < n; ++i) out.push_back(at(i).number(v.items()[i]));
    return out;
  }
  RowMatrix rows(const Json& v, std::size_t r, std::size_t c) const {
    if (!v.is_array())
      fail("", std::string("should be a list of ") + std::to_string(r) + " rows, not " + json_type_name(v.type()));
    if (v.size() != r)
      fail("", "holds " + std::to_string(v.size()) + " rows where " + std::to_string(r) + " are needed");
    RowMatrix m(static_cast<Eigen::Index>(r), static_cast<Eigen::Index>(c));
    for (std::size_t i = 0; i < r; ++i) {
      const std::vector<double> row = at(i).vector(v.items()[i], c);
      for (std::size_t j = 0; j < c; ++j) m(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) = row[j];
    }
    return m;
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

const char* scaler_key(ScalerKind k) { return scaler_name(k); }

}  // namespace

bool is_hex_color(const std::string& c) {
  return c.size() == 7 && c[0] == '#' &&
         std::all_of(c.begin() + 1, c.end(), [](char x) { return std::isxdigit(static_cast<unsigned char>(x)) != 0; });
}

void restyle_segments(FittedModel& m, const std::vector<std::string>& names, const std::vector<std::string>& colors) {
  std::vector<FittedModel::Segment> segments = m.segments;  // all or nothing
  for (std::size_t q = 0; q < segments.size(); ++q) {
    FittedModel::Segment& seg = segments[q];
    const std::string label = "segment " + std::to_string(q + 1);
    if (q < names.size() && !names[q].empty()) {
      if (names[q].size() > 200) throw InvalidArgument(label + "'s name should be 1 to 200 characters");
      seg.name = names[q];
    }
    if (q < colors.size()) {
      if (!colors[q].empty() && !is_hex_color(colors[q]))
        throw InvalidArgument(label + "'s colour \"" + colors[q] +
                              "\" should be like #1f77b4, or \"\" for the palette's");
      seg.color = colors[q];
    }
  }
  for (std::size_t q = 0; q < segments.size(); ++q)
    for (std::size_t o = 0; o < q; ++o)
      if (segments[o].name == segments[q].name)
        throw InvalidArgument("segments " + std::to_string(o + 1) + " and " + std::to_string(q + 1) +
                              " are both named \"" + segments[q].name + "\": give each segment its own name");
  m.segments = std::move(segments);
}

Json model_to_json(const FittedModel& m) {
  Json model = Json::object();
  model.set("features", Json::array_of(m.features));
  model.set("fill", numbers(m.fill));
  Json pre = Json::object();
  pre.set("log1p", m.preprocess.log1p);
  pre.set("clipLo", clips(m.preprocess.clip_lo)).set("clipHi", clips(m.preprocess.clip_hi));
  pre.set("scaler", scaler_key(m.preprocess.scaler));
  pre.set("center", numbers(m.preprocess.center)).set("scale", numbers(m.preprocess.scale));
  model.set("preprocess", std::move(pre));
  model.set("algorithm", algorithm_name(m.algorithm));
  model.set("k", m.k);
  model.set("centers", matrix(m.centers));
  if (m.algorithm == Algorithm::kGmm) {
    model.set("weights", numbers(m.weights));
    Json covs = Json::array();
    for (const RowMatrix& c : m.covariances) covs.push_back(matrix(c));
    model.set("covariances", std::move(covs));
  }
  Json edges = Json::array();
  for (const auto& e : m.rfm_edges) edges.push_back(numbers(e.data(), e.size()));
  model.set("rfmEdges", std::move(edges));
  Json segments = Json::array();
  for (const FittedModel::Segment& s : m.segments)
    segments.push_back(Json::object()
                           .set("name", s.name)
                           .set("color", s.color)
                           .set("customers", s.customers)
                           .set("revenue", s.revenue));
  model.set("segments", std::move(segments));
  model.set("rfmSegments", Json::array_of(m.rfm_segments));
  Json fitted = Json::object();
  fitted.set("file", m.file_name)
      .set("customers", m.customers)
      .set("firstDate", m.first_date)
      .set("lastDate", m.last_date)
      .set("asOf", m.as_of);
  model.set("fittedOn", std::move(fitted));
  Json dists = Json::array();
  for (const Distribution& d : m.distributions)
    dists.push_back(
        Json::object().set("feature", d.feature).set("edges", numbers(d.edges)).set("shares", numbers(d.shares)));
  model.set("distributions", std::move(dists));
  model.set("agreement", m.agreement);
  Json out = Json::object();
  out.set("format", kFormatName).set("version", FittedModel::kFormat);
  out.set("settings", settings_to_json(m.settings));
  out.set("model", std::move(model));
  return out;
}

FittedModel model_from_json(const Json& j) {
  const Reader top("project");
  if (!j.is_object())
    top.fail("", std::string("should be a JSON object, not ") + json_type_name(j.type()) +
                     ": is this a LoyaltyLens project file?");
  const Json* format = j.find("format");
  if (format == nullptr || !format->is_string() || format->as_string() != kFormatName)
    top.fail("format", "should be \"" + std::string(kFormatName) + "\": this is not a LoyaltyLens project file");
  const Json& version = top.member(j, "version");
  if (!version.is_number() || version.as_number() != std::floor(version.as_number()) || version.as_number() < 1)
    top.fail("version", dump_json(version) + " is not a format version (a whole number from 1)");
  if (version.as_number() > FittedModel::kFormat)
    top.fail("version", "the file is in format " + json_number(version.as_number()) +
                            ", written by a newer LoyaltyLens; this one reads formats up to " +
                            std::to_string(FittedModel::kFormat) +
                            ". Open it with that newer version, or save the analysis again here.");
  // Format 1 is the first: an older format would be upgraded here, field by field.
  top.only(j, {"format", "version", "settings", "model"});

  FittedModel m;
  try {
    settings_from_json(top.member(j, "settings"), m.settings);
  } catch (const InvalidArgument& e) {
    throw InvalidArgument("project.settings." + std::string(e.what()));
  }
  const Reader r = top.at("model");
  const Json& model = r.object(top.member(j, "model"));
  r.only(model, {"features", "fill", "preprocess", "algorithm", "k", "centers", "weights", "covariances", "rfmEdges",
                 "segments", "rfmSegments", "fittedOn", "distributions", "agreement"});

  // Features.
  const Json& features = r.member(model, "features");
  if (!features.is_array() || features.size() == 0 || features.size() > kMaxFeatures)
    r.at("features").fail("", "should be a list of 1 to " + std::to_string(kMaxFeatures) + " feature names");
  const std::vector<std::string>& known = feature_names();
  for (std::size_t i = 0; i < features.size(); ++i) {
    const std::string f = r.at("features").at(i).text(features.items()[i]);
    if (std::find(known.begin(), known.end(), f) == known.end())
      r.at("features").at(i).fail("", "\"" + f + "\" is not a customer feature LoyaltyLens computes");
    if (std::find(m.features.begin(), m.features.end(), f) != m.features.end())
      r.at("features").at(i).fail("", "\"" + f + "\" is named twice");
    m.features.push_back(f);
  }
  const std::size_t d = m.features.size();
  if (m.features != m.settings.cluster.features)
    r.at("features").fail("", "differs from settings.cluster.features: the model was not fitted with these settings");
  m.fill = r.at("fill").vector(r.member(model, "fill"), d);

  // The transform.
  {
    const Reader p = r.at("preprocess");
    const Json& pre = p.object(r.member(model, "preprocess"));
    p.only(pre, {"log1p", "clipLo", "clipHi", "scaler", "center", "scale"});
    const Json& log1p = p.member(pre, "log1p");
    if (!log1p.is_bool()) p.at("log1p").fail("", "should be true or false");
    m.preprocess.log1p = log1p.as_bool();
    m.preprocess.n_input_columns = static_cast<Eigen::Index>(d);
    for (std::size_t i = 0; i < d; ++i) m.preprocess.columns.push_back(static_cast<int>(i));
    const auto clip = [&](const char* key, double none) {
      const Json& v = p.member(pre, key);
      if (!v.is_array() || v.size() != d)
        p.at(key).fail("", "should be a list of " + std::to_string(d) + " numbers or nulls");
      Eigen::VectorXd out(static_cast<Eigen::Index>(d));
      for (std::size_t i = 0; i < d; ++i)
        out[static_cast<Eigen::Index>(i)] = v.items()[i].is_null() ? none : p.at(key).at(i).number(v.items()[i]);
      return out;
    };
    const double inf = std::numeric_limits<double>::infinity();
    m.preprocess.clip_lo = clip("clipLo", -inf);
    m.preprocess.clip_hi = clip("clipHi", inf);
    const std::string scaler = p.at("scaler").text(p.member(pre, "scaler"));
    try {
      m.preprocess.scaler = parse_scaler(scaler);
    } catch (const InvalidArgument& e) {
      p.at("scaler").fail("", e.what());
    }
    const std::vector<double> center = p.at("center").vector(p.member(pre, "center"), d);
    const std::vector<double> scale = p.at("scale").vector(p.member(pre, "scale"), d);
    m.preprocess.center = Eigen::Map<const Eigen::VectorXd>(center.data(), static_cast<Eigen::Index>(d));
    m.preprocess.scale = Eigen::Map<const Eigen::VectorXd>(scale.data(), static_cast<Eigen::Index>(d));
    for (std::size_t i = 0; i < d; ++i)
      if (!(scale[i] > 0)) p.at("scale").at(i).fail("", "should be above 0 (a feature's spread)");
  }

  // The segments' centres.
  try {
    m.algorithm = parse_algorithm(r.at("algorithm").text(r.member(model, "algorithm")));
  } catch (const InvalidArgument& e) {
    r.at("algorithm").fail("", e.what());
  }
  if (m.algorithm != m.settings.cluster.params.algorithm)
    r.at("algorithm").fail("", "differs from settings.cluster.algorithm");
  m.k = static_cast<int>(r.at("k").whole(r.member(model, "k"), 1, kMaxK));
  if (m.k != m.settings.cluster.params.n_clusters)
    r.at("k").fail("", std::to_string(m.k) + " differs from settings.cluster.k (" +
                           std::to_string(m.settings.cluster.params.n_clusters) + ")");
  m.centers = r.at("centers").rows(r.member(model, "centers"), static_cast<std::size_t>(m.k), d);
  if (m.algorithm == Algorithm::kGmm) {
    const std::vector<double> w = r.at("weights").vector(r.member(model, "weights"), static_cast<std::size_t>(m.k));
    double total = 0;
    for (std::size_t c = 0; c < w.size(); ++c) {
      if (!(w[c] > 0)) r.at("weights").at(c).fail("", "should be above 0");
      total += w[c];
    }
    if (std::fabs(total - 1) > 1e-6)
      r.at("weights").fail("", "should add up to 1 (they add up to " + json_number(total) + ")");
    m.weights = Eigen::Map<const Eigen::VectorXd>(w.data(), static_cast<Eigen::Index>(w.size()));
    const Json& covs = r.member(model, "covariances");
    if (!covs.is_array() || covs.size() != static_cast<std::size_t>(m.k))
      r.at("covariances").fail("", "should be a list of " + std::to_string(m.k) + " matrices");
    for (std::size_t c = 0; c < covs.size(); ++c) {
      RowMatrix s = r.at("covariances").at(c).rows(covs.items()[c], d, d);
      if (!(s - s.transpose()).isZero(0)) r.at("covariances").at(c).fail("", "should be symmetric");
      m.covariances.push_back(std::move(s));
    }
    // Positive definite: checked where it counts, with the message of the E-step.
    try {
      gmm_predict(RowMatrix::Zero(0, static_cast<Eigen::Index>(d)), m.weights, m.centers, m.covariances);
    } catch (const InvalidArgument& e) {
      r.at("covariances").fail("", e.what());
    }
  } else if (model.find("weights") != nullptr || model.find("covariances") != nullptr) {
    r.fail("weights", "belongs to a Gaussian mixture, not to " + std::string(algorithm_name(m.algorithm)));
  }

  // RFM.
  {
    const Json& e = r.member(model, "rfmEdges");
    if (!e.is_array() || e.size() != 3) r.at("rfmEdges").fail("", "should be three lists of four numbers (R, F, M)");
    for (std::size_t k = 0; k < 3; ++k) {
      const std::vector<double> v = r.at("rfmEdges").at(k).vector(e.items()[k], 4);
      for (std::size_t q = 0; q < 4; ++q) {
        if (q > 0 && v[q] < v[q - 1]) r.at("rfmEdges").at(k).fail("", "should not decrease");
        m.rfm_edges[k][q] = v[q];
      }
    }
  }
  {
    const Json& segs = r.member(model, "segments");
    if (!segs.is_array() || segs.size() != static_cast<std::size_t>(m.k))
      r.at("segments").fail("", "should list the " + std::to_string(m.k) + " segments");
    for (std::size_t i = 0; i < segs.size(); ++i) {
      const Reader s = r.at("segments").at(i);
      const Json& o = s.object(segs.items()[i]);
      s.only(o, {"name", "color", "customers", "revenue"});
      FittedModel::Segment seg;
      seg.name = s.at("name").text(s.member(o, "name"));
      if (seg.name.empty() || seg.name.size() > 200) s.at("name").fail("", "should be 1 to 200 characters");
      seg.color = s.at("color").text(s.member(o, "color"));
      if (!seg.color.empty() && !is_hex_color(seg.color))
        s.at("color").fail("", "\"" + seg.color + "\" should be a colour like #1f77b4, or \"\"");
      seg.customers = s.at("customers").whole(s.member(o, "customers"), 0, 1e12);
      seg.revenue = s.at("revenue").number(s.member(o, "revenue"));
      for (const auto& other : m.segments)
        if (other.name == seg.name)
          s.at("name").fail("", "\"" + seg.name + "\" names another segment too; names are unique");
      m.segments.push_back(seg);
    }
  }
  {
    const Json& names = r.member(model, "rfmSegments");
    if (!names.is_array() || names.size() > 1001)
      r.at("rfmSegments").fail("", "should be a list of at most 1,001 names");
    for (std::size_t i = 0; i < names.size(); ++i)
      m.rfm_segments.push_back(r.at("rfmSegments").at(i).text(names.items()[i]));
  }
  {
    const Reader f = r.at("fittedOn");
    const Json& o = f.object(r.member(model, "fittedOn"));
    f.only(o, {"file", "customers", "firstDate", "lastDate", "asOf"});
    m.file_name = f.at("file").text(f.member(o, "file"));
    m.customers = f.at("customers").whole(f.member(o, "customers"), 0, 1e12);
    m.first_date = f.at("firstDate").text(f.member(o, "firstDate"));
    m.last_date = f.at("lastDate").text(f.member(o, "lastDate"));
    m.as_of = f.at("asOf").text(f.member(o, "asOf"));
  }
  {
    const Json& dists = r.member(model, "distributions");
    if (!dists.is_array() || dists.size() > kMaxFeatures + 3)
      r.at("distributions").fail("", "should be a list of feature distributions");
    for (std::size_t i = 0; i < dists.size(); ++i) {
      const Reader s = r.at("distributions").at(i);
      const Json& o = s.object(dists.items()[i]);
      s.only(o, {"feature", "edges", "shares"});
      Distribution dist;
      dist.feature = s.at("feature").text(s.member(o, "feature"));
      if (std::find(known.begin(), known.end(), dist.feature) == known.end())
        s.at("feature").fail("", "\"" + dist.feature + "\" is not a customer feature");
      dist.edges = s.at("edges").vector(s.member(o, "edges"), 9);
      dist.shares = s.at("shares").vector(s.member(o, "shares"), 10);
      for (std::size_t q = 1; q < 9; ++q)
        if (dist.edges[q] < dist.edges[q - 1]) s.at("edges").fail("", "should not decrease");
      double total = 0;
      for (double x : dist.shares) {
        if (x < 0) s.at("shares").fail("", "should not be negative");
        total += x;
      }
      if (std::fabs(total - 1) > 1e-6) s.at("shares").fail("", "should add up to 1");
      m.distributions.push_back(std::move(dist));
    }
  }
  m.agreement = r.at("agreement").number(r.member(model, "agreement"));
  if (m.agreement < 0 || m.agreement > 1) r.at("agreement").fail("", "should be a share from 0 to 1");
  return m;
}

FittedModel read_project(std::string_view text, const std::string& file_name) {
  JsonLimits limits;
  limits.max_bytes = kMaxProjectBytes;
  limits.max_depth = 16;
  const Json j = parse_json(text, "\"" + file_name + "\"", limits);
  try {
    return model_from_json(j);
  } catch (const InvalidArgument& e) {
    throw InvalidArgument("\"" + file_name + "\": " + e.what());
  }
}

RowMatrix model_features(const FittedModel& m, const CustomerTable& t) {
  RowMatrix x(static_cast<Eigen::Index>(t.size()), static_cast<Eigen::Index>(m.features.size()));
  for (std::size_t j = 0; j < m.features.size(); ++j) {
    const std::vector<double>& col = t.column(m.features[j]);
    for (std::size_t i = 0; i < t.size(); ++i)
      x(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) = std::isnan(col[i]) ? m.fill[j] : col[i];
  }
  return x;
}

std::vector<int> assign_segments_of_model(const FittedModel& m, const CustomerTable& t) {
  const RowMatrix x = m.preprocess.transform(model_features(m, t));
  if (m.algorithm == Algorithm::kGmm) return gmm_predict(x, m.weights, m.centers, m.covariances);
  // Nearest centre, the lower segment on a tie (the order segments are numbered in).
  std::vector<int> labels(static_cast<std::size_t>(x.rows()), 0);
  for (Eigen::Index i = 0; i < x.rows(); ++i) {
    double best = std::numeric_limits<double>::infinity();
    for (Eigen::Index c = 0; c < m.centers.rows(); ++c) {
      double s = 0;
      for (Eigen::Index j = 0; j < x.cols(); ++j) {
        const double diff = x(i, j) - m.centers(c, j);
        s += diff * diff;
      }
      if (s < best) {
        best = s;
        labels[static_cast<std::size_t>(i)] = static_cast<int>(c);
      }
    }
  }
  return labels;
}

std::array<std::array<double, 4>, 3> frozen_edges(const RfmScores& s) {
  std::array<std::array<double, 4>, 3> e{};
  for (std::size_t k = 0; k < 3; ++k) {
    const auto& bins = s.bins[k];
    // Frequency and monetary: bin j's largest value; recency (lower is better, bin 5 the most
    // recent): the largest recency of bins 5, 4, 3, 2.
    for (std::size_t q = 0; q < 4; ++q) e[k][q] = k == 0 ? bins[4 - q].max : bins[q].max;
    // An empty bin has no values: it takes its neighbour's edge (repeats make empty bins again).
    for (std::size_t q = 1; q < 4; ++q)
      if (std::isnan(e[k][q])) e[k][q] = e[k][q - 1];
    for (std::size_t q = 4; q-- > 0;)
      if (std::isnan(e[k][q])) e[k][q] = q + 1 < 4 ? e[k][q + 1] : 0;
    for (std::size_t q = 1; q < 4; ++q) e[k][q] = std::max(e[k][q], e[k][q - 1]);
  }
  return e;
}

RfmScores score_rfm_frozen(const FittedModel& m, const CustomerTable& t) {
  return score_rfm(t.column(m.settings.rfm.recency), t.column(m.settings.rfm.frequency),
                   t.column(m.settings.rfm.monetary), frozen_score_params(m));
}

RfmScoreParams frozen_score_params(const FittedModel& m) {
  RfmScoreParams p;
  p.method = RfmScoreParams::Method::kThresholds;
  p.thresholds = m.rfm_edges;
  return p;
}

namespace {

// The bin of a value among the inner edges: the number of edges it is above.
std::size_t bin_of(const std::vector<double>& edges, double v) {
  std::size_t b = 0;
  for (double e : edges) b += v > e;
  return b;
}

std::vector<double> shares_of(const std::vector<double>& edges, const std::vector<double>& values) {
  std::vector<double> shares(edges.size() + 1, 0);
  std::int64_t n = 0;
  for (double v : values) {
    if (std::isnan(v)) continue;
    ++shares[bin_of(edges, v)];
    ++n;
  }
  for (double& s : shares) s = n > 0 ? s / static_cast<double>(n) : 0;
  return shares;
}

}  // namespace

Distribution distribution_of(const std::string& feature, const std::vector<double>& values) {
  std::vector<double> sorted;
  for (double v : values)
    if (!std::isnan(v)) sorted.push_back(v);
  std::sort(sorted.begin(), sorted.end());
  Distribution d;
  d.feature = feature;
  for (int q = 1; q <= 9; ++q) {
    if (sorted.empty()) {
      d.edges.push_back(0);
      continue;
    }
    // NumPy's linear interpolation between closest ranks.
    const double pos = q / 10.0 * static_cast<double>(sorted.size() - 1);
    const auto lo = static_cast<std::size_t>(std::floor(pos));
    const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
    d.edges.push_back(sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - static_cast<double>(lo)));
  }
  d.shares = shares_of(d.edges, values);
  if (sorted.empty()) d.shares.assign(10, 0.1);
  return d;
}

DriftReport drift(const FittedModel& m, const CustomerTable& t, const std::vector<int>& segments_now) {
  DriftReport r;
  constexpr double kFloor = 1e-4;  // empty bins: a share of 0.01% (the usual guard against log 0)
  for (const Distribution& d : m.distributions) {
    DriftReport::Feature f;
    f.feature = d.feature;
    f.edges = d.edges;
    f.then = d.shares;
    f.now = shares_of(d.edges, t.column(d.feature));
    for (std::size_t b = 0; b < f.then.size(); ++b) {
      const double e = std::max(f.then[b], kFloor), a = std::max(f.now[b], kFloor);
      f.psi += (a - e) * std::log(a / e);
    }
    f.reading = f.psi < 0.1 ? "stable" : f.psi < 0.25 ? "moderate shift" : "large shift";
    if (f.psi >= 0.25)
      r.warnings.push_back("The distribution of " + d.feature + " has shifted a lot since the model was fitted (PSI " +
                           json_number(std::round(f.psi * 1000) / 1000) +
                           ", above 0.25): the segments may no longer describe "
                           "these customers; consider fitting the analysis again.");
    r.features.push_back(std::move(f));
  }
  const std::int64_t then_total = m.customers > 0 ? m.customers : 1;
  r.sizes_now.assign(static_cast<std::size_t>(m.k), 0);
  for (int l : segments_now)
    if (l >= 0 && l < m.k) ++r.sizes_now[static_cast<std::size_t>(l)];
  const auto now_total = static_cast<double>(std::max<std::size_t>(segments_now.size(), 1));
  for (int c = 0; c < m.k; ++c) {
    const FittedModel::Segment& s = m.segments[static_cast<std::size_t>(c)];
    r.sizes_then.push_back(s.customers);
    r.shares_then.push_back(static_cast<double>(s.customers) / static_cast<double>(then_total));
    r.shares_now.push_back(static_cast<double>(r.sizes_now[static_cast<std::size_t>(c)]) / now_total);
    const double a = r.shares_then.back(), b = r.shares_now.back();
    if (a > 0 && b == 0)
      r.warnings.push_back("No customer falls in \"" + s.name + "\" now (it held " +
                           json_number(std::round(a * 1000) / 10) + "% of the customers then).");
    else if (a > 0 && (b > 2 * a || b < a / 2) && std::fabs(b - a) > 0.05)
      r.warnings.push_back("\"" + s.name + "\" went from " + json_number(std::round(a * 1000) / 10) + "% to " +
                           json_number(std::round(b * 1000) / 10) + "% of the customers.");
  }
  return r;
}

Json drift_json(const DriftReport& d, const FittedModel& m) {
  Json features = Json::array();
  for (const auto& f : d.features)
    features.push_back(Json::object()
                           .set("feature", f.feature)
                           .set("psi", f.psi)
                           .set("reading", f.reading)
                           .set("edges", Json::array_of(f.edges))
                           .set("then", Json::array_of(f.then))
                           .set("now", Json::array_of(f.now)));
  Json segments = Json::array();
  for (std::size_t c = 0; c < d.sizes_now.size(); ++c)
    segments.push_back(Json::object()
                           .set("segment", static_cast<int>(c) + 1)
                           .set("name", m.segments[c].name)
                           .set("customersThen", d.sizes_then[c])
                           .set("customersNow", d.sizes_now[c])
                           .set("shareThen", d.shares_then[c])
                           .set("shareNow", d.shares_now[c]));
  return Json::object()
      .set("fittedOn", Json::object()
                           .set("file", m.file_name)
                           .set("customers", m.customers)
                           .set("firstDate", m.first_date)
                           .set("lastDate", m.last_date)
                           .set("asOf", m.as_of))
      .set("sameData", d.same_data)
      .set("features", std::move(features))
      .set("segments", std::move(segments))
      .set("warnings", Json::array_of(d.warnings));
}

}  // namespace core
