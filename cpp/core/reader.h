// The transaction reader (stages 1–3): bytes fed chunk by chunk → UTF-8 → records → typed rows in a
// TransactionTable. Roles, number formats and the date format are decided from the header and the
// first rows (kSniffRows), then every row is parsed once. Rows that cannot be read are counted and
// reported (line, column, value), never used.
#pragma once

#include <array>
#include <climits>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "columns.h"
#include "csv_reader.h"
#include "customer_features.h"
#include "evidence.h"
#include "flat_hash.h"
#include "text_decoder.h"
#include "transactions.h"
#include "values.h"

namespace core {

struct ReadOptions {
  std::string file_name = "file";
  char delimiter = 0;  ///< 0: sniff
  // The rest of the CSV dialect (see CsvOptions): unset parts are sniffed.
  std::optional<char> quote, escape, comment;
  std::optional<bool> skip_initial_space;
  /// Records with another number of fields than the header: kept (short ones padded with empty
  /// fields, the extra fields of long ones joined onto the last column with the delimiter) or
  /// skipped. Either way each is counted and its line reported (ReadSummary::ragged).
  enum class Ragged { kKeep, kSkip } ragged = Ragged::kKeep;
  /// Customer ids like "13085.0" read as "13085": when every id of the column is a whole number.
  Auto normalize_ids = Auto::kAuto;
  /// An amount column (without a unit price) holding each order's total on every line: counted
  /// once per order. Told from the orders with several lines.
  Auto order_totals = Auto::kAuto;
  std::array<std::string, kRoleCount> role_columns;  ///< header name per role; "" auto, "-" none
  char decimal = 0;                                  ///< 0: sniff per column; '.' or ','
  enum class DateOrder { kAuto, kMonthFirst, kDayFirst } date_order = DateOrder::kAuto;
  std::int32_t day_anchor = 10957;  ///< integer day columns: day 1 = this (2000-01-01)
  std::int64_t size_hint = 0;       ///< the file's size if known: columns are reserved once
  std::int64_t max_rows = 0;        ///< > 0: refuse files with more rows (memory budget)
  /// Check for exact duplicate lines (a hash of each line, 8 bytes a row while reading). Off: the
  /// duplicates rule cannot be used on the table, and reading is some 10% faster.
  bool find_duplicates = true;
  /// Clean and aggregate while reading, with `rules` and `params` fixed now, instead of keeping the
  /// transaction table: for files too big for it (memory follows customers, not rows; max_rows
  /// does not apply). Only rules that decide a row on its own can run this way (InvalidArgument
  /// otherwise, see rule_needing_all_rows); slash dates are read in the order the first rows show.
  bool stream = false;
  /// > 0, with `stream` off: stream anyway when the file's estimated rows (its size over the first
  /// lines' average length, as for max_rows) exceed this and every rule that is on can stream; the
  /// rows then go to the stream, not the table. The page's "auto" mode.
  std::int64_t stream_above_rows = 0;
  /// > 0: refuse streamed files with more rows (estimated, then counted). Memory follows customers
  /// and invoices there, not rows, so this is a far higher budget than max_rows.
  std::int64_t max_stream_rows = 0;
  CleaningRules rules;
  FeatureParams params;
};

/// Records whose field count differs from the header's, with the first lines of each kind.
struct RaggedRows {
  static constexpr std::size_t kMaxLines = 20;
  std::int64_t short_rows = 0, long_rows = 0;
  std::vector<std::int64_t> short_lines, long_lines;  ///< the first kMaxLines of each
  bool skipped = false;                               ///< ReadOptions::Ragged::kSkip
};

struct ReadSummary {
  std::string file_name;
  std::int64_t bytes = 0;
  std::string encoding;
  std::string delimiter;  ///< "," ";" "tab" "|" "space"
  std::string quote;      ///< "\"", "'" or "" (none)
  std::string escape;     ///< "" (quotes doubled) or "\\"
  std::string comment;    ///< "" or the character of comment lines skipped anywhere
  bool skip_initial_space = false;
  std::int64_t comment_lines = 0;             ///< lines skipped as comments
  std::vector<std::string> dialect_evidence;  ///< why each part of the dialect is what it is
  RaggedRows ragged;
  std::string layout;
  std::string date_format;
  std::string number_format;
  std::vector<std::string> columns;
  std::array<int, kRoleCount> roles;  ///< column per role, -1 absent
  std::int64_t rows_read = 0;         ///< data rows (not the header)
  std::int64_t rows_unreadable = 0;
  std::int64_t replaced_bytes = 0;                   ///< invalid UTF-8 replaced by U+FFFD
  std::array<std::string, kRoleCount> role_reasons;  ///< why each role has its column (or none)
  std::vector<Decision> decisions;    ///< what the reader's heuristics decided and why (date order, ids, …)
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
  /// Read with ReadOptions::stream: `table` holds the dictionaries only, `customers` and
  /// `stream_cleaned` the results for `stream_rules` and `stream_params`.
  bool streamed = false;
  CleanResult stream_cleaned;
  CleaningRules stream_rules;
  FeatureParams stream_params;
  CohortSums stream_cohorts;                      ///< of the kept rows (compute_cohorts needs the table)
  std::vector<std::int64_t> stream_country_rows;  ///< readable rows per country code
};

/// A column's text in the previous row and what it gave. Rows of one invoice repeat its invoice,
/// customer, date and country: one comparison settles those in most rows. Texts longer than the
/// buffer are not remembered (they are just read again).
struct RepeatedCell {
  static constexpr std::size_t kMaxText = 48;
  char text[kMaxText];
  std::size_t size = kMaxText + 1;  // nothing remembered yet
  std::int32_t code = -1;
  std::uint8_t flags = 0;

  [[gnu::always_inline]] bool is(std::string_view s) const {
    return s.size() == size && bytes_equal(s.data(), text, size);
  }
  void remember(std::string_view s, std::int32_t c, std::uint8_t f = 0) {
    size = s.size() <= kMaxText ? s.size() : kMaxText + 1;
    if (size <= kMaxText) std::memcpy(text, s.data(), size);
    code = c;
    flags = f;
  }
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

  /// How slash dates read (see date_call()).
  struct DateCall {
    bool day_first;
    enum Basis { kGiven, kRuledOut, kSequence, kDefault } basis;
  };
  /// The order of slash dates in the rows so far.
  struct DateEvidence {
    std::int64_t ambiguous_rows = 0;  // a date that reads either way (both numbers ≤ 12, not equal)
    std::int64_t md_forward = 0, md_back = 0, dm_forward = 0, dm_back = 0;  // steps between dates, each reading
    std::int32_t previous_key = 0;
  };

  void on_record(const CsvRecord& r);
  void check_returns_column();
  void gather_evidence(const RowBatch& b);
  DateCall date_call() const;
  void decide_slash_dates(const std::string& sep);
  void decide_ids();
  void decide_order_totals();
  std::string amount_column() const;
  const std::vector<std::string_view>* fit_fields(const std::vector<std::string_view>& f, std::int64_t line);
  void ragged_warnings();
  void on_header(const CsvRecord& r);
  void decide_formats();
  void on_row(const std::vector<std::string_view>& fields, std::int64_t line, std::uint64_t hash);
  void read_row(const std::vector<std::string_view>& fields, std::int64_t line, std::uint64_t hash);
  bool read_day(std::string_view text, std::int64_t line, std::int32_t& day);
  std::int32_t parse_day(std::string_view text, std::int64_t line);
  bool not_a_date(std::int64_t line, std::string_view text);
  std::int32_t customer_code(std::string_view raw);
  void new_customer(std::string_view raw);
  bool invoice_code(std::string_view raw, std::int64_t line, std::int32_t& code, std::uint8_t& flags);
  bool new_invoice(std::string_view raw, std::int64_t line);
  std::int32_t order_code(std::int32_t customer, std::int32_t day);
  void note_contacts(const std::vector<std::string_view>& fields, std::int32_t customer);
  /// The table holds ReadOptions::max_rows rows (never when streaming: there is no table).
  bool at_row_limit() const {
    return row_limit_ > 0 && rows_taken_ + static_cast<std::int64_t>(batch_->size) >= row_limit_;
  }
  void too_many_rows(std::int64_t line);
  std::int32_t product_code(const std::vector<std::string_view>& fields);
  void new_product(const std::vector<std::string_view>& fields);
  void new_country(std::string_view raw);
  void not_a_number(std::int64_t line, Role role, std::string_view text);
  void flush_rows();
  bool stream_day_first();
  void resolve_slash_days(bool day_first);
  static std::uint64_t line_hash(const std::vector<std::string_view>& fields);
  void unreadable(std::int64_t line, const std::string& reason);
  void check_magic(const char* data, std::size_t n);
  void mark_duplicates();
  void detect_roles_from_content();
  void finalize_roles();
  double estimated_rows() const;
  void choose_mode(double estimate);
  void start_streaming();
  void check_row_budget(double estimate) const;
  void reserve_table();
  bool detect_customer_level(const std::vector<std::string_view>& header);
  void on_customer_row(const std::vector<std::string_view>& fields, std::int64_t line);

  ReadOptions options_;
  ReadSummary summary_;
  std::int64_t bytes_ = 0;
  TextDecoder decoder_;
  std::unique_ptr<CsvReader> reader_;
  bool have_header_ = false;
  ColumnRoles roles_;
  std::vector<std::string> header_;

  // The first rows, held until the formats are decided.
  bool formats_decided_ = false;
  std::vector<std::vector<std::string>> sniff_rows_;
  std::vector<std::int64_t> sniff_lines_;
  std::vector<std::uint64_t> sniff_hashes_;
  NumberFormat quantity_format_, value_format_;
  DateKind date_kind_ = DateKind::kText;

  TransactionTable table_;
  std::unique_ptr<StreamingAnalysis> stream_;  // with ReadOptions::stream: the rows go here, not to table_
  bool stream_order_fixed_ = false, stream_day_first_ = false;
  std::int32_t stream_first_day_ = INT32_MAX, stream_last_day_ = INT32_MIN;
  std::int64_t row_limit_ = 0;   // max_rows for the table, max_stream_rows when streaming (0: none)
  std::int64_t rows_taken_ = 0;  // rows flushed to the table or the stream
  std::unique_ptr<RowBatch> batch_ = std::make_unique<RowBatch>();  // rows not yet in table_
  bool hashing_ = true;                               // ReadOptions::find_duplicates, and a table to find them in
  std::vector<std::uint64_t> line_hash_;              // per row, for exact duplicates (freed in finish)
  RepeatedCell date_, customer_, invoice_, country_;  // code: day (kNoDay: unreadable), or dictionary code
  bool contacts_ = false;                             // an email or phone column to note per customer
  std::int32_t last_order_customer_ = -2, last_order_day_ = INT32_MIN, last_order_ = -1;
  std::vector<std::string> examples_;

  // Slash dates are read both ways until the data (or the user) decides.
  bool slash_seen_ = false;
  bool md_possible_ = true, dm_possible_ = true;
  std::int64_t md_ruled_out_line_ = 0, dm_ruled_out_line_ = 0;
  char date_separator_ = '/';
  std::int64_t warnings_total_ = 0;
  bool returns_ = false;  // a returns-flag column is read
  std::int64_t return_rows_ = 0, unknown_return_values_ = 0;
  std::string first_unknown_return_;
  IdEvidence id_evidence_;
  bool strip_ids_ = false;           // a stream reads "13085.0" as "13085" (decided from the first rows)
  bool track_order_totals_ = false;  // an amount column without unit prices, and invoices
  OrderTotalEvidence order_evidence_;
  bool stream_prefix_fixed_ = false, stream_prefix_ = false;  // a stream's cancellation prefix, once decided
  bool stream_totals_fixed_ = false, stream_totals_ = false;  // a stream's order totals, once decided
  std::vector<bool> invoice_seen_;                            // a stream with order totals: invoices counted
  DateEvidence dates_;
  std::string md_ruled_out_text_, dm_ruled_out_text_;
  std::int64_t offset_dates_ = 0;
  std::vector<std::string_view> fitted_;  // a ragged record padded, or with its extra fields joined
  std::string joined_;
  bool customer_level_ = false;
  bool roles_final_ = false;
  std::int64_t header_line_ = 1;
  std::vector<int> feature_columns_;  // per feature_names() entry: the file's column, or -1
  CustomerTable customers_;
};

}  // namespace core
