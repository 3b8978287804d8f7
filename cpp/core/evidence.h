// Heuristics that check they apply. A convention of one export — "an invoice starting with C is a
// cancellation" (UCI), "13085.0 is the id 13085" (pandas), "this amount column holds line
// amounts", "3/4/2011 is month first" — is a guess on any other file. Each guess here gathers its
// evidence on the file at hand while it is read, decides on the whole file, and says what it
// decided and why (a Decision, shown in the page, in `clean --json` and in the ledger); the user
// can force each one either way.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace core {

/// A setting of a heuristic: decided from the file's evidence, or forced by the user.
enum class Auto { kAuto, kOn, kOff };

/// What a heuristic decided about a file, and why.
struct Decision {
  std::string key;    ///< stable: "cancel_prefix", "id_normalisation", "date_order", "order_totals", …
  std::string title;  ///< for people
  bool applies = false;
  bool forced = false;   ///< set by the user, not by the evidence
  std::string outcome;   ///< what was done, in a few words
  std::string evidence;  ///< why: counts, shares and the convention looked for
  std::vector<std::string> examples;
};

/// 12345 → "12,345".
std::string thousands(std::int64_t n);

/// An id's shape: runs of digits as one '9', each letter as 'A', other characters as they are
/// ("536365" → "9", "US-2015-108966" → "AA-9-9").
std::string id_shape(std::string_view id);
void id_shape_into(std::string_view id, std::string& shape);

/// Invoices starting with C (or c) cancel when C is a mark on the file's invoice numbers: the
/// rest of the id has the format of the other invoices, and their rows have negative quantities
/// or cancel an invoice that is in the file. Not when C is part of the numbers (CA-2016-152156
/// beside US-2015-108966), when most invoices start with C, or when nothing else supports it.
class CancelPrefixEvidence {
 public:
  /// Once per distinct invoice id (trimmed), with its dictionary code.
  void add_invoice(std::string_view id, std::int32_t code);
  /// Per row of a C-prefixed invoice: whether its quantity (or amount) is negative.
  void add_prefixed_row(bool negative) {
    ++prefixed_rows_;
    prefixed_negative_ += negative;
  }
  /// `exists(id)`: an invoice with this id is in the file (for "C536379 cancels 536379").
  template <class Exists>
  Decision decide(Auto mode, Exists exists) const;
  std::int64_t prefixed_invoices() const { return prefixed_; }

 private:
  Decision decide_with(Auto mode, std::int64_t originals) const;
  static constexpr std::size_t kMaxShapes = 256, kMaxCodes = 200000;
  std::unordered_map<std::string, std::int64_t> other_shapes_, rest_shapes_;
  std::vector<std::string> prefixed_ids_;  // up to kMaxCodes, for the originals check
  std::string example_other_;
  std::int64_t prefixed_ = 0, others_ = 0, prefixed_rows_ = 0, prefixed_negative_ = 0;
  std::string shape_;  // scratch
  std::int64_t* last_other_ = nullptr;
  std::int64_t* last_rest_ = nullptr;
  std::string last_other_shape_, last_rest_shape_;
};

template <class Exists>
Decision CancelPrefixEvidence::decide(Auto mode, Exists exists) const {
  std::int64_t originals = 0;
  for (const std::string& id : prefixed_ids_) originals += exists(std::string_view(id).substr(1));
  return decide_with(mode, originals);
}

/// Customer ids written as floats ("13085.0", as pandas and Excel write integer ids with gaps):
/// the ".0" goes only when every id in the column is a whole number; an id column that also holds
/// "CG-12520" or "12.5" keeps its ids as written.
class IdEvidence {
 public:
  /// Once per distinct id (trimmed, not missing).
  void add(std::string_view id);
  Decision decide(Auto mode) const;
  bool any_float_form() const { return float_form_ > 0; }

 private:
  std::int64_t whole_ = 0, float_form_ = 0, other_ = 0;
  std::vector<std::string> float_examples_, other_examples_;
};

/// "13085.0" → "13085" (a whole number written as a float); other ids as they are.
std::string_view strip_float_zero(std::string_view id);

/// An amount column that holds each order's total on every line of the order, not the line's
/// amount: summed per line it counts an order as many times as it has lines. Told by the
/// invoices with several lines: (nearly) all carry one amount on every line, also where the lines'
/// quantities differ, and the amounts vary between orders. Gathered over the first kMaxInvoices
/// invoices.
class OrderTotalEvidence {
 public:
  static constexpr std::int32_t kMaxInvoices = 200000;
  void add(std::int32_t invoice, double amount, double quantity, bool has_quantity);
  Decision decide(Auto mode, const std::string& column) const;

 private:
  struct Invoice {
    double amount = 0, quantity = 0;
    std::uint8_t rows = 0;  // 0, 1, 2 (= several)
    bool same_amount = true, same_quantity = true;
  };
  std::vector<Invoice> invoices_;
  bool has_quantity_ = false;
  std::vector<double> first_amounts_;  // up to 3 distinct, to see amounts vary between orders
};

/// The value of a returns-flag cell: 1 a return, 0 a sale, -1 neither (the column is not a flag).
int return_flag_value(std::string_view cell);

}  // namespace core
