// loyaltylens: the command-line shell over the same core the page runs in wasm.
// Exit codes: 0 ok, 1 the input cannot be used, 2 bad usage.
#include <cstdio>
#include <string>
#include <vector>

#include "commands.h"
#include "data_commands.h"
#include "errors.h"
#include "options.h"

namespace {

constexpr const char* kUsage =
    "usage: loyaltylens COMMAND FILE [options]\n"
    "\n"
    "commands:\n"
    "  segment FILE [--k K] [--seed S] [--n-init N] [--out OUT.csv]\n"
    "        RFM per customer, K-Means on standardised log1p features (defaults k 4, seed 1,\n"
    "        10 restarts, as the page); writes customer_id,segment,recency,frequency,monetary\n"
    "  features FILE [--as-of YYYY-MM-DD] [--out customers.csv]\n"
    "        every customer feature (recency … spend_4w), one row per customer\n"
    "  clean FILE [--json] [--ledger-csv OUT.csv]\n"
    "        what the reader found and what each cleaning rule removed (the ledger)\n"
    "  csv FILE --json [--delimiter C]\n"
    "        the records exactly as the reader splits them, as JSON arrays of strings\n"
    "  cluster --input points.csv --algo kmeans|kmedoids|gmm|ward|average|complete|single --k K\n"
    "        [--scale none|standard|robust|minmax] [--log] [--seed S] [--n-init N] --json\n"
    "        cluster the rows of a numeric CSV; prints labels, centers or medoids, objective,\n"
    "        silhouette, iterations\n"
    "  embed --input points.csv [--method pca|tsne] [--scale SCALE] [--log] [--seed S]\n"
    "        [--perplexity P]\n"
    "        the 2-D map of the rows of a numeric CSV (the page's PCA or t-SNE), as JSON\n"
    "  profile FILE [--k K] [--stream]\n"
    "        seconds per stage (read, clean, features, segment) and peak memory, as JSON;\n"
    "        with --stream, read_s is the whole ingest (cleaning and features happen while reading)\n"
    "\n";

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  try {
    if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
      std::FILE* to = args.empty() ? stderr : stdout;
      std::fputs(kUsage, to);
      std::fputs(cli::kCommonHelp, to);
      return args.empty() ? 2 : 0;
    }
    const std::string cmd = args[0];
    args.erase(args.begin());
    if (cmd == "segment") return cli::run_segment(args);
    if (cmd == "features") return cli::run_features(args);
    if (cmd == "clean") return cli::run_clean(args);
    if (cmd == "csv") return cli::run_csv(args);
    if (cmd == "profile") return cli::run_profile(args);
    if (cmd == "cluster") return run_cluster(args);
    if (cmd == "embed") return run_embed(args);
    throw cli::UsageError("unknown command \"" + cmd + "\"");
  } catch (const cli::UsageError& e) {
    std::fprintf(stderr, "loyaltylens: %s\n\n%s%s", e.what(), kUsage, cli::kCommonHelp);
    return 2;
  } catch (const core::InputError& e) {
    std::fprintf(stderr, "loyaltylens: error: %s\n", e.what());
    return 1;
  } catch (const core::InvalidArgument& e) {
    std::fprintf(stderr, "loyaltylens: error: %s\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "loyaltylens: internal error: %s\n", e.what());
    return 1;
  }
}
