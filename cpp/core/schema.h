// One schema for every parameter of an analysis: its name, default, allowed values and validation,
// in one place. The page gets the schema from the wasm module at worker start (schema_json()), so
// it holds no second copy of a default or an enum; the CLI parses its flags into the same
// structs through it (apply_flag); project files store the settings as the schema writes them
// (settings_to_json) and read them back through it (settings_from_json), naming the field of
// anything wrong.
//
// Groups and their structs:
//   read      ReadOptions   the CSV dialect, ragged rows, number and date formats, the reader's
//                           heuristics (ids, order totals), column roles
//   clean     CleaningRules the nine cleaning rules and their parameters
//   features  FeatureParams the as-of date, the "recent" window of the 4-week features
//   rfm       RfmSettings   scoring method and edges, the features behind R/F/M, segment rules
//   cluster   ClusterSettings clustering features, transforms, scaler, algorithm, k, seed, restarts
//   map       MapSettings   the 2-D map's method and parameters
//   sweep     SweepSettings the k range of "Compare k"
// A parameter's default is the struct's member initializer: the schema reads it from a
// default-constructed AnalysisSettings, never writes it down a second time.
#pragma once

#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "cleaning.h"
#include "clustering.h"
#include "customer_features.h"
#include "json.h"
#include "preprocess.h"
#include "reader.h"
#include "rfm_scores.h"
#include "tsne.h"

namespace core {

struct RfmSettings {
  RfmScoreParams scores;
  std::string recency = "recency", frequency = "frequency", monetary = "monetary";  ///< feature names
  std::string preset = "rf-grid";  ///< "rf-grid" | "rfm-package", when `rules` is empty
  std::vector<SegmentRule> rules;  ///< the user's rules; empty: the preset's
  bool operator==(const RfmSettings& o) const;
};

struct ClusterSettings {
  std::vector<std::string> features = {"recency", "frequency", "monetary"};
  PreprocessParams preprocess = [] {
    PreprocessParams p;
    p.log1p = true;
    return p;
  }();
  ClusterParams params;
};

struct MapSettings {
  enum class Method { kPca, kTsne } method = Method::kPca;
  double perplexity = TsneParams{}.perplexity;
  std::uint64_t seed = TsneParams{}.seed;
};

struct SweepSettings {
  int k_min = 2;
  int k_max = 10;
};

struct AnalysisSettings {
  ReadOptions read;
  CleaningRules clean;
  FeatureParams features;
  RfmSettings rfm;
  ClusterSettings cluster;
  MapSettings map;
  SweepSettings sweep;
};

/// One parameter of the schema.
struct Param {
  enum class Kind { kBool, kInt, kNumber, kEnum, kDate, kText, kList, kRoles, kThresholds, kRules };
  const char* group;  ///< "read", "clean", …
  const char* key;    ///< the name in JSON and in the page ("cancelPrefix")
  const char* flag;   ///< the CLI flag ("--cancel-prefix"), or nullptr
  Kind kind;
  std::vector<std::string> choices;  ///< kEnum: the allowed names; kList of features: the allowed items
  double min = 0, max = 0;           ///< kInt / kNumber: the allowed range (inclusive unless open_min)
  bool open_min = false;             ///< the range excludes min
  const char* help;
  bool switch_flag = false;  ///< the flag takes no value: it means "on" (kEnum) or true (kBool)
  std::function<Json(const AnalysisSettings&)> get;
  /// @throws InvalidArgument naming "group.key", the value and what is allowed
  std::function<void(AnalysisSettings&, const Json&)> set;
  /// A value to offer when a rule that is off by default (0) is turned on (the page's form), or NaN.
  double suggested = std::numeric_limits<double>::quiet_NaN();
};

/// Every parameter, in the order the page and the help list them.
const std::vector<Param>& schema();

/// The parameter "group.key", or nullptr.
const Param* find_param(const std::string& group, const std::string& key);

/// The schema for the page: [{group, key, flag, kind, default, choices, min, max, openMin,
/// help}], plus the names the page needs to know ("roles", "features", "algorithms", "scalers",
/// "presets" with their rules).
Json schema_json();

/// The settings as the schema writes them: {read: {…}, clean: {…}, …}, every parameter.
Json settings_to_json(const AnalysisSettings& s);

/// Reads settings over `s` (parameters not given keep their value). Unknown groups or keys are
/// refused by name, unless `unknown` is given: then they are listed there ("group.key") and skipped.
/// @throws InvalidArgument naming the field ("clean.outlierPercentile: 150 should be in (50, 100]")
void settings_from_json(const Json& j, AnalysisSettings& s, std::vector<std::string>* unknown = nullptr);

/// A group alone ({cancellations: "net", …}), for the page's requests of one stage.
void group_from_json(const std::string& group, const Json& j, AnalysisSettings& s,
                     std::vector<std::string>* unknown = nullptr);

/// The command-line text of a flag's value as the schema's JSON (a number, a list split at commas,
/// role=column, yes/no for switches given a value). `value` is empty for a switch given alone.
/// @throws InvalidArgument naming the flag and what it takes
Json flag_value(const Param& p, const std::string& flag, const std::string& value);

/// The cleaning rules that need every row at once, as the CLI flags that turn them on
/// ("--drop-duplicates"), for the message that refuses them with --stream.
std::string flag_of_rule(const std::string& rule);

}  // namespace core
