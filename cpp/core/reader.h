// The transaction reader (stages 1–3): bytes fed chunk by chunk → UTF-8 → records → typed rows in a
// TransactionTable. Roles, number formats and the date format are decided from the header and the
// first rows (kSniffRows), then every row is parsed once. Rows that cannot be read are counted and
// reported (line, column, value), never used.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "columns.h"
#include "customer_features.h"
#include "csv_reader.h"
#include "flat_hash.h"
#include "text_decoder.h"
#include "transactions.h"
#include "values.h"

namespace core {

struct ReadOptions {
  std::string file_name = "file";
  char delimiter = 0;                             ///< 0: sniff
  std::array<std::string, kRoleCount> role_columns;  ///< header name per role; "" auto, "-" none
  char decimal = 0;                               ///< 0: sniff per column; '.' or ','
  enum class DateOrder { kAuto, kMonthFirst, kDayFirst } date_order = DateOrder::kAuto;
  std::int32_t day_anchor = 10957;                ///< integer day columns: day 1 = this (2000-01-01)
  std::int64_t size_hint = 0;                     ///< the file's size if known: columns are reserved once
  std::int64_t max_rows = 0;                      ///< > 0: refuse files with more rows (memory budget)
};

struct ReadSummary {
  std::string file_name;
  std::int64_t bytes = 0;
  std::string encoding;
  std::string delimiter;  ///< "," ";" "tab" "|"
  std::string layout;
  std::string date_format;
  std::string number_format;
  std::vector<std::string> columns;
  std::array<int, kRoleCount> roles;  ///< column per role, -1 absent
  std::int64_t rows_read = 0;         ///< data rows (not the header)
  std::int64_t rows_unreadable = 0;
  std::int64_t replaced_bytes = 0;    ///< invalid UTF-8 replaced by U+FFFD
  std::vector<std::string> warnings;  ///< capped; the counts are complete
  std::string first_date, last_date;  ///< over readable rows
};

struct ReadResult {
  ReadSummary summary;
  TransactionTable table;
  /// A customer-level file (one row per customer with ready features: customer id, recency,
  /// frequency, monetary, optionally more of feature_names() and country) fills `customers` and
  /// leaves `table` empty; cleaning rules do not apply to it.
  bool customer_level = false;
  CustomerTable customers;
  std::vector<std::string> unreadable_examples;  ///< "line N: reason"
};

class TransactionReader {
 public:
  explicit TransactionReader(ReadOptions options);
  ~TransactionReader();

  /// Feeds the next bytes. Throws InputError when the file cannot be used at all.
  void feed(const char* data, std::size_t n);
  /// Ends the file. Throws InputError for an empty file or dates that fit no format.
  ReadResult finish();

  std::int64_t bytes() const { return bytes_; }
  std::int64_t rows() const { return summary_.rows_read; }

 private:
  enum class DateKind { kText, kExcelSerial, kDayNumber };

  void on_record(const CsvRecord& r);
  void on_header(const CsvRecord& r);
  void decide_formats();
  void on_row(const std::vector<std::string_view>& fields, std::int64_t line, std::uint64_t hash);
  static std::uint64_t line_hash(const std::vector<std::string_view>& fields);
  void unreadable(std::int64_t line, const std::string& reason);
  void check_magic(const char* data, std::size_t n);
  void mark_duplicates();
  void detect_roles_from_content();
  void finalize_roles();
  bool detect_customer_level(const std::vector<std::string_view>& header);
  void on_customer_row(const std::vector<std::string_view>& fields, std::int64_t line);

  ReadOptions options_;
  ReadSummary summary_;
  std::int64_t bytes_ = 0;
  TextDecoder decoder_;
  std::unique_ptr<CsvReader> reader_;
  bool have_header_ = false;
  ColumnRoles roles_;
  std::size_t needed_fields_ = 0;
  std::vector<std::string> header_;

  // The first rows, held until the formats are decided.
  bool formats_decided_ = false;
  std::vector<std::vector<std::string>> sniff_rows_;
  std::vector<std::int64_t> sniff_lines_;
  std::vector<std::uint64_t> sniff_hashes_;
  std::string last_date_text_;
  ParsedDate last_date_;
  NumberFormat quantity_format_, value_format_;
  DateKind date_kind_ = DateKind::kText;

  TransactionTable table_;
  std::vector<std::int32_t> day_dm_;  // slash dates read day-first (filled once a slash date is seen)
  std::vector<std::uint64_t> line_hash_;  // per row, for exact duplicates (freed in finish)
  std::vector<std::string_view> view_;
  std::vector<std::string> examples_;

  // Slash dates are read both ways until the data (or the user) decides.
  bool slash_seen_ = false;
  bool md_possible_ = true, dm_possible_ = true;
  std::int64_t md_ruled_out_line_ = 0, dm_ruled_out_line_ = 0;
  char date_separator_ = '/';
  std::int64_t warnings_total_ = 0;
  std::int64_t rows_with_extra_fields_ = 0, first_extra_fields_line_ = 0;
  bool customer_level_ = false;
  bool roles_final_ = false;
  std::int64_t header_line_ = 1;
  std::vector<int> feature_columns_;  // per feature_names() entry: the file's column, or -1
  CustomerTable customers_;
};

}  // namespace core
