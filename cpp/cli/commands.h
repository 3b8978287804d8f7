// The loyaltylens commands. Each takes the words after its name and returns the exit code:
// 0 ok, 1 the input cannot be used, 2 bad usage (main prints the errors, see main.cpp).
#pragma once

#include <string>
#include <vector>

#include "args.h"

namespace cli {

// Transactions files (data_commands.cpp).
int run_csv(const std::vector<std::string>& argv);
int run_clean(const std::vector<std::string>& argv);
int run_features(const std::vector<std::string>& argv);
int run_segment(const std::vector<std::string>& argv);
int run_apply(const std::vector<std::string>& argv);
int run_profile(const std::vector<std::string>& argv);
int run_schema(const std::vector<std::string>& argv);

// Numeric CSVs of points (point_commands.cpp): the core's clustering and 2-D maps on any matrix.
int run_cluster(const std::vector<std::string>& argv);
int run_embed(const std::vector<std::string>& argv);

/// The spec of a command by name, for its usage on errors (nullptr if unknown).
const CommandSpec* command_spec(const std::string& name);

}  // namespace cli
