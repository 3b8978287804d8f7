// The session's results as JSON, one writer for every edge: the wasm bindings hand these values to
// the page (keys as written, camelCase), the CLI prints them (keys in snake_case through
// snake_case_keys). Numbers are the doubles themselves; typed arrays of the page (customer
// features, labels) are not here: the bindings copy those as typed arrays.
#pragma once

#include "json.h"
#include "session.h"

namespace core {

Json decision_json(const Decision& d);
Json ledger_json(const Ledger& l);

/// What the reader found and what cleaning and features gave: the file, its dialect, roles with
/// their reasons, formats, the heuristics' decisions, ragged and unreadable rows, warnings, and
/// the counts the page shows (rows kept, customers, …). With `execution`, how this read ran too
/// (readMode, duplicatesChecked, tableRowLimit, streamNote, analysisId): the page's; the CLI's
/// output is the same bytes however the file was read, so it leaves them out.
Json summary_json(const Session& s, bool execution);

/// {summary, ledger, unreadableExamples} of the current analysis.
Json analysis_json(const Session& s, bool execution);

/// RFM scores without the per-customer arrays: {bins, rules, check, edges}.
Json scores_json(const ScoresOutcome& o);

/// A clustering without the per-customer arrays: {features, algorithm, k, objective, inertia,
/// iterations, converged, restart, sampled, logLikelihood, bic, aic, silhouette: {mean, sampled,
/// stdError} | null, daviesBouldin, calinskiHarabasz, profiles, profileFeatures, overallMean}.
Json cluster_json(const ClusterOutcome& o);

/// Member names "fileName" → "file_name", recursively (the CLI's JSON style).
Json snake_case_keys(const Json& j);

}  // namespace core
