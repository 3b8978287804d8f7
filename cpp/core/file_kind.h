// What a file is, from its first bytes: CSV text, or a container or binary format that people drop
// or pass as CSV by mistake (a workbook, a Parquet file, an archive, a PDF, an image). Every entry
// point asks before reading (the CLI's csv, clean, features and segment; the reader the page's
// worker feeds), so a binary file is refused by name with what to do, never read as garbage rows.
#pragma once

#include <cstddef>
#include <string>

namespace core {

enum class FileKind {
  kText,
  kGzip,
  kXlsx,
  kZip,
  kOle2,
  kParquet,
  kPdf,
  kPng,
  kJpeg,
  kGif,
  kWebp,
  kBmp,
  kTiff,
  kBzip2,
  kXz,
  kSevenZip,
  kZstd,
  kBinary
};

/// The kind the first `n` bytes show (at least 8 are needed to tell all kinds apart; a ZIP is told
/// an Excel workbook by its entry names in the bytes given). kBinary: NUL bytes in the first 4 KB of
/// what is not UTF-16 text.
FileKind sniff_file_kind(const char* data, std::size_t n);

/// "an Excel workbook (.xlsx)", "a Parquet file", …
const char* file_kind_name(FileKind kind);

/// The refusal for a file of a kind other than text: what it is and what to do, naming the file.
std::string binary_file_message(const std::string& file_name, FileKind kind);

}  // namespace core
