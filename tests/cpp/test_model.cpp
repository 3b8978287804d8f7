// The fitted model: saved, read back, applied to the customers it was fitted on (their own
// segments) and to another period's (the nearest segment), for every kind of model; project files
// that cannot be used are refused naming the field.
#include <doctest/doctest.h>

#include <string>

#include "errors.h"
#include "model.h"
#include "pipeline_support.h"
#include "report.h"
#include "session.h"

namespace {

// Two groups anyone can tell apart: regulars (several recent orders, large baskets) and one-off
// buyers from early in the year. `prefix` names the customers, `vary` moves the numbers a little.
std::string two_groups(const std::string& prefix, int per_group, int vary) {
  std::string t = "InvoiceNo,InvoiceDate,Quantity,UnitPrice,CustomerID\n";
  int invoice = 1;
  for (int c = 0; c < per_group; ++c) {
    for (int o = 0; o < 4 + (c + vary) % 3; ++o)
      t += std::to_string(invoice++) + ",2011-12-0" + std::to_string(1 + (o + c) % 8) + "," +
           std::to_string(10 + c + vary) + ",9.5," + prefix + "R" + std::to_string(c) + "\n";
    t += std::to_string(invoice++) + ",2011-0" + std::to_string(1 + (c + vary) % 5) + "-1" + std::to_string(c % 9) +
         ",1," + std::to_string(2 + (c + vary) % 4) + ".25," + prefix + "O" + std::to_string(c) + "\n";
  }
  return t;
}

std::vector<std::string> ids(const core::Session& s) { return s.analysis().customers.ids; }

}  // namespace

TEST_CASE("every kind of model gives the fitted customers their own segments, and new customers the nearest") {
  const core::Session fit = test::session_of(two_groups("", 8, 0));
  const core::Session next = test::session_of(two_groups("n", 6, 1));
  for (const core::Algorithm algo :
       {core::Algorithm::kKMeans, core::Algorithm::kKMedoids, core::Algorithm::kGmm, core::Algorithm::kWard,
        core::Algorithm::kAverage, core::Algorithm::kComplete, core::Algorithm::kSingle}) {
    CAPTURE(core::algorithm_name(algo));
    core::AnalysisSettings st;
    st.cluster.params.algorithm = algo;
    st.cluster.params.n_clusters = 2;
    st.cluster.params.covariance = core::CovarianceType::kDiag;
    const core::ClusterOutcome c = fit.cluster(st.cluster);
    const core::FittedModel m = fit.fit_model(st, fit.scores(st.rfm), c);
    CHECK(m.agreement == 1);
    // Segment 1 (label 0) is the one with the higher mean spend: the regulars.
    for (std::size_t i = 0; i < c.result.labels.size(); ++i)
      CHECK(c.result.labels[i] == (ids(fit)[i][0] == 'R' ? 0 : 1));
    CHECK(fit.apply(m).labels() == c.result.labels);
    // Through the project file, and on another period's customers: the same groups.
    const core::FittedModel read = core::model_from_json(core::parse_json(core::dump_json(core::model_to_json(m), 2)));
    CHECK(core::dump_json(core::model_to_json(read)) == core::dump_json(core::model_to_json(m)));
    const core::ApplyOutcome o = next.apply(read);
    REQUIRE(o.labels().size() == next.analysis().customers.size());
    for (std::size_t i = 0; i < o.labels().size(); ++i) CHECK(o.labels()[i] == (ids(next)[i][1] == 'R' ? 0 : 1));
  }
}

TEST_CASE("K-Means by hand: a customer goes to the nearest saved centroid in the prepared space") {
  const core::Session fit = test::session_of(two_groups("", 8, 0));
  core::AnalysisSettings st;
  st.cluster.params.n_clusters = 2;
  core::FittedModel m = fit.fit_model(st, fit.scores(st.rfm), fit.cluster(st.cluster));
  // Move the centroids: segment 2's onto a regular's prepared point; every regular follows.
  const core::RowMatrix x = m.preprocess.transform(core::model_features(m, fit.analysis().customers));
  m.centers.row(1) = x.row(0);
  m.centers.row(0) = m.centers.row(0) * 0 + x.row(1) * 0 + core::RowMatrix::Constant(1, x.cols(), 50);
  const std::vector<int> labels = core::assign_segments_of_model(m, fit.analysis().customers);
  for (int l : labels) CHECK(l == 1);
}

TEST_CASE(
    "RFM on frozen edges: the fitted customers keep their scores where no tie was split; new ones are cut at the same "
    "values") {
  // 20 customers, every spend different.
  std::string text = "InvoiceNo,InvoiceDate,Quantity,UnitPrice,CustomerID\n";
  for (int c = 0; c < 20; ++c)
    text += std::to_string(c) + ",2011-0" + std::to_string(1 + c % 9) + "-0" + std::to_string(1 + c % 7) + ",1," +
            std::to_string(3 + 7 * c) + ".17,C" + std::to_string(c) + "\n";
  const core::Session fit = test::session_of(text);
  core::AnalysisSettings st;
  st.cluster.params.n_clusters = 2;
  const core::ScoresOutcome s = fit.scores(st.rfm);
  const core::FittedModel m = fit.fit_model(st, s, fit.cluster(st.cluster));
  const core::RfmScores frozen = core::score_rfm_frozen(m, fit.analysis().customers);
  const core::CustomerTable& t = fit.analysis().customers;
  for (std::size_t i = 0; i < t.size(); ++i) {
    // Monetary values are all distinct here: no tie split between bins, so the scores match.
    CHECK(frozen.m[i] == s.scores.m[i]);
  }
  // The edges are the bins' largest values: a value above every edge scores 5.
  CHECK(m.rfm_edges[2][3] == s.scores.bins[2][3].max);
  // Applying with re-fitted quintiles gives the quintile scores.
  CHECK(fit.apply(m, true).scores.m == s.scores.m);
}

TEST_CASE(
    "frozen edges are thresholds: a saved model's RFM scores equal thresholds at its edges, ties repeat an edge") {
  const core::Session fit = test::session_of(two_groups("", 8, 0));
  core::AnalysisSettings st;
  st.cluster.params.n_clusters = 2;
  const core::FittedModel m = fit.fit_model(st, fit.scores(st.rfm), fit.cluster(st.cluster));
  core::RfmSettings rfm;
  rfm.scores = core::frozen_score_params(m);
  const core::ScoresOutcome on_edges = fit.scores(rfm);
  const core::RfmScores frozen = core::score_rfm_frozen(m, fit.analysis().customers);
  CHECK(on_edges.scores.r == frozen.r);
  CHECK(on_edges.scores.f == frozen.f);
  CHECK(on_edges.scores.m == frozen.m);
  // Thresholds freeze at themselves (a project saved with them keeps them).
  CHECK(on_edges.edges == m.rfm_edges);
  // Frequencies tie a lot here: some edges repeat, which thresholds accept.
  bool repeat = false;
  for (const auto& e : m.rfm_edges)
    for (std::size_t q = 1; q < 4; ++q) repeat = repeat || e[q] == e[q - 1];
  CHECK(repeat);
}

TEST_CASE(
    "the saved segments as a clustering's outcome: the model's centres and settings, its names, the objective on these "
    "customers") {
  const core::Session fit = test::session_of(two_groups("", 8, 0));
  const core::Session next = test::session_of(two_groups("n", 6, 1));
  core::AnalysisSettings st;
  st.cluster.params.n_clusters = 2;
  const core::ClusterOutcome c = fit.cluster(st.cluster);
  const core::FittedModel m = fit.fit_model(st, fit.scores(st.rfm), c, {"Regulars", ""}, {"#aa3377", ""});
  CHECK(m.segments[0].name == "Regulars");
  CHECK(m.segments[1].name == c.profiles.segments[1].name);
  CHECK(m.segments[0].color == "#aa3377");
  const core::ApplyOutcome same = fit.apply(m);
  CHECK(same.segments.result.centers == c.result.centers);
  CHECK(same.segments.result.inertia == doctest::Approx(c.result.inertia).epsilon(1e-12));
  CHECK(same.segments.result.objective == doctest::Approx(c.result.objective).epsilon(1e-12));
  CHECK(same.segments.silhouette.mean == doctest::Approx(c.silhouette.mean).epsilon(1e-12));
  const core::ApplyOutcome o = next.apply(m);
  CHECK(o.segments.settings.params.n_clusters == 2);
  CHECK(o.segments.profiles.segments[0].name == "Regulars");
  CHECK(o.segments.features == m.features);
  CHECK(o.segments.has_quality);
  // By hand: Σ squared distances of the prepared points to their segment's centre.
  const core::RowMatrix x = m.preprocess.transform(core::model_features(m, next.analysis().customers));
  double inertia = 0;
  for (Eigen::Index i = 0; i < x.rows(); ++i)
    inertia += (x.row(i) - m.centers.row(o.labels()[static_cast<std::size_t>(i)])).squaredNorm();
  CHECK(o.segments.result.inertia == doctest::Approx(inertia).epsilon(1e-12));
}

TEST_CASE("restyled segments: names and colours where given, each name once, colours as #rrggbb") {
  const core::Session fit = test::session_of(two_groups("", 8, 0));
  core::AnalysisSettings st;
  st.cluster.params.n_clusters = 2;
  core::FittedModel m = fit.fit_model(st, fit.scores(st.rfm), fit.cluster(st.cluster));
  core::restyle_segments(m, {"", "Occasional buyers"}, {"#112233"});
  CHECK(m.segments[1].name == "Occasional buyers");
  CHECK(m.segments[0].color == "#112233");
  CHECK_THROWS_WITH_AS(core::restyle_segments(m, {"Same", "Same"}, {}),
                       doctest::Contains("segments 1 and 2 are both named \"Same\""), core::InvalidArgument);
  CHECK_THROWS_WITH_AS(core::restyle_segments(m, {}, {"red"}), doctest::Contains("segment 1's colour \"red\""),
                       core::InvalidArgument);
  CHECK_THROWS_WITH_AS(core::restyle_segments(m, {std::string(201, 'x')}, {}), doctest::Contains("1 to 200 characters"),
                       core::InvalidArgument);
  // All or nothing: a refusal leaves the names and colours as they were.
  CHECK_THROWS(core::restyle_segments(m, {"A", "A"}, {"#000000", "#ffffff"}));
  CHECK(m.segments[0].name != "A");
  CHECK(m.segments[0].color == "#112233");
  CHECK(m.segments[1].name == "Occasional buyers");
}

TEST_CASE("drift: PSI 0 on the same customers; a large shift is read as such and warned about") {
  const core::Session fit = test::session_of(two_groups("", 8, 0));
  core::AnalysisSettings st;
  st.cluster.params.n_clusters = 2;
  const core::FittedModel m = fit.fit_model(st, fit.scores(st.rfm), fit.cluster(st.cluster));
  const core::ApplyOutcome same = fit.apply(m);
  for (const auto& f : same.drift.features) CHECK(f.psi == 0);
  CHECK(same.drift.warnings.empty());
  CHECK(same.drift.same_data);  // the page restores by fitting again
  CHECK(core::drift_json(same.drift, m).find("sameData")->as_bool());
  // Next period: only big spenders.
  std::string big = "InvoiceNo,InvoiceDate,Quantity,UnitPrice,CustomerID\n";
  for (int c = 0; c < 20; ++c)
    big += std::to_string(c) + ",2012-02-0" + std::to_string(1 + c % 8) + ",500,9.5,B" + std::to_string(c) + "\n";
  const core::ApplyOutcome shifted = test::session_of(big).apply(m);
  bool monetary = false;
  for (const auto& f : shifted.drift.features)
    if (f.feature == "monetary") {
      monetary = true;
      CHECK(f.psi > 0.25);
      CHECK(f.reading == "large shift");
    }
  CHECK(monetary);
  CHECK(!shifted.drift.warnings.empty());
  CHECK_FALSE(shifted.drift.same_data);
  const core::Json j = core::drift_json(shifted.drift, m);
  CHECK(j.find("segments")->size() == 2);
}

TEST_CASE("project files that cannot be used are refused naming the field and what to do") {
  const core::Session fit = test::session_of(two_groups("", 8, 0));
  core::AnalysisSettings st;
  st.cluster.params.n_clusters = 2;
  const core::Json good = core::model_to_json(fit.fit_model(st, fit.scores(st.rfm), fit.cluster(st.cluster)));
  const auto error_of = [](const core::Json& j) -> std::string {
    try {
      core::model_from_json(j);
    } catch (const core::InvalidArgument& e) {
      return e.what();
    }
    return "";
  };
  const auto with = [&](const std::function<void(core::Json&)>& change) {
    core::Json j = good;
    change(j);
    return error_of(j);
  };
  CHECK(error_of(good).empty());
  CHECK(error_of(core::Json::array()).find("should be a JSON object, not array") != std::string::npos);
  CHECK(with([](core::Json& j) { j.set("format", "something"); }).find("this is not a LoyaltyLens project file") !=
        std::string::npos);
  CHECK(with([](core::Json& j) {
          j.set("version", 2);
        }).find("project.version: the file is in format 2, written by a newer LoyaltyLens") == 0);
  CHECK(with([](core::Json& j) { j.set("version", 0); }).find("project.version: 0 is not a format version") == 0);
  CHECK(
      with([](core::Json& j) { j.set("extra", 1); }) ==
      "project.extra: is not a field of this format (remove it, or open the file with the LoyaltyLens that wrote it)");
  CHECK(with([](core::Json& j) {
          j["model"].set("k", 3);
        }).find("project.model.k: 3 differs from settings.cluster.k (2)") == 0);
  CHECK(with([](core::Json& j) {
          j["settings"]["cluster"].set("k", 3);
          j["model"].set("k", 3);
        }).find("project.model.centers: holds 2 rows where 3 are needed") == 0);
  CHECK(with([](core::Json& j) {
          j["model"]["centers"].items()[0].push_back(core::Json(1));
        }).find("project.model.centers[0]: holds 4 numbers where 3 are needed") == 0);
  CHECK(with([](core::Json& j) {
          j["model"]["preprocess"]["scale"].items()[1] = core::Json(0);
        }).find("project.model.preprocess.scale[1]: should be above 0") == 0);
  CHECK(with([](core::Json& j) {
          j["model"]["centers"].items()[0].items()[0] = core::Json("x");
        }).find("project.model.centers[0][0]: should be a number, not string") == 0);
  CHECK(with([](core::Json& j) {
          j["model"]["segments"].items()[1].set("name", j["model"]["segments"].items()[0].find("name")->as_string());
        }).find("names another segment too") != std::string::npos);
  CHECK(with([](core::Json& j) {
          j["model"]["segments"].items()[0].set("color", "red");
        }).find("should be a colour like #1f77b4") != std::string::npos);
  CHECK(with([](core::Json& j) {
          j["settings"]["clean"].set("cancellations", "keep");
        }).find("project.settings.clean.cancellations") == 0);
  CHECK(with([](core::Json& j) {
          j["model"].set("features", core::Json::array_of(std::vector<std::string>(1000, "recency")));
        }).find("project.model.features: should be a list of 1 to 64 feature names") == 0);
  CHECK(with([](core::Json& j) {
          j["model"].set("fittedOn", core::Json());
        }).find("project.model.fittedOn: should be an object, not null") == 0);
  // Syntax: an InputError with the line and column.
  CHECK_THROWS_WITH_AS(core::read_project("{\"format\": ", "p.json"),
                       doctest::Contains("\"p.json\" is not valid JSON: line 1"), core::InputError);
  CHECK_THROWS_WITH_AS(core::read_project("{\"model\": NaN}", "p.json"),
                       doctest::Contains("NaN and Infinity are not JSON numbers"), core::InputError);
}

TEST_CASE(
    "the session: every read and rule change is a new analysis, results carry theirs, and a stale one is refused") {
  core::Session s = test::session_of(two_groups("", 6, 0));
  const std::uint64_t first = s.analysis_id();
  core::AnalysisSettings st;
  st.cluster.params.n_clusters = 2;
  const core::ClusterOutcome c = s.cluster(st.cluster);
  const core::ScoresOutcome sc = s.scores(st.rfm);
  CHECK(c.analysis_id == first);
  core::CleaningRules net;
  net.cancellations = core::CleaningRules::Cancellations::kNet;
  s.reclean(net, {});
  CHECK(s.analysis_id() == first + 1);
  CHECK_THROWS_WITH_AS(s.fit_model(st, sc, c), doctest::Contains("belong to another analysis"), core::InvalidArgument);
  // The one K-Means path: the segments CSV of the session's clustering.
  const std::string csv = core::segments_csv(s.analysis().customers, s.cluster(st.cluster).result.labels);
  CHECK(csv.rfind("customer_id,segment,recency,frequency,monetary\nR0,1,", 0) == 0);
}

namespace {

// Four customers whose recency is 1, 9, 39 and 100 days (the file ends 2011-12-09), and a model on
// recency alone, untransformed (no log1p, no scaler): its prepared space is recency in days, so
// each assignment below can be checked with a pencil.
core::FittedModel recency_model(const core::Session& s, core::Algorithm algorithm) {
  core::AnalysisSettings st;
  st.cluster.features = {"recency"};
  st.cluster.preprocess.log1p = false;
  st.cluster.preprocess.scaler = core::ScalerKind::kNone;
  st.cluster.params.n_clusters = 2;
  core::FittedModel m = s.fit_model(st, s.scores(st.rfm), s.cluster(st.cluster));
  m.algorithm = algorithm;
  return m;
}

const char* kFourRecencies =
    "InvoiceNo,InvoiceDate,Quantity,UnitPrice,CustomerID\n"
    "1,2011-12-09,1,10,A\n"
    "2,2011-12-01,1,10,B\n"
    "3,2011-11-01,1,10,C\n"
    "4,2011-08-31,1,10,D\n";

}  // namespace

TEST_CASE("assignment by hand for each kind of model: nearest medoid, highest posterior, nearest cut mean") {
  const core::Session s = test::session_of(kFourRecencies);
  REQUIRE(s.analysis().customers.recency() == std::vector<double>{1, 9, 39, 101});
  const core::CustomerTable& t = s.analysis().customers;

  SUBCASE("K-Medoids: medoids at 5 and 60 days; 39 is 34 from one, 21 from the other") {
    core::FittedModel m = recency_model(s, core::Algorithm::kKMedoids);
    m.centers = core::RowMatrix{{5.0}, {60.0}};
    CHECK(core::assign_segments_of_model(m, t) == std::vector<int>{0, 0, 1, 1});
  }
  SUBCASE("a hierarchy's cut: cluster means at 5 and 70 days; 39 is 34 from one, 31 from the other") {
    core::FittedModel m = recency_model(s, core::Algorithm::kWard);
    m.centers = core::RowMatrix{{5.0}, {70.0}};
    CHECK(core::assign_segments_of_model(m, t) == std::vector<int>{0, 0, 1, 1});
  }
  SUBCASE("a mixture: the highest posterior, not the nearest mean") {
    // Component 1: mean 0, sd 2; component 2: mean 100, sd 100; equal weights. 9 days is 9 from
    // the first mean and 91 from the second, yet N(9; 0, 2) = 0.199·e^(−10.1) ≈ 8e−6 is far below
    // N(9; 100, 100) = 0.00399·e^(−0.41) ≈ 0.0026: the second component.
    core::FittedModel m = recency_model(s, core::Algorithm::kGmm);
    m.centers = core::RowMatrix{{0.0}, {100.0}};
    m.weights = Eigen::VectorXd::Constant(2, 0.5);
    m.covariances = {core::RowMatrix{{4.0}}, core::RowMatrix{{10000.0}}};
    CHECK(core::assign_segments_of_model(m, t) == std::vector<int>{0, 1, 1, 1});
    // A heavier first component takes 9 days back: log(w) moves the balance by log(w1/w2).
    m.weights << 1 - 1e-9, 1e-9;
    CHECK(core::assign_segments_of_model(m, t)[1] == 0);
  }
}
