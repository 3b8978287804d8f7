#include "clustering.h"

#include <cmath>
#include <sstream>
#include <string>

#include "errors.h"
#include "hierarchy.h"
#include "kmeans.h"
#include "kmedoids.h"
#include "metrics.h"

namespace core {
namespace {

bool is_linkage(Algorithm a) {
  return a == Algorithm::kWard || a == Algorithm::kAverage || a == Algorithm::kComplete || a == Algorithm::kSingle;
}

LinkageMethod to_linkage(Algorithm a) {
  return a == Algorithm::kWard       ? LinkageMethod::kWard
         : a == Algorithm::kAverage  ? LinkageMethod::kAverage
         : a == Algorithm::kComplete ? LinkageMethod::kComplete
                                     : LinkageMethod::kSingle;
}

RowMatrix cluster_means(const RowMatrix& x, const std::vector<int>& labels, int k) {
  RowMatrix m = RowMatrix::Zero(k, x.cols());
  std::vector<double> count(static_cast<std::size_t>(k), 0.0);
  for (Eigen::Index i = 0; i < x.rows(); ++i) {
    const int l = labels[static_cast<std::size_t>(i)];
    count[static_cast<std::size_t>(l)] += 1;
    for (Eigen::Index j = 0; j < x.cols(); ++j) m(l, j) += x(i, j);
  }
  for (int c = 0; c < k; ++c)
    if (count[static_cast<std::size_t>(c)] > 0) m.row(c) /= count[static_cast<std::size_t>(c)];
  return m;
}

// Labels of a cut with the result fields a linkage fills.
ClusterResult from_cut(const RowMatrix& x, const RowMatrix& z, int k) {
  ClusterResult r;
  r.labels = cut_tree(z, k);
  r.centers = cluster_means(x, r.labels, k);
  r.inertia = r.objective = inertia(x, r.labels, r.centers);
  r.iterations = static_cast<int>(x.rows()) - k;
  return r;
}

}  // namespace

Algorithm parse_algorithm(const std::string& name) {
  if (name == "kmeans") return Algorithm::kKMeans;
  if (name == "kmedoids") return Algorithm::kKMedoids;
  if (name == "gmm") return Algorithm::kGmm;
  if (name == "ward") return Algorithm::kWard;
  if (name == "average") return Algorithm::kAverage;
  if (name == "complete") return Algorithm::kComplete;
  if (name == "single") return Algorithm::kSingle;
  throw InvalidArgument("algorithm \"" + name +
                        "\" is not one of kmeans, kmedoids, gmm, ward, average, complete, single");
}

const char* algorithm_name(Algorithm a) {
  switch (a) {
    case Algorithm::kKMeans: return "kmeans";
    case Algorithm::kKMedoids: return "kmedoids";
    case Algorithm::kGmm: return "gmm";
    case Algorithm::kWard: return "ward";
    case Algorithm::kAverage: return "average";
    case Algorithm::kComplete: return "complete";
    case Algorithm::kSingle: return "single";
  }
  return "kmeans";
}

ClusterResult run_clustering(const RowMatrix& x, const ClusterParams& p, const ProgressFn& progress) {
  if (p.n_init < 0) throw InvalidArgument("n_init=" + std::to_string(p.n_init) + " should be >= 0 (0: default)");
  ClusterResult r;
  switch (p.algorithm) {
    case Algorithm::kKMeans: {
      KMeansParams kp;  // n_init 0: the algorithm's own default
      kp.n_clusters = p.n_clusters, kp.seed = p.seed, kp.n_init = p.n_init > 0 ? p.n_init : kp.n_init;
      kp.restart_begin = p.restart_begin, kp.restart_end = p.restart_end;
      KMeansResult k = kmeans(x, kp, progress);
      r.labels = std::move(k.labels), r.centers = std::move(k.centers);
      r.objective = k.inertia, r.iterations = k.n_iter, r.converged = k.converged, r.restart = k.restart;
      break;
    }
    case Algorithm::kKMedoids: {
      KMedoidsParams kp;
      kp.n_clusters = p.n_clusters, kp.seed = p.seed, kp.n_init = p.n_init > 0 ? p.n_init : kp.n_init;
      kp.auto_clara_above = p.kmedoids_exact_max;
      KMedoidsResult k = kmedoids(x, kp, progress);
      r.labels = std::move(k.labels), r.medoids = std::move(k.medoids);
      r.centers.resize(p.n_clusters, x.cols());
      for (int c = 0; c < p.n_clusters; ++c) r.centers.row(c) = x.row(r.medoids[static_cast<std::size_t>(c)]);
      r.objective = k.objective, r.iterations = k.n_iter, r.converged = k.converged, r.sampled = k.sampled;
      break;
    }
    case Algorithm::kGmm: {
      GmmParams gp;
      gp.n_components = p.n_clusters, gp.seed = p.seed, gp.n_init = p.n_init > 0 ? p.n_init : gp.n_init;
      gp.covariance = p.covariance;
      GmmResult g = gmm(x, gp, progress);
      r.labels = std::move(g.labels), r.centers = std::move(g.means);
      r.responsibilities = std::move(g.responsibilities);
      r.weights = std::move(g.weights), r.covariances = std::move(g.covariances);
      r.log_likelihood = g.log_likelihood, r.bic = g.bic, r.aic = g.aic;
      r.objective = -g.log_likelihood * static_cast<double>(x.rows());
      r.iterations = g.n_iter, r.converged = g.converged, r.collapsed = std::move(g.collapsed);
      break;
    }
    default: {
      if (p.n_clusters < 1 || p.n_clusters > x.rows())
        throw InvalidArgument("n_clusters=" + std::to_string(p.n_clusters) +
                              " should be between 1 and n_samples=" + std::to_string(x.rows()));
      RowMatrix z = linkage_matrix(x, to_linkage(p.algorithm), progress);
      r = from_cut(x, z, p.n_clusters);
      r.linkage = std::move(z);
      return r;
    }
  }
  r.inertia = within_cluster_ss(x, r.labels);
  return r;
}

SweepResult k_sweep(const RowMatrix& x, const SweepParams& p, const ProgressFn& progress) {
  const Eigen::Index n = x.rows();
  if (p.k_min < 2) throw InvalidArgument("k_min=" + std::to_string(p.k_min) + " should be >= 2");
  if (p.k_max < p.k_min)
    throw InvalidArgument("k_max=" + std::to_string(p.k_max) + " should be >= k_min=" + std::to_string(p.k_min));
  if (p.k_max > n - 1)
    throw InvalidArgument("k_max=" + std::to_string(p.k_max) +
                          " should be <= n_samples - 1 = " + std::to_string(n - 1));
  const double nan = std::numeric_limits<double>::quiet_NaN();
  const int steps = p.k_max - p.k_min + 1;
  auto part = [&](int s) -> ProgressFn {
    if (!progress) return {};
    return [&progress, s, steps](double f) { return progress((s + f) / steps); };
  };
  RowMatrix z;
  if (is_linkage(p.base.algorithm)) z = linkage_matrix(x, to_linkage(p.base.algorithm));
  SweepResult out;
  out.silhouette_sampled = n > p.silhouette_exact_max;
  for (int k = p.k_min; k <= p.k_max; ++k) {
    ClusterParams cp = p.base;
    cp.n_clusters = k;
    cp.kmedoids_exact_max = p.kmedoids_exact_max;
    const ClusterResult r = z.size() > 0 ? from_cut(x, z, k) : run_clustering(x, cp, part(k - p.k_min));
    out.k.push_back(k);
    out.objective.push_back(r.objective);
    out.inertia.push_back(r.inertia);
    out.bic.push_back(r.bic);
    out.collapsed.push_back(static_cast<int>(r.collapsed.size()));
    try {
      out.silhouette.push_back(out.silhouette_sampled
                                   ? silhouette_sampled(x, r.labels, p.silhouette_sample, p.base.seed).mean
                                   : silhouette(x, r.labels).mean);
      out.davies_bouldin.push_back(davies_bouldin(x, r.labels));
      out.calinski_harabasz.push_back(calinski_harabasz(x, r.labels));
    } catch (const InvalidArgument&) {  // fewer than two distinct labels (duplicate-only data)
      out.silhouette.resize(out.k.size(), nan);
      out.davies_bouldin.resize(out.k.size(), nan);
      out.calinski_harabasz.resize(out.k.size(), nan);
    }
    if (progress && !progress(static_cast<double>(k - p.k_min + 1) / steps)) throw Cancelled();
  }
  return out;
}

const char* criterion_name(KCriterion c) {
  switch (c) {
    case KCriterion::kSilhouette: return "silhouette";
    case KCriterion::kBicMinimum: return "bic-minimum";
    case KCriterion::kBicElbow: return "bic-elbow";
    case KCriterion::kNone: break;
  }
  return "none";
}

namespace {

std::string fixed(double v, int digits) {
  std::ostringstream s;
  s.setf(std::ios::fixed);
  s.precision(digits);
  s << v;
  return s.str();
}

KSuggestion by_silhouette(const SweepResult& s, const std::string& why) {
  KSuggestion out;
  std::size_t best = s.k.size();
  for (std::size_t i = 0; i < s.k.size(); ++i)
    if (std::isfinite(s.silhouette[i]) && (best == s.k.size() || s.silhouette[i] > s.silhouette[best])) best = i;
  if (best == s.k.size()) {
    out.reason = (why.empty() ? "No" : why + "no") +
                 " k has a silhouette (fewer than two distinct segments came out at every k).";
    return out;
  }
  out.k = s.k[best], out.criterion = KCriterion::kSilhouette;
  out.reason = (why.empty() ? "The" : why + "the") + " highest mean silhouette (" + fixed(s.silhouette[best], 3) +
               (s.silhouette_sampled ? ", sampled" : "") + ") is at k = " + std::to_string(out.k) + ".";
  return out;
}

}  // namespace

KSuggestion suggest_k(const SweepResult& s, Algorithm algorithm) {
  if (algorithm != Algorithm::kGmm) return by_silhouette(s, "");
  std::vector<std::size_t> valid;
  for (std::size_t i = 0; i < s.k.size(); ++i)
    if (std::isfinite(s.bic[i]) && (i >= s.collapsed.size() || s.collapsed[i] == 0)) valid.push_back(i);
  const std::size_t skipped = s.k.size() - valid.size();
  const std::string skipped_text = skipped == 0 ? ""
                                                : " (" + std::to_string(skipped) + " k" + (skipped == 1 ? "" : "s") +
                                                      " left out: a component collapsed onto customers who share one "
                                                      "value, so the BIC there is not comparable)";
  if (valid.size() < 2)
    return by_silhouette(s, valid.empty()
                                ? "At every k a mixture component collapsed onto customers who share one value "
                                  "(e.g. one order), so BIC cannot choose; "
                                : "BIC is comparable at one k only (the others have a collapsed component); ");
  std::size_t best = valid.front();
  for (std::size_t i : valid)
    if (s.bic[i] < s.bic[best]) best = i;
  KSuggestion out;
  if (best != valid.back()) {
    out.k = s.k[best], out.criterion = KCriterion::kBicMinimum;
    out.reason = "BIC is lowest (" + fixed(s.bic[best], 1) + ") at k = " + std::to_string(out.k) + skipped_text + ".";
    return out;
  }
  // Still falling at the largest valid k: the elbow, the point farthest below the chord.
  const std::size_t a = valid.front(), b = valid.back();
  const double ka = s.k[a], kb = s.k[b], ba = s.bic[a], bb = s.bic[b];
  std::size_t elbow = b;
  double deepest = 0;
  for (std::size_t i : valid) {
    const double line = ba + (bb - ba) * (s.k[i] - ka) / (kb - ka);
    if (line - s.bic[i] > deepest) deepest = line - s.bic[i], elbow = i;
  }
  out.k = s.k[elbow], out.criterion = KCriterion::kBicElbow;
  out.reason = "BIC still falls at k = " + std::to_string(s.k[b]) +
               ", the largest k tried, so its minimum may lie beyond; " +
               "the curve bends most at k = " + std::to_string(out.k) + " (its elbow)" + skipped_text + ".";
  return out;
}

}  // namespace core
