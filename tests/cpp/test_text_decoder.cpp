#include <doctest/doctest.h>

#include <string>

#include "text_decoder.h"

using core::Encoding;
using core::TextDecoder;

namespace {

std::string decode(const std::string& bytes, std::size_t chunk, Encoding* enc = nullptr,
                   std::int64_t* replaced = nullptr) {
  TextDecoder d;
  std::string out;
  for (std::size_t i = 0; i < bytes.size(); i += chunk)
    d.decode(bytes.data() + i, std::min(chunk, bytes.size() - i), out);
  d.finish(out);
  if (enc) *enc = d.encoding();
  if (replaced) *replaced = d.replaced();
  return out;
}

}  // namespace

TEST_CASE("UTF-8 passes through, with or without a BOM, whatever the chunking") {
  const std::string text = "Description\nPOUND £5 — café ✓ 😀\n";
  for (std::size_t chunk : {1, 2, 3, 5, 64}) {
    Encoding e;
    CHECK(decode(text, chunk, &e) == text);
    CHECK(e == Encoding::kUtf8);
    CHECK(decode("\xEF\xBB\xBF" + text, chunk, &e) == text);
    CHECK(e == Encoding::kUtf8Bom);
  }
}

TEST_CASE("Windows-1252 bytes (the UCI exports' £) become UTF-8") {
  for (std::size_t chunk : {1, 2, 7, 64}) {
    Encoding e;
    CHECK(decode("a,b\nPOSTAGE \xA3"
                 "5,\x80\x96\n",
                 chunk, &e) == "a,b\nPOSTAGE £5,€–\n");
    CHECK(e == Encoding::kWindows1252);
  }
}

TEST_CASE("UTF-16 with a BOM, both byte orders, surrogate pairs") {
  std::string le = "\xFF\xFE";
  std::string be = "\xFE\xFF";
  const std::u16string s = u"id,£\n1,😀\n";
  for (char16_t c : s) {
    le += static_cast<char>(c & 0xFF);
    le += static_cast<char>(c >> 8);
    be += static_cast<char>(c >> 8);
    be += static_cast<char>(c & 0xFF);
  }
  for (std::size_t chunk : {1, 3, 64}) {
    Encoding e;
    CHECK(decode(le, chunk, &e) == "id,£\n1,😀\n");
    CHECK(e == Encoding::kUtf16Le);
    CHECK(decode(be, chunk, &e) == "id,£\n1,😀\n");
    CHECK(e == Encoding::kUtf16Be);
  }
}

TEST_CASE("invalid bytes after valid UTF-8 are replaced and counted, not dropped") {
  std::int64_t replaced = 0;
  Encoding e;
  CHECK(decode("café\n\xFF!\n", 64, &e, &replaced) == "café\n\xEF\xBF\xBD!\n");
  CHECK(e == Encoding::kUtf8);
  CHECK(replaced == 1);
}

TEST_CASE("tiny inputs") {
  Encoding e;
  CHECK(decode("", 1, &e).empty());
  CHECK(decode("a", 1, &e) == "a");
  CHECK(decode("\xA3", 1, &e) == "£");
  CHECK(e == Encoding::kWindows1252);
}

TEST_CASE("a non-ASCII byte is found wherever it falls in the 64-byte blocks of the fast path") {
  // ASCII runs are skipped 64 bytes, then 8, then 1 at a time: put the one non-ASCII character at
  // every offset across two blocks, in chunks that cut the runs anywhere.
  const std::string ascii(200, 'x');
  for (std::size_t at = 0; at < 140; ++at) {
    const std::string utf8 = ascii.substr(0, at) + "é" + ascii.substr(at);
    const std::string cp1252 = ascii.substr(0, at) + "\xA3" + ascii.substr(at);
    const std::string pound = ascii.substr(0, at) + "£" + ascii.substr(at);
    for (std::size_t chunk : {7, 64, 65, 1000}) {
      Encoding e;
      REQUIRE(decode(utf8, chunk, &e) == utf8);
      CHECK(e == Encoding::kUtf8);
      REQUIRE(decode(cp1252, chunk, &e) == pound);
      CHECK(e == Encoding::kWindows1252);
      // Windows-1252 shown by an early byte, then a later one in the fast path.
      REQUIRE(decode("\xA3" + cp1252, chunk, &e) == "£" + pound);
    }
  }
}
