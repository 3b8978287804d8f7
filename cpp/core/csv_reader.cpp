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

// Bits for the 64 bytes at s, one per byte: where the delimiter is, and where a quote, CR or LF is
// (the bytes the unquoted fast path has to look at). SSE2 natively and SIMD128 in wasm.
struct Specials {
  std::uint64_t delimiters, others;
};

Specials specials_tail(const char* s, std::size_t n, char d);

[[gnu::always_inline]] inline Specials specials64(const char* s, char d) {
  Specials m{0, 0};
#if defined(__SSE2__)
  const __m128i vd = _mm_set1_epi8(d), vq = _mm_set1_epi8('"'), vn = _mm_set1_epi8('\n'), vr = _mm_set1_epi8('\r');
  for (int k = 0; k < 4; ++k) {
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + 16 * k));
    const __m128i o = _mm_or_si128(_mm_cmpeq_epi8(x, vq), _mm_or_si128(_mm_cmpeq_epi8(x, vn), _mm_cmpeq_epi8(x, vr)));
    m.delimiters |= static_cast<std::uint64_t>(static_cast<std::uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(x, vd)))) << (16 * k);
    m.others |= static_cast<std::uint64_t>(static_cast<std::uint32_t>(_mm_movemask_epi8(o))) << (16 * k);
  }
#elif defined(__wasm_simd128__)
  const v128_t vd = wasm_i8x16_splat(d), vq = wasm_i8x16_splat('"'), vn = wasm_i8x16_splat('\n'), vr = wasm_i8x16_splat('\r');
  for (int k = 0; k < 4; ++k) {
    const v128_t x = wasm_v128_load(s + 16 * k);
    const v128_t o = wasm_v128_or(wasm_i8x16_eq(x, vq), wasm_v128_or(wasm_i8x16_eq(x, vn), wasm_i8x16_eq(x, vr)));
    m.delimiters |= static_cast<std::uint64_t>(wasm_i8x16_bitmask(wasm_i8x16_eq(x, vd))) << (16 * k);
    m.others |= static_cast<std::uint64_t>(wasm_i8x16_bitmask(o)) << (16 * k);
  }
#else
  m = specials_tail(s, 64, d);
#endif
  return m;
}

// The same for the last n < 64 bytes of the buffer, bytewise.
Specials specials_tail(const char* s, std::size_t n, char d) {
  Specials m{0, 0};
  for (std::size_t k = 0; k < n; ++k) {
    const char c = s[k];
    if (c == d) m.delimiters |= std::uint64_t{1} << k;
    else if (c == '"' || c == '\n' || c == '\r') m.others |= std::uint64_t{1} << k;
  }
  return m;
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
  // Drop the consumed prefix (everything before the current record) before growing the buffer;
  // the record's finished fields become offsets until end_append.
  std::vector<std::string_view>& fields = record_.fields;
  const char* base = buf_.data();
  const std::size_t first = fields.empty() ? field_start_ : static_cast<std::size_t>(fields[0].data() - base);
  const std::size_t drop = std::min(first, pos_);
  offsets_.clear();
  for (const std::string_view f : fields) offsets_.emplace_back(static_cast<std::size_t>(f.data() - base) - drop, f.size());
  fields.clear();
  if (drop > 0) {
    buf_.erase(0, drop);
    pos_ -= drop;
    write_ = write_ >= drop ? write_ - drop : 0;
    field_start_ -= drop;
  }
  return buf_;
}

void CsvReader::end_append() {
  for (const auto& o : offsets_) record_.fields.emplace_back(buf_.data() + o.first, o.second);
  offsets_.clear();
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
                         ", column " + std::to_string(record_.fields.size() + 1) +
                         " is never closed: the file ends inside quotes. Check that line for a stray "
                         "\" character, or whether the file was cut off.",
                     quote_line_, static_cast<std::int64_t>(record_.fields.size() + 1));
  if (state_ != State::kFieldStart || !record_.fields.empty()) {
    const bool unescaped = state_ == State::kQuoteInQuoted || state_ == State::kAfterQuote;
    end_field(unescaped ? write_ : pos_);
    end_record();
  }
  state_ = State::kFieldStart;
}

void CsvReader::end_record() {
  std::vector<std::string_view>& fields = record_.fields;
  if (fields.size() != 1 || !fields[0].empty()) {  // else a blank line
    record_.line = record_line_;
    ++records_;
    on_record_(record_);
  }
  fields.clear();
}

std::size_t CsvReader::scan_unquoted(std::size_t i) {
  const char d = delimiter_;
  const char* s = buf_.data();
  const std::size_t n = buf_.size();
  std::vector<std::string_view>& fields = record_.fields;
  std::size_t start = state_ == State::kUnquoted ? field_start_ : i;  // the current field's first byte
  if (state_ == State::kFieldStart && fields.empty()) record_line_ = line_;
  for (std::size_t block = i; block < n; block += 64) {
    Specials m = block + 64 <= n ? specials64(s + block, d) : specials_tail(s + block, n - block, d);
    while (true) {
      // The delimiters before the next line end or quote: a field each.
      const std::uint64_t before = m.others != 0 ? (m.others & (0 - m.others)) - 1 : ~std::uint64_t{0};
      for (std::uint64_t bits = m.delimiters & before; bits != 0; bits &= bits - 1) {
        const std::size_t j = block + static_cast<std::size_t>(__builtin_ctzll(bits));
        fields.emplace_back(s + start, j - start);
        start = j + 1;
      }
      m.delimiters &= ~before;
      if (m.others == 0) break;
      const std::size_t j = block + static_cast<std::size_t>(__builtin_ctzll(m.others));
      m.others &= m.others - 1;
      if (j < start) continue;  // the LF of a CRLF, already taken
      const char c = s[j];
      if (c == '"') {
        if (j != start) continue;     // a quote inside an unquoted field is text
        state_ = State::kFieldStart;  // a quoted field opens: the state machine takes it
        field_start_ = j;
        return j;
      }
      fields.emplace_back(s + start, j - start);
      start = j + 1;
      ++line_;
      end_record();
      record_line_ = line_;
      if (c == '\r') {
        if (j + 1 == n) skip_lf_ = true;
        else if (s[j + 1] == '\n') ++start;
      }
    }
  }
  // The buffer ends inside a field, or between fields (a delimiter or line end was its last byte).
  state_ = start < n ? State::kUnquoted : State::kFieldStart;
  field_start_ = start;
  return n;
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
        if (s[i] != '"') {
          i = scan_unquoted(i);
          break;
        }
        if (record_.fields.empty()) record_line_ = line_;
        state_ = State::kQuoted;
        quote_line_ = line_;
        ++i;
        field_start_ = i;
        write_ = i;
        break;
      case State::kUnquoted:
        i = scan_unquoted(i);
        break;
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
