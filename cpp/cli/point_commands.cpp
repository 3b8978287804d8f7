// loyaltylens cluster: clusters the numeric columns of a CSV with any core algorithm and prints the
// labels, centres or medoids, objective, silhouette and iterations, as JSON with --json. The same
// core calls the page makes, so its numbers can be checked from a shell or a reference script.
// loyaltylens embed: the page's 2-D map (PCA or t-SNE) of the same kind of CSV, as JSON.
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "clustering.h"
#include "commands.h"
#include "csv_reader.h"
#include "embedding.h"
#include "errors.h"
#include "input.h"
#include "json.h"
#include "metrics.h"
#include "preprocess.h"
#include "session.h"
#include "tsne.h"
#include "values.h"

namespace cli {
namespace {

const CommandSpec kCluster{"cluster",
                           "usage: loyaltylens cluster --input POINTS.csv --algo ALGO --k K [--scale SCALE] [--log]\n"
                           "                           [--seed S] [--n-init N] [--covariance full|diag] [--json]\n"
                           "\n"
                           "  POINTS.csv    a header row, then numeric columns only (every column is a feature)\n"
                           "  --algo ALGO   kmeans | kmedoids | gmm | ward | average | complete | single\n"
                           "  --k K         number of clusters\n"
                           "  --scale SCALE none (default here) | standard | robust | minmax, after --log\n"
                           "  --log         log1p each value first (negatives count as 0)\n"
                           "  --seed S      random seed (default 1)\n"
                           "  --n-init N    restarts (default: k-means 10, gmm 1, kmedoids 1: BUILD; kmedoids\n"
                           "                runs 2..N start from k-means++ seeds)\n"
                           "  --covariance  gmm covariance, full (default) or diag\n"
                           "  --json        print {labels, centers | medoids (0-based rows), objective, silhouette,\n"
                           "                iterations, ...}; centres are in the scaled feature space\n"
                           "\n"
                           "  Silhouette is exact up to 20000 rows, else estimated from 5000 sampled rows (then\n"
                           "  silhouette_sampled is true); null when it is undefined (k < 2 or k >= rows).\n",
                           {"cluster"},
                           {{"input", true}, {"json", false}},
                           0,
                           0,
                           false};

const CommandSpec kEmbed{"embed",
                         "usage: loyaltylens embed --input POINTS.csv [--method pca|tsne] [--scale SCALE] [--log]\n"
                         "                         [--seed S] [--perplexity P] [--json]\n"
                         "\n"
                         "  POINTS.csv    a header row, then numeric columns only (every column is a feature)\n"
                         "  --method      pca (default) or tsne: the page's 2-D map with its defaults\n"
                         "  --scale SCALE none (default here) | standard | robust | minmax, after --log\n"
                         "  --log         log1p each value first (negatives count as 0)\n"
                         "  --seed S      t-SNE seed (default 1)\n"
                         "  --perplexity  t-SNE perplexity (default 30)\n"
                         "  --json        accepted for symmetry with cluster; the output is always JSON:\n"
                         "                {method, n, columns, scale, log, coords (n x 2, row-major), ...}\n"
                         "                with kl_divergence, sampled, perplexity for tsne and\n"
                         "                explained_variance_ratio for pca\n",
                         {"map", "cluster"},
                         {{"input", true}, {"json", false}},
                         0,
                         0,
                         false};

struct Points {
  std::vector<std::string> names;
  core::RowMatrix x;
};

// Reads a header row and numeric rows; any other cell is an InputError naming its line and column.
Points read_points(const std::string& path) {
  InputFile in(path);
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
        throw core::InputError(path + ": line " + std::to_string(r.line) + ", column " + std::to_string(j + 1) +
                                   " (\"" + p.names[j] + "\"): \"" + std::string(cell) + "\" is not a number",
                               r.line, static_cast<std::int64_t>(j + 1));
      values.push_back(v);
    }
    ++rows;
  });
  std::vector<char> buf(std::size_t{1} << 20);
  std::size_t n;
  while ((n = in.read(buf.data(), buf.size())) > 0) reader.feed(std::string_view(buf.data(), n));
  reader.finish();
  if (p.names.empty()) throw core::InputError(path + ": the file is empty; expected a header row and numeric rows");
  if (rows == 0) throw core::InputError(path + ": no data rows after the header");
  p.x = Eigen::Map<core::RowMatrix>(values.data(), rows, static_cast<Eigen::Index>(p.names.size()));
  return p;
}

// The point commands' settings: no scaling, no log unless asked (the matrix is taken as it is).
core::AnalysisSettings raw_points() {
  core::AnalysisSettings s;
  s.cluster.preprocess.scaler = core::ScalerKind::kNone;
  s.cluster.preprocess.log1p = false;
  return s;
}

core::Json numbers(const double* v, std::size_t n) {
  core::Json a = core::Json::array();
  for (std::size_t i = 0; i < n; ++i) a.push_back(core::Json(v[i]));
  return a;
}

bool was_set(const Args& a, const char* key) {
  for (const std::string& s : a.set)
    if (s == key) return true;
  return false;
}

}  // namespace

int run_cluster(const std::vector<std::string>& argv) {
  const Args a = parse_args(kCluster, argv, raw_points());
  if (a.has("help")) {
    std::fputs(kCluster.usage, stdout);
    return 0;
  }
  if (a.option("input").empty()) throw UsageError("cluster needs --input POINTS.csv");
  if (!was_set(a, "cluster.algorithm")) throw UsageError("cluster needs --algo");
  if (!was_set(a, "cluster.k")) throw UsageError("cluster needs --k");
  const core::ClusterParams& cp = a.settings.cluster.params;
  const core::PreprocessParams& pp = a.settings.cluster.preprocess;
  const Points pts = read_points(a.option("input"));
  core::ClusterResult r;
  core::SilhouetteResult sil;
  bool have_sil = false;
  try {
    const core::RowMatrix x = core::fit_transform(pts.x, pp);
    r = core::run_clustering(x, cp);
    try {
      sil = x.rows() > core::Session::kSilhouetteExactMax
                ? core::silhouette_sampled(x, r.labels, core::Session::kSilhouetteSample, cp.seed)
                : core::silhouette(x, r.labels);
      have_sil = true;
    } catch (const core::InvalidArgument&) {  // undefined for one cluster or one row per cluster
    }
  } catch (const core::InvalidArgument& e) {
    throw core::InputError(e.what());
  }
  if (!a.has("json")) {
    std::vector<long long> sizes(static_cast<std::size_t>(cp.n_clusters), 0);
    for (int l : r.labels) ++sizes[static_cast<std::size_t>(l)];
    std::string size_text = "[";
    for (std::size_t i = 0; i < sizes.size(); ++i) size_text += (i ? "," : "") + std::to_string(sizes[i]);
    std::printf("%s: %lld rows x %lld columns, %s, k=%d\nobjective %s  silhouette %s%s  iterations %d%s\nsizes %s]\n",
                core::algorithm_name(cp.algorithm), static_cast<long long>(pts.x.rows()),
                static_cast<long long>(pts.x.cols()), core::scaler_name(pp.scaler), cp.n_clusters,
                core::json_number(r.objective).c_str(), have_sil ? core::json_number(sil.mean).c_str() : "n/a",
                sil.sampled ? " (sampled)" : "", r.iterations, r.converged ? "" : " (not converged)",
                size_text.c_str());
    return 0;
  }
  core::Json o = core::Json::object();
  o.set("algorithm", core::algorithm_name(cp.algorithm)).set("k", cp.n_clusters).set("n", pts.x.rows());
  o.set("columns", core::Json::array_of(pts.names)).set("scale", core::scaler_name(pp.scaler)).set("log", pp.log1p);
  o.set("labels", core::Json::array_of(r.labels));
  if (cp.algorithm == core::Algorithm::kKMedoids) {
    o.set("medoids", core::Json::array_of(r.medoids)).set("sampled", r.sampled);
  } else {
    core::Json centers = core::Json::array();
    for (Eigen::Index c = 0; c < r.centers.rows(); ++c)
      centers.push_back(numbers(r.centers.row(c).data(), static_cast<std::size_t>(r.centers.cols())));
    o.set("centers", std::move(centers));
  }
  o.set("objective", r.objective).set("inertia", r.inertia);
  o.set("silhouette", have_sil ? core::Json(sil.mean) : core::Json()).set("silhouette_sampled", sil.sampled);
  o.set("iterations", r.iterations).set("converged", r.converged);
  if (cp.algorithm == core::Algorithm::kGmm)
    o.set("log_likelihood", r.log_likelihood).set("bic", r.bic).set("aic", r.aic);
  const std::string text = core::dump_json(o) + "\n";
  std::fwrite(text.data(), 1, text.size(), stdout);
  return 0;
}

int run_embed(const std::vector<std::string>& argv) {
  const Args a = parse_args(kEmbed, argv, raw_points());
  if (a.has("help")) {
    std::fputs(kEmbed.usage, stdout);
    return 0;
  }
  if (a.option("input").empty()) throw UsageError("embed needs --input POINTS.csv");
  const core::PreprocessParams& pp = a.settings.cluster.preprocess;
  const core::MapSettings& map = a.settings.map;
  const Points pts = read_points(a.option("input"));
  core::Json o = core::Json::object();
  const bool tsne = map.method == core::MapSettings::Method::kTsne;
  o.set("method", tsne ? "tsne" : "pca").set("n", pts.x.rows()).set("columns", core::Json::array_of(pts.names));
  o.set("scale", core::scaler_name(pp.scaler)).set("log", pp.log1p);
  const auto coords = [](const core::RowMatrix& m) {
    return numbers(m.data(), static_cast<std::size_t>(m.size()));
  };  // row-major
  try {
    const core::RowMatrix x = core::fit_transform(pts.x, pp);
    if (tsne) {
      core::TsneParams tp;
      tp.perplexity = map.perplexity;
      tp.seed = map.seed;
      const core::TsneResult r = core::tsne(x, tp);
      o.set("coords", coords(r.embedding))
          .set("kl_divergence", r.kl_divergence)
          .set("sampled", r.sampled)
          .set("perplexity", r.perplexity_used);
    } else {
      core::PcaParams p;
      p.n_components = x.cols() >= 2 ? 2 : 1;
      const core::PcaResult r = core::pca(x, p);
      o.set("coords", coords(r.embedding))
          .set("explained_variance_ratio",
               numbers(r.explained_variance_ratio.data(), static_cast<std::size_t>(r.explained_variance_ratio.size())));
    }
  } catch (const core::InvalidArgument& e) {
    throw core::InputError(e.what());
  }
  const std::string text = core::dump_json(o) + "\n";
  std::fwrite(text.data(), 1, text.size(), stdout);
  return 0;
}

const CommandSpec* point_command_spec(const std::string& name) {
  if (name == kCluster.name) return &kCluster;
  if (name == kEmbed.name) return &kEmbed;
  return nullptr;
}

}  // namespace cli
