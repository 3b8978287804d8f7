// Segment profiles (stage 9): per segment size, share of customers and of revenue, mean and median of
// every customer feature, relative importance (segment mean / overall mean − 1, for heatmaps and
// snake plots), and an automatic, reproducible name from the profile.
//
// Names use the seed notebooks' vocabulary. Each segment gets a value score from the z-scores of its
// mean log1p features against all customers: v = z(frequency) + z(monetary) − z(recency). Then:
//   the highest v (and v > 0)                      → "Insiders"
//   recent (z(recency) < 0) with v ≤ 0              → "Potentials"
//   lapsed (z(recency) > 0) with z(monetary) > 0    → "At Risk"
//   lapsed, low value, the most lapsed of those     → "Sleeping"
//   otherwise                                       → "Occasional"
// Repeated names get " 2", " 3" in order of value. The same inputs always give the same names.
#pragma once

#include <string>
#include <vector>

#include "customer_features.h"

namespace core {

struct SegmentProfile {
  int segment = 0;
  std::string name;
  std::int64_t customers = 0;
  double customer_share = 0;         ///< of all customers
  double revenue = 0;                ///< Σ monetary
  double revenue_share = 0;          ///< of Σ monetary over all customers (0 when that is 0)
  std::vector<double> mean, median;  ///< per feature_names() entry (NaN-skipping)
  std::vector<double> relative;      ///< mean / overall mean − 1 (NaN when the overall mean is 0)
  double value_score = 0;
};

struct Profiles {
  std::vector<std::string> features;  ///< feature_names()
  std::vector<double> overall_mean;
  std::vector<SegmentProfile> segments;
};

/// @param labels  0..k−1 per customer
/// @throws InvalidArgument if labels and customers differ in length or a label is out of range
Profiles profile_segments(const CustomerTable& customers, const std::vector<int>& labels, int k);

}  // namespace core
