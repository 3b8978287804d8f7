// The stages after reading, composed as the page and the CLI run them: clean (4) → features (5).
// Reading stays separate so a change of rule re-runs only this part on the kept table.
#pragma once

#include "cleaning.h"
#include "customer_features.h"
#include "reader.h"

namespace core {

struct Analysis {
  ReadResult read;
  CleanResult cleaned;
  CustomerTable customers;
};

/// Re-runs cleaning and features on `a.read.table`. A streamed read (ReadOptions::stream) holds its
/// results already: they are taken as they are for the same rules and parameters, and other ones
/// throw InvalidArgument.
void analyse(Analysis& a, const CleaningRules& rules, const FeatureParams& params = {});

/// Monthly cohorts of the analysis: from the table and its cleaning, or for a streamed read from
/// the sums gathered while it streamed (the same table, to the bit).
/// @throws InputError when the purchases span more than 600 months
Cohorts cohorts_of(const Analysis& a);

/// Rows per country code (every readable row): counted from the table, or while streaming.
std::vector<std::int64_t> country_rows(const Analysis& a);

/// The reader's warnings, the ledger's (a rule that removed a large share), plus what the features revealed (customers
/// with negative net spend or with returns only), each saying what happened, how many, and what it means.
std::vector<std::string> analysis_warnings(const Analysis& a);

/// What each heuristic decided on this file, one line each ("<title>: <outcome>"), for the CLI's
/// stderr (the page shows the decisions with their evidence).
std::vector<std::string> analysis_notes(const Analysis& a);

/// Rows dropped by the rule with this key ("missing_customer", "cancellations", …); 0 if absent.
std::int64_t rows_removed_by(const Ledger& ledger, const std::string& rule);

}  // namespace core
