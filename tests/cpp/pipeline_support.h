// Test helpers: run the reader (and optionally cleaning and features) over bytes in chunks, or a
// session over a file's text with the default settings.
#pragma once

#include <doctest/doctest.h>

#include <fstream>
#include <sstream>
#include <string>

#include "pipeline.h"
#include "session.h"

namespace test {

inline std::string read_fixture(const std::string& name) {
  std::ifstream f(std::string(LL_FIXTURES) + "/" + name, std::ios::binary);
  REQUIRE_MESSAGE(f.good(), "missing fixture " << name);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

inline core::ReadResult read(const std::string& bytes, std::size_t chunk = 1 << 20, core::ReadOptions options = {}) {
  if (options.file_name == "file") options.file_name = "t.csv";
  core::TransactionReader reader(options);
  for (std::size_t i = 0; i < bytes.size(); i += chunk)
    reader.feed(bytes.data() + i, std::min(chunk, bytes.size() - i));
  return reader.finish();
}

inline core::Analysis analyse(const std::string& bytes, const core::CleaningRules& rules = {},
                              std::size_t chunk = 1 << 20, core::ReadOptions options = {}) {
  core::Analysis a;
  a.read = read(bytes, chunk, options);
  core::analyse(a, rules);
  return a;
}

/// A session that has read, cleaned and aggregated `text` (as "t.csv") with the default settings.
inline core::Session session_of(const std::string& text) {
  core::Session s;
  core::ReadExecution e;
  e.file_name = "t.csv";
  s.begin(core::AnalysisSettings{}, e);
  s.feed(text.data(), text.size());
  s.finish();
  return s;
}

}  // namespace test
