// loyaltylens: the command-line shell over the same core the page runs in wasm.
// Exit codes: 0 ok, 1 the input cannot be used, 2 bad usage.
#include <cstdio>
#include <string>
#include <vector>

#include "commands.h"
#include "errors.h"

namespace cli {
const CommandSpec* data_command_spec(const std::string& name);
const CommandSpec* point_command_spec(const std::string& name);
const CommandSpec* command_spec(const std::string& name) {
  const CommandSpec* s = data_command_spec(name);
  return s != nullptr ? s : point_command_spec(name);
}
}  // namespace cli

namespace {

constexpr const char* kUsage =
    "usage: loyaltylens COMMAND FILE [options]\n"
    "\n"
    "commands:\n"
    "  segment FILE [--k K] [--seed S] [--n-init N] [--out OUT.csv] [--save-project PROJECT.json]\n"
    "        RFM per customer, K-Means on standardised log1p features (defaults k 4, seed 1,\n"
    "        10 restarts, as the page); writes customer_id,segment,recency,frequency,monetary;\n"
    "        --save-project writes the page's project file (settings and fitted model)\n"
    "  apply PROJECT.json FILE [--out segments.csv] [--drift-json drift.json] [--refit-rfm]\n"
    "        scores another file with a saved project, without refitting; adds segment_name\n"
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
    "  schema [--out schema.json]\n"
    "        every parameter of an analysis (default, choices, range, flag), as JSON\n"
    "  profile FILE [--k K] [--stream]\n"
    "        seconds per stage (read, clean, features, segment) and peak memory, as JSON;\n"
    "        with --stream, read_s is the whole ingest (cleaning and features happen while reading)\n"
    "\n"
    "  --stream (segment, apply, features, clean, profile): clean and aggregate while reading,\n"
    "  without keeping the rows: memory follows customers, not rows (same results); not with\n"
    "  the rules that need every row (--drop-duplicates, --window-months, --outliers,\n"
    "  --min-product-customers)\n"
    "  Boolean switches take --no-X to turn them off (--no-log).\n"
    "\n";

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  std::string cmd;
  try {
    if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
      std::FILE* to = args.empty() ? stderr : stdout;
      std::fputs(kUsage, to);
      std::fputs(cli::flags_help({"read", "clean", "features", "rfm", "cluster"}).c_str(), to);
      return args.empty() ? 2 : 0;
    }
    cmd = args[0];
    args.erase(args.begin());
    const cli::CommandSpec* spec = cli::command_spec(cmd);
    if (spec == nullptr) throw cli::UsageError("unknown command \"" + cmd + "\"");
    for (const std::string& a : args)
      if ((a == "--help" || a == "-h") && cmd != "cluster" && cmd != "embed") {
        std::fputs(spec->usage, stdout);
        std::fputs(("\n" + cli::flags_help(spec->groups)).c_str(), stdout);
        return 0;
      }
    if (cmd == "segment") return cli::run_segment(args);
    if (cmd == "apply") return cli::run_apply(args);
    if (cmd == "features") return cli::run_features(args);
    if (cmd == "clean") return cli::run_clean(args);
    if (cmd == "csv") return cli::run_csv(args);
    if (cmd == "profile") return cli::run_profile(args);
    if (cmd == "schema") return cli::run_schema(args);
    if (cmd == "cluster") return cli::run_cluster(args);
    return cli::run_embed(args);
  } catch (const cli::UsageError& e) {
    const cli::CommandSpec* spec = cli::command_spec(cmd);
    std::fprintf(stderr, "loyaltylens%s%s: %s\n\n%s", cmd.empty() ? "" : " ", cmd.c_str(), e.what(),
                 spec ? spec->usage : kUsage);
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
