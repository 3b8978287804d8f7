// Subcommands of the loyaltylens CLI that live in their own files. Each takes the arguments after
// the command name, prints its own errors to stderr and returns the process exit code:
// 0 ok, 1 the input cannot be used, 2 bad usage.
#pragma once

#include <string>
#include <vector>

/// loyaltylens cluster --input points.csv --algo ALGO --k K [options] [--json]  (cluster_command.cpp)
int run_cluster(const std::vector<std::string>& args);

/// loyaltylens embed --input points.csv [--method pca|tsne] [options]  (cluster_command.cpp): the
/// page's 2-D map as JSON, so the wasm map can be checked bit for bit against the native one
int run_embed(const std::vector<std::string>& args);
