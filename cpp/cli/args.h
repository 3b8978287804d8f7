// The CLI's one argument parser. Every setting flag (--delimiter, --cancellations, --k, …) comes
// from the core's schema (cpp/core/schema.h) and lands in the same AnalysisSettings the page's
// requests fill; a command adds only its own options (--out, --json, …). One error type for bad
// usage, one exit code for it.
#pragma once

#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "schema.h"
#include "session.h"

namespace cli {

/// Bad usage: exit code 2, the message and the command's usage.
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct CommandSpec {
  const char* name;
  const char* usage;                ///< the command's synopsis and its own options, for --help and errors
  std::vector<std::string> groups;  ///< the schema groups whose flags it takes, first match wins
  /// The command's own options: name → takes a value.
  std::map<std::string, bool> options;
  int positional_min = 0, positional_max = 0;
  bool stream = false;  ///< takes --stream (a read execution, not a setting)
};

struct Args {
  core::AnalysisSettings settings;
  std::vector<std::string> positional;
  std::map<std::string, std::string> options;  ///< the command's own options given ("" for a switch)
  bool stream = false;
  std::vector<std::string> set;  ///< "group.key" of every setting given on the command line

  bool has(const std::string& option) const { return options.count(option) != 0; }
  std::string option(const std::string& name, const std::string& fallback = "") const {
    const auto it = options.find(name);
    return it == options.end() ? fallback : it->second;
  }
};

/// Parses `argv` (the words after the command) over `start` (the settings before any flag).
/// @throws UsageError naming the flag and what it takes
Args parse_args(const CommandSpec& spec, const std::vector<std::string>& argv, core::AnalysisSettings start = {});

/// The flags of these groups with their help, for --help.
std::string flags_help(const std::vector<std::string>& groups);

/// The base name of a path, for messages.
std::string base_name(const std::string& path);

}  // namespace cli
