#include "segmentation.h"

#include <algorithm>
#include <cstdio>
#include <numeric>

#include "errors.h"
#include "csv_writer.h"

namespace core {

Segmentation segment_customers(const double* recency, const double* frequency, const double* monetary,
                               std::size_t n, const SegmentParams& params, const ProgressFn& progress) {
  if (params.k < 1) throw InvalidArgument("k=" + std::to_string(params.k) + " should be >= 1");
  if (n < static_cast<std::size_t>(params.k))
    throw InvalidArgument("there are " + std::to_string(n) + " customers, fewer than k=" +
                          std::to_string(params.k) + " segments; choose k <= " + std::to_string(n));
  RowMatrix x(static_cast<Eigen::Index>(n), 3);
  for (std::size_t i = 0; i < n; ++i) {
    const auto r = static_cast<Eigen::Index>(i);
    x(r, 0) = recency[i];
    x(r, 1) = frequency[i];
    x(r, 2) = monetary[i];
  }
  log1p_inplace(x);
  StandardScaler::fit(x).transform_inplace(x);

  KMeansParams kp;
  kp.n_clusters = params.k;
  kp.n_init = params.n_init;
  kp.seed = params.seed;
  KMeansResult km = kmeans(x, kp, progress);

  // Summaries per K-Means cluster, then order by mean monetary (descending; ties by cluster index).
  const int k = params.k;
  std::vector<SegmentSummary> raw(static_cast<std::size_t>(k));
  for (std::size_t i = 0; i < n; ++i) {
    SegmentSummary& s = raw[static_cast<std::size_t>(km.labels[i])];
    ++s.customers;
    s.mean_recency += recency[i];
    s.mean_frequency += frequency[i];
    s.revenue += monetary[i];
  }
  for (auto& s : raw) {
    if (s.customers == 0) continue;
    const double c = static_cast<double>(s.customers);
    s.mean_recency /= c;
    s.mean_frequency /= c;
    s.mean_monetary = s.revenue / c;
  }
  std::vector<int> order(static_cast<std::size_t>(k));
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
    return raw[static_cast<std::size_t>(a)].mean_monetary > raw[static_cast<std::size_t>(b)].mean_monetary;
  });
  std::vector<int> rank(static_cast<std::size_t>(k));
  for (int r = 0; r < k; ++r) rank[static_cast<std::size_t>(order[static_cast<std::size_t>(r)])] = r;

  Segmentation out;
  out.labels.resize(n);
  for (std::size_t i = 0; i < n; ++i) out.labels[i] = rank[static_cast<std::size_t>(km.labels[i])];
  out.centers.resize(k, km.centers.cols());
  out.segments.resize(static_cast<std::size_t>(k));
  for (int r = 0; r < k; ++r) {
    const int c = order[static_cast<std::size_t>(r)];
    out.centers.row(r) = km.centers.row(c);
    out.segments[static_cast<std::size_t>(r)] = raw[static_cast<std::size_t>(c)];
    out.segments[static_cast<std::size_t>(r)].segment = r;
  }
  out.inertia = km.inertia;
  out.iterations = km.n_iter;
  return out;
}

std::string segments_csv(const std::vector<std::string>& ids, const std::vector<int>& labels,
                         const double* recency, const double* frequency, const double* monetary) {
  if (labels.size() != ids.size())
    throw InvalidArgument("labels (" + std::to_string(labels.size()) + ") and customer ids (" +
                          std::to_string(ids.size()) + ") differ in length");
  std::string out = "customer_id,segment,recency,frequency,monetary\n";
  out.reserve(out.size() + ids.size() * 40);
  char buf[96];
  for (std::size_t i = 0; i < ids.size(); ++i) {
    out += csv_cell(ids[i]);
    std::snprintf(buf, sizeof buf, ",%d,%.0f,%.0f,%.2f\n", labels[i] + 1, recency[i], frequency[i],
                  monetary[i]);
    out += buf;
  }
  return out;
}

}  // namespace core
