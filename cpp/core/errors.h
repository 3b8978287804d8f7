// Error types of the core. Every message says what was wrong, with the values, and what to do.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

namespace core {

/// A parameter outside its domain (k < 1, mismatched lengths, …).
class InvalidArgument : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

/// The input file cannot be used. `line` and `column` are 1-based; 0 when they do not apply.
class InputError : public std::runtime_error {
 public:
  InputError(const std::string& message, std::int64_t line = 0, std::int64_t column = 0)
      : std::runtime_error(message), line_(line), column_(column) {}
  std::int64_t line() const { return line_; }
  std::int64_t column() const { return column_; }

 private:
  std::int64_t line_;
  std::int64_t column_;
};

/// The caller asked to stop through a ProgressFn.
class Cancelled : public std::runtime_error {
 public:
  Cancelled() : std::runtime_error("cancelled") {}
};

}  // namespace core
