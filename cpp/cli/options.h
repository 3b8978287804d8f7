// Command-line flags shared by the commands: how to read the file, which cleaning rules apply.
#pragma once

#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "cleaning.h"
#include "pipeline.h"
#include "reader.h"

namespace cli {

struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// Flags consumed from `args` (others are left for the command).
struct Common {
  std::string file;
  core::ReadOptions read;
  core::CleaningRules rules;
};

/// Takes the reading and cleaning flags out of `args` and the input file (the first non-flag).
Common parse_common(std::vector<std::string>& args);

/// A reading flag shared by every command that reads a file (--delimiter, --quote, --escape,
/// --comment, --skip-initial-space, --ragged): parsed into `read`; false when `a` is none of them.
bool parse_reading_flag(const std::string& a, const std::function<std::string()>& value, core::ReadOptions& read);

long long parse_int(const std::string& flag, const std::string& value);
double parse_double(const std::string& flag, const std::string& value);
/// YYYY-MM-DD → days since 1970-01-01.
int parse_day(const std::string& flag, const std::string& value);

/// Reads the file through the core reader in 1 MiB chunks.
core::ReadResult read_file(const std::string& path, core::ReadOptions options);

extern const char* const kCommonHelp;

}  // namespace cli
