// JSON values for the core's settings, project files and reports: one reader (RFC 8259, strict,
// errors with line and column, bounded depth and size) and one writer (shortest round-trip
// numbers, objects in insertion order, so the same value always gives the same bytes natively and
// in wasm). The CLI's --json output, the page's settings and the project file all go through it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace core {

class Json {
 public:
  enum class Type : std::uint8_t { kNull, kBool, kNumber, kString, kArray, kObject };
  using Member = std::pair<std::string, Json>;

  Json() = default;
  Json(std::nullptr_t) {}
  Json(bool b) : type_(Type::kBool), bool_(b) {}
  Json(double v) : type_(Type::kNumber), number_(v) {}
  Json(int v) : type_(Type::kNumber), number_(v) {}
  Json(std::int64_t v) : type_(Type::kNumber), number_(static_cast<double>(v)) {}
  Json(std::size_t v) : type_(Type::kNumber), number_(static_cast<double>(v)) {}
  Json(const char* s) : type_(Type::kString), string_(s) {}
  Json(std::string s) : type_(Type::kString), string_(std::move(s)) {}
  Json(std::string_view s) : type_(Type::kString), string_(s) {}
  static Json array() {
    Json j;
    j.type_ = Type::kArray;
    return j;
  }
  static Json object() {
    Json j;
    j.type_ = Type::kObject;
    return j;
  }
  template <class T>
  static Json array_of(const std::vector<T>& v) {
    Json j = array();
    for (const T& x : v) j.push_back(Json(x));
    return j;
  }

  Type type() const { return type_; }
  bool is_null() const { return type_ == Type::kNull; }
  bool is_bool() const { return type_ == Type::kBool; }
  bool is_number() const { return type_ == Type::kNumber; }
  bool is_string() const { return type_ == Type::kString; }
  bool is_array() const { return type_ == Type::kArray; }
  bool is_object() const { return type_ == Type::kObject; }

  bool as_bool() const { return bool_; }
  double as_number() const { return number_; }
  const std::string& as_string() const { return string_; }
  const std::vector<Json>& items() const { return items_; }
  std::vector<Json>& items() { return items_; }
  const std::vector<Member>& members() const { return members_; }
  std::size_t size() const { return type_ == Type::kArray ? items_.size() : members_.size(); }

  /// The member `key` of an object, or nullptr (also when this is not an object).
  const Json* find(std::string_view key) const;
  /// The member `key` of an object, added (null) when absent; this must be an object.
  Json& operator[](std::string_view key);
  /// Sets the member `key` (replacing it), this must be an object; returns *this for chaining.
  Json& set(std::string_view key, Json value);
  void push_back(Json value) { items_.push_back(std::move(value)); }

  bool operator==(const Json& o) const;
  bool operator!=(const Json& o) const { return !(*this == o); }

 private:
  Type type_ = Type::kNull;
  bool bool_ = false;
  double number_ = 0;
  std::string string_;
  std::vector<Json> items_;
  std::vector<Member> members_;
};

/// "null", "boolean", "number", "string", "array", "object".
const char* json_type_name(Json::Type t);

struct JsonLimits {
  std::size_t max_depth = 64;
  std::size_t max_bytes = std::size_t{64} << 20;
};

/// Parses a whole JSON text. `what` names it in messages ("the project file").
/// @throws InputError "…: line L, column C: …" (line and column 1-based) on any syntax error, a
///         nesting deeper than the limit, a text larger than the limit, or a duplicate key
Json parse_json(std::string_view text, const std::string& what = "the JSON text", const JsonLimits& limits = {});

/// The text of a value: compact (indent 0) or with `indent` spaces per level. Non-finite numbers
/// are written as null (JSON has no NaN).
std::string dump_json(const Json& value, int indent = 0);

/// A string as a JSON string literal (quotes, escapes; UTF-8 passes through).
std::string json_quote(std::string_view s);
/// The shortest text that reads back as the same double; "null" for NaN and infinities.
std::string json_number(double v);

}  // namespace core
