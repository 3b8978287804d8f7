// exp, log and log1p from + − × ÷ only (and frexp, exact). The C library's last bits differ between
// glibc (native) and Emscripten's musl (wasm) — for log1p in about 1 value in 10,000 — and code that
// must give the same bits in both builds (t-SNE, which amplifies any difference; the features every
// clustering and map runs on) cannot use them.
//
// Cody–Waite reduction by ln 2 (fdlibm's split), then the Taylor series of e^r, |r| ≤ ln 2 / 2, or of
// log(m) = 2 atanh((m − 1)/(m + 1)), m ∈ [√½, √2): truncation below 0.05 ulp, 1–3 ulp in all.
// exp: results below 2^-1021 flush to 0. log1p: see below, within 1 ulp.
#pragma once

#include <cmath>
#include <cstdint>
#include <cstring>

namespace core::portable {

constexpr double kLn2Hi = 6.93147180369123816490e-01, kLn2Lo = 1.90821492927058770002e-10;

/// e^x for x < 709; 0 for x ≤ −708 (and for NaN).
inline double exp(double x) {
  constexpr double kTaylor[] = {
      1.0 / 6227020800, 1.0 / 479001600, 1.0 / 39916800, 1.0 / 3628800, 1.0 / 362880, 1.0 / 40320, 1.0 / 5040,
      1.0 / 720,        1.0 / 120,       1.0 / 24,       1.0 / 6,       0.5,          1,           1};  // 1/13! … 1/0!
  if (!(x > -708)) return 0;
  const double t = x * 1.4426950408889634;
  const int k = static_cast<int>(t < 0 ? t - 0.5 : t + 0.5);  // nearest
  const double r = (x - k * kLn2Hi) - k * kLn2Lo;
  double s = 0;
  for (double c : kTaylor) s = s * r + c;
  const std::uint64_t bits = static_cast<std::uint64_t>(k + 1023) << 52;  // 2^k: exact scaling
  double scale;
  std::memcpy(&scale, &bits, sizeof scale);
  return s * scale;
}

/// Natural log for x > 0 and finite.
inline double log(double x) {
  constexpr double kAtanh[] = {1.0 / 23, 1.0 / 21, 1.0 / 19, 1.0 / 17, 1.0 / 15, 1.0 / 13,
                               1.0 / 11, 1.0 / 9,  1.0 / 7,  1.0 / 5,  1.0 / 3,  1};
  int e;
  double m = std::frexp(x, &e), t = 0;
  if (m < 0.70710678118654752) m *= 2, --e;
  const double s = (m - 1) / (m + 1);
  for (double c : kAtanh) t = t * s * s + c;
  return e * kLn2Hi + (2 * s * t + e * kLn2Lo);
}

/// log(1 + x) for x ≥ 0 (+∞ and NaN come back unchanged), within 1 ulp: fdlibm's e_log.c scheme
/// with the atanh series for its polynomial, plus the rounding error of u = 1 + x (exact by Fast2Sum)
/// as d/u, since log(1 + x) = log(u) + log(1 + d/u).
inline double log1p(double x) {
  if (!(x < HUGE_VAL)) return x;
  const double u = 1 + x;
  if (u == 1) return x;  // x < 2^-53: log1p(x) = x − x²/2 + … rounds to x
  const double d = x <= 1 ? x - (u - 1) : 1 - (u - x);
  int e;
  double m = std::frexp(u, &e);
  if (m < 0.70710678118654752) m *= 2, --e;
  const double f = m - 1, hfsq = 0.5 * f * f, s = f / (2 + f), z = s * s;  // log m = f − (hfsq − s(hfsq + r))
  double r = 0;
  for (int k = 23; k >= 3; k -= 2) r = (r + 2.0 / k) * z;  // r = Σ 2 s^(2j) / (2j + 1), j ≥ 1
  return e * kLn2Hi - ((hfsq - (s * (hfsq + r) + (e * kLn2Lo + d / u))) - f);
}

}  // namespace core::portable
