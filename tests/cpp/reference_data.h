// Shared helpers of the C++ tests: small data sets, the reference fixtures of tests/reference/
// (keyed lines `key,value,...` in tests/fixtures/reference/, see tests/reference/README.md), and
// comparison of partitions up to a renaming of the labels.
#pragma once

#include <fstream>
#include <initializer_list>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "csv_reader.h"
#include "random.h"
#include "scaling.h"
#include "values.h"

namespace testdata {

inline core::RowMatrix points(std::initializer_list<std::initializer_list<double>> rows) {
  core::RowMatrix x(static_cast<Eigen::Index>(rows.size()), static_cast<Eigen::Index>(rows.begin()->size()));
  Eigen::Index i = 0;
  for (const auto& r : rows) {
    Eigen::Index j = 0;
    for (double v : r) x(i, j++) = v;
    ++i;
  }
  return x;
}

/// The same from rows built in a loop.
inline core::RowMatrix points(const std::vector<std::vector<double>>& rows) {
  core::RowMatrix x(static_cast<Eigen::Index>(rows.size()), static_cast<Eigen::Index>(rows.front().size()));
  for (std::size_t i = 0; i < rows.size(); ++i)
    for (std::size_t j = 0; j < rows[i].size(); ++j)
      x(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) = rows[i][j];
  return x;
}

/// n_per points uniformly within ±spread/2 of each centre (centres are rows), in centre order.
inline core::RowMatrix blobs(const core::RowMatrix& centres, Eigen::Index n_per, double spread, std::uint64_t seed) {
  core::Rng rng(seed);
  core::RowMatrix x(centres.rows() * n_per, centres.cols());
  for (Eigen::Index c = 0; c < centres.rows(); ++c)
    for (Eigen::Index i = 0; i < n_per; ++i)
      for (Eigen::Index j = 0; j < centres.cols(); ++j)
        x(c * n_per + i, j) = centres(c, j) + spread * (rng.uniform() - 0.5);
  return x;
}

/// True if a and b put the same rows together (equal up to a permutation of label values).
inline bool same_partition(const std::vector<int>& a, const std::vector<int>& b) {
  if (a.size() != b.size()) return false;
  std::map<int, int> ab, ba;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (ab.emplace(a[i], b[i]).first->second != b[i]) return false;
    if (ba.emplace(b[i], a[i]).first->second != a[i]) return false;
  }
  return true;
}

inline std::string fixture_path(const std::string& name) { return std::string(LL_FIXTURES) + "/reference/" + name; }

inline std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open fixture " + path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

inline double number(const std::string& s) {
  double v;
  if (!core::parse_number(s, v)) throw std::runtime_error("fixture value \"" + s + "\" is not a number");
  return v;
}

/// A data file of the fixtures: header row, numeric rows.
inline core::RowMatrix load_matrix(const std::string& name) {
  const auto rows = core::parse_csv(read_text(fixture_path(name)));
  core::RowMatrix x(static_cast<Eigen::Index>(rows.size() - 1), static_cast<Eigen::Index>(rows[0].size()));
  for (std::size_t i = 1; i < rows.size(); ++i)
    for (std::size_t j = 0; j < rows[i].size(); ++j)
      x(static_cast<Eigen::Index>(i - 1), static_cast<Eigen::Index>(j)) = number(rows[i][j]);
  return x;
}

/// The values stored under `key` in a keyed fixture file (throws if the key is missing).
inline std::vector<double> values(const std::string& file, const std::string& key) {
  static std::map<std::string, std::map<std::string, std::vector<std::string>>> cache;
  auto it = cache.find(file);
  if (it == cache.end()) {
    std::map<std::string, std::vector<std::string>> table;
    for (auto& row : core::parse_csv(read_text(fixture_path(file))))
      table[row[0]] = std::vector<std::string>(row.begin() + 1, row.end());
    it = cache.emplace(file, std::move(table)).first;
  }
  const auto found = it->second.find(key);
  if (found == it->second.end()) throw std::runtime_error("fixture " + file + " has no key " + key);
  std::vector<double> out;
  for (const auto& s : found->second) out.push_back(number(s));
  return out;
}

inline double value(const std::string& file, const std::string& key) { return values(file, key).at(0); }

inline std::vector<int> ints(const std::string& file, const std::string& key) {
  std::vector<int> out;
  for (double v : values(file, key)) out.push_back(static_cast<int>(v));
  return out;
}

}  // namespace testdata
