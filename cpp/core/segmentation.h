// Customer segmentation as the page and the CLI run it: RFM → log1p → standardise → K-Means, with
// segments renumbered by value so that segment 1 is always the one with the highest mean spend.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "csv_writer.h"
#include "kmeans.h"

namespace core {

struct SegmentParams {
  int k = 4;
  std::uint64_t seed = 1;
  int n_init = 10;
};

struct SegmentSummary {
  int segment = 0;  ///< 0-based; shown as segment + 1
  std::int64_t customers = 0;
  double mean_recency = 0;
  double mean_frequency = 0;
  double mean_monetary = 0;
  double revenue = 0;  ///< Σ monetary
};

struct Segmentation {
  std::vector<int> labels;  ///< 0-based segment per customer, 0 = highest mean monetary
  RowMatrix centers;        ///< in the standardised log1p space, rows ordered as the segments
  double inertia = 0;
  int iterations = 0;
  std::vector<SegmentSummary> segments;
};

/// @throws InvalidArgument on mismatched lengths, k < 1 or fewer customers than k (with the values)
Segmentation segment_customers(const double* recency, const double* frequency, const double* monetary,
                               std::size_t n, const SegmentParams& params,
                               const ProgressFn& progress = {});

/// The segments table as CSV: `customer_id,segment,recency,frequency,monetary`, one row per customer
/// in the order given, segments numbered from 1, monetary with 2 decimals, LF line ends.
std::string segments_csv(const std::vector<std::string>& ids, const std::vector<int>& labels,
                         const double* recency, const double* frequency, const double* monetary);

}  // namespace core
