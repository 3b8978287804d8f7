// The schema owns every parameter: defaults come from the structs, names and ranges from one table,
// and every wrong value is refused naming the field.
#include <doctest/doctest.h>

#include <set>
#include <string>

#include "dates.h"
#include "errors.h"
#include "schema.h"

using core::AnalysisSettings;
using core::Json;

TEST_CASE("schema: the defaults are the structs' and round-trip through JSON") {
  const AnalysisSettings d;
  const Json j = core::settings_to_json(d);
  AnalysisSettings back;
  back.clean.drop_duplicates = true;  // overwritten from the JSON
  core::settings_from_json(j, back);
  CHECK(core::settings_to_json(back) == j);
  CHECK(j.find("clean")->find("cancellations")->as_string() == "drop");
  CHECK(j.find("cluster")->find("k")->as_number() == core::ClusterParams{}.n_clusters);
  CHECK(j.find("cluster")->find("nInit")->as_number() == 0);
  CHECK(j.find("cluster")->find("log1p")->as_bool());
  CHECK(j.find("features")->find("recentDays")->as_number() == 28);
  CHECK(j.find("read")->find("dayAnchor")->as_string() == "2000-01-01");
  CHECK(j.find("clean")->find("windowStart")->as_string() == "");
  CHECK(j.find("clean")->find("nonProductCodes")->size() == core::CleaningRules::default_non_product_codes().size());
}

TEST_CASE("schema: one entry per group and key; every parameter has help; enums list their choices") {
  std::set<std::string> names;
  for (const core::Param& p : core::schema()) {
    CHECK_MESSAGE(names.insert(std::string(p.group) + "." + p.key).second, p.group << "." << p.key << " twice");
    CHECK(std::string(p.help).size() > 10);
    if (p.kind == core::Param::Kind::kEnum) CHECK(p.choices.size() >= 2);
  }
  const Json s = core::schema_json();
  CHECK(s.find("params")->size() == core::schema().size());
  CHECK(s.find("features")->size() == core::feature_names().size());
  CHECK(s.find("presets")->find("rf-grid")->size() > 5);
  CHECK(s.find("roles")->items().back().find("key")->as_string() == "return");
}

TEST_CASE("schema: wrong values are refused with the field, the value and what is allowed") {
  AnalysisSettings s;
  const auto error_of = [&](const std::string& group, const std::string& text) -> std::string {
    try {
      core::group_from_json(group, core::parse_json(text), s);
    } catch (const core::InvalidArgument& e) {
      return e.what();
    }
    return "";
  };
  CHECK(error_of("clean", R"({"outlierPercentile": 150})") == "clean.outlierPercentile: 150 should be in (50, 100]");
  CHECK(error_of("clean", R"({"outlierPercentile": 50})") == "clean.outlierPercentile: 50 should be in (50, 100]");
  CHECK(error_of("clean", R"({"cancellations": "keep"})") ==
        "clean.cancellations: \"keep\" should be \"drop\" or \"net\"");
  CHECK(error_of("clean", R"({"dropDuplicates": "yes"})") == "clean.dropDuplicates: \"yes\" should be true or false");
  CHECK(error_of("cluster", R"({"k": 2.5})") == "cluster.k: 2.5 should be a whole number");
  CHECK(error_of("cluster", R"({"k": 0})") == "cluster.k: 0 should be in [1, 1000]");
  CHECK(error_of("cluster", R"({"features": ["recency", "height"]})").find("has \"height\", which is none of") !=
        std::string::npos);
  CHECK(error_of("cluster", R"({"features": []})") == "cluster.features: [] should name at least one");
  CHECK(error_of("cluster", R"({"kk": 3})") == "cluster.kk: no such setting");
  CHECK(error_of("clean", R"({"windowStart": "2011-13-01"})") ==
        "clean.windowStart: \"2011-13-01\" should be a date as YYYY-MM-DD");
  CHECK(error_of("read", R"({"roles": {"customer": 3}})").find("neither a column name nor null") != std::string::npos);
  CHECK(error_of("read", R"({"roles": {"buyer": "x"}})").find("names the role \"buyer\"") != std::string::npos);
  CHECK(error_of("rfm", R"({"thresholds": [[1,2,3],[1,2,3,4],[1,2,3,4]]})").find("three lists of four numbers") !=
        std::string::npos);
  CHECK(error_of("rfm", R"({"rules": [{"name": "A", "rMin": 6}]})") ==
        "rfm.rules[0].rMin: 6 should be a whole number 1 to 5");
  // Unknown names can be collected instead (a shared link with settings this version lacks).
  std::vector<std::string> unknown;
  core::settings_from_json(core::parse_json(R"({"clean": {"cancellations": "net", "future": 1}, "later": {}})"), s,
                           &unknown);
  CHECK(unknown == std::vector<std::string>{"clean.future", "later"});
  CHECK(s.clean.cancellations == core::CleaningRules::Cancellations::kNet);
}

TEST_CASE("schema: values set through the schema land in the structs the core runs on") {
  AnalysisSettings s;
  core::settings_from_json(core::parse_json(R"({
    "read": {"delimiter": "tab", "quote": "none", "skipInitialSpace": "on", "roles": {"customer": "Client", "invoice": null},
             "dateOrder": "dmy", "amountIs": "order"},
    "clean": {"windowStart": "2011-01-01", "countries": ["France"], "excludeCountries": true, "cancelPrefix": "off"},
    "features": {"asOf": "2011-12-10"},
    "cluster": {"algorithm": "gmm", "k": 5, "scaler": "robust", "covariance": "diag"},
    "map": {"method": "tsne", "perplexity": 12}
  })"),
                           s);
  CHECK(s.read.delimiter == '\t');
  CHECK(s.read.quote == std::optional<char>('\0'));
  CHECK(s.read.skip_initial_space == std::optional<bool>(true));
  CHECK(s.read.role_columns[static_cast<int>(core::Role::kCustomer)] == "Client");
  CHECK(s.read.role_columns[static_cast<int>(core::Role::kInvoice)] == "-");
  CHECK(s.read.date_order == core::ReadOptions::DateOrder::kDayFirst);
  CHECK(s.read.order_totals == core::Auto::kOn);
  CHECK(core::format_date(s.clean.window_start) == "2011-01-01");
  CHECK(s.clean.exclude_countries);
  CHECK(s.clean.cancel_prefix == core::Auto::kOff);
  CHECK(s.cluster.params.algorithm == core::Algorithm::kGmm);
  CHECK(s.cluster.params.n_clusters == 5);
  CHECK(s.cluster.preprocess.scaler == core::ScalerKind::kRobust);
  CHECK(s.cluster.params.covariance == core::CovarianceType::kDiag);
  CHECK(s.map.method == core::MapSettings::Method::kTsne);
  CHECK(s.map.perplexity == 12);
  // And back: the JSON says what was set.
  const Json j = core::settings_to_json(s);
  CHECK(j.find("read")->find("roles")->find("invoice")->is_null());
  CHECK(j.find("read")->find("quote")->as_string() == "none");
  CHECK(j.find("features")->find("asOf")->as_string() == "2011-12-10");
}

TEST_CASE("schema: command-line text becomes the schema's JSON, or a message naming the flag") {
  const auto& k = *core::find_param("cluster", "k");
  CHECK(core::flag_value(k, "--k", "7") == Json(7));
  CHECK_THROWS_WITH_AS(core::flag_value(k, "--k", "seven"), "--k takes a whole number, got \"seven\"",
                       core::InvalidArgument);
  const auto& codes = *core::find_param("clean", "nonProductCodes");
  CHECK(core::dump_json(core::flag_value(codes, "--non-product-codes", "POST,,DOT")) == R"(["POST","DOT"])");
  const auto& roles = *core::find_param("read", "roles");
  CHECK(core::dump_json(core::flag_value(roles, "--role", "customer=Client ID")) == R"({"customer":"Client ID"})");
  CHECK(core::dump_json(core::flag_value(roles, "--role", "invoice=-")) == R"({"invoice":null})");
  const auto& delimiter = *core::find_param("read", "delimiter");
  CHECK(core::flag_value(delimiter, "--delimiter", "\\t") == Json("tab"));
  CHECK_THROWS_WITH_AS(core::flag_value(delimiter, "--delimiter", ":"),
                       "--delimiter takes auto, ,, ;, tab, | or space, got \":\"", core::InvalidArgument);
}
