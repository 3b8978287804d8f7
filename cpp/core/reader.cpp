#include "reader.h"

#include <algorithm>
#include <cctype>
#include <climits>
#include <cmath>
#include <cstring>

#include "dates.h"
#include "errors.h"

namespace core {
namespace {

constexpr std::size_t kSniffRows = 1000;
constexpr std::size_t kMaxWarnings = 20;
constexpr std::size_t kMaxExamples = 5;
constexpr std::int32_t kExcelEpoch = 25569;  // Excel serial day of 1970-01-01 (1900 date system)

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

std::string delimiter_name(char d) { return d == '\t' ? "tab" : std::string(1, d); }

std::string lower_key(const std::string& s) {
  std::string k;
  for (char c : s)
    if (std::isalnum(static_cast<unsigned char>(c))) k.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  return k;
}

}  // namespace

TransactionReader::TransactionReader(ReadOptions options) : options_(std::move(options)) {
  summary_.file_name = options_.file_name;
  summary_.roles.fill(-1);
  CsvOptions csv;
  csv.delimiter = options_.delimiter;
  reader_ = std::make_unique<CsvReader>(csv, [this](const CsvRecord& r) { on_record(r); });
}

TransactionReader::~TransactionReader() = default;

void TransactionReader::check_magic(const char* data, std::size_t n) {
  for (const auto& m : kMagics) {
    if (n >= m.len && std::memcmp(data, m.bytes, m.len) == 0)
      throw InputError("\"" + summary_.file_name + "\" is " + m.what +
                           ", not a CSV text file. Open it in its program, save or export it as CSV "
                           "(comma-separated values) and drop the .csv file here.",
                       1, 1);
  }
  const std::size_t probe = std::min<std::size_t>(n, 4096);
  std::size_t nuls = 0;
  for (std::size_t i = 0; i < probe; ++i) nuls += data[i] == 0;
  const unsigned b0 = static_cast<unsigned char>(data[0]);
  const unsigned b1 = n > 1 ? static_cast<unsigned char>(data[1]) : 0u;
  const bool utf16 = (b0 == 0xFF && b1 == 0xFE) || (b0 == 0xFE && b1 == 0xFF) ||
                     (n >= 4 && ((data[1] == 0 && data[3] == 0) || (data[0] == 0 && data[2] == 0)));
  if (!utf16 && nuls > 0)
    throw InputError("\"" + summary_.file_name + "\" holds binary data (NUL bytes in its first " +
                         std::to_string(probe) + " bytes), not CSV text. Export the transactions as a "
                         "CSV file and drop that.",
                     1, 1);
}

void TransactionReader::feed(const char* data, std::size_t n) {
  if (bytes_ == 0 && n > 0) check_magic(data, n);
  bytes_ += static_cast<std::int64_t>(n);
  // The decoder writes straight into the CSV reader's buffer: one copy of the bytes, not two.
  decoder_.decode(data, n, reader_->begin_append());
  reader_->end_append();
}

void TransactionReader::unreadable(std::int64_t line, const std::string& reason) {
  ++summary_.rows_unreadable;
  ++warnings_total_;
  const std::string msg = "line " + std::to_string(line) + ": " + reason;
  if (summary_.warnings.size() < kMaxWarnings) summary_.warnings.push_back(msg + "; row skipped");
  if (examples_.size() < kMaxExamples) examples_.push_back(msg);
}

void TransactionReader::on_record(const CsvRecord& r) {
  if (!have_header_) {
    on_header(r);
    return;
  }
  ++summary_.rows_read;
  if (customer_level_) {
    on_customer_row(r.fields, r.line);
    return;
  }
  if (!formats_decided_) {
    sniff_rows_.emplace_back(r.fields.begin(), r.fields.end());
    sniff_lines_.push_back(r.line);
    sniff_hashes_.push_back(line_hash(r.fields));
    if (sniff_rows_.size() >= kSniffRows) decide_formats();
    return;
  }
  on_row(r.fields, r.line, line_hash(r.fields));
}

void TransactionReader::on_header(const CsvRecord& r) {
  have_header_ = true;
  std::vector<std::string_view> header(r.fields.begin(), r.fields.end());
  for (auto f : header) {
    header_.emplace_back(f);
    summary_.columns.emplace_back(printable(f));
  }
  roles_ = detect_roles(header);
  // The user's choices override the detection.
  for (int i = 0; i < kRoleCount; ++i) {
    const std::string& want = options_.role_columns[static_cast<std::size_t>(i)];
    if (want.empty()) continue;
    if (want == "-") {
      roles_.index[static_cast<std::size_t>(i)] = -1;
      continue;
    }
    int found = -1;
    for (std::size_t c = 0; c < header_.size(); ++c)
      if (header_[c] == want || printable(header_[c]) == want) found = static_cast<int>(c);
    if (found < 0)
      throw InputError("\"" + summary_.file_name + "\": the column \"" + want + "\" chosen as " +
                           role_name(static_cast<Role>(i)) + " is not in the header (line " +
                           std::to_string(r.line) + "). Pick one of the columns found.",
                       r.line);
    // A column takes one role: the choice wins over a detected role elsewhere.
    for (int& idx : roles_.index)
      if (idx == found) idx = -1;
    roles_.index[static_cast<std::size_t>(i)] = found;
  }
  if (!roles_.has(Role::kDate) && detect_customer_level(header)) return;
  header_line_ = r.line;
  // Roles the header names did not give (a date, an email column) may still show in the content:
  // decided with the formats, from the first rows.
  if (roles_.has(Role::kDate) && roles_.has(Role::kEmail)) finalize_roles();
}

void TransactionReader::detect_roles_from_content() {
  std::vector<bool> taken(header_.size(), false);
  for (int c : roles_.index)
    if (c >= 0) taken[static_cast<std::size_t>(c)] = true;
  for (std::size_t c = 0; c < header_.size(); ++c) {
    if (taken[c]) continue;
    std::size_t filled = 0, dates = 0, emails = 0;
    for (const auto& row : sniff_rows_) {
      if (c >= row.size()) continue;
      const std::string_view v = trim(row[c]);
      if (v.empty()) continue;
      ++filled;
      if (parse_date(v).kind != ParsedDate::Kind::kInvalid) ++dates;
      const std::size_t at = v.find('@');
      if (at != std::string_view::npos && at > 0 && v.find('.', at) != std::string_view::npos) ++emails;
    }
    if (filled == 0) continue;
    if (!roles_.has(Role::kDate) && dates * 10 >= filled * 9) {
      roles_.index[static_cast<int>(Role::kDate)] = static_cast<int>(c);
      taken[c] = true;
      summary_.warnings.push_back("no date column by name: the dates were found in column " + std::to_string(c + 1) +
                                  " (\"" + printable(header_[c]) + "\"); change the role if that is wrong");
    } else if (!roles_.has(Role::kEmail) && emails * 10 >= filled * 8) {
      roles_.index[static_cast<int>(Role::kEmail)] = static_cast<int>(c);
      taken[c] = true;
    }
  }
}

void TransactionReader::finalize_roles() {
  roles_final_ = true;
  std::vector<std::string_view> header(header_.begin(), header_.end());
  const std::string missing = missing_roles_message(roles_, header);
  if (!missing.empty()) throw InputError("\"" + summary_.file_name + "\": " + missing, header_line_);
  const std::int64_t line = header_line_;
  summary_.layout = roles_.layout;
  if (options_.max_rows > 0 && options_.size_hint / 40 > options_.max_rows)
    throw InputError("\"" + summary_.file_name + "\" is " + std::to_string(options_.size_hint >> 20) +
                         " MB: even at 40 bytes a line that is more than the " + std::to_string(options_.max_rows) +
                         " rows this browser tab can hold. Export a shorter date range, or run the native "
                         "command-line tool (loyaltylens), which has no such limit.",
                     line);
  summary_.roles = roles_.index;
  for (int i : roles_.index) needed_fields_ = std::max<std::size_t>(needed_fields_, static_cast<std::size_t>(i + 1));
  // Quantity × unit price when both are there; else the line amount.
  table_.has_price = roles_.has(Role::kPrice) && roles_.has(Role::kQuantity);
  table_.has_product = roles_.has(Role::kProduct);
  if (options_.size_hint > 0) {
    // About 80 bytes a line in retail exports; one reservation instead of a doubling series.
    const auto rows = static_cast<std::size_t>(options_.size_hint / 80 + 1024);
    for (auto* v : {&table_.customer, &table_.invoice, &table_.day, &table_.product, &table_.country, &table_.line})
      v->reserve(rows);
    table_.quantity.reserve(rows);
    table_.value.reserve(rows);
    table_.flags.reserve(rows);
    line_hash_.reserve(rows);
  }
  table_.has_country = roles_.has(Role::kCountry);
}

void TransactionReader::decide_formats() {
  formats_decided_ = true;
  if (!roles_final_) {
    detect_roles_from_content();
    finalize_roles();
  }
  const char delim = reader_->delimiter();
  auto column_samples = [&](Role role) {
    std::vector<std::string> v;
    const int c = roles_[role];
    if (c < 0) return v;
    for (const auto& row : sniff_rows_)
      if (static_cast<std::size_t>(c) < row.size()) v.push_back(row[static_cast<std::size_t>(c)]);
    return v;
  };
  if (options_.decimal == ',' || options_.decimal == '.') {
    quantity_format_.decimal = value_format_.decimal = options_.decimal;
    quantity_format_.thousands = value_format_.thousands = options_.decimal == ',' ? '.' : ',';
  } else {
    quantity_format_ = sniff_number_format(column_samples(Role::kQuantity), delim);
    value_format_ = sniff_number_format(column_samples(table_.has_price ? Role::kPrice : Role::kAmount), delim);
  }
  summary_.number_format = describe(value_format_);

  // Dates: text, Excel serial days or integer day numbers (dunnhumby DAY).
  const std::vector<std::string> dates = column_samples(Role::kDate);
  std::size_t text_ok = 0, numeric = 0, small_ints = 0;
  for (const auto& d : dates) {
    if (parse_date(d).kind != ParsedDate::Kind::kInvalid) {
      ++text_ok;
      continue;
    }
    double v;
    if (parse_number(d, v)) {
      ++numeric;
      if (v == std::floor(v) && v >= 0 && v < 20000) ++small_ints;
    }
  }
  if (numeric > text_ok) {
    const bool day_header = lower_key(header_[static_cast<std::size_t>(roles_[Role::kDate])]).rfind("day", 0) == 0;
    date_kind_ = (small_ints == numeric || day_header) ? DateKind::kDayNumber : DateKind::kExcelSerial;
  }
  std::vector<std::vector<std::string>> rows;
  rows.swap(sniff_rows_);
  std::vector<std::int64_t> lines;
  lines.swap(sniff_lines_);
  std::vector<std::uint64_t> hashes;
  hashes.swap(sniff_hashes_);
  std::vector<std::string_view> fields;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    fields.assign(rows[i].begin(), rows[i].end());
    on_row(fields, lines[i], hashes[i]);
  }
}

bool TransactionReader::detect_customer_level(const std::vector<std::string_view>& header) {
  // Header names of ready-made RFM tables, by feature (first match wins).
  static const std::vector<std::vector<const char*>> kSynonyms = {
      {"recency", "recencydays", "dayssincelastpurchase", "dayssincelastorder", "daysincelastorder", "r"},
      {"frequency", "orders", "numorders", "numberoforders", "ordercount", "invoices", "f"},
      {"monetary", "monetaryvalue", "spend", "totalspend", "totalrevenue", "revenue", "m"},
  };
  const auto& names = feature_names();
  feature_columns_.assign(names.size(), -1);
  for (std::size_t c = 0; c < header.size(); ++c) {
    const std::string key = lower_key(std::string(header[c]));
    for (std::size_t f = 0; f < names.size(); ++f) {
      if (feature_columns_[f] >= 0) continue;
      bool hit = key == lower_key(names[f]);
      if (f < kSynonyms.size())
        for (const char* s : kSynonyms[f]) hit = hit || key == s;
      if (hit) {
        feature_columns_[f] = static_cast<int>(c);
        break;
      }
    }
  }
  if (!roles_.has(Role::kCustomer) || feature_columns_[0] < 0 || feature_columns_[1] < 0 || feature_columns_[2] < 0)
    return false;
  customer_level_ = true;
  summary_.layout = "customer table (one row per customer)";
  summary_.roles = roles_.index;
  customers_.columns.assign(names.size(), {});
  return true;
}

void TransactionReader::on_customer_row(const std::vector<std::string_view>& f, std::int64_t line) {
  const auto& names = feature_names();
  const int id_col = roles_[Role::kCustomer];
  if (static_cast<std::size_t>(id_col) >= f.size()) {
    unreadable(line, std::to_string(f.size()) + " fields where the header has " + std::to_string(header_.size()));
    return;
  }
  const std::string_view id = normalize_id(f[static_cast<std::size_t>(id_col)]);
  if (id.empty()) {
    unreadable(line, "column " + std::to_string(id_col + 1) + ": the customer id is empty");
    return;
  }
  std::vector<double> values(names.size(), std::nan(""));
  for (std::size_t k = 0; k < names.size(); ++k) {
    const int c = feature_columns_[k];
    if (c < 0) continue;
    const std::string_view cell = static_cast<std::size_t>(c) < f.size() ? f[static_cast<std::size_t>(c)] : std::string_view();
    double v;
    NumberFormat comma;
    comma.decimal = ',';
    const bool ok = parse_number(cell, v) || (options_.decimal != '.' && parse_number(cell, comma, v));
    if (!ok) {
      if (k < 3) {
        unreadable(line, "column " + std::to_string(c + 1) + ": " + names[k] + " \"" + printable(cell) + "\" is not a number");
        return;
      }
      continue;  // an optional feature left empty
    }
    values[k] = v;
  }
  if (std::isnan(values[3]) && values[1] > 0) values[3] = values[2] / values[1];  // average order value
  customers_.ids.emplace_back(id);
  customers_.country.push_back(roles_.has(Role::kCountry) && static_cast<std::size_t>(roles_[Role::kCountry]) < f.size()
                                   ? std::string(trim(f[static_cast<std::size_t>(roles_[Role::kCountry])]))
                                   : std::string());
  customers_.email.push_back(roles_.has(Role::kEmail) && static_cast<std::size_t>(roles_[Role::kEmail]) < f.size()
                                 ? std::string(trim(f[static_cast<std::size_t>(roles_[Role::kEmail])]))
                                 : std::string());
  customers_.phone.push_back(roles_.has(Role::kPhone) && static_cast<std::size_t>(roles_[Role::kPhone]) < f.size()
                                 ? std::string(trim(f[static_cast<std::size_t>(roles_[Role::kPhone])]))
                                 : std::string());
  customers_.first_day.push_back(0);
  customers_.last_day.push_back(0);
  for (std::size_t k = 0; k < names.size(); ++k) customers_.columns[k].push_back(values[k]);
}

std::uint64_t TransactionReader::line_hash(const std::vector<std::string_view>& f) {
  // The record's bytes in the reader's buffer, from the first field to the end of the last: the
  // same line always gives the same bytes there (quotes are unescaped in place, deterministically).
  if (f.empty()) return 0;
  const char* b = f.front().data();
  const char* e = f.back().data() + f.back().size();
  return hash_line(b, static_cast<std::size_t>(e - b)) ^ f.size();
}

void TransactionReader::on_row(const std::vector<std::string_view>& f, std::int64_t line, std::uint64_t hash) {
  if (f.size() > header_.size()) {
    // Extra fields: the row is read from the header's columns; counted and reported once.
    if (rows_with_extra_fields_++ == 0) first_extra_fields_line_ = line;
  }
  if (options_.max_rows > 0 && static_cast<std::int64_t>(table_.rows()) >= options_.max_rows)
    throw InputError("\"" + summary_.file_name + "\" has more than " + std::to_string(options_.max_rows) +
                         " rows (line " + std::to_string(line) + "), more than this browser tab can hold: " +
                         "at about 41 bytes a row the limit keeps the data under 2 GB of the tab's 4 GB. " +
                         "Export a shorter date range, or run the native command-line tool (loyaltylens), " +
                         "which has no such limit.",
                     line);
  if (f.size() < needed_fields_) {
    unreadable(line, std::to_string(f.size()) + " fields where the header has " +
                         std::to_string(header_.size()) + " (is a delimiter or a quote missing?)");
    return;
  }
  auto field = [&](Role role) { return f[static_cast<std::size_t>(roles_[role])]; };
  auto col = [&](Role role) { return std::to_string(roles_[role] + 1); };

  // Date.
  std::int32_t day = 0, day_dm = 0;
  const std::string_view date_text = field(Role::kDate);
  if (date_kind_ == DateKind::kText) {
    // Rows of one invoice repeat its date: parse each distinct text once in a row.
    if (!same(date_text, last_date_text_)) {
      last_date_ = parse_date(date_text);
      last_date_text_.assign(date_text.data(), date_text.size());
    }
    const ParsedDate& d = last_date_;
    if (d.kind == ParsedDate::Kind::kInvalid) {
      unreadable(line, "column " + col(Role::kDate) + ": \"" + printable(date_text) +
                           "\" is not a date (expected e.g. 2011-12-09, 12/9/2011 8:26 or 9.12.2011)");
      return;
    }
    if (d.kind == ParsedDate::Kind::kIso) {
      day = day_dm = d.days;
    } else {
      if (!slash_seen_) {
        slash_seen_ = true;
        day_dm_ = table_.day;  // earlier rows were ISO: both readings agree
        const std::string_view t = trim(date_text);
        for (char c : t)
          if (c == '/' || c == '.' || c == '-') {
            date_separator_ = c;
            break;
          }
      }
      if (!d.md_ok && md_possible_) {
        md_possible_ = false;
        md_ruled_out_line_ = line;
      }
      if (!d.dm_ok && dm_possible_) {
        dm_possible_ = false;
        dm_ruled_out_line_ = line;
      }
      day = d.md_ok ? d.days_md : INT32_MIN;
      day_dm = d.dm_ok ? d.days_dm : INT32_MIN;
    }
  } else {
    double v;
    if (!parse_number(date_text, v) || !(v >= 0 && v < 3000000)) {
      unreadable(line, "column " + col(Role::kDate) + ": \"" + printable(date_text) + "\" is not a day number");
      return;
    }
    day = day_dm = date_kind_ == DateKind::kExcelSerial ? static_cast<std::int32_t>(std::floor(v)) - kExcelEpoch
                                                        : options_.day_anchor + static_cast<std::int32_t>(v) - 1;
  }

  // Numbers.
  double quantity = 1, value = 0;
  if (roles_.has(Role::kQuantity) && !parse_number(field(Role::kQuantity), quantity_format_, quantity)) {
    unreadable(line, "column " + col(Role::kQuantity) + ": quantity \"" + printable(field(Role::kQuantity)) +
                         "\" is not a number");
    return;
  }
  const Role value_role = table_.has_price ? Role::kPrice : Role::kAmount;
  if (!parse_number(field(value_role), value_format_, value)) {
    unreadable(line, "column " + col(value_role) + ": " + role_name(value_role) + " \"" +
                         printable(field(value_role)) + "\" is not a number (format " + describe(value_format_) + ")");
    return;
  }

  // Codes.
  const std::string_view id = normalize_id(field(Role::kCustomer));
  const std::int32_t customer = id.empty() ? -1 : table_.customers.intern(id);
  std::int32_t invoice;
  std::uint8_t flags = 0;
  if (roles_.has(Role::kInvoice)) {
    const std::string_view inv = trim(field(Role::kInvoice));
    if (inv.empty()) {
      unreadable(line, "column " + col(Role::kInvoice) + ": the invoice is empty");
      return;
    }
    if (inv[0] == 'C' || inv[0] == 'c') flags |= kCancelPrefix;
    invoice = table_.invoices.intern(inv);
  } else {
    // No invoice column: one order per customer and day.
    std::string key = std::string(id) + "|" + std::to_string(day);
    invoice = table_.invoices.intern(key);
  }
  std::int32_t product = -1;
  if (roles_.has(Role::kProduct)) {
    product = table_.products.intern(trim(field(Role::kProduct)));
    if (static_cast<std::size_t>(product) >= table_.product_description.size()) {
      table_.product_description.push_back(
          roles_.has(Role::kDescription) ? table_.descriptions.intern(trim(field(Role::kDescription))) : -1);
    }
  }
  const std::int32_t country = roles_.has(Role::kCountry) ? table_.countries.intern(trim(field(Role::kCountry))) : -1;
  if (customer >= 0 && (roles_.has(Role::kEmail) || roles_.has(Role::kPhone))) {
    if (static_cast<std::size_t>(customer) >= table_.customer_email.size()) {
      table_.customer_email.resize(static_cast<std::size_t>(customer) + 1, -1);
      table_.customer_phone.resize(static_cast<std::size_t>(customer) + 1, -1);
    }
    for (Role r : {Role::kEmail, Role::kPhone}) {
      if (!roles_.has(r)) continue;
      auto& slot = (r == Role::kEmail ? table_.customer_email : table_.customer_phone)[static_cast<std::size_t>(customer)];
      const std::string_view v = trim(field(r));
      if (slot < 0 && !v.empty()) slot = table_.contacts.intern(v);
    }
  }

  line_hash_.push_back(hash);  // exact duplicates are decided in finish(), per invoice

  table_.customer.push_back(customer);
  table_.invoice.push_back(invoice);
  table_.day.push_back(day);
  if (slash_seen_) day_dm_.push_back(day_dm);
  table_.product.push_back(product);
  table_.country.push_back(country);
  table_.line.push_back(static_cast<std::int32_t>(std::min<std::int64_t>(line, INT32_MAX)));
  table_.quantity.push_back(quantity);
  table_.value.push_back(value);
  table_.flags.push_back(flags);
}

void TransactionReader::mark_duplicates() {
  // Identical lines share their invoice, so compare line hashes within each invoice only: rows are
  // grouped by invoice code with a counting sort (an invoice may come back later in the file).
  const std::size_t n = table_.rows();
  const auto n_invoices = static_cast<std::size_t>(table_.invoices.size());
  std::vector<std::uint32_t> start(n_invoices + 1, 0);
  for (std::size_t i = 0; i < n; ++i) ++start[static_cast<std::size_t>(table_.invoice[i]) + 1];
  for (std::size_t v = 0; v < n_invoices; ++v) start[v + 1] += start[v];
  std::vector<std::uint32_t> order(n), fill(start.begin(), start.end() - 1);
  for (std::size_t i = 0; i < n; ++i) order[fill[static_cast<std::size_t>(table_.invoice[i])]++] = static_cast<std::uint32_t>(i);
  std::vector<std::pair<std::uint64_t, std::uint32_t>> group;
  for (std::size_t v = 0; v < n_invoices; ++v) {
    const std::uint32_t b = start[v], e = start[v + 1];
    if (e - b < 2) continue;
    group.clear();
    for (std::uint32_t k = b; k < e; ++k) group.emplace_back(line_hash_[order[k]], order[k]);
    std::sort(group.begin(), group.end());  // by hash, then by row: the first copy stays
    for (std::size_t k = 1; k < group.size(); ++k)
      if (group[k].first == group[k - 1].first) table_.flags[group[k].second] |= kDuplicate;
  }
  line_hash_.clear();
  line_hash_.shrink_to_fit();
}

ReadResult TransactionReader::finish() {
  decoder_.finish(reader_->begin_append());
  reader_->end_append();
  reader_->finish();
  if (!formats_decided_ && have_header_ && !customer_level_) decide_formats();
  summary_.bytes = bytes_;
  summary_.encoding = encoding_name(decoder_.encoding());
  summary_.replaced_bytes = decoder_.replaced();
  summary_.delimiter = delimiter_name(reader_->delimiter() ? reader_->delimiter() : ',');
  if (!have_header_)
    throw InputError("\"" + summary_.file_name + "\" is empty: it holds no header row and no data. "
                     "Export the transactions again and drop the CSV file.");
  if (rows_with_extra_fields_ > 0)
    summary_.warnings.insert(summary_.warnings.begin(),
                             std::to_string(rows_with_extra_fields_) + " rows have more fields than the header's " +
                                 std::to_string(header_.size()) + " (first: line " +
                                 std::to_string(first_extra_fields_line_) +
                                 "); the extra fields were ignored. Is a delimiter inside an unquoted value?");
  if (summary_.replaced_bytes > 0)
    summary_.warnings.insert(summary_.warnings.begin(),
                             std::to_string(summary_.replaced_bytes) +
                                 " invalid UTF-8 sequences were replaced by \xEF\xBF\xBD; check the file's encoding");
  if (warnings_total_ > static_cast<std::int64_t>(kMaxWarnings))
    summary_.warnings.push_back("… and " + std::to_string(warnings_total_ - static_cast<std::int64_t>(kMaxWarnings)) +
                                " more rows skipped");

  // Dates: decide how slash dates read.
  const std::string sep(1, date_separator_);
  bool use_dm = false;
  if (date_kind_ == DateKind::kExcelSerial) {
    summary_.date_format = "Excel serial day numbers";
  } else if (date_kind_ == DateKind::kDayNumber) {
    summary_.date_format = "day numbers (day 1 = " + format_date(options_.day_anchor) + ")";
  } else if (slash_seen_) {
    using DO = ReadOptions::DateOrder;
    if (options_.date_order == DO::kAuto && !md_possible_ && !dm_possible_)
      throw InputError("\"" + summary_.file_name + "\": the dates are neither all month/day/year (line " +
                           std::to_string(md_ruled_out_line_) + " is not) nor all day/month/year (line " +
                           std::to_string(dm_ruled_out_line_) + " is not). Export the dates in one format, "
                           "ideally YYYY-MM-DD.",
                       md_ruled_out_line_);
    if (options_.date_order == DO::kDayFirst || (options_.date_order == DO::kAuto && !md_possible_)) {
      use_dm = true;
      if (!dm_possible_)
        throw InputError("\"" + summary_.file_name + "\": line " + std::to_string(dm_ruled_out_line_) +
                             " has a date that is not day/month/year. Choose month/day/year instead.",
                         dm_ruled_out_line_);
    } else if (!md_possible_) {
      throw InputError("\"" + summary_.file_name + "\": line " + std::to_string(md_ruled_out_line_) +
                           " has a date that is not month/day/year. Choose day/month/year instead.",
                       md_ruled_out_line_);
    }
    const std::string order = use_dm ? "D" + sep + "M" + sep + "YYYY" : "M" + sep + "D" + sep + "YYYY";
    if (options_.date_order != DO::kAuto) {
      summary_.date_format = order + " (as chosen)";
    } else if (use_dm) {
      summary_.date_format = order + " (line " + std::to_string(md_ruled_out_line_) + " has a day above 12 first)";
    } else if (!dm_possible_) {
      summary_.date_format = order + " (line " + std::to_string(dm_ruled_out_line_) + " has a day above 12 second)";
    } else {
      summary_.date_format = order + " (ambiguous: no day above 12; read month first)";
    }
    if (use_dm) table_.day.swap(day_dm_);
    day_dm_.clear();
    day_dm_.shrink_to_fit();
  } else {
    summary_.date_format = "YYYY-MM-DD";
  }
  if (table_.rows() > 0) {
    const auto mm = std::minmax_element(table_.day.begin(), table_.day.end());
    summary_.first_date = format_date(*mm.first);
    summary_.last_date = format_date(*mm.second);
  }
  if (customer_level_) {
    summary_.date_format = "none (a customer table: features come ready)";
    ReadResult result;
    result.summary = summary_;
    result.customer_level = true;
    result.customers = std::move(customers_);
    result.unreadable_examples = std::move(examples_);
    if (result.customers.size() == 0)
      throw InputError("\"" + summary_.file_name + "\" is a customer table without a readable customer row" +
                       (summary_.warnings.empty() ? std::string(".") : " (first: " + summary_.warnings.front() + ")."));
    return result;
  }
  mark_duplicates();
  ReadResult result;
  result.summary = summary_;
  result.table = std::move(table_);
  result.unreadable_examples = std::move(examples_);
  return result;
}

}  // namespace core
