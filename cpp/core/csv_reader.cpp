#include "csv_reader.h"

#include <algorithm>
#include <array>
#include <string>

#include "errors.h"

namespace core {
namespace {

constexpr std::size_t kSniffBytes = 64 * 1024;
constexpr int kSniffLines = 30;

// Per-line counts of `d` outside quotes over the first complete lines of `text`.
std::vector<int> count_per_line(std::string_view text, char d, bool at_end) {
  std::vector<int> counts;
  int count = 0;
  bool quoted = false;
  bool blank = true;
  for (std::size_t i = 0; i < text.size() && static_cast<int>(counts.size()) < kSniffLines; ++i) {
    const char c = text[i];
    if (c == '"') {
      quoted = !quoted;
      blank = false;
    } else if (!quoted && (c == '\n' || c == '\r')) {
      if (!blank) counts.push_back(count);
      count = 0;
      blank = true;
    } else {
      if (!quoted && c == d) ++count;
      blank = false;
    }
  }
  if (at_end && !blank && static_cast<int>(counts.size()) < kSniffLines) counts.push_back(count);
  return counts;
}

}  // namespace

CsvReader::CsvReader(CsvOptions options, RecordFn on_record)
    : options_(options), on_record_(std::move(on_record)), delimiter_(options.delimiter) {}

void CsvReader::sniff(bool at_end) {
  // The candidate whose count is the same, and non-zero, on most lines wins; the header line weighs
  // as one line. Ties go to the order below (comma first).
  static const std::array<char, 4> kCandidates = {',', ';', '\t', '|'};
  char best = ',';
  double best_score = 0;
  for (char d : kCandidates) {
    const std::vector<int> counts = count_per_line(buf_, d, at_end);
    if (counts.empty() || counts[0] == 0) continue;
    int consistent = 0;
    for (int c : counts) consistent += c == counts[0];
    const double share = static_cast<double>(consistent) / counts.size();
    const double score = share * 1000 + std::min(counts[0], 999);
    if (score > best_score) {
      best_score = score;
      best = d;
    }
  }
  delimiter_ = best;
}

void CsvReader::feed(std::string_view text) {
  // Drop the consumed prefix (everything before the current record) before growing the buffer.
  const std::size_t drop = std::min(bounds_.empty() ? field_start_ : bounds_.front().first, pos_);
  if (drop > 0) {
    buf_.erase(0, drop);
    pos_ -= drop;
    write_ = write_ >= drop ? write_ - drop : 0;
    field_start_ -= drop;
    for (auto& b : bounds_) {
      b.first -= drop;
      b.second -= drop;
    }
  }
  buf_.append(text.data(), text.size());
  if (buf_.size() - field_start_ > options_.max_record_bytes)
    throw InputError("a record starting on line " + std::to_string(record_line_) + " is longer than " +
                         std::to_string(options_.max_record_bytes >> 20) +
                         " MB; is a quote left open? Check that line for a stray \" character.",
                     record_line_);
  if (delimiter_ == 0) {
    if (buf_.size() < kSniffBytes) return;
    sniff(false);
  }
  parse(false);
}

void CsvReader::finish() {
  if (delimiter_ == 0) sniff(true);
  parse(true);
  if (state_ == State::kQuoted)
    throw InputError("the quoted field that starts on line " + std::to_string(quote_line_) +
                         ", column " + std::to_string(bounds_.size() + 1) +
                         " is never closed: the file ends inside quotes. Check that line for a stray "
                         "\" character, or whether the file was cut off.",
                     quote_line_, static_cast<std::int64_t>(bounds_.size() + 1));
  if (state_ != State::kFieldStart || !bounds_.empty()) {
    const bool unescaped = state_ == State::kQuoteInQuoted || state_ == State::kAfterQuote;
    end_field(unescaped ? write_ : pos_);
    end_record();
  }
  state_ = State::kFieldStart;
}

void CsvReader::end_field(std::size_t end) {
  bounds_.emplace_back(field_start_, end);
}

void CsvReader::end_record() {
  const bool blank = bounds_.size() == 1 && bounds_[0].first == bounds_[0].second;
  if (!blank) {
    record_.fields.clear();
    for (const auto& b : bounds_) record_.fields.emplace_back(buf_.data() + b.first, b.second - b.first);
    record_.line = record_line_;
    ++records_;
    on_record_(record_);
  }
  bounds_.clear();
}

void CsvReader::parse(bool at_end) {
  const char d = delimiter_;
  char* s = buf_.data();
  const std::size_t n = buf_.size();
  std::size_t i = pos_;
  if (skip_lf_ && i < n) {
    if (s[i] == '\n') ++i;
    skip_lf_ = false;
    field_start_ = i;
  }
  while (i < n) {
    switch (state_) {
      case State::kFieldStart:
        if (bounds_.empty()) record_line_ = line_;
        field_start_ = i;
        if (s[i] == '"') {
          state_ = State::kQuoted;
          quote_line_ = line_;
          ++i;
          field_start_ = i;
          write_ = i;
          break;
        }
        state_ = State::kUnquoted;
        [[fallthrough]];
      case State::kUnquoted: {
        // Scan to the next delimiter or line end.
        std::size_t j = i;
        while (j < n && s[j] != d && s[j] != '\n' && s[j] != '\r') ++j;
        if (j == n) {
          i = j;
          break;
        }
        end_field(j);
        if (s[j] == d) {
          state_ = State::kFieldStart;
          i = j + 1;
          if (i == n) {
            // A delimiter ends the chunk: the record's next field starts at i.
            field_start_ = i;
          }
          break;
        }
        // Line end.
        ++line_;
        state_ = State::kFieldStart;
        end_record();
        if (s[j] == '\r') {
          if (j + 1 < n) {
            i = j + 1 + (s[j + 1] == '\n');
          } else {
            i = j + 1;
            skip_lf_ = true;
          }
        } else {
          i = j + 1;
        }
        field_start_ = i;
        break;
      }
      case State::kQuoted: {
        // Copy (unescaping in place) up to the next quote.
        while (i < n && s[i] != '"') {
          const char c = s[i];
          if (c == '\n') {
            if (!cr_counted_) ++line_;
            cr_counted_ = false;
          } else if (c == '\r') {
            ++line_;
            cr_counted_ = true;  // a following LF is the same line break
          } else {
            cr_counted_ = false;
          }
          s[write_++] = c;
          ++i;
        }
        if (i < n) {
          state_ = State::kQuoteInQuoted;
          cr_counted_ = false;
          ++i;
        }
        break;
      }
      case State::kQuoteInQuoted: {
        const char c = s[i];
        if (c == '"') {  // doubled quote
          s[write_++] = '"';
          ++i;
          state_ = State::kQuoted;
        } else if (c == d) {
          end_field(write_);
          state_ = State::kFieldStart;
          ++i;
          field_start_ = i;
        } else if (c == '\n' || c == '\r') {
          end_field(write_);
          ++line_;
          state_ = State::kFieldStart;
          end_record();
          if (c == '\r') {
            if (i + 1 < n) {
              i += 1 + (s[i + 1] == '\n');
            } else {
              ++i;
              skip_lf_ = true;
            }
          } else {
            ++i;
          }
          field_start_ = i;
        } else {
          // Text after a closing quote ("ab"c): keep it, as spreadsheet programs do.
          state_ = State::kAfterQuote;
        }
        break;
      }
      case State::kAfterQuote: {
        while (i < n && s[i] != d && s[i] != '\n' && s[i] != '\r') s[write_++] = s[i++];
        if (i < n) state_ = State::kQuoteInQuoted;  // the terminator is handled there
        break;
      }
    }
  }
  (void)at_end;
  pos_ = i;
}

std::vector<std::vector<std::string>> parse_csv(std::string_view text, char delimiter) {
  std::vector<std::vector<std::string>> rows;
  CsvOptions options;
  options.delimiter = delimiter;
  CsvReader reader(options, [&rows](const CsvRecord& r) {
    rows.emplace_back(r.fields.begin(), r.fields.end());
  });
  reader.feed(text);
  reader.finish();
  return rows;
}

}  // namespace core
