#include "ingest.h"

#include <algorithm>
#include <cstring>

#include "dates.h"
#include "errors.h"
#include "values.h"

namespace core {
namespace {

constexpr std::size_t kMaxWarnings = 20;

struct Magic {
  const char* bytes;
  std::size_t len;
  const char* what;
};

const Magic kMagics[] = {
    {"PK\x03\x04", 4, "a ZIP archive (an Excel .xlsx workbook is one)"},
    {"\x89PNG", 4, "a PNG image"},
    {"\xFF\xD8\xFF", 3, "a JPEG image"},
    {"GIF8", 4, "a GIF image"},
    {"%PDF", 4, "a PDF document"},
    {"\x1F\x8B", 2, "a gzip-compressed file"},
    {"\xD0\xCF\x11\xE0", 4, "an old Excel .xls workbook"},
    {"PAR1", 4, "a Parquet file"},
};

std::string delimiter_name(char d) {
  if (d == '\t') return "tab";
  return std::string(1, d);
}

}  // namespace

Ingest::Ingest(std::string file_name) {
  summary_.file_name = std::move(file_name);
  reader_ = std::make_unique<CsvReader>(CsvOptions{}, [this](const CsvRecord& r) { on_record(r); });
}

Ingest::~Ingest() = default;

void Ingest::check_magic(const char* data, std::size_t n) {
  for (const auto& m : kMagics) {
    if (n >= m.len && std::memcmp(data, m.bytes, m.len) == 0)
      throw InputError("\"" + summary_.file_name + "\" is " + m.what +
                           ", not a CSV text file. Open it in its program and export or save it as "
                           "CSV (comma-separated values), then drop the .csv file here.",
                       1, 1);
  }
  // NUL bytes in the first bytes of a file that is not UTF-16 mean binary data.
  const std::size_t probe = std::min<std::size_t>(n, 4096);
  std::size_t nuls = 0;
  for (std::size_t i = 0; i < probe; ++i) nuls += data[i] == 0;
  const bool utf16_bom = n >= 2 && ((static_cast<unsigned char>(data[0]) == 0xFF &&
                                     static_cast<unsigned char>(data[1]) == 0xFE) ||
                                    (static_cast<unsigned char>(data[0]) == 0xFE &&
                                     static_cast<unsigned char>(data[1]) == 0xFF));
  if (!utf16_bom && nuls > 0 && nuls * 4 < probe)
    throw InputError("\"" + summary_.file_name + "\" holds binary data (NUL bytes), not CSV text. "
                     "Export the transactions as a CSV file and drop that.", 1, 1);
}

void Ingest::feed(const char* data, std::size_t n) {
  if (bytes_ == 0 && n > 0) check_magic(data, n);
  bytes_ += static_cast<std::int64_t>(n);
  text_.clear();
  decoder_.decode(data, n, text_);
  reader_->feed(text_);
}

void Ingest::warn(const std::string& message) {
  ++warnings_total_;
  if (summary_.warnings.size() < kMaxWarnings) summary_.warnings.push_back(message);
}

void Ingest::on_record(const CsvRecord& r) {
  if (!have_header_) {
    on_header(r);
    return;
  }
  ++summary_.rows_read;
  on_row(r);
}

void Ingest::on_header(const CsvRecord& r) {
  have_header_ = true;
  roles_ = detect_roles(r.fields);
  for (auto f : r.fields) summary_.columns.emplace_back(printable(f));
  const std::string missing = missing_roles_message(roles_, r.fields);
  if (!missing.empty()) throw InputError("\"" + summary_.file_name + "\": " + missing, r.line);
  summary_.layout = roles_.layout;
  for (int i : roles_.index) needed_fields_ = std::max<std::size_t>(needed_fields_, i + 1);
}

void Ingest::on_row(const CsvRecord& r) {
  if (r.fields.size() < needed_fields_) {
    ++summary_.rows_invalid;
    warn("line " + std::to_string(r.line) + ": " + std::to_string(r.fields.size()) +
         " fields where the header has " + std::to_string(summary_.columns.size()) + "; row skipped");
    return;
  }
  const auto field = [&](Role role) { return r.fields[static_cast<std::size_t>(roles_[role])]; };
  const auto column_of = [&](Role role) { return static_cast<std::int64_t>(roles_[role]) + 1; };

  // The date counts for the file's last invoice date whatever else the row holds.
  const ParsedDate date = parse_date(field(Role::kDate));
  if (date.kind == ParsedDate::Kind::kIso) {
    iso_seen_ = true;
    max_md_ = std::max(max_md_, date.days);
    max_dm_ = std::max(max_dm_, date.days);
  } else if (date.kind == ParsedDate::Kind::kSlash) {
    slash_seen_ = true;
    if (!date.md_ok && md_possible_) {
      md_possible_ = false;
      md_ruled_out_line_ = r.line;
    }
    if (!date.dm_ok && dm_possible_) {
      dm_possible_ = false;
      dm_ruled_out_line_ = r.line;
    }
    if (date.md_ok) max_md_ = std::max(max_md_, date.days_md);
    if (date.dm_ok) max_dm_ = std::max(max_dm_, date.days_dm);
    const std::string_view d = trim(field(Role::kDate));
    date_separator_ = d.size() > 2 && (d[1] < '0' || d[1] > '9') ? d[1] : d.size() > 2 ? d[2] : '/';
  }

  const std::string_view id = normalize_id(field(Role::kCustomer));
  if (id.empty()) {
    ++summary_.rows_no_customer;
    return;
  }
  const std::string_view invoice = trim(field(Role::kInvoice));
  double quantity = 1, price = 0, amount = 0;
  const bool has_qty_price = roles_.has(Role::kQuantity) && roles_.has(Role::kPrice);
  bool numbers_ok;
  if (has_qty_price) {
    numbers_ok = parse_number(field(Role::kQuantity), quantity) && parse_number(field(Role::kPrice), price);
    amount = quantity * price;
  } else {
    numbers_ok = parse_number(field(Role::kAmount), amount);
    if (roles_.has(Role::kQuantity)) numbers_ok = numbers_ok && parse_number(field(Role::kQuantity), quantity);
  }
  const bool cancelled = (!invoice.empty() && (invoice[0] == 'C' || invoice[0] == 'c')) ||
                         (numbers_ok && (quantity < 0 || (!has_qty_price && amount < 0)));
  if (cancelled) {
    ++summary_.rows_cancelled;
    return;
  }
  if (date.kind == ParsedDate::Kind::kInvalid) {
    ++summary_.rows_invalid;
    warn("line " + std::to_string(r.line) + ", column " + std::to_string(column_of(Role::kDate)) +
         ": date \"" + printable(field(Role::kDate)) + "\" is not a date (expected e.g. 2011-12-09 "
         "or 12/9/2011 8:26); row skipped");
    return;
  }
  if (!numbers_ok) {
    ++summary_.rows_invalid;
    const Role bad = has_qty_price ? (parse_number(field(Role::kQuantity), quantity) ? Role::kPrice : Role::kQuantity)
                                   : Role::kAmount;
    warn("line " + std::to_string(r.line) + ", column " + std::to_string(column_of(bad)) + ": " +
         role_name(bad) + " \"" + printable(field(bad)) + "\" is not a number; row skipped");
    return;
  }
  if (invoice.empty()) {
    ++summary_.rows_invalid;
    warn("line " + std::to_string(r.line) + ", column " + std::to_string(column_of(Role::kInvoice)) +
         ": the invoice is empty; row skipped");
    return;
  }

  // Customer index (rows of one invoice come together, so the last one is usually it).
  std::int32_t c;
  if (last_customer_idx_ >= 0 && id == last_customer_) {
    c = last_customer_idx_;
  } else {
    std::string key(id);
    auto it = customer_index_.find(key);
    if (it == customer_index_.end()) {
      c = static_cast<std::int32_t>(customer_ids_.size());
      customer_index_.emplace(key, c);
      customer_ids_.push_back(key);
      customers_.emplace_back();
    } else {
      c = it->second;
    }
    last_customer_.assign(id.data(), id.size());
    last_customer_idx_ = c;
  }
  // Invoice index.
  std::int32_t inv;
  if (last_invoice_idx_ >= 0 && invoice == last_invoice_) {
    inv = last_invoice_idx_;
  } else {
    std::string key(invoice);
    auto it = invoice_index_.find(key);
    if (it == invoice_index_.end()) {
      inv = static_cast<std::int32_t>(invoice_index_.size());
      invoice_index_.emplace(std::move(key), inv);
    } else {
      inv = it->second;
    }
    last_invoice_.assign(invoice.data(), invoice.size());
    last_invoice_idx_ = inv;
  }
  Customer& cu = customers_[static_cast<std::size_t>(c)];
  const std::uint64_t pair = (static_cast<std::uint64_t>(static_cast<std::uint32_t>(c)) << 32) |
                             static_cast<std::uint32_t>(inv);
  if (customer_invoice_.insert(pair).second) ++cu.invoices;
  cu.monetary += amount;
  const std::int32_t md = date.kind == ParsedDate::Kind::kIso ? date.days : (date.md_ok ? date.days_md : INT32_MIN);
  const std::int32_t dm = date.kind == ParsedDate::Kind::kIso ? date.days : (date.dm_ok ? date.days_dm : INT32_MIN);
  if (md != INT32_MIN) {
    cu.last_md = std::max(cu.last_md, md);
    cu.first = std::min(cu.first, md);
  }
  if (dm != INT32_MIN) {
    cu.last_dm = std::max(cu.last_dm, dm);
    cu.first_dm = std::min(cu.first_dm, dm);
  }
  ++summary_.rows_kept;
}

IngestResult Ingest::finish() {
  text_.clear();
  decoder_.finish(text_);
  if (!text_.empty()) reader_->feed(text_);
  reader_->finish();
  summary_.bytes = bytes_;
  summary_.encoding = encoding_name(decoder_.encoding());
  summary_.delimiter = delimiter_name(reader_->delimiter() ? reader_->delimiter() : ',');
  if (!have_header_)
    throw InputError("\"" + summary_.file_name + "\" is empty: it holds no header row and no data. "
                     "Export the transactions again and drop the CSV file.");
  if (warnings_total_ > static_cast<std::int64_t>(summary_.warnings.size()))
    summary_.warnings.push_back("… and " + std::to_string(warnings_total_ - static_cast<std::int64_t>(summary_.warnings.size())) +
                                " more warnings");

  // Decide how slash dates read.
  bool use_dm = false;
  const std::string sep(1, date_separator_);
  if (slash_seen_) {
    if (!md_possible_ && !dm_possible_)
      throw InputError("\"" + summary_.file_name + "\": the dates are neither all month/day/year (line " +
                           std::to_string(md_ruled_out_line_) + " is not) nor all day/month/year (line " +
                           std::to_string(dm_ruled_out_line_) + " is not). Export the dates in one format, "
                           "ideally YYYY-MM-DD.",
                       md_ruled_out_line_);
    use_dm = !md_possible_;
    if (use_dm) {
      summary_.date_format = "D" + sep + "M" + sep + "YYYY (a day above 12 in the first place, line " +
                             std::to_string(md_ruled_out_line_) + ")";
    } else if (!dm_possible_) {
      summary_.date_format = "M" + sep + "D" + sep + "YYYY (a day above 12 in the second place, line " +
                             std::to_string(dm_ruled_out_line_) + ")";
    } else {
      summary_.date_format = "M" + sep + "D" + sep + "YYYY (ambiguous: no day above 12; read as month first)";
    }
    if (iso_seen_) summary_.date_format += " and YYYY-MM-DD";
  } else {
    summary_.date_format = "YYYY-MM-DD";
  }

  IngestResult result;
  const std::size_t n = customers_.size();
  if (n == 0) {
    throw InputError("\"" + summary_.file_name + "\": no purchases are left to analyse. Of " +
                     std::to_string(summary_.rows_read) + " data rows, " +
                     std::to_string(summary_.rows_no_customer) + " have no customer id, " +
                     std::to_string(summary_.rows_cancelled) + " are cancellations and " +
                     std::to_string(summary_.rows_invalid) + " could not be read" +
                     (summary_.warnings.empty() ? "" : " (first: " + summary_.warnings.front() + ")") +
                     ". Check that the file holds purchases with customer ids.");
  }
  const std::int32_t max_day = use_dm ? max_dm_ : max_md_;
  const std::int32_t as_of = max_day + 1;
  std::int32_t first_day = INT32_MAX, last_day = INT32_MIN;
  CustomerTable& t = result.customers;
  t.ids = std::move(customer_ids_);
  t.recency.resize(n);
  t.frequency.resize(n);
  t.monetary.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    const Customer& c = customers_[i];
    const std::int32_t last = use_dm ? c.last_dm : c.last_md;
    const std::int32_t first = use_dm ? c.first_dm : c.first;
    first_day = std::min(first_day, first);
    last_day = std::max(last_day, last);
    t.recency[i] = static_cast<double>(as_of - last);
    t.frequency[i] = static_cast<double>(c.invoices);
    t.monetary[i] = c.monetary;
  }
  summary_.first_date = format_date(first_day);
  summary_.last_date = format_date(last_day);
  summary_.as_of = format_date(as_of);
  result.summary = summary_;
  return result;
}

}  // namespace core
