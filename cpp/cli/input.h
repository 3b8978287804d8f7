// The CLI's input files: read in chunks, gzip unpacked as it is read (told by its first bytes,
// whatever the name), and any other binary kind (a workbook, Parquet, an archive, a PDF, an image)
// refused by name before a byte is parsed.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>

namespace cli {

class InputFile {
 public:
  /// @throws core::InputError when the file cannot be opened or is not (gzip-compressed) text
  explicit InputFile(const std::string& path);
  ~InputFile();
  InputFile(const InputFile&) = delete;
  InputFile& operator=(const InputFile&) = delete;

  /// Up to n bytes of text; 0 at the end. @throws core::InputError on a damaged gzip stream
  std::size_t read(char* out, std::size_t n);
  /// Bytes on disk (0 if unknown).
  std::int64_t disk_size() const { return disk_size_; }
  bool gzip() const { return gzip_; }
  /// The file's name without its directories, for messages.
  const std::string& name() const { return name_; }

 private:
  std::size_t read_raw(char* out, std::size_t n);
  std::size_t inflate_some(char* out, std::size_t n);

  std::FILE* file_ = nullptr;
  std::string name_;
  std::int64_t disk_size_ = 0;
  bool gzip_ = false;
  struct Gzip;
  std::unique_ptr<Gzip> z_;
  std::string head_;  // text read ahead to tell the kind (unpacked for gzip), handed out first
  std::size_t head_pos_ = 0;
  std::string compressed_head_;  // gzip: the compressed bytes read ahead, inflated first
};

}  // namespace cli
