// libFuzzer target: the streaming CSV reader on arbitrary bytes. Properties checked beyond "no
// crash, no sanitizer report": feeding the same text in two chunks (cut anywhere) gives the same
// records and line numbers as feeding it whole, and every error is an InputError.
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

Parsed parse(const std::string& text, std::size_t cut, char delimiter) {
  Parsed p;
  core::CsvOptions o;
  o.delimiter = delimiter;
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
  if (size == 0) return 0;
  // First byte: the delimiter choice; the rest: the bytes of a file.
  const char delimiters[] = {0, ',', ';', '\t', '|'};
  const char delimiter = delimiters[data[0] % 5];
  core::TextDecoder decoder;
  std::string text;
  decoder.decode(reinterpret_cast<const char*>(data + 1), size - 1, text);
  decoder.finish(text);
  const Parsed whole = parse(text, text.size(), delimiter == 0 ? ',' : delimiter);
  const std::size_t cut = text.empty() ? 0 : (data[0] * 131u) % text.size();
  const Parsed split = parse(text, cut, delimiter == 0 ? ',' : delimiter);
  if (whole.failed != split.failed) std::abort();
  if (!whole.failed && (whole.rows != split.rows || whole.lines != split.lines)) std::abort();
  if (delimiter == 0) parse(text, cut, 0);  // sniffing: must not crash
  return 0;
}
