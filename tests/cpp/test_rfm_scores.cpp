#include <doctest/doctest.h>

#include <algorithm>
#include <vector>

#include "errors.h"
#include "rfm_scores.h"

TEST_CASE("quintiles with ties broken by a fixed key keep the bins equal-sized") {
  // Ten customers, frequency all 1 but two: ties must not collapse the bins.
  const std::vector<double> r = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
  const std::vector<double> f = {1, 1, 1, 1, 1, 1, 1, 1, 2, 3};
  const std::vector<double> m = {10, 20, 30, 40, 50, 60, 70, 80, 90, 100};
  const core::RfmScores s = core::score_rfm(r, f, m);
  CHECK(s.r == std::vector<std::uint8_t>{5, 5, 4, 4, 3, 3, 2, 2, 1, 1});  // recent = 5
  // The eight tied customers share scores 1–4, two each, in a fixed (not file) order.
  CHECK(s.f[8] == 5);
  CHECK(s.f[9] == 5);
  for (int score = 1; score <= 5; ++score)
    CHECK(std::count(s.f.begin(), s.f.end(), static_cast<std::uint8_t>(score)) == 2);
  CHECK(core::score_rfm(r, f, m).f == s.f);
  CHECK(s.f != std::vector<std::uint8_t>{1, 1, 2, 2, 3, 3, 4, 4, 5, 5});  // not simply file order
  CHECK(s.m == std::vector<std::uint8_t>{1, 1, 2, 2, 3, 3, 4, 4, 5, 5});
  for (int k = 0; k < 3; ++k)
    for (const auto& b : s.bins[static_cast<std::size_t>(k)]) CHECK(b.customers == 2);
  CHECK(s.bins[1][4].min == 2);
  CHECK(s.bins[1][4].max == 3);
  CHECK(s.bins[0][4].min == 1);  // R = 5: recency 1..2
  CHECK(s.bins[0][4].max == 2);
}

TEST_CASE("uneven n: bin sizes differ by one at most") {
  const std::vector<double> v = {5, 4, 3, 2, 1, 0, 7};
  const core::RfmScores s = core::score_rfm(v, v, v);
  for (const auto& b : s.bins[2]) CHECK((b.customers == 1 || b.customers == 2));
}

TEST_CASE("thresholds") {
  core::RfmScoreParams p;
  p.method = core::RfmScoreParams::Method::kThresholds;
  p.thresholds = {{{30, 90, 180, 365}, {1, 2, 5, 10}, {100, 500, 1000, 5000}}};
  const core::RfmScores s = core::score_rfm({10, 30, 400}, {1, 3, 20}, {50, 500, 9000}, p);
  CHECK(s.r == std::vector<std::uint8_t>{5, 5, 1});
  CHECK(s.f == std::vector<std::uint8_t>{1, 3, 5});
  CHECK(s.m == std::vector<std::uint8_t>{1, 2, 5});
  p.thresholds[1] = {{1, 1, 5, 10}};  // a repeat: score 2 stays empty
  CHECK(core::score_rfm({10, 30, 400}, {1, 3, 20}, {50, 500, 9000}, p).f == std::vector<std::uint8_t>{1, 3, 5});
  p.thresholds[1] = {{1, 5, 2, 10}};
  CHECK_THROWS_WITH_AS(core::score_rfm({1}, {1}, {1}, p), doctest::Contains("frequency thresholds should not decrease"),
                       core::InvalidArgument);
}

TEST_CASE("the R×F grid preset covers all 125 cells exactly once") {
  const core::RuleCheck c = core::check_rules(core::rf_grid_preset());
  CHECK(c.uncovered.empty());
  CHECK(c.overlapping.empty());
  CHECK(c.unreachable.empty());
  CHECK(c.invalid.empty());
}

TEST_CASE("the rfm package preset: its gaps fall into Others and its overlaps are reported") {
  const core::RuleCheck c = core::check_rules(core::rfm_package_preset());
  CHECK(!c.uncovered.empty());  // e.g. 515: R 5, F 1, M 5 matches no rule
  CHECK(std::find(c.uncovered.begin(), c.uncovered.end(), "515") != c.uncovered.end());
  CHECK(!c.overlapping.empty());  // e.g. 555: Champions and Loyal Customers
  CHECK(c.overlapping.front().find(": ") != std::string::npos);
  CHECK(c.invalid.empty());
}

TEST_CASE("broken rules are flagged; assignment takes the first match, else Others") {
  std::vector<core::SegmentRule> rules = {
      {"Best", 5, 5, 5, 5, 1, 5}, {"Shadowed", 5, 5, 5, 5, 1, 5}, {"Bad", 4, 2, 1, 5, 1, 5}};
  const core::RuleCheck c = core::check_rules(rules);
  CHECK(c.unreachable == std::vector<std::string>{"Shadowed", "Bad"});
  CHECK(c.invalid == std::vector<std::string>{"Bad"});
  core::RfmScores s;
  s.r = {5, 1};
  s.f = {5, 1};
  s.m = {3, 1};
  CHECK(core::assign_segments(s, rules) == std::vector<int>{0, 3});
}
