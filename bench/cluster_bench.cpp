// ll_cluster_bench: times each clustering algorithm, the silhouette, PCA and the t-SNE map on deterministic
// customer-like data (3 features, 5 overlapping groups, standardised), built natively and as wasm
// for Node from this one file, so both run the same code on the same numbers.
//
//   ll_cluster_bench --n N [--k 5] [--reps 3] [--only kmeans,gmm,…] [--data-out points.csv]
//
// Prints one JSON line per measurement: {"n", "what", "seconds", "peak_mb"}; seconds is the median of
// the repetitions after one untimed warm-up run. K-Medoids runs its default, which samples
// (FastCLARA) above 20,000 rows; kmedoids_pam runs FasterPAM on all rows whatever n (n ≤ 50,000) from
// the default start (BUILD up to 5,000 rows, LAB above), kmedoids_build from BUILD whatever n.
// peak_mb is the process's peak resident memory (native) or the wasm heap (wasm).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <string>
#include <vector>

#include "clustering.h"
#include "embedding.h"
#include "kmeans.h"
#include "kmedoids.h"
#include "metrics.h"
#include "portable_math.h"
#include "random.h"
#include "scaling.h"
#include "tsne.h"

#ifdef __EMSCRIPTEN__
#include <emscripten/heap.h>
static double peak_mb() { return static_cast<double>(emscripten_get_heap_size()) / (1 << 20); }
#else
#include <sys/resource.h>
static double peak_mb() {
  struct rusage ru;
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_maxrss) / 1024.0;
}
#endif

namespace {

core::RowMatrix make_points(std::int64_t n, std::uint64_t seed) {
  core::Rng rng(seed);
  const double centers[5][3] = {{0, 0, 0}, {2, 1, 0.5}, {-1.5, 2, 1}, {1, -2, 2}, {-2, -1, -1.5}};
  core::RowMatrix x(n, 3);
  for (std::int64_t i = 0; i < n; ++i) {
    const auto c = rng.below(5);
    for (int j = 0; j < 3; ++j) {
      // Marsaglia's polar method with portable::log: std::log and std::cos differ in the last bits
      // between glibc and musl, and the native and wasm runs must time (and report) the same points.
      double u, s;
      do {
        u = 2 * rng.uniform() - 1;
        const double v = 2 * rng.uniform() - 1;
        s = u * u + v * v;
      } while (s >= 1 || s == 0);
      x(i, j) = centers[c][j] + 0.9 * u * std::sqrt(-2 * core::portable::log(s) / s);
    }
  }
  core::StandardScaler::fit(x).transform_inplace(x);
  return x;
}

double time_median(int reps, const std::function<void()>& f) {
  // One untimed run first: it pays for compiling (bench/wasm_cluster.cjs has V8 compile each wasm
  // function optimised at its first call) and for growing the heap, as a page that re-runs on
  // every change of k already has.
  f();
  std::vector<double> t;
  for (int r = 0; r < reps; ++r) {
    const auto a = std::chrono::steady_clock::now();
    f();
    t.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - a).count());
  }
  std::sort(t.begin(), t.end());
  return t[t.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  std::int64_t n = 5000;
  int k = 5, reps = 3;
  std::string only, data_out;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    if (a == "--n")
      n = std::atoll(argv[i + 1]);
    else if (a == "--k")
      k = std::atoi(argv[i + 1]);
    else if (a == "--reps")
      reps = std::atoi(argv[i + 1]);
    else if (a == "--only")
      only = argv[i + 1];
    else if (a == "--data-out")
      data_out = argv[i + 1];
  }
  const core::RowMatrix x = make_points(n, 42);
  if (!data_out.empty()) {
    std::FILE* f = std::fopen(data_out.c_str(), "wb");
    if (!f) return 1;
    std::fputs("a,b,c\n", f);
    for (std::int64_t i = 0; i < n; ++i) std::fprintf(f, "%.17g,%.17g,%.17g\n", x(i, 0), x(i, 1), x(i, 2));
    std::fclose(f);
  }
  auto wanted = [&](const std::string& what) {
    return only.empty() || ("," + only + ",").find("," + what + ",") != std::string::npos;
  };
  std::vector<int> labels;
  double value = 0;
  auto report = [&](const char* what, int r, const std::function<void()>& f) {
    const double seconds = time_median(r, f);  // before reading `value`, which f sets
    const double extra = value;
    std::printf("{\"n\":%lld,\"what\":\"%s\",\"seconds\":%.6f,\"peak_mb\":%.1f,\"value\":%.10g}\n",
                static_cast<long long>(n), what, seconds, peak_mb(), extra);
    std::fflush(stdout);
  };
  auto cluster = [&](core::Algorithm algo, int n_init) {
    core::ClusterParams p;
    p.algorithm = algo;
    p.n_clusters = k;
    p.n_init = n_init;
    const core::ClusterResult r = core::run_clustering(x, p);
    labels = r.labels;
    value = r.objective;
  };
  if (wanted("kmeans")) report("kmeans", reps, [&] { cluster(core::Algorithm::kKMeans, 10); });
  const std::vector<int> kmeans_labels = labels;
  if (wanted("gmm")) report("gmm", reps, [&] { cluster(core::Algorithm::kGmm, 1); });
  if (wanted("kmedoids") && n <= 20000) report("kmedoids", 1, [&] { cluster(core::Algorithm::kKMedoids, 1); });
  auto pam = [&](core::KMedoidsInit init) {
    core::KMedoidsParams p;
    p.n_clusters = k;
    p.init = init;
    p.method = core::KMedoidsMethod::kFasterPam;
    const core::KMedoidsResult r = core::kmedoids(x, p);
    labels = r.labels;
    value = r.objective;
  };
  if (wanted("kmedoids_pam") && n <= 50000) report("kmedoids_pam", 1, [&] { pam(core::KMedoidsInit::kAuto); });
  if (wanted("kmedoids_build") && n <= 50000) report("kmedoids_build", 1, [&] { pam(core::KMedoidsInit::kBuild); });
  if (wanted("ward") && n <= 20000) report("ward", 1, [&] { cluster(core::Algorithm::kWard, 1); });
  if (wanted("silhouette") && n <= 20000) {
    labels = kmeans_labels;
    if (labels.empty()) cluster(core::Algorithm::kKMeans, 10);
    report("silhouette", reps, [&] { value = core::silhouette(x, labels).mean; });
  }
  if (wanted("pca")) report("pca", reps, [&] { value = core::pca(x).explained_variance_ratio[0]; });
  // The page's 2-D map with its defaults: t-SNE on a 3,000-row sample, the other rows placed.
  if (wanted("tsne") && n <= 100000)
    report("tsne", 1, [&] { value = core::tsne(x, core::TsneParams{}).kl_divergence; });
  return 0;
}
