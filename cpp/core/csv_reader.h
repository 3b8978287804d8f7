// Streaming CSV reader (RFC 4180 and the dialects real exports use), fed UTF-8 text chunk by chunk.
//
// A field or a row may straddle chunks: the reader keeps only the current, incomplete record
// between calls, so memory does not grow with the file. Quoted fields may hold delimiters, doubled
// quotes and line breaks; lines end in LF, CRLF or CR; blank lines are skipped. The delimiter
// (`,` `;` tab `|`) is sniffed from the first lines unless given.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace core {

/// One record: views into the reader's buffer, valid only during the callback.
struct CsvRecord {
  std::vector<std::string_view> fields;
  std::int64_t line = 0;  ///< 1-based physical line where the record starts
};

struct CsvOptions {
  char delimiter = 0;  ///< 0: sniff from the first lines
  std::size_t max_record_bytes = std::size_t{256} << 20;
};

class CsvReader {
 public:
  using RecordFn = std::function<void(const CsvRecord&)>;

  CsvReader(CsvOptions options, RecordFn on_record);

  /// Parses `text`, calling on_record for each record it completes.
  void feed(std::string_view text);
  /// Zero-copy feeding: append the next text to the returned buffer, then call end_append().
  std::string& begin_append();
  void end_append();
  /// Ends the input: flushes the last record. Throws InputError on an unterminated quote.
  void finish();

  /// The delimiter in use (0 until sniffed).
  char delimiter() const { return delimiter_; }
  std::int64_t records() const { return records_; }

 private:
  void sniff(bool at_end);
  void parse(bool at_end);
  /// Unquoted fields from i on, 64 bytes at a time: a bit per delimiter, and one per line end or
  /// quote. Returns the buffer's end, or a quote that opens a field (for the state machine).
  std::size_t scan_unquoted(std::size_t i);
  void end_field(std::size_t end) { record_.fields.emplace_back(buf_.data() + field_start_, end - field_start_); }
  void end_record();

  CsvOptions options_;
  RecordFn on_record_;
  char delimiter_ = 0;
  std::string buf_;  // unconsumed text: the current record from its first byte on

  // Parser state, resumable across feeds. Offsets are into buf_.
  enum class State { kFieldStart, kUnquoted, kQuoted, kQuoteInQuoted, kAfterQuote };
  State state_ = State::kFieldStart;
  std::size_t pos_ = 0;          // next byte to read
  std::size_t write_ = 0;        // where the current field's unescaped text ends
  std::size_t field_start_ = 0;  // start of the current field's text
  // The current record's finished fields are views in record_.fields; while the buffer moves
  // (between begin_append and end_append) they wait here as offsets.
  std::vector<std::pair<std::size_t, std::size_t>> offsets_;
  bool cr_counted_ = false;      // a CR inside quotes was counted as a line break
  bool skip_lf_ = false;         // the last record ended in CR: a following LF belongs to it
  std::int64_t line_ = 1;        // physical line at pos_
  std::int64_t record_line_ = 1;
  std::int64_t quote_line_ = 0;  // line where the open quote started
  std::int64_t records_ = 0;
  CsvRecord record_;
};

/// Splits a whole text (for tests and small inputs).
std::vector<std::vector<std::string>> parse_csv(std::string_view text, char delimiter = 0);

}  // namespace core
