// Streaming transcoding of a file's bytes to UTF-8.
//
// Detection, in order: a byte-order mark (UTF-8, UTF-16 LE/BE); UTF-16 without a BOM when the first
// bytes alternate with NULs; otherwise UTF-8 until a byte sequence proves it is not. If the first
// invalid sequence comes before any valid multi-byte one, the file is Windows-1252 (its superset of
// ISO-8859-1 covers the `£` of the UCI exports) and is decoded as such from there on; the text before
// was ASCII, which both encodings share. Invalid sequences in a file already shown to be UTF-8 become
// U+FFFD and are counted, never dropped silently. Sequences may straddle chunks.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace core {

enum class Encoding { kUnknown, kUtf8, kUtf8Bom, kUtf16Le, kUtf16Be, kWindows1252 };

const char* encoding_name(Encoding e);

class TextDecoder {
 public:
  /// Decodes `n` bytes and appends the UTF-8 text to `out`.
  void decode(const char* data, std::size_t n, std::string& out);
  /// Flushes what a last partial sequence left (as U+FFFD).
  void finish(std::string& out);

  Encoding encoding() const { return encoding_; }
  /// Invalid sequences replaced by U+FFFD.
  std::int64_t replaced() const { return replaced_; }

 private:
  void detect(std::string& out, bool at_end);
  void decode_utf8(const unsigned char* p, std::size_t n, std::string& out);
  void decode_utf16(const unsigned char* p, std::size_t n, std::string& out);
  void decode_cp1252(const unsigned char* p, std::size_t n, std::string& out);

  Encoding encoding_ = Encoding::kUnknown;
  bool multibyte_seen_ = false;    // a valid non-ASCII UTF-8 sequence was seen
  std::string head_;               // bytes held back until the encoding is known
  unsigned char pending_[8] = {};  // partial sequence carried to the next chunk
  int n_pending_ = 0;
  std::uint32_t high_surrogate_ = 0;
  std::int64_t replaced_ = 0;
};

/// Appends code point `cp` as UTF-8.
void append_utf8(std::uint32_t cp, std::string& out);

}  // namespace core
