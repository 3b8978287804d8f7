#include "file_kind.h"

#include <algorithm>
#include <cstring>
#include <string_view>

namespace core {
namespace {

bool starts(const char* data, std::size_t n, const char* magic, std::size_t len) {
  return n >= len && std::memcmp(data, magic, len) == 0;
}

}  // namespace

FileKind sniff_file_kind(const char* data, std::size_t n) {
  if (n == 0) return FileKind::kText;
  if (starts(data, n, "\x1F\x8B", 2)) return FileKind::kGzip;
  if (starts(data, n, "PK\x03\x04", 4) || starts(data, n, "PK\x05\x06", 4)) {
    // An Office Open XML workbook names its parts in the local headers: [Content_Types].xml, xl/…
    const std::string_view head(data, std::min<std::size_t>(n, 8192));
    const bool workbook = head.find("xl/") != std::string_view::npos ||
                          (head.find("[Content_Types].xml") != std::string_view::npos &&
                           head.find("word/") == std::string_view::npos && head.find("ppt/") == std::string_view::npos);
    return workbook ? FileKind::kXlsx : FileKind::kZip;
  }
  if (starts(data, n, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) || starts(data, n, "\xD0\xCF\x11\xE0", 4))
    return FileKind::kOle2;
  if (starts(data, n, "PAR1", 4)) return FileKind::kParquet;
  if (starts(data, n, "%PDF", 4)) return FileKind::kPdf;
  if (starts(data, n, "\x89PNG", 4)) return FileKind::kPng;
  if (starts(data, n, "\xFF\xD8\xFF", 3)) return FileKind::kJpeg;
  if (starts(data, n, "GIF8", 4)) return FileKind::kGif;
  if (starts(data, n, "RIFF", 4) && n >= 12 && std::memcmp(data + 8, "WEBP", 4) == 0) return FileKind::kWebp;
  if (starts(data, n, "BM", 2) && n >= 14 && data[6] == 0 && data[7] == 0 && data[8] == 0 && data[9] == 0)
    return FileKind::kBmp;
  if (starts(data, n, "II*\0", 4) || starts(data, n, "MM\0*", 4)) return FileKind::kTiff;
  if (starts(data, n, "BZh", 3) && n >= 4 && data[3] >= '1' && data[3] <= '9') return FileKind::kBzip2;
  if (starts(data, n,
             "\xFD"
             "7zXZ\0",
             6))
    return FileKind::kXz;
  if (starts(data, n, "7z\xBC\xAF\x27\x1C", 6)) return FileKind::kSevenZip;
  if (starts(data, n, "\x28\xB5\x2F\xFD", 4)) return FileKind::kZstd;
  // NUL bytes in what is not UTF-16 (a BOM, or every other byte zero in the first characters).
  const std::size_t probe = std::min<std::size_t>(n, 4096);
  const auto b0 = static_cast<unsigned char>(data[0]);
  const auto b1 = n > 1 ? static_cast<unsigned char>(data[1]) : 0u;
  const bool utf16 = (b0 == 0xFF && b1 == 0xFE) || (b0 == 0xFE && b1 == 0xFF) ||
                     (n >= 4 && ((data[1] == 0 && data[3] == 0) || (data[0] == 0 && data[2] == 0)));
  if (!utf16 && std::memchr(data, 0, probe) != nullptr) return FileKind::kBinary;
  return FileKind::kText;
}

const char* file_kind_name(FileKind kind) {
  switch (kind) {
    case FileKind::kText: return "text";
    case FileKind::kGzip: return "a gzip-compressed file";
    case FileKind::kXlsx: return "an Excel workbook (.xlsx)";
    case FileKind::kZip: return "a ZIP archive";
    case FileKind::kOle2: return "an Excel 97-2003 workbook (.xls) or another Office file in the old binary format";
    case FileKind::kParquet: return "a Parquet file";
    case FileKind::kPdf: return "a PDF document";
    case FileKind::kPng: return "a PNG image";
    case FileKind::kJpeg: return "a JPEG image";
    case FileKind::kGif: return "a GIF image";
    case FileKind::kWebp: return "a WebP image";
    case FileKind::kBmp: return "a BMP image";
    case FileKind::kTiff: return "a TIFF image";
    case FileKind::kBzip2: return "a bzip2-compressed file";
    case FileKind::kXz: return "an xz-compressed file";
    case FileKind::kSevenZip: return "a 7-Zip archive";
    case FileKind::kZstd: return "a Zstandard-compressed file";
    case FileKind::kBinary: return "binary data (NUL bytes in its first 4 KB)";
  }
  return "?";
}

std::string binary_file_message(const std::string& file_name, FileKind kind) {
  std::string advice;
  switch (kind) {
    case FileKind::kText: return "";
    case FileKind::kGzip:
      advice =
          "Unpack it first (gunzip), or give it a .gz name: the page and the loyaltylens command-line tool unpack gzip "
          "as they read.";
      break;
    case FileKind::kXlsx:
      advice =
          "The LoyaltyLens page reads .xlsx workbooks (its first visible sheet): drop it there. For the command line, "
          "save the "
          "sheet as CSV (Excel: File > Save As > CSV UTF-8).";
      break;
    case FileKind::kZip: advice = "Unzip it and use the CSV file inside."; break;
    case FileKind::kOle2:
      advice = "Open it in Excel or LibreOffice and save it as CSV (or as .xlsx, which the page reads).";
      break;
    case FileKind::kParquet:
      advice =
          "The LoyaltyLens page reads Parquet: drop it there. For the command line, convert it to CSV first "
          "(for example: duckdb -c \"COPY 'file.parquet' TO 'file.csv'\").";
      break;
    case FileKind::kPdf:
      advice =
          "A PDF is a report, not the data behind it: export the transactions as CSV from the system that made it.";
      break;
    case FileKind::kPng:
    case FileKind::kJpeg:
    case FileKind::kGif:
    case FileKind::kWebp:
    case FileKind::kBmp:
    case FileKind::kTiff: advice = "An image holds no rows to read: export the transactions as CSV."; break;
    case FileKind::kBzip2: advice = "Unpack it first (bunzip2), then use the CSV file."; break;
    case FileKind::kXz: advice = "Unpack it first (unxz), then use the CSV file."; break;
    case FileKind::kSevenZip: advice = "Unpack it first (7z x), then use the CSV file inside."; break;
    case FileKind::kZstd: advice = "Unpack it first (unzstd), then use the CSV file."; break;
    case FileKind::kBinary: advice = "Export the transactions as a CSV file and use that."; break;
  }
  return "\"" + file_name + "\" is " + file_kind_name(kind) + ", not CSV text. " + advice;
}

}  // namespace core
