#include "csv_reader.h"

#include <algorithm>
#include <array>
#include <cmath>
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

Specials specials_tail(const char* s, std::size_t n, char d, char q);

[[gnu::always_inline]] inline Specials specials64(const char* s, char d, char q) {
  Specials m{0, 0};
#if defined(__SSE2__)
  const __m128i vd = _mm_set1_epi8(d), vq = _mm_set1_epi8(q), vn = _mm_set1_epi8('\n'), vr = _mm_set1_epi8('\r');
  for (int k = 0; k < 4; ++k) {
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + 16 * k));
    const __m128i o = _mm_or_si128(_mm_cmpeq_epi8(x, vq), _mm_or_si128(_mm_cmpeq_epi8(x, vn), _mm_cmpeq_epi8(x, vr)));
    m.delimiters |= static_cast<std::uint64_t>(static_cast<std::uint32_t>(_mm_movemask_epi8(_mm_cmpeq_epi8(x, vd))))
                    << (16 * k);
    m.others |= static_cast<std::uint64_t>(static_cast<std::uint32_t>(_mm_movemask_epi8(o))) << (16 * k);
  }
#elif defined(__wasm_simd128__)
  const v128_t vd = wasm_i8x16_splat(d), vq = wasm_i8x16_splat(q), vn = wasm_i8x16_splat('\n'),
               vr = wasm_i8x16_splat('\r');
  for (int k = 0; k < 4; ++k) {
    const v128_t x = wasm_v128_load(s + 16 * k);
    const v128_t o = wasm_v128_or(wasm_i8x16_eq(x, vq), wasm_v128_or(wasm_i8x16_eq(x, vn), wasm_i8x16_eq(x, vr)));
    m.delimiters |= static_cast<std::uint64_t>(wasm_i8x16_bitmask(wasm_i8x16_eq(x, vd))) << (16 * k);
    m.others |= static_cast<std::uint64_t>(wasm_i8x16_bitmask(o)) << (16 * k);
  }
#else
  m = specials_tail(s, 64, d, q);
#endif
  return m;
}

// The same for the last n < 64 bytes of the buffer, bytewise.
Specials specials_tail(const char* s, std::size_t n, char d, char q) {
  Specials m{0, 0};
  for (std::size_t k = 0; k < n; ++k) {
    const char c = s[k];
    if (c == d)
      m.delimiters |= std::uint64_t{1} << k;
    else if (c == q || c == '\n' || c == '\r')
      m.others |= std::uint64_t{1} << k;
  }
  return m;
}

constexpr std::size_t kSniffBytes = 64 * 1024;

// One trial parse of the sniffing sample under a candidate dialect.
struct Trial {
  CsvDialect dialect;
  std::int64_t header_fields = 0;
  double consistency = 0;  // share of records with the header's field count
  std::int64_t records = 0;
  bool unterminated = false;
  CsvStats stats;
};

Trial trial(std::string_view sample, const CsvDialect& d, bool at_end) {
  Trial t;
  t.dialect = d;
  CsvOptions o;
  o.delimiter = d.delimiter;
  o.quote = d.quote;
  o.escape = d.escape;
  o.skip_initial_space = d.skip_initial_space;
  o.comment = d.comment;
  o.force_general = true;
  std::int64_t same = 0;
  CsvReader reader(o, [&](const CsvRecord& r) {
    const auto n = static_cast<std::int64_t>(r.fields.size());
    if (t.records++ == 0) t.header_fields = n;
    same += n == t.header_fields;
  });
  try {
    reader.feed(sample);
    if (at_end) reader.finish();
  } catch (const InputError&) {
    t.unterminated = true;
  }
  t.stats = reader.stats();
  t.consistency = t.records > 0 ? static_cast<double>(same) / static_cast<double>(t.records) : 0;
  return t;
}

// A delimiter is a candidate when the header has two fields or more with it.
double score(const Trial& t) {
  if (t.header_fields < 2) return 0;
  return t.consistency * 1000 + static_cast<double>(std::min<std::int64_t>(t.header_fields, 999)) -
         (t.unterminated ? 500 : 0);
}

std::string percent(double share) { return std::to_string(std::lround(share * 100)) + "%"; }

std::string quote_name(char q) {
  return q == '\0' ? "none" : q == '"' ? "double quote (\")" : q == '\'' ? "single quote (')" : std::string(1, q);
}

}  // namespace

CsvReader::CsvReader(CsvOptions options, RecordFn on_record) : options_(options), on_record_(std::move(on_record)) {
  dialect_.delimiter = options_.delimiter != 0 ? options_.delimiter : ',';
  if (options_.quote) dialect_.quote = *options_.quote;
  if (options_.escape) dialect_.escape = *options_.escape;
  if (options_.skip_initial_space) dialect_.skip_initial_space = *options_.skip_initial_space;
  if (options_.comment) dialect_.comment = *options_.comment;
  if (dialect_.escape != '\0' && (dialect_.escape == dialect_.quote || dialect_.escape == dialect_.delimiter))
    throw InvalidArgument(std::string("the escape character '") + dialect_.escape +
                          "' should differ from the quote and the delimiter");
  if (dialect_.quote != '\0' && dialect_.quote == dialect_.delimiter)
    throw InvalidArgument(std::string("the quote character '") + dialect_.quote + "' should differ from the delimiter");
  // Everything given: nothing to sniff (the trials of the sniffer are such readers).
  if (options_.delimiter != 0 && options_.quote && options_.escape && options_.skip_initial_space && options_.comment) {
    sniffed_ = true;
    general_ = options_.force_general || !dialect_.usual();
  }
}

// Lines starting with '#' at the start of the text (before the header), when comments are not
// given: the offset where they end and how many there are. A '#' followed by a delimiter is a
// header cell, not a comment. `complete` is false while the buffer ends inside the block.
std::size_t CsvReader::skip_leading_comments(bool at_end, bool& complete, std::int64_t& lines) const {
  complete = true;
  lines = 0;
  if (options_.comment) return 0;
  std::size_t i = 0;
  const std::size_t n = buf_.size();
  while (i < n && buf_[i] == '#') {
    const char next = i + 1 < n ? buf_[i + 1] : '\0';
    if (next == ',' || next == ';' || next == '\t' || next == '|') break;
    std::size_t j = i;
    while (j < n && buf_[j] != '\n' && buf_[j] != '\r') ++j;
    if (j + 1 >= n && !at_end) {  // the line (or its CRLF) may go on in the next chunk
      complete = false;
      return 0;
    }
    if (j < n && buf_[j] == '\r' && j + 1 < n && buf_[j + 1] == '\n') ++j;
    i = j < n ? j + 1 : j;
    ++lines;
  }
  return i;
}

void CsvReader::sniff(bool at_end) {
  bool complete = true;
  std::int64_t comment_lines = 0;
  const std::size_t start = skip_leading_comments(at_end, complete, comment_lines);
  if (!complete || (!at_end && buf_.size() - start < kSniffBytes)) return;  // wait for the sample to fill
  if (comment_lines > 0) {
    line_ += comment_lines;
    stats_.comment_lines += comment_lines;
    evidence_.push_back(std::to_string(comment_lines) + " comment line" + (comment_lines == 1 ? "" : "s") +
                        " (starting with #) before the header skipped");
  }
  pos_ = field_start_ = write_ = start;
  record_line_ = line_;
  const std::string_view sample(buf_.data() + start, std::min(kSniffBytes, buf_.size() - start));
  CsvDialect base = dialect_;
  if (options_.comment && *options_.comment != '\0') base.comment = *options_.comment;

  // The best dialect for one delimiter: quote, escape and skipped spaces as the sample shows them.
  auto best_for = [&](char d, bool whitespace) {
    CsvDialect c = base;
    c.delimiter = d;
    if (!options_.quote) c.quote = '"';
    if (!options_.escape) c.escape = '\0';
    if (!options_.skip_initial_space) c.skip_initial_space = whitespace;
    Trial t = trial(sample, c, at_end);
    std::vector<std::string> why;
    // Trials only where the sample could support them: a single quote somewhere, a backslash
    // before a quote.
    if (!options_.quote && sample.find('\'') != std::string_view::npos) {
      CsvDialect s = c;
      s.quote = '\'';
      const Trial ts = trial(sample, s, at_end);
      if (ts.stats.quoted_fields >= 2 && t.stats.quoted_fields == 0 && ts.consistency >= t.consistency &&
          ts.stats.after_quote <= t.stats.after_quote && !ts.unterminated) {
        why.push_back("single quotes: " + std::to_string(ts.stats.quoted_fields) +
                      " fields are quoted with ' and none with \"");
        t = ts;
      }
    }
    const char q = t.dialect.quote;
    if (!options_.escape && q != '\0' && sample.find(std::string{'\\', q}) != std::string_view::npos) {
      CsvDialect e = t.dialect;
      e.escape = '\\';
      const Trial te = trial(sample, e, at_end);
      if (te.stats.escaped_quotes >= 1 && !te.unterminated && te.consistency >= t.consistency &&
          (te.stats.after_quote < t.stats.after_quote || te.consistency > t.consistency || t.unterminated)) {
        why.push_back("backslash escapes: " + std::to_string(te.stats.escaped_quotes) + " quote" +
                      (te.stats.escaped_quotes == 1 ? " is" : "s are") + " written \\" + std::string(1, e.quote) +
                      " inside quoted fields");
        t = te;
      }
    }
    if (!options_.skip_initial_space && !whitespace) {
      const double share = t.stats.later_fields > 0 ? static_cast<double>(t.stats.leading_space_fields) /
                                                          static_cast<double>(t.stats.later_fields)
                                                    : 0;
      if (share >= 0.5) {
        CsvDialect k = t.dialect;
        k.skip_initial_space = true;
        const Trial tk = trial(sample, k, at_end);
        if ((tk.consistency > t.consistency && !tk.unterminated) || (share >= 0.9 && tk.consistency >= t.consistency)) {
          why.push_back("spaces after the delimiter skipped: " + percent(share) +
                        " of the fields after the first start with one");
          t = tk;
        }
      }
    }
    return std::make_pair(t, why);
  };

  std::pair<Trial, std::vector<std::string>> best;
  double best_score = -1;
  if (options_.delimiter != 0) {
    best = best_for(options_.delimiter, options_.delimiter == ' ');
    best_score = score(best.first);
  } else {
    // The header line (up to a line break; quotes aside, as a first look) must hold a delimiter for
    // it to be a candidate: no trial parses for the others.
    const std::string_view head = sample.substr(0, std::min(sample.find_first_of("\r\n"), sample.size()));
    for (char d : {',', ';', '\t', '|'}) {
      if (head.find(d) == std::string_view::npos) continue;
      auto cand = best_for(d, false);
      const double s = score(cand.first);
      if (s > best_score) {
        best_score = s;
        best = std::move(cand);
      }
    }
    // Spaces only when no other delimiter splits the header: values hold spaces in files of every
    // other dialect ("John Smith,2011-01-04 08:26"), and "a, b, c" is comma-delimited.
    if (best_score <= 0 || best.first.header_fields < 2) {
      auto space = best_for(' ', true);
      if (space.first.header_fields >= 2 && space.first.consistency >= 0.9 && score(space.first) > best_score) {
        space.second.insert(space.second.begin(),
                            "runs of spaces between fields (no other delimiter splits the lines evenly)");
        best_score = score(space.first);
        best = std::move(space);
      }
    }
  }
  const Trial& t = best.first;
  if (best_score <= 0 && options_.delimiter == 0) {
    dialect_ = base;  // one column, or nothing to go by: comma, double quotes
    if (!options_.quote) dialect_.quote = '"';
    evidence_.push_back("delimiter: comma (no delimiter gives the first line two fields or more)");
  } else {
    dialect_ = t.dialect;
    const char dl = dialect_.delimiter;
    const std::string name = dl == ',' ? "comma" : dl == ';' ? "semicolon" : dl == '|' ? "pipe" : delimiter_name(dl);
    if (options_.delimiter != 0)
      evidence_.push_back("delimiter: " + name + " (as given)");
    else
      evidence_.push_back("delimiter: " + name + " (" +
                          std::to_string(std::llround(t.consistency * static_cast<double>(t.records))) +
                          " of the first " + std::to_string(t.records) + " records have the header's " +
                          std::to_string(t.header_fields) + " fields)");
    for (const auto& w : best.second) evidence_.push_back(w);
  }
  if (options_.quote) evidence_.push_back("quote: " + quote_name(dialect_.quote) + " (as given)");
  if (options_.escape)
    evidence_.push_back(std::string("escape: ") + (dialect_.escape ? std::string(1, dialect_.escape) : "none") +
                        " (as given)");
  if (options_.comment && *options_.comment)
    evidence_.push_back(std::string("comment lines: starting with ") + *options_.comment + " (as given)");
  sniffed_ = true;
  general_ = options_.force_general || !dialect_.usual();
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
  for (const std::string_view f : fields)
    offsets_.emplace_back(static_cast<std::size_t>(f.data() - base) - drop, f.size());
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
  if (!sniffed_) {
    if (buf_.size() < kSniffBytes) return;
    sniff(false);
    if (!sniffed_) return;
  }
  parse(false);
}

void CsvReader::finish() {
  if (!sniffed_) sniff(true);
  parse(true);
  if (state_ == State::kComment) {
    state_ = State::kFieldStart;
    return;
  }
  if (general_ && escape_pending_) {  // an escape character at the very end stands for itself
    buf_[write_++] = dialect_.escape;
    escape_pending_ = false;
  }
  if (state_ == State::kQuoted)
    throw InputError("the quoted field that starts on line " + std::to_string(quote_line_) + ", column " +
                         std::to_string(record_.fields.size() + 1) +
                         " is never closed: the file ends inside quotes. Check that line for a stray "
                         "\" character, or whether the file was cut off.",
                     quote_line_, static_cast<std::int64_t>(record_.fields.size() + 1));
  if (state_ != State::kFieldStart || !record_.fields.empty()) {
    if (general_) {
      const bool trailing = state_ == State::kFieldStart && after_delimiter_ && dialect_.delimiter == ' ';
      if (!trailing) end_general_field();
    } else {
      const bool unescaped = state_ == State::kQuoteInQuoted || state_ == State::kAfterQuote;
      end_field(unescaped ? write_ : pos_);
    }
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
  const char d = dialect_.delimiter, q = dialect_.quote;
  const char* s = buf_.data();
  const std::size_t n = buf_.size();
  std::vector<std::string_view>& fields = record_.fields;
  std::size_t start = state_ == State::kUnquoted ? field_start_ : i;  // the current field's first byte
  if (state_ == State::kFieldStart && fields.empty()) record_line_ = line_;
  for (std::size_t block = i; block < n; block += 64) {
    Specials m = block + 64 <= n ? specials64(s + block, d, q) : specials_tail(s + block, n - block, d, q);
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
      if (c == q) {
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
        if (j + 1 == n)
          skip_lf_ = true;
        else if (s[j + 1] == '\n')
          ++start;
      }
    }
  }
  // The buffer ends inside a field, or between fields (a delimiter or line end was its last byte).
  state_ = start < n ? State::kUnquoted : State::kFieldStart;
  field_start_ = start;
  return n;
}

void CsvReader::parse(bool at_end) {
  (void)at_end;
  if (general_) return parse_general();
  const char d = dialect_.delimiter, q = dialect_.quote;
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
        if (s[i] != q) {
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
      case State::kUnquoted: i = scan_unquoted(i); break;
      case State::kQuoted: {
        // Copy (unescaping in place) up to the next quote; runs without line breaks in one move.
        while (i < n && s[i] != q) {
          const std::size_t j = scan4(s, i, n, q, '\n', '\r', q);
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
        if (c == q) {  // doubled quote
          s[write_++] = q;
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
      case State::kComment:  // the general parser's only
        state_ = State::kFieldStart;
        break;
    }
  }
  pos_ = i;
}

// The byte at i is a CR or LF ending a record (outside quotes): counts the line and returns the
// index after the line break (a CR at the buffer's end may have its LF in the next feed).
std::size_t CsvReader::line_break(std::size_t i) {
  ++line_;
  if (buf_[i] == '\r') {
    if (i + 1 < buf_.size()) return i + 1 + (buf_[i + 1] == '\n');
    skip_lf_ = true;
  }
  return i + 1;
}

void CsvReader::end_general_field() {
  if (!record_.fields.empty()) ++stats_.later_fields;
  end_field(write_);
}

// Every dialect, a byte at a time: quote character or none, an escape character (inside and outside
// quotes: the next byte stands for itself), spaces skipped after a delimiter (with a space as the
// delimiter, runs of spaces are one delimiter and spaces at a line's ends are not fields), comment
// lines. Fields are unescaped in place, as the fast path does inside quotes.
void CsvReader::parse_general() {
  const char d = dialect_.delimiter, q = dialect_.quote, e = dialect_.escape, cm = dialect_.comment;
  const bool skip = dialect_.skip_initial_space, collapse = skip && d == ' ';
  char* s = buf_.data();
  const std::size_t n = buf_.size();
  std::vector<std::string_view>& fields = record_.fields;
  std::size_t i = pos_;
  if (skip_lf_ && i < n) {
    if (s[i] == '\n') ++i;
    skip_lf_ = false;
    field_start_ = write_ = i;
  }
  // A byte of a field's text, with the line count of line breaks inside it.
  const auto copy = [&](char x) {
    if (x == '\n') {
      if (!cr_counted_) ++line_;
      cr_counted_ = false;
    } else if (x == '\r') {
      ++line_;
      cr_counted_ = true;
    } else {
      cr_counted_ = false;
    }
    s[write_++] = x;
  };
  const auto next_field = [&](std::size_t at) {  // a delimiter at `at` ended the field
    end_general_field();
    after_delimiter_ = true;
    state_ = State::kFieldStart;
    field_start_ = write_ = at + 1;
    return at + 1;
  };
  const auto next_record = [&](std::size_t at, bool with_field) {  // a line break at `at`
    if (with_field) end_general_field();
    const std::size_t after = line_break(at);
    end_record();
    after_delimiter_ = false;
    state_ = State::kFieldStart;
    field_start_ = write_ = after;
    record_line_ = line_;
    return after;
  };
  while (i < n) {
    const char c = s[i];
    switch (state_) {
      case State::kFieldStart:
        if (fields.empty()) {
          record_line_ = line_;
          if (cm != '\0' && c == cm) {
            state_ = State::kComment;
            ++i;
            break;
          }
        }
        if (skip && c == ' ' && (!fields.empty() || collapse)) {
          field_start_ = write_ = ++i;
          break;
        }
        if (!fields.empty() && !skip && c == ' ') ++stats_.leading_space_fields;
        if (q != '\0' && c == q) {
          state_ = State::kQuoted;
          quote_line_ = line_;
          ++stats_.quoted_fields;
          field_start_ = write_ = ++i;
        } else if (c == d) {
          field_start_ = write_ = i;
          i = next_field(i);
        } else if (c == '\n' || c == '\r') {
          field_start_ = write_ = i;
          i = next_record(i, !(collapse && after_delimiter_));
        } else {
          state_ = State::kUnquoted;
          field_start_ = write_ = i;
        }
        break;
      case State::kUnquoted:
        while (i < n) {
          const char x = s[i];
          if (escape_pending_) {
            escape_pending_ = false;
            copy(x);
            ++i;
          } else if (e != '\0' && x == e) {
            escape_pending_ = true;
            ++i;
          } else if (x == d) {
            i = next_field(i);
            break;
          } else if (x == '\n' || x == '\r') {
            i = next_record(i, true);
            break;
          } else {
            s[write_++] = x;
            ++i;
          }
        }
        break;
      case State::kQuoted:
        while (i < n) {
          const char x = s[i];
          if (escape_pending_) {
            escape_pending_ = false;
            if (x == q) ++stats_.escaped_quotes;
            copy(x);
            ++i;
          } else if (e != '\0' && x == e) {
            escape_pending_ = true;
            ++i;
          } else if (x == q) {
            state_ = State::kQuoteInQuoted;
            cr_counted_ = false;
            ++i;
            break;
          } else {
            copy(x);
            ++i;
          }
        }
        break;
      case State::kQuoteInQuoted:
        if (c == q) {  // doubled quote
          s[write_++] = q;
          ++i;
          state_ = State::kQuoted;
        } else if (c == d) {
          i = next_field(i);
        } else if (c == '\n' || c == '\r') {
          i = next_record(i, true);
        } else {
          // Text after a closing quote ("ab"c): keep it, as spreadsheet programs do.
          ++stats_.after_quote;
          state_ = State::kAfterQuote;
        }
        break;
      case State::kAfterQuote:
        while (i < n && s[i] != d && s[i] != '\n' && s[i] != '\r') s[write_++] = s[i++];
        if (i < n) state_ = State::kQuoteInQuoted;  // the terminator is handled there
        break;
      case State::kComment:
        while (i < n && s[i] != '\n' && s[i] != '\r') ++i;
        if (i < n) {
          i = line_break(i);
          ++stats_.comment_lines;
          state_ = State::kFieldStart;
          record_line_ = line_;
        }
        field_start_ = write_ = i;
        break;
    }
  }
  pos_ = i;
}

std::vector<std::vector<std::string>> parse_csv(std::string_view text, char delimiter) {
  CsvOptions options;
  options.delimiter = delimiter;
  return parse_csv(text, options);
}

std::vector<std::vector<std::string>> parse_csv(std::string_view text, const CsvOptions& options) {
  std::vector<std::vector<std::string>> rows;
  CsvReader reader(options, [&rows](const CsvRecord& r) { rows.emplace_back(r.fields.begin(), r.fields.end()); });
  reader.feed(text);
  reader.finish();
  return rows;
}

std::string delimiter_name(char d) {
  switch (d) {
    case '\t': return "tab";
    case ' ': return "space";
    default: return std::string(1, d);
  }
}

}  // namespace core
