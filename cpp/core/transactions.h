// The compact transaction table (stage 3 of docs/ARCHITECTURE): one entry per readable row, values
// parsed once, strings dictionary-encoded. About 41 bytes a row, so a change of cleaning rule re-runs
// cleaning and aggregation without reading the file again.
#pragma once

#include <cmath>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace core {

/// Strings ↔ dense codes 0..size-1, in order of first appearance.
class Dictionary {
 public:
  std::int32_t intern(std::string_view s) {
    if (last_code_ >= 0 && s == last_) return last_code_;
    auto it = index_.find(std::string(s));
    std::int32_t code;
    if (it == index_.end()) {
      code = static_cast<std::int32_t>(values_.size());
      values_.emplace_back(s);
      index_.emplace(values_.back(), code);
    } else {
      code = it->second;
    }
    last_.assign(s.data(), s.size());
    last_code_ = code;
    return code;
  }
  /// Code of `s`, or -1.
  std::int32_t find(std::string_view s) const {
    auto it = index_.find(std::string(s));
    return it == index_.end() ? -1 : it->second;
  }
  const std::string& operator[](std::int32_t code) const { return values_[static_cast<std::size_t>(code)]; }
  std::int32_t size() const { return static_cast<std::int32_t>(values_.size()); }
  const std::vector<std::string>& values() const { return values_; }

 private:
  std::vector<std::string> values_;
  std::unordered_map<std::string, std::int32_t> index_;
  std::string last_;
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
