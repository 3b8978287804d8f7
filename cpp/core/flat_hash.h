// An open-addressing hash set of 64-bit keys: 8 bytes a slot, no node allocations. For the
// per-row bookkeeping of ingest (duplicate lines, customer × invoice pairs), where std::unordered_set
// would cost ~40 bytes and an allocation per key.
#pragma once

#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

namespace core {

/// Mixes a 64-bit value (the splitmix64 finaliser): good spread for sequential keys.
inline std::uint64_t mix64(std::uint64_t z) {
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

/// Equality of two byte runs of length n, 8 bytes at a time (wasm's memcmp goes byte by byte).
inline bool bytes_equal(const char* a, const char* b, std::size_t n) {
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    std::uint64_t x, y;
    std::memcpy(&x, a + i, 8);
    std::memcpy(&y, b + i, 8);
    if (x != y) return false;
  }
  for (; i < n; ++i)
    if (a[i] != b[i]) return false;
  return true;
}

inline bool same(std::string_view a, std::string_view b) {
  return a.size() == b.size() && bytes_equal(a.data(), b.data(), a.size());
}

/// A fast hash of a short string: 8 bytes at a time, mixed (not for adversarial keys; an attacker
/// can at worst slow the table down, never change a result, since keys are compared in full).
inline std::uint64_t hash_bytes(const char* p, std::size_t n) {
  std::uint64_t h = 0x9E3779B97F4A7C15ull ^ (n * 0xC2B2AE3D27D4EB4Full);
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    std::uint64_t w;
    std::memcpy(&w, p + i, 8);
    h = mix64(h ^ w);
  }
  if (i < n) {
    std::uint64_t w = 0;
    std::memcpy(&w, p + i, n - i);
    h = mix64(h ^ w ^ 0xFF51AFD7ED558CCDull);
  }
  return h;
}

/// A quicker hash for long byte runs (whole lines): one multiply per 8 bytes, mixed at the end.
inline std::uint64_t hash_line(const char* p, std::size_t n) {
  std::uint64_t h = 0x243F6A8885A308D3ull ^ n;
  std::size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    std::uint64_t w;
    std::memcpy(&w, p + i, 8);
    h = (h ^ w) * 0x9E3779B97F4A7C15ull;
    h ^= h >> 29;
  }
  std::uint64_t w = 0;
  std::memcpy(&w, p + i, n - i);
  return mix64(h ^ w);
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
