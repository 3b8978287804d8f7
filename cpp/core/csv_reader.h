// Streaming CSV reader (RFC 4180 and the dialects real exports use), fed UTF-8 text chunk by chunk.
//
// A field or a row may straddle chunks: the reader keeps only the current, incomplete record
// between calls, so memory does not grow with the file. Quoted fields may hold delimiters, doubled
// quotes and line breaks; lines end in LF, CRLF or CR; blank lines are skipped.
//
// The dialect — delimiter (`,` `;` tab `|` or space), quote character (`"`, `'` or none), escape
// character (none, or `\` as MySQL writes `\"`), spaces after a delimiter skipped or kept, comment
// lines — is sniffed from the first 64 KB unless given, each part with the evidence that decided
// it (CsvReader::evidence). Comment lines (`#`) before the header are skipped when they are there;
// with a comment character given, such lines are skipped anywhere.
//
// Two parsers share the buffer and the state: a 64-bytes-at-a-time one for the usual dialect
// (a quote character, no escape character, no spaces skipped, no comment lines after the start),
// and a byte-at-a-time one for every other dialect. On the usual dialect the two give the same
// records (a test and the fuzzer check it).
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace core {

/// One record: views into the reader's buffer, valid only during the callback.
struct CsvRecord {
  std::vector<std::string_view> fields;
  std::int64_t line = 0;  ///< 1-based physical line where the record starts
};

/// How a file writes its records.
struct CsvDialect {
  char delimiter = ',';
  char quote = '"';                 ///< '\0': no quoting
  char escape = '\0';               ///< '\0': none (a quote inside quotes is doubled)
  bool skip_initial_space = false;  ///< spaces right after a delimiter are not part of the field
  char comment = '\0';              ///< lines starting with it are skipped anywhere ('\0': none)

  bool operator==(const CsvDialect& o) const {
    return delimiter == o.delimiter && quote == o.quote && escape == o.escape &&
           skip_initial_space == o.skip_initial_space && comment == o.comment;
  }
  /// The dialect the fast parser reads.
  bool usual() const { return quote != '\0' && escape == '\0' && !skip_initial_space && comment == '\0'; }
};

struct CsvOptions {
  char delimiter = 0;                      ///< 0: sniff (`,` `;` tab `|`, space last)
  std::optional<char> quote;               ///< unset: sniff `"` or `'`; '\0': no quoting
  std::optional<char> escape;              ///< unset: sniff none or `\`; '\0': none
  std::optional<bool> skip_initial_space;  ///< unset: sniff
  /// unset: skip `#` lines before the header when the file starts with one; '\0': skip none;
  /// a character: skip lines starting with it anywhere.
  std::optional<char> comment;
  std::size_t max_record_bytes = std::size_t{256} << 20;
  bool force_general = false;  ///< tests: the byte-at-a-time parser even for the usual dialect
};

/// What a parse saw, for sniffing and reports.
struct CsvStats {
  std::int64_t quoted_fields = 0;
  std::int64_t after_quote = 0;           ///< text after a closing quote ("ab"c), kept
  std::int64_t escaped_quotes = 0;        ///< the escape character before a quote
  std::int64_t leading_space_fields = 0;  ///< fields after the first of a record starting with a space
  std::int64_t later_fields = 0;          ///< fields after the first of a record
  std::int64_t comment_lines = 0;         ///< lines skipped as comments
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
  char delimiter() const { return sniffed_ ? dialect_.delimiter : 0; }
  /// The dialect in use (meaningful once the first records came).
  const CsvDialect& dialect() const { return dialect_; }
  /// Why each part of the dialect is what it is ("given", or what the first lines showed).
  const std::vector<std::string>& evidence() const { return evidence_; }
  const CsvStats& stats() const { return stats_; }
  std::int64_t records() const { return records_; }

 private:
  void sniff(bool at_end);
  std::size_t skip_leading_comments(bool at_end, bool& complete, std::int64_t& lines) const;
  void parse(bool at_end);
  void parse_general();
  /// Unquoted fields from i on, 64 bytes at a time: a bit per delimiter, and one per line end or
  /// quote. Returns the buffer's end, or a quote that opens a field (for the state machine).
  std::size_t scan_unquoted(std::size_t i);
  void end_field(std::size_t end) { record_.fields.emplace_back(buf_.data() + field_start_, end - field_start_); }
  void end_general_field();
  void end_record();
  std::size_t line_break(std::size_t i);

  CsvOptions options_;
  RecordFn on_record_;
  CsvDialect dialect_;
  bool sniffed_ = false;
  bool general_ = false;  // the byte-at-a-time parser
  std::vector<std::string> evidence_;
  CsvStats stats_;
  std::string buf_;  // unconsumed text: the current record from its first byte on

  // Parser state, resumable across feeds. Offsets are into buf_.
  enum class State { kFieldStart, kUnquoted, kQuoted, kQuoteInQuoted, kAfterQuote, kComment };
  State state_ = State::kFieldStart;
  std::size_t pos_ = 0;          // next byte to read
  std::size_t write_ = 0;        // where the current field's unescaped text ends
  std::size_t field_start_ = 0;  // start of the current field's text
  // The current record's finished fields are views in record_.fields; while the buffer moves
  // (between begin_append and end_append) they wait here as offsets.
  std::vector<std::pair<std::size_t, std::size_t>> offsets_;
  bool cr_counted_ = false;       // a CR inside quotes was counted as a line break
  bool skip_lf_ = false;          // the last record ended in CR: a following LF belongs to it
  bool escape_pending_ = false;   // general parser: the last byte was the escape character
  bool after_delimiter_ = false;  // general parser: the last byte ended a field with a delimiter
  std::int64_t line_ = 1;         // physical line at pos_
  std::int64_t record_line_ = 1;
  std::int64_t quote_line_ = 0;  // line where the open quote started
  std::int64_t records_ = 0;
  CsvRecord record_;
};

/// Splits a whole text (for tests and small inputs).
std::vector<std::vector<std::string>> parse_csv(std::string_view text, char delimiter = 0);
std::vector<std::vector<std::string>> parse_csv(std::string_view text, const CsvOptions& options);

/// "," ";" "tab" "|" "space": the delimiter's name in summaries, flags and the page.
std::string delimiter_name(char d);

}  // namespace core
