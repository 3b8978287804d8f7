// An open-addressing hash set of 64-bit keys: 8 bytes a slot, no node allocations. For the
// per-row bookkeeping of ingest (duplicate lines, customer × invoice pairs), where std::unordered_set
// would cost ~40 bytes and an allocation per key. Also the small byte helpers of the per-row path:
// those are [[gnu::always_inline]], because clang for wasm otherwise keeps some as calls, and a
// string_view argument to a call goes through memory there (wasm32 passes two-field structs
// indirectly).
#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

namespace core {

/// Mixes a 64-bit value (the splitmix64 finaliser): good spread for sequential keys.
[[gnu::always_inline]] inline std::uint64_t mix64(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

/// FNV-1a over bytes, continued from `h`.
inline std::uint64_t fnv1a(const char* p, std::size_t n, std::uint64_t h = 0xCBF29CE484222325ull) {
  for (std::size_t i = 0; i < n; ++i) {
    h ^= static_cast<unsigned char>(p[i]);
    h *= 0x100000001B3ull;
  }
  return h;
}

/// The 8 bytes at p as a word.
[[gnu::always_inline]] inline std::uint64_t load64(const char* p) {
  std::uint64_t w;
  std::memcpy(&w, p, 8);
  return w;
}

/// The n < 8 bytes at p as the low bytes of a word, the rest zero: two overlapping loads instead of
/// a byte loop (or a call to memcpy, which a variable length would make).
[[gnu::always_inline]] inline std::uint64_t load_partial(const char* p, std::size_t n) {
  if (n >= 4) {
    std::uint32_t lo, hi;
    std::memcpy(&lo, p, 4);
    std::memcpy(&hi, p + n - 4, 4);
    return lo | (static_cast<std::uint64_t>(hi) << (8 * (n - 4)));
  }
  if (n == 0) return 0;
  const auto byte = [&](std::size_t k) { return static_cast<std::uint64_t>(static_cast<unsigned char>(p[k])); };
  return byte(0) | (byte(n / 2) << (8 * (n / 2))) | (byte(n - 1) << (8 * (n - 1)));
}

/// Equality of two byte runs of length n, 8 bytes at a time, the last word overlapping (wasm's
/// memcmp goes byte by byte).
[[gnu::always_inline]] inline bool bytes_equal(const char* a, const char* b, std::size_t n) {
  if (n < 8) return load_partial(a, n) == load_partial(b, n);
  for (std::size_t i = 0; i + 8 < n; i += 8)
    if (load64(a + i) != load64(b + i)) return false;
  return load64(a + n - 8) == load64(b + n - 8);
}

[[gnu::always_inline]] inline bool same(std::string_view a, std::string_view b) {
  return a.size() == b.size() && bytes_equal(a.data(), b.data(), a.size());
}

/// A fast hash of a short string: 8 bytes at a time, mixed (not for adversarial keys; an attacker
/// can at worst slow the table down, never change a result, since keys are compared in full).
inline std::uint64_t hash_bytes(const char* p, std::size_t n) {
  std::uint64_t h = 0x9E3779B97F4A7C15ull ^ (n * 0xC2B2AE3D27D4EB4Full);
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) h = mix64(h ^ load64(p + i));
  if (i < n) h = mix64(h ^ load_partial(p + i, n - i) ^ 0xFF51AFD7ED558CCDull);
  return h;
}

/// A quicker hash for long byte runs (whole lines): a multiply and a shift per 8 bytes, in two
/// independent chains (even and odd words) so the multiplies overlap. The last 16 bytes are read as
/// two words that may overlap ones already taken (the length is in the seed): no branch on the
/// length's remainder, which would mispredict from line to line.
inline std::uint64_t hash_line(const char* p, std::size_t n) {
  if (n < 16) return hash_bytes(p, n);
  std::uint64_t a = 0x243F6A8885A308D3ull ^ n, b = 0x13198A2E03707344ull;
  auto step = [](std::uint64_t h, std::uint64_t w) {
    h = (h ^ w) * 0x9E3779B97F4A7C15ull;
    return h ^ (h >> 29);
  };
  for (std::size_t i = 0; i + 16 < n; i += 16) {
    a = step(a, load64(p + i));
    b = step(b, load64(p + i + 8));
  }
  a = step(a, load64(p + n - 16));
  b = step(b, load64(p + n - 8));
  return mix64(a ^ mix64(b));
}

class FlatSet64 {
 public:
  /// Inserts `key`; true when it was not there yet.
  bool insert(std::uint64_t key) {
    if (key == kEmpty) {
      const bool was = has_empty_key_;
      has_empty_key_ = true;
      return !was;
    }
    if ((size_ + 1) * 4 > slots_.size() * 3) grow();
    const std::size_t mask = slots_.size() - 1;
    std::size_t i = static_cast<std::size_t>(mix64(key)) & mask;
    while (true) {
      if (slots_[i] == kEmpty) {
        slots_[i] = key;
        ++size_;
        return true;
      }
      if (slots_[i] == key) return false;
      i = (i + 1) & mask;
    }
  }
  bool contains(std::uint64_t key) const {
    if (key == kEmpty) return has_empty_key_;
    if (slots_.empty()) return false;
    const std::size_t mask = slots_.size() - 1;
    std::size_t i = static_cast<std::size_t>(mix64(key)) & mask;
    while (slots_[i] != kEmpty) {
      if (slots_[i] == key) return true;
      i = (i + 1) & mask;
    }
    return false;
  }
  std::size_t size() const { return size_ + (has_empty_key_ ? 1 : 0); }
  /// Room for `n` keys without rehashing.
  void reserve(std::size_t n) {
    std::size_t cap = 64;
    while (cap * 3 < n * 4) cap *= 2;
    if (cap > slots_.size()) {
      std::vector<std::uint64_t> old;
      old.swap(slots_);
      slots_.assign(cap, kEmpty);
      size_ = 0;
      for (std::uint64_t k : old)
        if (k != kEmpty) insert(k);
    }
  }
  void clear() {
    slots_.clear();
    size_ = 0;
    has_empty_key_ = false;
  }

 private:
  static constexpr std::uint64_t kEmpty = ~std::uint64_t{0};
  void grow() {
    std::vector<std::uint64_t> old;
    old.swap(slots_);
    slots_.assign(old.empty() ? 64 : old.size() * 2, kEmpty);
    size_ = 0;
    for (std::uint64_t k : old)
      if (k != kEmpty) insert(k);
  }
  std::vector<std::uint64_t> slots_;
  std::size_t size_ = 0;
  bool has_empty_key_ = false;
};

}  // namespace core
