// loyaltylens cluster: clusters the numeric columns of a CSV with any core algorithm and prints the
// labels, centres or medoids, objective, silhouette and iterations, as JSON with --json. The same
// core calls the page makes, so its numbers can be checked from a shell or a reference script.
// loyaltylens embed: the page's 2-D map (PCA or t-SNE) of the same kind of CSV, as JSON.
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "clustering.h"
#include "commands.h"
#include "csv_reader.h"
#include "embedding.h"
#include "errors.h"
#include "metrics.h"
#include "preprocess.h"
#include "tsne.h"
#include "values.h"

namespace {

constexpr const char* kUsage =
    "usage: loyaltylens cluster --input POINTS.csv --algo ALGO --k K [--scale SCALE] [--log]\n"
    "                           [--seed S] [--n-init N] [--covariance full|diag] [--json]\n"
    "\n"
    "  POINTS.csv    a header row, then numeric columns only (every column is a feature)\n"
    "  --algo ALGO   kmeans | kmedoids | gmm | ward | average | complete | single\n"
    "  --k K         number of clusters\n"
    "  --scale SCALE none (default) | standard | robust | minmax, after --log\n"
    "  --log         log1p each value first (negatives count as 0)\n"
    "  --seed S      random seed (default 1)\n"
    "  --n-init N    restarts (default: k-means 10, gmm 1, kmedoids 1: BUILD; kmedoids\n"
    "                runs 2..N start from k-means++ seeds)\n"
    "  --covariance  gmm covariance, full (default) or diag\n"
    "  --json        print {labels, centers | medoids (0-based rows), objective, silhouette,\n"
    "                iterations, ...}; centres are in the scaled feature space\n"
    "\n"
    "  Silhouette is exact up to 20000 rows, else estimated from 5000 sampled rows (then\n"
    "  silhouette_sampled is true); null when it is undefined (k < 2 or k >= rows).\n";

constexpr const char* kEmbedUsage =
    "usage: loyaltylens embed --input POINTS.csv [--method pca|tsne] [--scale SCALE] [--log]\n"
    "                         [--seed S] [--perplexity P] [--json]\n"
    "\n"
    "  POINTS.csv    a header row, then numeric columns only (every column is a feature)\n"
    "  --method      pca (default) or tsne: the page's 2-D map with its defaults\n"
    "  --scale SCALE none (default) | standard | robust | minmax, after --log\n"
    "  --log         log1p each value first (negatives count as 0)\n"
    "  --seed S      t-SNE seed (default 1)\n"
    "  --perplexity  t-SNE perplexity (default 30)\n"
    "  --json        accepted for symmetry with cluster; the output is always JSON:\n"
    "                {method, n, columns, scale, log, coords (n x 2, row-major, %.17g), ...}\n"
    "                with kl_divergence, sampled, perplexity for tsne and\n"
    "                explained_variance_ratio for pca\n";

struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

long long parse_int(const std::string& flag, const std::string& value) {
  char* end = nullptr;
  const long long v = std::strtoll(value.c_str(), &end, 10);
  if (value.empty() || *end != '\0') throw UsageError(flag + " takes a whole number, got \"" + value + "\"");
  return v;
}

struct Points {
  std::vector<std::string> names;
  core::RowMatrix x;
};

// Reads a header row and numeric rows; any other cell is an InputError naming its line and column.
Points read_points(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw core::InputError("cannot open \"" + path + "\": " + std::strerror(errno));
  Points p;
  std::vector<double> values;
  std::int64_t rows = 0;
  core::CsvReader reader({}, [&](const core::CsvRecord& r) {
    if (p.names.empty()) {
      for (auto f : r.fields) p.names.emplace_back(core::trim(f));
      return;
    }
    if (r.fields.size() != p.names.size())
      throw core::InputError(path + ": line " + std::to_string(r.line) + " has " + std::to_string(r.fields.size()) +
                                 " fields, the header has " + std::to_string(p.names.size()),
                             r.line);
    for (std::size_t j = 0; j < r.fields.size(); ++j) {
      double v;
      const std::string_view cell = core::trim(r.fields[j]);
      if (!core::parse_number(cell, v) || !std::isfinite(v))
        throw core::InputError(path + ": line " + std::to_string(r.line) + ", column " + std::to_string(j + 1) + " (\"" +
                                   p.names[j] + "\"): \"" + std::string(cell) + "\" is not a number",
                               r.line, static_cast<std::int64_t>(j + 1));
      values.push_back(v);
    }
    ++rows;
  });
  std::vector<char> buf(std::size_t{1} << 20);
  while (in) {
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    reader.feed(std::string_view(buf.data(), static_cast<std::size_t>(in.gcount())));
  }
  reader.finish();
  if (p.names.empty()) throw core::InputError(path + ": the file is empty; expected a header row and numeric rows");
  if (rows == 0) throw core::InputError(path + ": no data rows after the header");
  p.x = Eigen::Map<core::RowMatrix>(values.data(), rows, static_cast<Eigen::Index>(p.names.size()));
  return p;
}

std::string num(double v) {
  if (!std::isfinite(v)) return "null";
  char b[32];
  std::snprintf(b, sizeof b, "%.17g", v);
  return b;
}

std::string quoted(const std::string& s) {
  std::string o = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') o += '\\', o += c;
    else if (static_cast<unsigned char>(c) < 0x20) {
      char b[8];
      std::snprintf(b, sizeof b, "\\u%04x", c);
      o += b;
    } else o += c;
  }
  return o + "\"";
}

template <class T, class F>
std::string array(const std::vector<T>& v, F f) {
  std::string o = "[";
  for (std::size_t i = 0; i < v.size(); ++i) o += (i ? "," : "") + f(v[i]);
  return o + "]";
}

// What both point commands take: the input and its preprocessing (no scaling unless asked).
struct PointsOptions {
  std::string input;
  core::PreprocessParams pp;
  PointsOptions() { pp.scaler = core::ScalerKind::kNone; }
};

using ValueFn = std::function<const std::string&()>;

// The option loop of the point commands: --input, --scale, --log and --help here, any other option
// to `other(option, value)`, which returns false for one it does not know. A value the core refuses
// (InvalidArgument) is a usage error. Returns false when --help printed `usage`.
bool parse_points_args(const std::vector<std::string>& args, const char* usage, PointsOptions& out,
                       const std::function<bool(const std::string&, const ValueFn&)>& other) {
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    const ValueFn value = [&]() -> const std::string& {
      if (i + 1 >= args.size()) throw UsageError(a + " needs a value");
      return args[++i];
    };
    try {
      if (a == "--input") out.input = value();
      else if (a == "--scale") out.pp.scaler = core::parse_scaler(value());
      else if (a == "--log") out.pp.log1p = true;
      else if (a == "--help" || a == "-h") {
        std::fputs(usage, stdout);
        return false;
      } else if (!other(a, value)) throw UsageError("unknown option " + a);
    } catch (const core::InvalidArgument& e) {
      throw UsageError(e.what());
    }
  }
  return true;
}

int run(const std::vector<std::string>& args) {
  std::string algo;
  core::ClusterParams cp;
  PointsOptions po;
  bool json = false, have_k = false;
  const bool go = parse_points_args(args, kUsage, po, [&](const std::string& a, const ValueFn& value) {
    if (a == "--algo") cp.algorithm = core::parse_algorithm(algo = value());
    else if (a == "--k") cp.n_clusters = static_cast<int>(parse_int(a, value())), have_k = true;
    else if (a == "--seed") cp.seed = static_cast<std::uint64_t>(parse_int(a, value()));
    else if (a == "--n-init") cp.n_init = static_cast<int>(parse_int(a, value()));
    else if (a == "--covariance") {
      const std::string& c = value();
      if (c != "full" && c != "diag") throw UsageError("--covariance is full or diag, got \"" + c + "\"");
      cp.covariance = c == "full" ? core::CovarianceType::kFull : core::CovarianceType::kDiag;
    } else if (a == "--json") json = true;
    else return false;
    return true;
  });
  if (!go) return 0;
  const std::string& input = po.input;
  const core::PreprocessParams& pp = po.pp;
  if (input.empty()) throw UsageError("cluster needs --input POINTS.csv");
  if (algo.empty()) throw UsageError("cluster needs --algo");
  if (!have_k) throw UsageError("cluster needs --k");
  if (cp.n_clusters < 1) throw UsageError("--k should be >= 1, got " + std::to_string(cp.n_clusters));
  if (cp.n_init < 1 && cp.n_init != 0) throw UsageError("--n-init should be >= 1");

  const Points pts = read_points(input);
  core::ClusterResult r;
  core::SilhouetteResult sil;
  bool have_sil = false;
  try {
    const core::RowMatrix x = core::fit_transform(pts.x, pp);
    r = core::run_clustering(x, cp);
    try {
      sil = x.rows() > 20000 ? core::silhouette_sampled(x, r.labels, 5000, cp.seed) : core::silhouette(x, r.labels);
      have_sil = true;
    } catch (const core::InvalidArgument&) {  // undefined for one cluster or one row per cluster
    }
  } catch (const core::InvalidArgument& e) {
    throw core::InputError(e.what());
  }
  const bool medoids = cp.algorithm == core::Algorithm::kKMedoids;
  if (!json) {
    std::vector<long long> sizes(static_cast<std::size_t>(cp.n_clusters), 0);
    for (int l : r.labels) ++sizes[static_cast<std::size_t>(l)];
    std::printf("%s: %lld rows x %lld columns, %s, k=%d\nobjective %s  silhouette %s%s  iterations %d%s\nsizes %s\n",
                core::algorithm_name(cp.algorithm), static_cast<long long>(pts.x.rows()),
                static_cast<long long>(pts.x.cols()), core::scaler_name(pp.scaler), cp.n_clusters,
                num(r.objective).c_str(), have_sil ? num(sil.mean).c_str() : "n/a", sil.sampled ? " (sampled)" : "",
                r.iterations, r.converged ? "" : " (not converged)",
                array(sizes, [](long long v) { return std::to_string(v); }).c_str());
    return 0;
  }
  std::string o = "{\"algorithm\":" + quoted(core::algorithm_name(cp.algorithm)) + ",\"k\":" + std::to_string(cp.n_clusters) +
                  ",\"n\":" + std::to_string(pts.x.rows()) + ",\"columns\":" + array(pts.names, quoted) +
                  ",\"scale\":" + quoted(core::scaler_name(pp.scaler)) + ",\"log\":" + (pp.log1p ? "true" : "false") +
                  ",\"labels\":" + array(r.labels, [](int v) { return std::to_string(v); });
  if (medoids) {
    o += ",\"medoids\":" + array(r.medoids, [](std::int64_t v) { return std::to_string(v); });
    o += std::string(",\"sampled\":") + (r.sampled ? "true" : "false");
  } else {
    std::vector<std::string> rows;
    for (Eigen::Index c = 0; c < r.centers.rows(); ++c) {
      std::vector<double> row(r.centers.row(c).data(), r.centers.row(c).data() + r.centers.cols());
      rows.push_back(array(row, num));
    }
    o += ",\"centers\":" + array(rows, [](const std::string& s) { return s; });
  }
  o += ",\"objective\":" + num(r.objective) + ",\"inertia\":" + num(r.inertia) +
       ",\"silhouette\":" + (have_sil ? num(sil.mean) : "null") +
       ",\"silhouette_sampled\":" + (sil.sampled ? "true" : "false") + ",\"iterations\":" + std::to_string(r.iterations) +
       ",\"converged\":" + (r.converged ? "true" : "false");
  if (cp.algorithm == core::Algorithm::kGmm)
    o += ",\"log_likelihood\":" + num(r.log_likelihood) + ",\"bic\":" + num(r.bic) + ",\"aic\":" + num(r.aic);
  o += "}\n";
  std::fwrite(o.data(), 1, o.size(), stdout);
  return 0;
}

int embed(const std::vector<std::string>& args) {
  std::string method = "pca";
  PointsOptions po;
  core::TsneParams tp;
  const bool go = parse_points_args(args, kEmbedUsage, po, [&](const std::string& a, const ValueFn& value) {
    if (a == "--method") {
      method = value();
      if (method != "pca" && method != "tsne") throw UsageError("--method is pca or tsne, got \"" + method + "\"");
    } else if (a == "--seed") tp.seed = static_cast<std::uint64_t>(parse_int(a, value()));
    else if (a == "--perplexity") {
      const std::string& v = value();
      char* end = nullptr;
      tp.perplexity = std::strtod(v.c_str(), &end);
      if (v.empty() || *end != '\0') throw UsageError("--perplexity takes a number, got \"" + v + "\"");
    } else if (a != "--json") {  // JSON is all embed prints
      return false;
    }
    return true;
  });
  if (!go) return 0;
  const std::string& input = po.input;
  const core::PreprocessParams& pp = po.pp;
  if (input.empty()) throw UsageError("embed needs --input POINTS.csv");

  const Points pts = read_points(input);
  std::string o = "{\"method\":" + quoted(method) + ",\"n\":" + std::to_string(pts.x.rows()) +
                  ",\"columns\":" + array(pts.names, quoted) + ",\"scale\":" + quoted(core::scaler_name(pp.scaler)) +
                  ",\"log\":" + (pp.log1p ? "true" : "false");
  auto coords = [](const core::RowMatrix& m) {
    return array(std::vector<double>(m.data(), m.data() + m.size()), num);  // row-major: x0, y0, x1, …
  };
  try {
    const core::RowMatrix x = core::fit_transform(pts.x, pp);
    if (method == "tsne") {
      const core::TsneResult r = core::tsne(x, tp);
      o += ",\"coords\":" + coords(r.embedding) + ",\"kl_divergence\":" + num(r.kl_divergence) +
           ",\"sampled\":" + (r.sampled ? "true" : "false") + ",\"perplexity\":" + num(r.perplexity_used);
    } else {
      core::PcaParams p;
      p.n_components = x.cols() >= 2 ? 2 : 1;
      const core::PcaResult r = core::pca(x, p);
      o += ",\"coords\":" + coords(r.embedding) + ",\"explained_variance_ratio\":" +
           array(std::vector<double>(r.explained_variance_ratio.data(),
                                     r.explained_variance_ratio.data() + r.explained_variance_ratio.size()),
                 num);
    }
  } catch (const core::InvalidArgument& e) {
    throw core::InputError(e.what());
  }
  o += "}\n";
  std::fwrite(o.data(), 1, o.size(), stdout);
  return 0;
}

// Exit codes as every command: 2 usage (with the command's usage text), 1 input or internal error.
int with_errors(const char* command, const char* usage, int (*body)(const std::vector<std::string>&),
                const std::vector<std::string>& args) {
  try {
    return body(args);
  } catch (const UsageError& e) {
    std::fprintf(stderr, "loyaltylens %s: %s\n\n%s", command, e.what(), usage);
    return 2;
  } catch (const core::InputError& e) {
    std::fprintf(stderr, "loyaltylens %s: error: %s\n", command, e.what());
    return 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "loyaltylens %s: internal error: %s\n", command, e.what());
    return 1;
  }
}

}  // namespace

int run_embed(const std::vector<std::string>& args) { return with_errors("embed", kEmbedUsage, embed, args); }

int run_cluster(const std::vector<std::string>& args) { return with_errors("cluster", kUsage, run, args); }
