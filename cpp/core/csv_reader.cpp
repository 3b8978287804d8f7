#include "csv_reader.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <string>

#include "errors.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#elif defined(__wasm_simd128__)
#include <wasm_simd128.h>
#endif

namespace core {
namespace {

// Index of the first byte in s[i, n) equal to a, b, c or e; n if none. 16 bytes at a time with
// SSE2 natively and SIMD128 in wasm (the same comparisons, so the same result), then bytewise.
inline std::size_t scan4(const char* s, std::size_t i, std::size_t n, char a, char b, char c, char e) {
#if defined(__SSE2__)
  const __m128i va = _mm_set1_epi8(a), vb = _mm_set1_epi8(b), vc = _mm_set1_epi8(c), ve = _mm_set1_epi8(e);
  for (; i + 16 <= n; i += 16) {
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + i));
    const __m128i m = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, va), _mm_cmpeq_epi8(x, vb)),
                                   _mm_or_si128(_mm_cmpeq_epi8(x, vc), _mm_cmpeq_epi8(x, ve)));
    const int mask = _mm_movemask_epi8(m);
    if (mask != 0) return i + static_cast<std::size_t>(__builtin_ctz(static_cast<unsigned>(mask)));
  }
#elif defined(__wasm_simd128__)
  const v128_t va = wasm_i8x16_splat(a), vb = wasm_i8x16_splat(b), vc = wasm_i8x16_splat(c), ve = wasm_i8x16_splat(e);
  for (; i + 16 <= n; i += 16) {
    const v128_t x = wasm_v128_load(s + i);
    const v128_t m = wasm_v128_or(wasm_v128_or(wasm_i8x16_eq(x, va), wasm_i8x16_eq(x, vb)),
                                  wasm_v128_or(wasm_i8x16_eq(x, vc), wasm_i8x16_eq(x, ve)));
    const std::uint32_t mask = wasm_i8x16_bitmask(m);
    if (mask != 0) return i + static_cast<std::size_t>(__builtin_ctz(mask));
  }
#endif
  while (i < n && s[i] != a && s[i] != b && s[i] != c && s[i] != e) ++i;
  return i;
}

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
  begin_append().append(text.data(), text.size());
  end_append();
}

std::string& CsvReader::begin_append() {
  // Drop the consumed prefix (everything before the current record) before growing the buffer.
  const std::size_t drop = std::min(n_bounds_ == 0 ? field_start_ : bounds_[0].first, pos_);
  if (drop > 0) {
    buf_.erase(0, drop);
    pos_ -= drop;
    write_ = write_ >= drop ? write_ - drop : 0;
    field_start_ -= drop;
    for (std::size_t k = 0; k < n_bounds_; ++k) {
      bounds_[k].first -= drop;
      bounds_[k].second -= drop;
    }
  }
  return buf_;
}

void CsvReader::end_append() {
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
                         ", column " + std::to_string(n_bounds_ + 1) +
                         " is never closed: the file ends inside quotes. Check that line for a stray "
                         "\" character, or whether the file was cut off.",
                     quote_line_, static_cast<std::int64_t>(n_bounds_ + 1));
  if (state_ != State::kFieldStart || n_bounds_ > 0) {
    const bool unescaped = state_ == State::kQuoteInQuoted || state_ == State::kAfterQuote;
    end_field(unescaped ? write_ : pos_);
    end_record();
  }
  state_ = State::kFieldStart;
}

void CsvReader::end_record() {
  const bool blank = n_bounds_ == 1 && bounds_[0].first == bounds_[0].second;
  if (!blank) {
    record_.fields.resize(n_bounds_);
    const char* base = buf_.data();
    for (std::size_t k = 0; k < n_bounds_; ++k)
      record_.fields[k] = std::string_view(base + bounds_[k].first, bounds_[k].second - bounds_[k].first);
    record_.line = record_line_;
    ++records_;
    on_record_(record_);
  }
  n_bounds_ = 0;
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
        if (n_bounds_ == 0) record_line_ = line_;
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
        // Scan to the next delimiter or line end (a quote inside an unquoted field is text).
        std::size_t j = scan4(s, i, n, d, '\n', '\r', d);
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
        // Copy (unescaping in place) up to the next quote; runs without line breaks in one move.
        while (i < n && s[i] != '"') {
          const std::size_t j = scan4(s, i, n, '"', '\n', '\r', '"');
          if (j > i) {
            if (write_ != i) std::memmove(s + write_, s + i, j - i);
            write_ += j - i;
            i = j;
            cr_counted_ = false;
            continue;
          }
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
