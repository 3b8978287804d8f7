// libFuzzer target: the streaming CSV reader on arbitrary bytes. Properties checked beyond "no
// crash, no sanitizer report": feeding the same text in two chunks (cut anywhere) gives the same
// records and line numbers as feeding it whole, in the dialect the first byte picks; on the usual
// dialect the byte-at-a-time parser gives what the fast path gives; every error is an InputError;
// sniffing the whole dialect never crashes.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "csv_reader.h"
#include "errors.h"
#include "text_decoder.h"

namespace {

struct Parsed {
  std::vector<std::vector<std::string>> rows;
  std::vector<std::int64_t> lines;
  bool failed = false;
  std::string error;
};

core::CsvOptions dialect(char delimiter, unsigned flags) {
  core::CsvOptions o;
  o.delimiter = delimiter;
  o.quote = flags & 1 ? '\'' : flags & 2 ? '\0' : '"';
  o.escape = flags & 4 ? '\\' : '\0';
  o.skip_initial_space = (flags & 8) != 0;
  o.comment = flags & 16 ? '#' : '\0';
  o.force_general = (flags & 32) != 0;
  return o;
}

Parsed parse(const std::string& text, std::size_t cut, core::CsvOptions o) {
  Parsed p;
  o.max_record_bytes = 1 << 16;
  core::CsvReader reader(o, [&](const core::CsvRecord& r) {
    p.rows.emplace_back(r.fields.begin(), r.fields.end());
    p.lines.push_back(r.line);
  });
  try {
    reader.feed(std::string_view(text).substr(0, cut));
    reader.feed(std::string_view(text).substr(cut));
    reader.finish();
  } catch (const core::InputError& e) {
    p.failed = true;
    p.error = e.what();
  }
  return p;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  // First byte: the delimiter (0: sniff the whole dialect); second: the dialect's other parts.
  const char delimiters[] = {0, ',', ';', '\t', '|', ' '};
  const char delimiter = delimiters[data[0] % 6];
  const unsigned flags = data[1];
  core::TextDecoder decoder;
  std::string text;
  decoder.decode(reinterpret_cast<const char*>(data + 2), size - 2, text);
  decoder.finish(text);
  const core::CsvOptions o = dialect(delimiter == 0 ? ',' : delimiter, flags);
  const Parsed whole = parse(text, text.size(), o);
  const std::size_t cut = text.empty() ? 0 : (data[0] * 131u + flags) % text.size();
  const Parsed split = parse(text, cut, o);
  if (whole.failed != split.failed) std::abort();
  if (!whole.failed && (whole.rows != split.rows || whole.lines != split.lines)) std::abort();
  if (delimiter != ' ' && (flags & 31) == 0) {  // the usual dialect: both parsers agree
    core::CsvOptions other = o;
    other.force_general = !o.force_general;
    const Parsed p = parse(text, cut, other);
    if (p.failed != whole.failed || (!p.failed && (p.rows != whole.rows || p.lines != whole.lines))) std::abort();
  }
  if (delimiter == 0) parse(text, cut, core::CsvOptions{});  // sniffing: must not crash
  return 0;
}
