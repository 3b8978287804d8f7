#include <doctest/doctest.h>

#include <cmath>
#include <cstdint>

#include "portable_math.h"
#include "random.h"

namespace {

// Distance in units in the last place of b.
double ulps(double a, double b) { return std::abs(a - b) / (std::nextafter(std::abs(b), HUGE_VAL) - std::abs(b)); }

}  // namespace

TEST_CASE("portable log1p: within about an ulp of the C library's, exact at the edges") {
  // The C library's log1p is within 1 ulp of the true value and so is ours: they differ by at most 2.
  double worst = 0;
  for (int i = 1; i < 200000; ++i) {
    worst = std::max(worst, ulps(core::portable::log1p(i), std::log1p(static_cast<double>(i))));
    worst = std::max(worst, ulps(core::portable::log1p(i / 100.0), std::log1p(i / 100.0)));
  }
  core::Rng rng(3);
  for (int i = 0; i < 200000; ++i) {
    const double x = std::ldexp(rng.uniform(), static_cast<int>(rng.below(120)) - 60);
    if (x > 0) worst = std::max(worst, ulps(core::portable::log1p(x), std::log1p(x)));
  }
  CHECK(worst <= 2);
  CHECK(core::portable::log1p(0.0) == 0);
  CHECK(core::portable::log1p(1e-300) == 1e-300);
  CHECK(core::portable::log1p(HUGE_VAL) == HUGE_VAL);
  CHECK(std::isnan(core::portable::log1p(NAN)));
  CHECK(core::portable::log1p(1e300) == doctest::Approx(std::log1p(1e300)).epsilon(1e-15));
}
