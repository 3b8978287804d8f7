// loyaltylens: the command-line shell over the same core the page runs in wasm.
//
//   loyaltylens segment FILE [--k 4] [--seed 1] [--n-init 10] [--out segments.csv]
//
// Exit codes: 0 ok, 1 the input cannot be used, 2 bad usage.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "errors.h"
#include "ingest.h"
#include "segmentation.h"

namespace {

constexpr const char* kUsage =
    "usage: loyaltylens segment FILE [--k K] [--seed S] [--n-init N] [--out OUT.csv]\n"
    "\n"
    "  segment   read a transactions CSV (UCI Online Retail / Online Retail II layout), drop rows\n"
    "            without a customer id and cancellations, compute recency, frequency and monetary\n"
    "            value per customer and cluster them with K-Means on standardised log1p features.\n"
    "            Writes customer_id,segment,recency,frequency,monetary (to stdout without --out).\n"
    "\n"
    "  --k K         number of segments (default 4)\n"
    "  --seed S      random seed (default 1); the page uses the same default\n"
    "  --n-init N    K-Means restarts (default 10)\n"
    "  --out FILE    write the CSV there instead of stdout\n";

struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

long long parse_int(const std::string& flag, const char* value) {
  char* end = nullptr;
  const long long v = std::strtoll(value, &end, 10);
  if (end == value || *end != '\0') throw UsageError(flag + " takes a whole number, got \"" + value + "\"");
  return v;
}

core::IngestResult ingest_file(const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) throw core::InputError("cannot open \"" + path + "\": " + std::strerror(errno));
  const std::size_t slash = path.find_last_of('/');
  core::Ingest ingest(slash == std::string::npos ? path : path.substr(slash + 1));
  std::vector<char> buf(std::size_t{1} << 20);
  try {
    std::size_t n;
    while ((n = std::fread(buf.data(), 1, buf.size(), f)) > 0) ingest.feed(buf.data(), n);
  } catch (...) {
    std::fclose(f);
    throw;
  }
  std::fclose(f);
  return ingest.finish();
}

int run_segment(const std::vector<std::string>& args) {
  std::string file, out;
  core::SegmentParams p;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&]() -> const char* {
      if (i + 1 >= args.size()) throw UsageError(a + " needs a value");
      return args[++i].c_str();
    };
    if (a == "--k") {
      p.k = static_cast<int>(parse_int(a, value()));
    } else if (a == "--seed") {
      p.seed = static_cast<std::uint64_t>(parse_int(a, value()));
    } else if (a == "--n-init") {
      p.n_init = static_cast<int>(parse_int(a, value()));
    } else if (a == "--out") {
      out = value();
    } else if (!a.empty() && a[0] == '-' && a != "-") {
      throw UsageError("unknown option " + a);
    } else if (file.empty()) {
      file = a;
    } else {
      throw UsageError("one input file only (got \"" + file + "\" and \"" + a + "\")");
    }
  }
  if (file.empty()) throw UsageError("segment needs an input FILE");
  if (p.k < 1 || p.k > 1000) throw UsageError("--k should be between 1 and 1000, got " + std::to_string(p.k));
  if (p.n_init < 1) throw UsageError("--n-init should be >= 1");

  const core::IngestResult in = ingest_file(file);
  const core::CustomerTable& t = in.customers;
  core::Segmentation s;
  try {
    s = core::segment_customers(t.recency.data(), t.frequency.data(), t.monetary.data(), t.size(), p);
  } catch (const core::InvalidArgument& e) {
    throw core::InputError(e.what());
  }
  const std::string csv = core::segments_csv(t.ids, s.labels, t.recency.data(), t.frequency.data(),
                                             t.monetary.data());
  if (out.empty()) {
    std::fwrite(csv.data(), 1, csv.size(), stdout);
  } else {
    std::ofstream o(out, std::ios::binary);
    o << csv;
    if (!o) throw core::InputError("cannot write \"" + out + "\"");
  }
  const auto& sm = in.summary;
  std::fprintf(stderr, "%s: %lld rows read, %lld kept (%lld without customer id, %lld cancelled, %lld invalid); "
               "%zu customers; %d segments; dates %s..%s (%s)\n",
               sm.file_name.c_str(), static_cast<long long>(sm.rows_read), static_cast<long long>(sm.rows_kept),
               static_cast<long long>(sm.rows_no_customer), static_cast<long long>(sm.rows_cancelled),
               static_cast<long long>(sm.rows_invalid), t.size(), p.k, sm.first_date.c_str(),
               sm.last_date.c_str(), sm.date_format.c_str());
  for (const auto& w : sm.warnings) std::fprintf(stderr, "warning: %s\n", w.c_str());
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  try {
    if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
      std::fputs(kUsage, args.empty() ? stderr : stdout);
      return args.empty() ? 2 : 0;
    }
    const std::string cmd = args[0];
    args.erase(args.begin());
    if (cmd == "segment") return run_segment(args);
    throw UsageError("unknown command \"" + cmd + "\"");
  } catch (const UsageError& e) {
    std::fprintf(stderr, "loyaltylens: %s\n\n%s", e.what(), kUsage);
    return 2;
  } catch (const core::InputError& e) {
    std::fprintf(stderr, "loyaltylens: error: %s\n", e.what());
    return 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "loyaltylens: internal error: %s\n", e.what());
    return 1;
  }
}
