#include "evidence.h"

#include <algorithm>
#include <cctype>
#include <cstdio>

namespace core {
namespace {}  // namespace

std::string thousands(std::int64_t n) {
  std::string s = std::to_string(n < 0 ? -n : n), out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (i > 0 && (s.size() - i) % 3 == 0) out += ',';
    out += s[i];
  }
  return n < 0 ? "-" + out : out;
}

namespace {

std::string count(std::int64_t n) { return thousands(n); }

std::string pct(double share) {
  char buf[32];
  if (share > 0 && share < 0.01)
    std::snprintf(buf, sizeof buf, "%.1f%%", share * 100);
  else
    std::snprintf(buf, sizeof buf, "%.0f%%", share * 100);
  return buf;
}

double ratio(std::int64_t a, std::int64_t b) { return b > 0 ? static_cast<double>(a) / static_cast<double>(b) : 0; }

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// The most frequent key of a shape count, and its count.
std::pair<std::string, std::int64_t> top(const std::unordered_map<std::string, std::int64_t>& m) {
  std::pair<std::string, std::int64_t> best{"", 0};
  for (const auto& [k, v] : m)
    if (v > best.second || (v == best.second && k < best.first)) best = {k, v};
  return best;
}

// A shape in words: "AA-9-9" → "2 letters, -, digits, -, digits".
std::string shape_words(const std::string& shape) {
  std::string out;
  for (std::size_t i = 0; i < shape.size();) {
    std::string part;
    if (shape[i] == 'A') {
      std::size_t j = i;
      while (j < shape.size() && shape[j] == 'A') ++j;
      part = j - i == 1 ? "a letter" : std::to_string(j - i) + " letters";
      i = j;
    } else if (shape[i] == '9') {
      part = "digits";
      ++i;
    } else {
      part = std::string("\"") + shape[i] + "\"";
      ++i;
    }
    out += (out.empty() ? "" : ", ") + part;
  }
  return out.empty() ? "nothing" : out;
}

}  // namespace

std::string id_shape(std::string_view id) {
  std::string s;
  id_shape_into(id, s);
  return s;
}

void id_shape_into(std::string_view id, std::string& s) {
  s.clear();
  for (std::size_t i = 0; i < id.size(); ++i) {
    const char c = id[i];
    if (is_digit(c)) {
      if (s.empty() || s.back() != '9') s += '9';
      while (i + 1 < id.size() && is_digit(id[i + 1])) ++i;
    } else if (std::isalpha(static_cast<unsigned char>(c))) {
      s += 'A';
    } else {
      s += c;
    }
  }
}

void CancelPrefixEvidence::add_invoice(std::string_view id, std::int32_t) {
  if (id.empty()) return;
  const bool prefixed = (id[0] == 'C' || id[0] == 'c') && id.size() > 1;
  id_shape_into(prefixed ? id.substr(1) : id, shape_);
  // Invoices come in runs of one format: the count of the last shape is at hand.
  std::int64_t*& last = prefixed ? last_rest_ : last_other_;
  std::string& last_shape = prefixed ? last_rest_shape_ : last_other_shape_;
  if (last != nullptr && shape_ == last_shape) {
    ++*last;
  } else {
    auto& shapes = prefixed ? rest_shapes_ : other_shapes_;
    auto it = shapes.find(shape_);
    if (it == shapes.end() && shapes.size() >= kMaxShapes) it = shapes.emplace("(other shapes)", 0).first;
    if (it == shapes.end()) it = shapes.emplace(shape_, 0).first;
    ++it->second;
    last = &it->second;  // unordered_map keeps its elements where they are
    last_shape = it->first == "(other shapes)" ? std::string("\x01") : shape_;
  }
  if (prefixed) {
    ++prefixed_;
    if (prefixed_ids_.size() < kMaxCodes) prefixed_ids_.emplace_back(id);
  } else {
    ++others_;
    if (example_other_.empty()) example_other_ = std::string(id);
  }
}

Decision CancelPrefixEvidence::decide_with(Auto mode, std::int64_t originals) const {
  Decision d;
  d.key = "cancel_prefix";
  d.title = "Cancellation prefix (invoices starting with C)";
  for (std::size_t i = 0; i < prefixed_ids_.size() && i < 3; ++i) d.examples.push_back(prefixed_ids_[i]);
  const std::int64_t total = prefixed_ + others_;
  if (prefixed_ == 0) {
    d.applies = mode == Auto::kOn;
    d.forced = mode != Auto::kAuto;
    d.outcome = total == 0 ? "no invoice column" : "no invoice starts with C";
    d.evidence = total == 0 ? "" : "none of the " + count(total) + " invoices starts with C";
    return d;
  }
  // The rest of a prefixed id matches when its shape is one the other invoices have (on at least
  // 1 in 1,000 of them, so a stray id does not vouch for a format).
  const std::int64_t floor = std::max<std::int64_t>(1, others_ / 1000);
  std::int64_t matched = 0;
  for (const auto& [shape, n] : rest_shapes_) {
    const auto it = other_shapes_.find(shape);
    if (it != other_shapes_.end() && it->second >= floor) matched += n;
  }
  const double match = ratio(matched, prefixed_), negative = ratio(prefixed_negative_, prefixed_rows_);
  const double original = ratio(originals, static_cast<std::int64_t>(prefixed_ids_.size()));
  const double share = ratio(prefixed_, total);
  const auto [other_shape, other_n] = top(other_shapes_);
  const auto [rest_shape, rest_n] = top(rest_shapes_);
  (void)other_n;
  (void)rest_n;
  d.evidence = count(prefixed_) + " of " + count(total) + " invoices (" + pct(share) + ") start with C; in " +
               pct(match) + " of them the rest has the format of the other invoices (" +
               (others_ > 0 ? shape_words(other_shape) + ", like " + example_other_ : std::string("there are none")) +
               "); " + pct(negative) + " of their " + count(prefixed_rows_) +
               " rows have a negative quantity or amount; " + pct(original) + " cancel an invoice that is in the file";
  std::string why;
  if (others_ == 0)
    why = "every invoice starts with C";
  else if (share > 0.5)
    why = "most invoices (" + pct(share) + ") start with C";
  else if (match < 0.9)
    why = "after the C, \"" + (d.examples.empty() ? std::string() : d.examples[0].substr(1)) + "\" (" +
          shape_words(rest_shape) + ") is not written like the other invoices (" + shape_words(other_shape) +
          ", like " + example_other_ + ")";
  else if (negative < 0.5 && original < 0.5)
    why = "nothing else says they cancel: " + pct(negative) + " of their rows have a negative quantity and " +
          pct(original) + " cancel an invoice in the file";
  const bool evident = why.empty();
  d.forced = mode != Auto::kAuto;
  d.applies = mode == Auto::kAuto ? evident : mode == Auto::kOn;
  if (mode == Auto::kOn)
    d.outcome = std::string("on, as set: invoices starting with C are cancellations") +
                (evident ? "" : " (though the file does not show that convention: " + why + ")");
  else if (mode == Auto::kOff)
    d.outcome = "off, as set: C-prefixed invoices are read as purchases unless their quantity is negative";
  else if (evident)
    d.outcome = "applies: invoices starting with C are cancellations (UCI's convention)";
  else
    d.outcome = "not applicable to this file: " + why +
                ". C is part of its invoice numbers, not a cancellation mark, so cancellations are read from negative "
                "quantities "
                "only. Set the prefix rule to on if C does mark cancellations here.";
  return d;
}

void IdEvidence::add(std::string_view id) {
  std::size_t i = id[0] == '-' ? 1 : 0;
  const std::size_t digits_start = i;
  while (i < id.size() && is_digit(id[i])) ++i;
  const bool int_part = i > digits_start;
  if (int_part && i == id.size()) {
    ++whole_;
    return;
  }
  bool zeros = int_part && i + 1 < id.size() && id[i] == '.';
  for (std::size_t k = i + 1; zeros && k < id.size(); ++k) zeros = id[k] == '0';
  if (zeros) {
    ++float_form_;
    if (float_examples_.size() < 3) float_examples_.emplace_back(id);
  } else {
    ++other_;
    if (other_examples_.size() < 3) other_examples_.emplace_back(id);
  }
}

Decision IdEvidence::decide(Auto mode) const {
  Decision d;
  d.key = "id_normalisation";
  d.title = "Customer ids written as floats (13085.0 → 13085)";
  const std::int64_t all = whole_ + float_form_ + other_;
  d.forced = mode != Auto::kAuto;
  if (float_form_ == 0) {
    d.applies = false;
    d.outcome = "ids kept as written (none is written as a float)";
    d.evidence = count(all) + " distinct ids";
    return d;
  }
  d.examples = float_examples_;
  const bool evident = other_ == 0;
  d.applies = mode == Auto::kAuto ? evident : mode == Auto::kOn;
  d.evidence = count(float_form_) + " of " + count(all) + " distinct ids are whole numbers written like " +
               float_examples_[0] +
               (other_ > 0 ? "; " + count(other_) + " are not whole numbers (e.g. \"" + other_examples_[0] + "\")"
                           : "; every id is a whole number");
  if (mode == Auto::kOn)
    d.outcome = "on, as set: the .0 is dropped from whole-number ids";
  else if (mode == Auto::kOff)
    d.outcome = "off, as set: ids kept as written";
  else if (evident)
    d.outcome = "applies: the column is numeric, so " + float_examples_[0] + " is the id " +
                std::string(strip_float_zero(float_examples_[0]));
  else
    d.outcome = "not applicable: the ids are not all numbers, so they are kept as written";
  return d;
}

std::string_view strip_float_zero(std::string_view s) {
  const std::size_t dot = s.find('.');
  if (dot == std::string_view::npos || dot == 0) return s;
  for (std::size_t k = (s[0] == '-' ? 1 : 0); k < dot; ++k)
    if (!is_digit(s[k])) return s;
  if (dot + 1 >= s.size()) return s;
  for (std::size_t k = dot + 1; k < s.size(); ++k)
    if (s[k] != '0') return s;
  return s.substr(0, dot);
}

void OrderTotalEvidence::add(std::int32_t invoice, double amount, double quantity, bool has_quantity) {
  if (invoice < 0 || invoice >= kMaxInvoices) return;
  has_quantity_ = has_quantity;
  if (static_cast<std::size_t>(invoice) >= invoices_.size()) invoices_.resize(static_cast<std::size_t>(invoice) + 1);
  Invoice& v = invoices_[static_cast<std::size_t>(invoice)];
  if (v.rows == 0) {
    v.rows = 1;
    v.amount = amount;
    v.quantity = quantity;
    if (first_amounts_.size() < 3 &&
        std::find(first_amounts_.begin(), first_amounts_.end(), amount) == first_amounts_.end())
      first_amounts_.push_back(amount);
    return;
  }
  v.rows = 2;
  v.same_amount = v.same_amount && amount == v.amount;
  v.same_quantity = v.same_quantity && quantity == v.quantity;
}

Decision OrderTotalEvidence::decide(Auto mode, const std::string& column) const {
  Decision d;
  d.key = "order_totals";
  d.title = "Order totals repeated on every line";
  std::int64_t multi = 0, equal = 0, multi_q = 0, equal_q = 0;
  for (const Invoice& v : invoices_) {
    if (v.rows < 2) continue;
    ++multi;
    equal += v.same_amount;
    if (has_quantity_ && !v.same_quantity) {
      ++multi_q;
      equal_q += v.same_amount;
    }
  }
  const bool varied = first_amounts_.size() >= 3;
  const bool evident = multi >= 10 && ratio(equal, multi) >= 0.9 &&
                       (!has_quantity_ || multi_q < 5 || ratio(equal_q, multi_q) >= 0.9) && varied;
  d.forced = mode != Auto::kAuto;
  d.applies = mode == Auto::kAuto ? evident : mode == Auto::kOn;
  d.evidence = "in " + count(equal) + " of " + count(multi) + " orders with several lines (" +
               pct(ratio(equal, multi)) + ") every line carries the same \"" + column + "\"" +
               (has_quantity_ && multi_q > 0
                    ? ", also in " + count(equal_q) + " of the " + count(multi_q) + " whose lines' quantities differ"
                    : std::string()) +
               (varied ? "" : "; the amounts do not vary between orders");
  if (mode == Auto::kOn)
    d.outcome = "on, as set: \"" + column + "\" is each order's total, counted once per order";
  else if (mode == Auto::kOff)
    d.outcome = "off, as set: \"" + column + "\" is each line's amount";
  else if (evident)
    d.outcome = "applies: \"" + column +
                "\" holds each order's total on every line; it is counted once per order, not once per line";
  else if (multi < 10)
    d.outcome = "line amounts (too few orders with several lines to tell: " + count(multi) + ")";
  else
    d.outcome = "line amounts: \"" + column + "\" differs between the lines of an order";
  return d;
}

int return_flag_value(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  std::string k;
  for (char c : s) k += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  static const char* const kReturn[] = {"1",      "y",        "yes",    "true",     "t", "r",
                                        "return", "returned", "refund", "refunded", "x"};
  static const char* const kSale[] = {"",     "0",        "n",     "no", "false", "f",    "s",   "sale",
                                      "sold", "purchase", "order", "-",  "na",    "null", "none"};
  for (const char* r : kReturn)
    if (k == r) return 1;
  for (const char* r : kSale)
    if (k == r) return 0;
  return -1;
}

}  // namespace core
