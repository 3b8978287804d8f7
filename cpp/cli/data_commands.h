// The commands that read a transactions file: csv, clean, features, segment.
#pragma once

#include <string>
#include <vector>

namespace cli {

int run_csv(std::vector<std::string> args);
int run_clean(std::vector<std::string> args);
int run_features(std::vector<std::string> args);
int run_segment(std::vector<std::string> args);
int run_profile(std::vector<std::string> args);

}  // namespace cli
