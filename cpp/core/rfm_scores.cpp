#include "rfm_scores.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "errors.h"
#include "flat_hash.h"

namespace core {
namespace {

bool matches(const SegmentRule& r, int R, int F, int M) {
  return R >= r.r_min && R <= r.r_max && F >= r.f_min && F <= r.f_max && M >= r.m_min && M <= r.m_max;
}

std::string cell(int r, int f, int m) { return std::to_string(r) + std::to_string(f) + std::to_string(m); }

}  // namespace

RfmScores score_rfm(const std::vector<double>& recency, const std::vector<double>& frequency,
                    const std::vector<double>& monetary, const RfmScoreParams& params) {
  const std::size_t n = recency.size();
  if (frequency.size() != n || monetary.size() != n)
    throw InvalidArgument("recency, frequency and monetary differ in length (" + std::to_string(n) + ", " +
                          std::to_string(frequency.size()) + ", " + std::to_string(monetary.size()) + ")");
  RfmScores s;
  std::vector<std::uint8_t>* out[3] = {&s.r, &s.f, &s.m};
  const std::vector<double>* in[3] = {&recency, &frequency, &monetary};
  static const char* kNames[3] = {"recency", "frequency", "monetary"};
  for (int k = 0; k < 3; ++k) {
    const std::vector<double>& v = *in[k];
    std::vector<std::uint8_t>& sc = *out[k];
    sc.assign(n, 1);
    const bool lower_is_better = k == 0;
    if (params.method == RfmScoreParams::Method::kQuintiles) {
      std::vector<std::size_t> order(n);
      std::iota(order.begin(), order.end(), 0);
      // Ties are broken by a fixed pseudo-random key per customer, not by file order: a file sorted
      // by date would otherwise put all early one-order customers in F1 and empty cells like R5 F1.
      std::vector<std::uint64_t> key(n);
      for (std::size_t i = 0; i < n; ++i)
        key[i] = mix64(i ^ (0x9E3779B97F4A7C15ull * static_cast<std::uint64_t>(k + 1)));
      std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        if (v[a] != v[b]) return lower_is_better ? v[a] > v[b] : v[a] < v[b];
        return key[a] != key[b] ? key[a] < key[b] : a < b;
      });
      for (std::size_t rank = 0; rank < n; ++rank) sc[order[rank]] = static_cast<std::uint8_t>(rank * 5 / n + 1);
    } else {
      const auto& e = params.thresholds[static_cast<std::size_t>(k)];
      for (int j = 1; j < 4; ++j)
        if (!(e[static_cast<std::size_t>(j)] >= e[static_cast<std::size_t>(j - 1)]))
          throw InvalidArgument(std::string(kNames[k]) + " thresholds should not decrease, got " +
                                std::to_string(e[0]) + ", " + std::to_string(e[1]) + ", " + std::to_string(e[2]) +
                                ", " + std::to_string(e[3]));
      for (std::size_t i = 0; i < n; ++i) {
        int above = 0;  // edges the value exceeds (for recency: edges it is at or below, i.e. more recent)
        for (double edge : e) above += lower_is_better ? (v[i] <= edge) : (v[i] > edge);
        sc[i] = static_cast<std::uint8_t>(1 + above);
      }
    }
    auto& bins = s.bins[static_cast<std::size_t>(k)];
    for (int b = 0; b < 5; ++b) bins[static_cast<std::size_t>(b)] = ScoreBin{b + 1, 0, std::nan(""), std::nan("")};
    for (std::size_t i = 0; i < n; ++i) {
      ScoreBin& b = bins[sc[i] - 1u];
      if (b.customers++ == 0) {
        b.min = b.max = v[i];
      } else {
        b.min = std::min(b.min, v[i]);
        b.max = std::max(b.max, v[i]);
      }
    }
  }
  return s;
}

std::vector<SegmentRule> rf_grid_preset() {
  // The widely used R×F map (rows R, columns F), M ignored.
  return {
      {"Champions", 5, 5, 4, 5, 1, 5},      {"Loyal", 3, 4, 4, 5, 1, 5},      {"Potential Loyalists", 4, 5, 2, 3, 1, 5},
      {"New Customers", 5, 5, 1, 1, 1, 5},  {"Promising", 4, 4, 1, 1, 1, 5},  {"Need Attention", 3, 3, 3, 3, 1, 5},
      {"About to Sleep", 3, 3, 1, 2, 1, 5}, {"Can't Lose", 1, 2, 5, 5, 1, 5}, {"At Risk", 1, 2, 3, 4, 1, 5},
      {"Hibernating", 1, 2, 1, 2, 1, 5},
  };
}

std::vector<SegmentRule> rfm_package_preset() {
  // rfm (Aravind Hebbali) vignette: rfm_segment() with these bounds.
  return {
      {"Champions", 4, 5, 4, 5, 4, 5},          {"Loyal Customers", 2, 5, 3, 5, 3, 5},
      {"Potential Loyalist", 3, 5, 1, 3, 1, 3}, {"New Customers", 4, 5, 1, 1, 1, 1},
      {"Promising", 3, 4, 1, 1, 1, 1},          {"Need Attention", 2, 3, 2, 3, 2, 3},
      {"About To Sleep", 2, 3, 1, 2, 1, 2},     {"At Risk", 1, 2, 2, 5, 2, 5},
      {"Can't Lose Them", 1, 1, 4, 5, 4, 5},    {"Lost", 1, 2, 1, 2, 1, 2},
  };
}

RuleCheck check_rules(const std::vector<SegmentRule>& rules) {
  RuleCheck c;
  std::vector<int> wins(rules.size(), 0);
  for (std::size_t i = 0; i < rules.size(); ++i) {
    const SegmentRule& r = rules[i];
    const int lo[3] = {r.r_min, r.f_min, r.m_min}, hi[3] = {r.r_max, r.f_max, r.m_max};
    for (int k = 0; k < 3; ++k)
      if (lo[k] < 1 || hi[k] > 5 || lo[k] > hi[k]) {
        c.invalid.push_back(r.name);
        break;
      }
  }
  for (int R = 1; R <= 5; ++R)
    for (int F = 1; F <= 5; ++F)
      for (int M = 1; M <= 5; ++M) {
        std::vector<std::size_t> hit;
        for (std::size_t i = 0; i < rules.size(); ++i)
          if (matches(rules[i], R, F, M)) hit.push_back(i);
        if (hit.empty()) {
          c.uncovered.push_back(cell(R, F, M));
          continue;
        }
        ++wins[hit[0]];
        if (hit.size() > 1) {
          std::string s = cell(R, F, M) + ": ";
          for (std::size_t j = 0; j < hit.size(); ++j) s += (j ? ", " : "") + rules[hit[j]].name;
          c.overlapping.push_back(s);
        }
      }
  for (std::size_t i = 0; i < rules.size(); ++i)
    if (wins[i] == 0) c.unreachable.push_back(rules[i].name);
  return c;
}

std::vector<int> assign_segments(const RfmScores& s, const std::vector<SegmentRule>& rules) {
  std::vector<int> out(s.r.size(), static_cast<int>(rules.size()));
  for (std::size_t i = 0; i < out.size(); ++i)
    for (std::size_t j = 0; j < rules.size(); ++j)
      if (matches(rules[j], s.r[i], s.f[i], s.m[i])) {
        out[i] = static_cast<int>(j);
        break;
      }
  return out;
}

}  // namespace core
