#include "text_decoder.h"

#include <cstring>

#if defined(__SSE2__)
#include <emmintrin.h>
#elif defined(__wasm_simd128__)
#include <wasm_simd128.h>
#endif

namespace core {
namespace {

// Windows-1252 0x80..0x9F; the undefined bytes (0x81, 0x8D, 0x8F, 0x90, 0x9D) map to C1 controls
// as the WHATWG encoding standard does. 0xA0..0xFF equal ISO-8859-1 / U+00A0..U+00FF.
const std::uint16_t kCp1252High[32] = {0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
                                       0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
                                       0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
                                       0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178};

constexpr std::size_t kDetectBytes = 4;
constexpr std::uint64_t kHighBits = 0x8080808080808080ull;

std::uint64_t word(const unsigned char* p) {
  std::uint64_t w;
  std::memcpy(&w, p, 8);
  return w;
}

// Index of the first byte >= 0x80 in p[i, n), n if none: 64 bytes a test (one OR of four vectors
// and a sign-bit mask, SSE2 natively and SIMD128 in wasm), then a word, then bytewise.
std::size_t skip_ascii(const unsigned char* p, std::size_t i, std::size_t n) {
#if defined(__SSE2__)
  for (; i + 64 <= n; i += 64) {
    const auto* q = reinterpret_cast<const __m128i*>(p + i);
    const __m128i x = _mm_or_si128(_mm_or_si128(_mm_loadu_si128(q), _mm_loadu_si128(q + 1)),
                                   _mm_or_si128(_mm_loadu_si128(q + 2), _mm_loadu_si128(q + 3)));
    if (_mm_movemask_epi8(x) != 0) break;
  }
#elif defined(__wasm_simd128__)
  for (; i + 64 <= n; i += 64) {
    const v128_t x = wasm_v128_or(wasm_v128_or(wasm_v128_load(p + i), wasm_v128_load(p + i + 16)),
                                  wasm_v128_or(wasm_v128_load(p + i + 32), wasm_v128_load(p + i + 48)));
    if (wasm_i8x16_bitmask(x) != 0) break;
  }
#endif
  while (i + 8 <= n && (word(p + i) & kHighBits) == 0) i += 8;
  while (i < n && p[i] < 0x80) ++i;
  return i;
}

// Length of the UTF-8 sequence starting at lead byte b, 0 if b cannot start one.
int utf8_length(unsigned char b) {
  if (b < 0x80) return 1;
  if (b >= 0xC2 && b <= 0xDF) return 2;
  if (b >= 0xE0 && b <= 0xEF) return 3;
  if (b >= 0xF0 && b <= 0xF4) return 4;
  return 0;
}

// Whether the complete sequence p[0..len) is valid (no overlongs, surrogates or > U+10FFFF).
bool utf8_valid(const unsigned char* p, int len) {
  for (int i = 1; i < len; ++i)
    if ((p[i] & 0xC0) != 0x80) return false;
  if (len == 3) {
    if (p[0] == 0xE0 && p[1] < 0xA0) return false;
    if (p[0] == 0xED && p[1] >= 0xA0) return false;
  } else if (len == 4) {
    if (p[0] == 0xF0 && p[1] < 0x90) return false;
    if (p[0] == 0xF4 && p[1] >= 0x90) return false;
  }
  return true;
}

}  // namespace

const char* encoding_name(Encoding e) {
  switch (e) {
    case Encoding::kUtf8: return "UTF-8";
    case Encoding::kUtf8Bom: return "UTF-8 (BOM)";
    case Encoding::kUtf16Le: return "UTF-16 LE";
    case Encoding::kUtf16Be: return "UTF-16 BE";
    case Encoding::kWindows1252: return "Windows-1252";
    case Encoding::kUnknown: break;
  }
  return "unknown";
}

void append_utf8(std::uint32_t cp, std::string& out) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

void TextDecoder::decode(const char* data, std::size_t n, std::string& out) {
  const auto* p = reinterpret_cast<const unsigned char*>(data);
  if (encoding_ == Encoding::kUnknown) {
    head_.append(data, n);
    if (head_.size() < kDetectBytes) return;
    detect(out, false);
    return;
  }
  switch (encoding_) {
    case Encoding::kUtf16Le:
    case Encoding::kUtf16Be: decode_utf16(p, n, out); break;
    case Encoding::kWindows1252: decode_cp1252(p, n, out); break;
    default: decode_utf8(p, n, out); break;
  }
}

void TextDecoder::detect(std::string& out, bool at_end) {
  (void)at_end;
  const auto* h = reinterpret_cast<const unsigned char*>(head_.data());
  const std::size_t n = head_.size();
  std::size_t skip = 0;
  if (n >= 3 && h[0] == 0xEF && h[1] == 0xBB && h[2] == 0xBF) {
    encoding_ = Encoding::kUtf8Bom;
    skip = 3;
  } else if (n >= 2 && h[0] == 0xFF && h[1] == 0xFE) {
    encoding_ = Encoding::kUtf16Le;
    skip = 2;
  } else if (n >= 2 && h[0] == 0xFE && h[1] == 0xFF) {
    encoding_ = Encoding::kUtf16Be;
    skip = 2;
  } else if (n >= 4 && h[0] != 0 && h[1] == 0 && h[2] != 0 && h[3] == 0) {
    encoding_ = Encoding::kUtf16Le;  // ASCII text in UTF-16 LE without a BOM
  } else if (n >= 4 && h[0] == 0 && h[1] != 0 && h[2] == 0 && h[3] != 0) {
    encoding_ = Encoding::kUtf16Be;
  } else {
    encoding_ = Encoding::kUtf8;
  }
  std::string head;
  head.swap(head_);
  decode(head.data() + skip, head.size() - skip, out);
}

void TextDecoder::decode_utf8(const unsigned char* p, std::size_t n, std::string& out) {
  std::size_t i = 0;
  // Complete a sequence left over from the previous chunk.
  while (n_pending_ > 0 && i < n) {
    const int len = utf8_length(pending_[0]);
    pending_[n_pending_++] = p[i++];
    if ((pending_[n_pending_ - 1] & 0xC0) != 0x80) {
      // The sequence broke off: replace what was pending and re-read this byte normally.
      --i;
      --n_pending_;
      if (!multibyte_seen_) {
        encoding_ = Encoding::kWindows1252;
        decode_cp1252(pending_, static_cast<std::size_t>(n_pending_), out);
        n_pending_ = 0;
        decode_cp1252(p + i, n - i, out);
        return;
      }
      out.append("\xEF\xBF\xBD");
      ++replaced_;
      n_pending_ = 0;
      break;
    }
    if (n_pending_ == len) {
      if (utf8_valid(pending_, len)) {
        multibyte_seen_ = true;
        out.append(reinterpret_cast<const char*>(pending_), static_cast<std::size_t>(len));
      } else if (!multibyte_seen_) {
        encoding_ = Encoding::kWindows1252;
        decode_cp1252(pending_, static_cast<std::size_t>(len), out);
        n_pending_ = 0;
        decode_cp1252(p + i, n - i, out);
        return;
      } else {
        out.append("\xEF\xBF\xBD");
        ++replaced_;
      }
      n_pending_ = 0;
    }
  }
  std::size_t run = i;  // start of the pending run of bytes to copy as they are
  while (i < n) {
    i = skip_ascii(p, i, n);
    if (i >= n) break;
    const unsigned char b = p[i];
    const int len = utf8_length(b);
    if (len > 0 && i + static_cast<std::size_t>(len) > n) {
      // Might straddle the chunk: check what is here, keep it for later.
      bool ok = true;
      for (std::size_t j = i + 1; j < n; ++j) ok = ok && (p[j] & 0xC0) == 0x80;
      if (ok) {
        out.append(reinterpret_cast<const char*>(p + run), i - run);
        n_pending_ = static_cast<int>(n - i);
        std::memcpy(pending_, p + i, n - i);
        return;
      }
    }
    if (len > 0 && i + static_cast<std::size_t>(len) <= n && utf8_valid(p + i, len)) {
      multibyte_seen_ = true;
      i += static_cast<std::size_t>(len);
      continue;
    }
    // Invalid sequence.
    out.append(reinterpret_cast<const char*>(p + run), i - run);
    if (!multibyte_seen_) {
      encoding_ = Encoding::kWindows1252;
      decode_cp1252(p + i, n - i, out);
      return;
    }
    out.append("\xEF\xBF\xBD");
    ++replaced_;
    ++i;
    run = i;
  }
  out.append(reinterpret_cast<const char*>(p + run), n - run);
}

void TextDecoder::decode_cp1252(const unsigned char* p, std::size_t n, std::string& out) {
  std::size_t run = 0;
  for (std::size_t i = skip_ascii(p, 0, n); i < n; i = skip_ascii(p, i + 1, n)) {
    const unsigned char b = p[i];
    out.append(reinterpret_cast<const char*>(p + run), i - run);
    append_utf8(b < 0xA0 ? kCp1252High[b - 0x80] : b, out);
    run = i + 1;
  }
  out.append(reinterpret_cast<const char*>(p + run), n - run);
}

void TextDecoder::decode_utf16(const unsigned char* p, std::size_t n, std::string& out) {
  const bool le = encoding_ == Encoding::kUtf16Le;
  std::size_t i = 0;
  auto unit_at = [&](unsigned char a, unsigned char b) -> std::uint32_t {
    return le ? (a | (b << 8)) : ((a << 8) | b);
  };
  while (true) {
    std::uint32_t u;
    if (n_pending_ == 1) {
      if (i >= n) return;
      u = unit_at(pending_[0], p[i]);
      ++i;
      n_pending_ = 0;
    } else {
      if (i + 2 > n) {
        if (i < n) {
          pending_[0] = p[i];
          n_pending_ = 1;
        }
        return;
      }
      u = unit_at(p[i], p[i + 1]);
      i += 2;
    }
    if (high_surrogate_ != 0) {
      if (u >= 0xDC00 && u <= 0xDFFF) {
        append_utf8(0x10000 + ((high_surrogate_ - 0xD800) << 10) + (u - 0xDC00), out);
        high_surrogate_ = 0;
        continue;
      }
      out.append("\xEF\xBF\xBD");
      ++replaced_;
      high_surrogate_ = 0;
    }
    if (u >= 0xD800 && u <= 0xDBFF) {
      high_surrogate_ = u;
    } else if (u >= 0xDC00 && u <= 0xDFFF) {
      out.append("\xEF\xBF\xBD");
      ++replaced_;
    } else {
      append_utf8(u, out);
    }
  }
}

void TextDecoder::finish(std::string& out) {
  if (encoding_ == Encoding::kUnknown) {
    if (head_.empty()) {
      encoding_ = Encoding::kUtf8;
      return;
    }
    // Fewer than kDetectBytes bytes in the whole file.
    std::string head;
    head.swap(head_);
    const auto* h = reinterpret_cast<const unsigned char*>(head.data());
    std::size_t skip = 0;
    if (head.size() >= 3 && h[0] == 0xEF && h[1] == 0xBB && h[2] == 0xBF) {
      encoding_ = Encoding::kUtf8Bom;
      skip = 3;
    } else if (head.size() >= 2 && ((h[0] == 0xFF && h[1] == 0xFE) || (h[0] == 0xFE && h[1] == 0xFF))) {
      encoding_ = h[0] == 0xFF ? Encoding::kUtf16Le : Encoding::kUtf16Be;
      skip = 2;
    } else {
      encoding_ = Encoding::kUtf8;
    }
    decode(head.data() + skip, head.size() - skip, out);
  }
  if (n_pending_ > 0 || high_surrogate_ != 0) {
    if (encoding_ == Encoding::kUtf8 || encoding_ == Encoding::kUtf8Bom) {
      if (!multibyte_seen_) {
        encoding_ = Encoding::kWindows1252;
        decode_cp1252(pending_, static_cast<std::size_t>(n_pending_), out);
      } else {
        out.append("\xEF\xBF\xBD");
        ++replaced_;
      }
    } else {
      out.append("\xEF\xBF\xBD");
      ++replaced_;
    }
    n_pending_ = 0;
    high_surrogate_ = 0;
  }
}

}  // namespace core
