// The compact transaction table (stage 3 of docs/ARCHITECTURE): one entry per readable row, values
// parsed once, strings dictionary-encoded. About 20 bytes a row in retail exports (codes as narrow
// as their dictionaries allow, prices and quantities as 32-bit decimals, line numbers implied), so
// a change of cleaning rule re-runs cleaning and aggregation without reading the file again.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "evidence.h"
#include "flat_hash.h"
#include "values.h"

namespace core {

/// Calls body(begin, end) over [0, n) in blocks (of `block` items), in order. For the long loops
/// over the table that run once per analysis: in wasm a running function keeps the engine's baseline
/// code until it returns (there is no on-stack replacement), so one loop over a million rows would
/// run in it to the end; in blocks, each a call through std::function (which neither LLVM nor
/// Binaryen can inline back into the caller), the engine optimizes the body after the first blocks.
[[gnu::noinline]] inline void for_each_block(std::size_t n, const std::function<void(std::size_t, std::size_t)>& body,
                                             std::size_t block = 16384) {
  for (std::size_t begin = 0; begin < n; begin += block) body(begin, std::min(n, begin + block));
}

/// Strings ↔ dense codes 0..size-1, in order of first appearance. Open addressing; each slot holds
/// the key's first 8 bytes and length, so a lookup of a short key (stock codes, invoices, ids) is
/// decided in the slots without touching the strings. A known short key, the usual case, takes the
/// inline path.
class Dictionary {
 public:
  Dictionary() : slots_(64) {}
  std::int32_t intern(std::string_view s) {
    const std::int32_t code = find_short(s);
    return code >= 0 ? code : probe_or_add(s);
  }
  /// Code of a key of at most 8 bytes, or -1 (also for a longer key): the inline part of intern.
  [[gnu::always_inline]] std::int32_t find_short(std::string_view s) const {
    if (s.size() > 8) return -1;
    const std::uint64_t head = s.size() == 8 ? load64(s.data()) : load_partial(s.data(), s.size());
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = static_cast<std::size_t>(short_hash(head, s.size())) & mask; slots_[i].code >= 0;
         i = (i + 1) & mask)
      if (slots_[i].head == head && slots_[i].length == s.size()) return slots_[i].code;
    return -1;
  }
  /// Code of `s`, or -1.
  std::int32_t find(std::string_view s) const {
    const std::uint64_t head = key_head(s);
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = static_cast<std::size_t>(key_hash(s, head)) & mask; slots_[i].code >= 0; i = (i + 1) & mask)
      if (matches(slots_[i], s, head)) return slots_[i].code;
    return -1;
  }
  const std::string& operator[](std::int32_t code) const { return values_[static_cast<std::size_t>(code)]; }
  std::int32_t size() const { return static_cast<std::int32_t>(values_.size()); }
  const std::vector<std::string>& values() const { return values_; }

 private:
  struct Slot {
    std::uint64_t head = 0;  // the key's first 8 bytes, zero-padded
    std::uint32_t length = 0;
    std::int32_t code = -1;
  };
  static std::uint64_t short_hash(std::uint64_t head, std::size_t size) {
    return mix64(head ^ (size * 0xC2B2AE3D27D4EB4Full));
  }
  static std::uint64_t key_head(std::string_view s) {
    return s.size() >= 8 ? load64(s.data()) : load_partial(s.data(), s.size());
  }
  static std::uint64_t key_hash(std::string_view s, std::uint64_t head) {
    return s.size() <= 8 ? short_hash(head, s.size()) : hash_bytes(s.data(), s.size());
  }
  bool matches(const Slot& slot, std::string_view s, std::uint64_t head) const {
    if (slot.head != head || slot.length != s.size() || slot.code < 0) return false;
    return s.size() <= 8 || same(values_[static_cast<std::size_t>(slot.code)], s);
  }
  std::int32_t probe_or_add(std::string_view s) {
    if ((values_.size() + 1) * 2 > slots_.size()) grow();
    const std::uint64_t head = key_head(s);
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t i = static_cast<std::size_t>(key_hash(s, head)) & mask;; i = (i + 1) & mask) {
      Slot& slot = slots_[i];
      if (matches(slot, s, head)) return slot.code;
      if (slot.code < 0) {
        slot = Slot{head, static_cast<std::uint32_t>(s.size()), static_cast<std::int32_t>(values_.size())};
        values_.emplace_back(s);
        return slot.code;
      }
    }
  }
  void grow() {
    slots_.assign(slots_.size() * 2, Slot{});
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t c = 0; c < values_.size(); ++c) {
      const std::string_view s = values_[c];
      const std::uint64_t head = key_head(s);
      std::size_t i = static_cast<std::size_t>(key_hash(s, head)) & mask;
      while (slots_[i].code >= 0) i = (i + 1) & mask;
      slots_[i] = Slot{head, static_cast<std::uint32_t>(s.size()), static_cast<std::int32_t>(c)};
    }
  }
  std::vector<std::string> values_;
  std::vector<Slot> slots_;
};

/// Dictionary codes per row (-1: none), kept as code + 1 in 1, 2 or 4 bytes: the narrowest width
/// that holds the largest code so far (retail files have a few dozen countries and some thousands
/// of products and customers). Widening re-encodes the rows so far, at most twice per column.
class CodeColumn {
 public:
  std::int32_t operator[](std::size_t i) const {
    switch (width_) {
      case 1: return static_cast<std::int32_t>(w1_[i]) - 1;
      case 2: return static_cast<std::int32_t>(w2_[i]) - 1;
      default: return static_cast<std::int32_t>(w4_[i]) - 1;
    }
  }
  void append(const std::int32_t* codes, std::size_t n) {
    std::uint32_t top = 0;
    for (std::size_t k = 0; k < n; ++k) top = std::max(top, static_cast<std::uint32_t>(codes[k] + 1));
    if (width_ == 1 && top > 0xFF) widen(top <= 0xFFFF ? 2 : 4);
    if (width_ == 2 && top > 0xFFFF) widen(4);
    if (width_ == 1)
      store(w1_, codes, n);
    else if (width_ == 2)
      store(w2_, codes, n);
    else
      store(w4_, codes, n);
  }
  std::size_t size() const { return width_ == 1 ? w1_.size() : width_ == 2 ? w2_.size() : w4_.size(); }
  /// Room for `rows` (kept when the column widens).
  void reserve(std::size_t rows) {
    reserved_ = rows;
    width_ == 1 ? w1_.reserve(rows) : width_ == 2 ? w2_.reserve(rows) : w4_.reserve(rows);
  }
  std::size_t bytes_per_row() const { return static_cast<std::size_t>(width_); }

 private:
  template <class T>
  static void store(std::vector<T>& v, const std::int32_t* codes, std::size_t n) {
    const std::size_t old = v.size();
    v.resize(old + n);
    T* out = v.data() + old;  // a plain pointer: stores through T = uint8_t could alias the vector
    for (std::size_t k = 0; k < n; ++k) out[k] = static_cast<T>(codes[k] + 1);
  }
  void widen(int width) {
    const std::size_t n = size();
    if (width == 2) {
      w2_.reserve(std::max(reserved_, n));
      w2_.assign(w1_.begin(), w1_.end());
    } else {
      w4_.reserve(std::max(reserved_, n));
      if (width_ == 1)
        w4_.assign(w1_.begin(), w1_.end());
      else
        w4_.assign(w2_.begin(), w2_.end());
    }
    std::vector<std::uint8_t>().swap(w1_);
    if (width == 4) std::vector<std::uint16_t>().swap(w2_);
    width_ = width;
  }
  std::vector<std::uint8_t> w1_;
  std::vector<std::uint16_t> w2_;
  std::vector<std::uint32_t> w4_;
  int width_ = 1;
  std::size_t reserved_ = 0;
};

/// Numbers per row, as 32-bit multiples of 10^-scale while every value so far is such a decimal
/// (prices and quantities are: 4 bytes instead of 8), else as doubles. operator[] gives back the
/// very double the parser gave: m / 10^scale is the correctly rounded value of the decimal, as
/// parse_number's result is; a value that came as a double is taken as m at a scale only when that
/// division reproduces it bit for bit.
class DecimalColumn {
 public:
  double operator[](std::size_t i) const {
    return fixed_mode_ ? static_cast<double>(fixed_[i]) / kPow10[scale_] : doubles_[i];
  }
  void append(const Decimal* v, std::size_t n) {
    std::size_t k = 0;
    if (fixed_mode_) {
      // The usual case, in a tight loop: a plain decimal with no more digits than the scale.
      const std::size_t old = fixed_.size();
      fixed_.resize(old + n);
      std::int32_t* out = fixed_.data() + old;
      std::uint32_t top = max_abs_;
      for (std::int32_t m; k < n && at_scale(v[k], scale_, m); ++k) {
        out[k] = m;
        top = std::max(top, magnitude(m));
      }
      max_abs_ = top;
      fixed_.resize(old + k);
    }
    for (; k < n; ++k) push_slow(v[k]);
  }
  std::size_t size() const { return fixed_mode_ ? fixed_.size() : doubles_.size(); }
  void reserve(std::size_t rows) {
    reserved_ = rows;
    fixed_mode_ ? fixed_.reserve(rows) : doubles_.reserve(rows);
  }
  std::size_t bytes_per_row() const { return fixed_mode_ ? 4 : 8; }

 private:
  static constexpr int kMaxScale = 9;
  static constexpr double kPow10[kMaxScale + 1] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9};
  static constexpr std::int64_t kPow10Int[kMaxScale + 1] = {1,      10,      100,      1000,      10000,
                                                            100000, 1000000, 10000000, 100000000, 1000000000};
  static constexpr std::int64_t kLimit = 2147483647;
  // v as m × 10^-scale with |m| < 2^31, exactly.
  static bool at_scale(const Decimal& v, int scale, std::int32_t& m) {
    if (v.scale < 0) return double_at_scale(v.value, scale, m);
    if (v.scale > scale || v.mantissa <= -kLimit || v.mantissa >= kLimit) return false;
    const std::int64_t x = v.mantissa * kPow10Int[scale - v.scale];
    if (x <= -kLimit || x >= kLimit) return false;
    m = static_cast<std::int32_t>(x);
    return true;
  }
  static bool double_at_scale(double v, int scale, std::int32_t& m) {
    const double x = v * kPow10[scale];
    if (!(x > -kLimit && x < kLimit)) return false;
    m = static_cast<std::int32_t>(x < 0 ? x - 0.5 : x + 0.5);
    const double back = static_cast<double>(m) / kPow10[scale];
    return back == v && std::signbit(back) == std::signbit(v);  // -0 stays a double
  }
  static std::uint32_t magnitude(std::int32_t m) {
    return m < 0 ? 0u - static_cast<std::uint32_t>(m) : static_cast<std::uint32_t>(m);
  }
  // A value the current scale cannot hold: a finer scale if every value still fits, else doubles.
  void push_slow(const Decimal& v) {
    for (int s = scale_; fixed_mode_ && s <= kMaxScale; ++s) {
      std::int32_t m;
      if (!at_scale(v, s, m)) continue;
      const auto factor = static_cast<std::int64_t>(kPow10[s - scale_]);
      if (max_abs_ * factor >= kLimit) break;
      if (factor > 1)
        for (std::int32_t& x : fixed_) x = static_cast<std::int32_t>(x * factor);
      max_abs_ = static_cast<std::uint32_t>(max_abs_ * factor);
      scale_ = s;
      fixed_.push_back(m);
      max_abs_ = std::max(max_abs_, magnitude(m));
      return;
    }
    if (fixed_mode_) {
      doubles_.reserve(std::max(reserved_, fixed_.size() + 1));
      for (std::size_t i = 0; i < fixed_.size(); ++i) doubles_.push_back((*this)[i]);
      std::vector<std::int32_t>().swap(fixed_);
      fixed_mode_ = false;
    }
    doubles_.push_back(v.to_double());
  }
  std::vector<std::int32_t> fixed_;
  std::vector<double> doubles_;
  int scale_ = 0;
  bool fixed_mode_ = true;
  std::uint32_t max_abs_ = 0;
  std::size_t reserved_ = 0;
};

/// The physical line where each row starts. Rows come in file order, one line each in most files,
/// so the line is the row index plus an offset that changes only after a blank line, a skipped row
/// or a record with line breaks inside quotes: one (row, offset) pair per change.
class LineColumn {
 public:
  std::int32_t operator[](std::size_t i) const {
    const auto it = std::upper_bound(starts_.begin(), starts_.end(), static_cast<std::uint32_t>(i));
    return static_cast<std::int32_t>(i) + offsets_[static_cast<std::size_t>(it - starts_.begin()) - 1];
  }
  void append(const std::int32_t* lines, std::size_t n) {
    for (std::size_t k = 0; k < n; ++k, ++size_) {
      const std::int32_t offset = lines[k] - static_cast<std::int32_t>(size_);
      if (offsets_.empty() || offset != offsets_.back()) {
        starts_.push_back(static_cast<std::uint32_t>(size_));
        offsets_.push_back(offset);
      }
    }
  }
  std::size_t size() const { return size_; }

 private:
  std::vector<std::uint32_t> starts_;
  std::vector<std::int32_t> offsets_;
  std::size_t size_ = 0;
};

enum RowFlag : std::uint8_t {
  kCancelPrefix = 1,      ///< the invoice starts with C (UCI's cancellations, where that convention holds)
  kDuplicate = 2,         ///< the same line (every field) was seen before in the file
  kReturnFlag = 4,        ///< a returns-flag column marks the row as a return
  kOrderTotalRepeat = 8,  ///< the amount is the order's total, already counted on the order's first row
};

/// Rows on their way into a table, a column of plain values each: the reader stores a row with one
/// write per value, and the table takes a batch at a time (widths decided, numbers converted, in
/// tight loops per column).
struct RowBatch {
  static constexpr std::size_t kRows = 1024;
  std::size_t size = 0;
  std::int32_t customer[kRows], invoice[kRows], day[kRows], product[kRows], country[kRows], line[kRows];
  Decimal quantity[kRows], value[kRows];
  std::uint8_t flags[kRows];
  std::uint64_t hash[kRows];  ///< of the whole line, for exact duplicates

  bool full() const { return size == kRows; }
};

struct TransactionTable {
  bool has_price = true;    ///< value = unit price; else value = line amount
  bool has_invoice = true;  ///< else one order per customer and day
  bool has_product = false;
  bool has_country = false;
  bool duplicates_found = true;  ///< kDuplicate flags set (ReadOptions::find_duplicates)
  CodeColumn customer;           ///< -1 when the id is missing
  CodeColumn invoice;
  std::vector<std::int32_t> day;  ///< days since 1970-01-01
  CodeColumn product;             ///< -1 when absent
  CodeColumn country;             ///< -1 when absent
  LineColumn line;                ///< physical line in the file where the row starts
  DecimalColumn quantity;         ///< 1 when the file has no quantity
  DecimalColumn value;
  std::vector<std::uint8_t> flags;

  Dictionary customers, invoices, products, countries, descriptions;
  std::vector<std::int32_t> product_description;  ///< product code → description code (first seen), -1
  std::vector<std::int32_t> customer_email;       ///< customer code → email (first non-empty), -1
  std::vector<std::int32_t> customer_phone;
  Dictionary contacts;                   ///< emails and phones
  CancelPrefixEvidence cancel_evidence;  ///< for the cancellations rule to decide whether C marks them

  std::size_t rows() const { return flags.size(); }
  void append(const RowBatch& b) {
    customer.append(b.customer, b.size);
    invoice.append(b.invoice, b.size);
    day.insert(day.end(), b.day, b.day + b.size);
    product.append(b.product, b.size);
    country.append(b.country, b.size);
    line.append(b.line, b.size);
    quantity.append(b.quantity, b.size);
    value.append(b.value, b.size);
    flags.insert(flags.end(), b.flags, b.flags + b.size);
  }
  double amount(std::size_t i) const { return line_amount(quantity[i], value[i], flags[i]); }
  double unit_price(std::size_t i) const { return unit_price(quantity[i], value[i]); }
  /// `prefix`: a C-prefixed invoice cancels (the cleaning's decision, CleanResult::cancel_prefix).
  bool cancelled(std::size_t i, bool prefix) const { return cancelled(flags[i], quantity[i], value[i], prefix); }
  // The same from a row's flags, quantity q and value v (for rows that stream by, not kept).
  // A row flagged as a return counts negative; an order total counts on the order's first row only.
  double line_amount(double q, double v, std::uint8_t row_flags) const {
    if ((row_flags & kOrderTotalRepeat) != 0) return 0;
    const double a = has_price ? q * v : v;
    return (row_flags & kReturnFlag) != 0 && a > 0 ? -a : a;
  }
  double unit_price(double q, double v) const {
    if (has_price) return v;
    return q != 0 ? v / q : std::nan("");
  }
  bool cancelled(std::uint8_t row_flags, double q, double v, bool prefix) const {
    return ((row_flags & kCancelPrefix) != 0 && prefix) || (row_flags & kReturnFlag) != 0 || q < 0 ||
           (!has_price && v < 0);
  }
  /// Bytes a row takes now (the per-row columns; dictionaries and line breaks not counted).
  std::size_t bytes_per_row() const {
    return customer.bytes_per_row() + invoice.bytes_per_row() + sizeof(std::int32_t) + product.bytes_per_row() +
           country.bytes_per_row() + quantity.bytes_per_row() + value.bytes_per_row() + sizeof(std::uint8_t);
  }
};

}  // namespace core
