#include "input.h"

#include <zlib.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "errors.h"
#include "file_kind.h"

namespace cli {

struct InputFile::Gzip {
  z_stream s{};
  std::vector<unsigned char> in = std::vector<unsigned char>(std::size_t{1} << 20);
  bool ended = false;  // the last member ended and no input follows
  ~Gzip() { inflateEnd(&s); }
};

InputFile::InputFile(const std::string& path) {
  const std::size_t slash = path.find_last_of('/');
  name_ = slash == std::string::npos ? path : path.substr(slash + 1);
  file_ = std::fopen(path.c_str(), "rb");
  if (!file_) throw core::InputError("cannot open \"" + path + "\": " + std::strerror(errno));
  if (std::fseek(file_, 0, SEEK_END) == 0) {
    disk_size_ = std::ftell(file_);
    std::fseek(file_, 0, SEEK_SET);
  }
  head_.resize(8192);
  head_.resize(read_raw(head_.data(), head_.size()));
  core::FileKind kind = core::sniff_file_kind(head_.data(), head_.size());
  if (kind == core::FileKind::kGzip) {
    gzip_ = true;
    z_ = std::make_unique<Gzip>();
    if (inflateInit2(&z_->s, 15 + 16) != Z_OK)
      throw core::InputError("cannot unpack \"" + name_ + "\": zlib failed to start");
    compressed_head_ = std::move(head_);
    // What the gzip stream holds must be text too (a gzipped workbook is still a workbook).
    std::string unpacked(8192, '\0');
    std::size_t got = 0;
    while (got < unpacked.size()) {
      const std::size_t k = inflate_some(unpacked.data() + got, unpacked.size() - got);
      if (k == 0) break;
      got += k;
    }
    unpacked.resize(got);
    head_ = std::move(unpacked);
    head_pos_ = 0;
    kind = core::sniff_file_kind(head_.data(), head_.size());
    if (kind == core::FileKind::kGzip) kind = core::FileKind::kBinary;
  }
  if (kind != core::FileKind::kText) {
    std::fclose(file_);
    file_ = nullptr;
    throw core::InputError(core::binary_file_message(name_, kind) + (gzip_ ? " (It came gzip-compressed.)" : ""), 1, 1);
  }
}

InputFile::~InputFile() {
  if (file_) std::fclose(file_);
}

std::size_t InputFile::read_raw(char* out, std::size_t n) {
  const std::size_t k = std::fread(out, 1, n, file_);
  if (k < n && std::ferror(file_)) throw core::InputError("cannot read \"" + name_ + "\": " + std::strerror(errno));
  return k;
}

// Unpacks into out; concatenated gzip members (as `cat a.gz b.gz` makes) are read one after another.
std::size_t InputFile::inflate_some(char* out, std::size_t n) {
  Gzip& z = *z_;
  z.s.next_out = reinterpret_cast<Bytef*>(out);
  z.s.avail_out = static_cast<uInt>(n);
  while (z.s.avail_out > 0 && !z.ended) {
    if (z.s.avail_in == 0) {
      // The bytes read ahead to tell the kind come first.
      std::size_t k;
      if (!compressed_head_.empty()) {
        k = compressed_head_.size();
        std::memcpy(z.in.data(), compressed_head_.data(), k);
        compressed_head_.clear();
      } else {
        k = read_raw(reinterpret_cast<char*>(z.in.data()), z.in.size());
      }
      if (k == 0)
        throw core::InputError("\"" + name_ +
                               "\" is a gzip file cut short: it ends inside the compressed data. "
                               "Download or export it again.");
      z.s.next_in = z.in.data();
      z.s.avail_in = static_cast<uInt>(k);
    }
    const int rc = inflate(&z.s, Z_NO_FLUSH);
    if (rc == Z_STREAM_END) {
      // Another member may follow; else the end.
      if (z.s.avail_in == 0) {
        const std::size_t k = read_raw(reinterpret_cast<char*>(z.in.data()), z.in.size());
        if (k == 0) {
          z.ended = true;
          break;
        }
        z.s.next_in = z.in.data();
        z.s.avail_in = static_cast<uInt>(k);
      }
      inflateReset(&z.s);
      continue;
    }
    if (rc != Z_OK && rc != Z_BUF_ERROR)
      throw core::InputError("\"" + name_ + "\" is a damaged gzip file (" + (z.s.msg ? z.s.msg : "inflate failed") +
                             "). Download or export it again.");
    if (rc == Z_BUF_ERROR && z.s.avail_in > 0) break;
  }
  return n - z.s.avail_out;
}

std::size_t InputFile::read(char* out, std::size_t n) {
  if (gzip_) {
    std::size_t got = 0;
    if (head_pos_ < head_.size()) {  // unpacked text read ahead
      got = std::min(n, head_.size() - head_pos_);
      std::memcpy(out, head_.data() + head_pos_, got);
      head_pos_ += got;
    }
    return got + (got < n ? inflate_some(out + got, n - got) : 0);
  }
  std::size_t got = 0;
  if (head_pos_ < head_.size()) {
    got = std::min(n, head_.size() - head_pos_);
    std::memcpy(out, head_.data() + head_pos_, got);
    head_pos_ += got;
  }
  return got + (got < n ? read_raw(out + got, n - got) : 0);
}

}  // namespace cli
