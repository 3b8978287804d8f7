// A self-contained random generator. std:: distributions differ between libstdc++ and
// Emscripten's libc++, so every random draw in the core goes through this header: the same seed
// gives the same numbers natively and in wasm.
#pragma once

#include <cstdint>

namespace core {

/// xoshiro256** (Blackman & Vigna, 2018), seeded through splitmix64.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) {
    std::uint64_t x = seed;
    for (auto& s : s_) s = splitmix64(x);
  }

  std::uint64_t next_u64() {
    const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
    const std::uint64_t t = s_[1] << 17;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }

  /// Uniform in [0, 1) with 53 random bits.
  double uniform() { return static_cast<double>(next_u64() >> 11) * 0x1.0p-53; }

  /// Uniform integer in [0, n), n > 0: the high word of a 64×64 product (Lemire's multiply-shift;
  /// bias below n / 2^64, irrelevant here). Portable: no __int128.
  std::uint64_t below(std::uint64_t n) {
    const std::uint64_t x = next_u64();
    const std::uint64_t x_lo = x & 0xFFFFFFFFu, x_hi = x >> 32;
    const std::uint64_t n_lo = n & 0xFFFFFFFFu, n_hi = n >> 32;
    const std::uint64_t lo_lo = x_lo * n_lo, hi_lo = x_hi * n_lo, lo_hi = x_lo * n_hi, hi_hi = x_hi * n_hi;
    const std::uint64_t cross = (lo_lo >> 32) + (hi_lo & 0xFFFFFFFFu) + lo_hi;
    return hi_hi + (hi_lo >> 32) + (cross >> 32);
  }

  static std::uint64_t splitmix64(std::uint64_t& x) {
    std::uint64_t z = (x += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }

 private:
  static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
  std::uint64_t s_[4];
};

}  // namespace core
