// RFM scores and named segments (stage 6).
//
// Scores 1–5 per metric. Quintiles: customers ranked by the value, ties broken by a fixed
// pseudo-random key per customer (deterministic, like pandas' qcut(rank(method="first")) but
// without the bias of file order), so the five bins stay equal-sized whatever the ties; recency
// ranks the other way round (recent = 5). Or thresholds: four non-decreasing edges per metric,
// score = 1 + number of edges below the value (reversed for recency); a repeated edge leaves a
// score empty (a saved project's frozen edges repeat where its quintiles had ties).
//
// Named segments come from rules over the scores (inclusive ranges); the first rule that matches a
// customer's cell wins. check_rules() reports, over every possible cell, the cells no rule reaches
// ("Others"), the cells several rules claim, and rules that win no cell.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace core {

struct RfmScoreParams {
  enum class Method { kQuintiles, kThresholds } method = Method::kQuintiles;
  std::array<std::array<double, 4>, 3> thresholds{};  ///< R, F, M: non-decreasing edges
};

struct ScoreBin {
  int score = 0;
  std::int64_t customers = 0;
  double min = 0, max = 0;  ///< value range of the customers in the bin (NaN when empty)
};

struct RfmScores {
  std::vector<std::uint8_t> r, f, m;            ///< 1..5 per customer
  std::array<std::array<ScoreBin, 5>, 3> bins;  ///< per metric, per score 1..5
};

/// @throws InvalidArgument on mismatched lengths or thresholds that decrease
RfmScores score_rfm(const std::vector<double>& recency, const std::vector<double>& frequency,
                    const std::vector<double>& monetary, const RfmScoreParams& params = {});

struct SegmentRule {
  std::string name;
  int r_min = 1, r_max = 5, f_min = 1, f_max = 5, m_min = 1, m_max = 5;
};

/// The R×F grid (New Customers … Can't Lose), the default; it ignores M.
std::vector<SegmentRule> rf_grid_preset();
/// The 10 rules of the R `rfm` package's vignette.
std::vector<SegmentRule> rfm_package_preset();

struct RuleCheck {
  std::vector<std::string> uncovered;    ///< cells ("545") no rule matches → "Others"
  std::vector<std::string> overlapping;  ///< "545: Champions, Loyal" (the first wins)
  std::vector<std::string> unreachable;  ///< rules that win no cell
  std::vector<std::string> invalid;      ///< rules with empty or out-of-range ranges
};

RuleCheck check_rules(const std::vector<SegmentRule>& rules);

/// Segment index per customer (into rules; rules.size() = "Others").
std::vector<int> assign_segments(const RfmScores& scores, const std::vector<SegmentRule>& rules);

}  // namespace core
