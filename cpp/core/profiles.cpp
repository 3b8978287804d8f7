#include "profiles.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "errors.h"

namespace core {
namespace {

double median_of(std::vector<double> v) {
  if (v.empty()) return std::nan("");
  const std::size_t mid = v.size() / 2;
  std::nth_element(v.begin(), v.begin() + static_cast<long>(mid), v.end());
  const double hi = v[mid];
  if (v.size() % 2 == 1) return hi;
  const double lo = *std::max_element(v.begin(), v.begin() + static_cast<long>(mid));
  return (lo + hi) / 2;
}

}  // namespace

Profiles profile_segments(const CustomerTable& t, const std::vector<int>& labels, int k) {
  const std::size_t n = t.size();
  if (labels.size() != n)
    throw InvalidArgument("labels (" + std::to_string(labels.size()) + ") and customers (" + std::to_string(n) +
                          ") differ in length");
  if (k < 1) throw InvalidArgument("k=" + std::to_string(k) + " should be >= 1");
  for (int l : labels)
    if (l < 0 || l >= k)
      throw InvalidArgument("label " + std::to_string(l) + " is outside 0.." + std::to_string(k - 1));
  Profiles p;
  p.features = feature_names();
  const std::size_t nf = p.features.size();
  p.overall_mean.assign(nf, 0);
  for (std::size_t f = 0; f < nf; ++f) {
    double s = 0;
    std::size_t c = 0;
    for (double v : t.columns[f])
      if (!std::isnan(v)) {
        s += v;
        ++c;
      }
    p.overall_mean[f] = c ? s / static_cast<double>(c) : std::nan("");
  }
  const double total_revenue = std::accumulate(t.monetary().begin(), t.monetary().end(), 0.0);
  std::vector<std::vector<std::size_t>> members(static_cast<std::size_t>(k));
  for (std::size_t i = 0; i < n; ++i) members[static_cast<std::size_t>(labels[i])].push_back(i);

  // Log-space z-scores of R, F, M for the names.
  auto log_stats = [&](const std::vector<double>& col, double& mean, double& sd) {
    mean = 0;
    for (double v : col) mean += std::log1p(std::max(v, 0.0));
    mean /= std::max<std::size_t>(n, 1);
    double var = 0;
    for (double v : col) var += (std::log1p(std::max(v, 0.0)) - mean) * (std::log1p(std::max(v, 0.0)) - mean);
    sd = std::sqrt(var / std::max<std::size_t>(n, 1));
    if (!(sd > 0)) sd = 1;
  };
  double mr, sr, mf, sf, mm, sm;
  log_stats(t.recency(), mr, sr);
  log_stats(t.frequency(), mf, sf);
  log_stats(t.monetary(), mm, sm);
  std::vector<double> zr(static_cast<std::size_t>(k)), zm(static_cast<std::size_t>(k));

  for (int s = 0; s < k; ++s) {
    const auto& idx = members[static_cast<std::size_t>(s)];
    SegmentProfile sp;
    sp.segment = s;
    sp.customers = static_cast<std::int64_t>(idx.size());
    sp.customer_share = n ? static_cast<double>(idx.size()) / static_cast<double>(n) : 0;
    sp.mean.assign(nf, std::nan(""));
    sp.median.assign(nf, std::nan(""));
    sp.relative.assign(nf, std::nan(""));
    std::vector<double> vals;
    for (std::size_t f = 0; f < nf; ++f) {
      vals.clear();
      for (std::size_t i : idx)
        if (!std::isnan(t.columns[f][i])) vals.push_back(t.columns[f][i]);
      if (vals.empty()) continue;
      sp.mean[f] = std::accumulate(vals.begin(), vals.end(), 0.0) / static_cast<double>(vals.size());
      sp.median[f] = median_of(vals);
      if (p.overall_mean[f] != 0 && !std::isnan(p.overall_mean[f])) sp.relative[f] = sp.mean[f] / p.overall_mean[f] - 1;
    }
    for (std::size_t i : idx) sp.revenue += t.monetary()[i];
    sp.revenue_share = total_revenue != 0 ? sp.revenue / total_revenue : 0;
    double lr = 0, lf = 0, lm = 0;
    for (std::size_t i : idx) {
      lr += std::log1p(std::max(t.recency()[i], 0.0));
      lf += std::log1p(std::max(t.frequency()[i], 0.0));
      lm += std::log1p(std::max(t.monetary()[i], 0.0));
    }
    const double c = std::max<double>(static_cast<double>(idx.size()), 1);
    zr[static_cast<std::size_t>(s)] = (lr / c - mr) / sr;
    zm[static_cast<std::size_t>(s)] = (lm / c - mm) / sm;
    sp.value_score = (lf / c - mf) / sf + zm[static_cast<std::size_t>(s)] - zr[static_cast<std::size_t>(s)];
    p.segments.push_back(std::move(sp));
  }

  // Names, in order of value (ties by segment number).
  std::vector<int> order(static_cast<std::size_t>(k));
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
    return p.segments[static_cast<std::size_t>(a)].value_score > p.segments[static_cast<std::size_t>(b)].value_score;
  });
  int most_lapsed_low = -1;
  for (int s = 0; s < k; ++s) {
    const auto u = static_cast<std::size_t>(s);
    if (zr[u] > 0 && zm[u] <= 0 && (most_lapsed_low < 0 || zr[u] > zr[static_cast<std::size_t>(most_lapsed_low)]))
      most_lapsed_low = s;
  }
  std::vector<std::string> used;
  for (std::size_t rank = 0; rank < order.size(); ++rank) {
    const int s = order[rank];
    const auto u = static_cast<std::size_t>(s);
    SegmentProfile& sp = p.segments[u];
    std::string name;
    if (rank == 0 && sp.value_score > 0 && k > 1)
      name = "Insiders";
    else if (zr[u] < 0 && sp.value_score <= 0)
      name = "Potentials";
    else if (zr[u] > 0 && zm[u] > 0)
      name = "At Risk";
    else if (s == most_lapsed_low)
      name = "Sleeping";
    else if (k == 1)
      name = "All customers";
    else
      name = "Occasional";
    const long repeats = std::count(used.begin(), used.end(), name);
    used.push_back(name);
    sp.name = repeats == 0 ? name : name + " " + std::to_string(repeats + 1);
  }
  return p;
}

}  // namespace core
