// The compact transaction table (stage 3 of docs/ARCHITECTURE): one entry per readable row, values
// parsed once, strings dictionary-encoded. About 41 bytes a row, so a change of cleaning rule re-runs
// cleaning and aggregation without reading the file again.
#pragma once

#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "flat_hash.h"

namespace core {

/// Strings ↔ dense codes 0..size-1, in order of first appearance. Open addressing over the codes
/// (4 bytes a slot), so a lookup touches one small array and the string it compares with.
class Dictionary {
 public:
  std::int32_t intern(std::string_view s) {
    if (last_code_ >= 0 && same(s, values_[static_cast<std::size_t>(last_code_)])) return last_code_;
    if ((values_.size() + 1) * 2 > slots_.size()) grow();
    const std::uint64_t h = hash_bytes(s.data(), s.size());
    const auto tag = static_cast<std::uint32_t>(h >> 32);
    const std::size_t mask = slots_.size() - 1;
    std::size_t i = static_cast<std::size_t>(h) & mask;
    while (true) {
      Slot& slot = slots_[i];
      if (slot.code < 0) {
        const auto fresh = static_cast<std::int32_t>(values_.size());
        values_.emplace_back(s);
        slot = Slot{tag, fresh};
        return last_code_ = fresh;
      }
      if (slot.tag == tag && same(values_[static_cast<std::size_t>(slot.code)], s)) return last_code_ = slot.code;
      i = (i + 1) & mask;
    }
  }
  /// Code of `s`, or -1.
  std::int32_t find(std::string_view s) const {
    if (slots_.empty()) return -1;
    const std::uint64_t h = hash_bytes(s.data(), s.size());
    const std::size_t mask = slots_.size() - 1;
    std::size_t i = static_cast<std::size_t>(h) & mask;
    while (slots_[i].code >= 0) {
      if (same(values_[static_cast<std::size_t>(slots_[i].code)], s)) return slots_[i].code;
      i = (i + 1) & mask;
    }
    return -1;
  }
  const std::string& operator[](std::int32_t code) const { return values_[static_cast<std::size_t>(code)]; }
  std::int32_t size() const { return static_cast<std::int32_t>(values_.size()); }
  const std::vector<std::string>& values() const { return values_; }

 private:
  struct Slot {
    std::uint32_t tag = 0;  // high half of the hash: most mismatches end here, without a compare
    std::int32_t code = -1;
  };
  void grow() {
    slots_.assign(slots_.empty() ? 64 : slots_.size() * 2, Slot{});
    const std::size_t mask = slots_.size() - 1;
    for (std::size_t c = 0; c < values_.size(); ++c) {
      const std::uint64_t h = hash_bytes(values_[c].data(), values_[c].size());
      std::size_t i = static_cast<std::size_t>(h) & mask;
      while (slots_[i].code >= 0) i = (i + 1) & mask;
      slots_[i] = Slot{static_cast<std::uint32_t>(h >> 32), static_cast<std::int32_t>(c)};
    }
  }
  std::vector<std::string> values_;
  std::vector<Slot> slots_;
  std::int32_t last_code_ = -1;
};

enum RowFlag : std::uint8_t {
  kCancelPrefix = 1,  ///< the invoice starts with C (UCI cancellations)
  kDuplicate = 2,     ///< the same line (every field) was seen before in the file
};

struct TransactionTable {
  bool has_price = true;  ///< value = unit price; else value = line amount
  bool has_product = false;
  bool has_country = false;
  std::vector<std::int32_t> customer;  ///< code, -1 when the id is missing
  std::vector<std::int32_t> invoice;
  std::vector<std::int32_t> day;       ///< days since 1970-01-01
  std::vector<std::int32_t> product;   ///< -1 when absent
  std::vector<std::int32_t> country;   ///< -1 when absent
  std::vector<std::int32_t> line;      ///< physical line in the file where the row starts
  std::vector<double> quantity;        ///< 1 when the file has no quantity
  std::vector<double> value;
  std::vector<std::uint8_t> flags;

  Dictionary customers, invoices, products, countries, descriptions;
  std::vector<std::int32_t> product_description;  ///< product code → description code (first seen), -1
  std::vector<std::int32_t> customer_email;       ///< customer code → email (first non-empty), -1
  std::vector<std::int32_t> customer_phone;
  Dictionary contacts;                            ///< emails and phones

  std::size_t rows() const { return customer.size(); }
  double amount(std::size_t i) const { return has_price ? quantity[i] * value[i] : value[i]; }
  double unit_price(std::size_t i) const {
    if (has_price) return value[i];
    return quantity[i] != 0 ? value[i] / quantity[i] : std::nan("");
  }
  bool cancelled(std::size_t i) const {
    return (flags[i] & kCancelPrefix) != 0 || quantity[i] < 0 || (!has_price && value[i] < 0);
  }
};

}  // namespace core
