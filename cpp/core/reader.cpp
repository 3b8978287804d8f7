#include "reader.h"

#include <algorithm>
#include <cctype>
#include <climits>
#include <cmath>
#include <cstring>

#include "dates.h"
#include "errors.h"
#include "file_kind.h"

namespace core {
namespace {

constexpr std::size_t kSniffRows = 1000;
constexpr std::size_t kMaxWarnings = 20;
constexpr std::size_t kMaxExamples = 5;
constexpr std::int32_t kExcelEpoch = 25569;  // Excel serial day of 1970-01-01 (1900 date system)
// Slash dates are kept as year × 10000 + first × 100 + second until the order is known; years start
// at 1000, so every such key is at least this, above any day number a date can have (9999-12-31 is
// day 2,932,896).
constexpr std::int32_t kSlashKeyBase = 10000000;
constexpr std::int32_t kNoDay = INT32_MIN;  // a date cell that does not read

// The day of a slash date's key, read month-first or day-first.
std::int32_t slash_day(std::int32_t key, bool day_first) {
  const int year = key / 10000, first = key / 100 % 100, second = key % 100;
  return day_first ? days_from_civil(year, second, first) : days_from_civil(year, first, second);
}

// The first and last day of a non-empty column.
std::pair<std::int32_t, std::int32_t> day_range(const std::vector<std::int32_t>& days) {
  std::pair<std::int32_t, std::int32_t> range{INT32_MAX, INT32_MIN};
  for_each_block(days.size(), [&](std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) range = {std::min(range.first, days[i]), std::max(range.second, days[i])};
  });
  return range;
}

// A number in a column's format: the plain shape inline, anything else through parse_number.
[[gnu::always_inline]] inline bool read_number(std::string_view s, const NumberFormat& format, Decimal& out) {
  if (parse_plain_decimal(s, format.decimal, out)) return true;
  out.scale = -1;
  return parse_number(s, format, out.value);
}

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
  summary_.ragged.skipped = options_.ragged == ReadOptions::Ragged::kSkip;
  CsvOptions csv;
  csv.delimiter = options_.delimiter;
  csv.quote = options_.quote;
  csv.escape = options_.escape;
  csv.comment = options_.comment;
  csv.skip_initial_space = options_.skip_initial_space;
  reader_ = std::make_unique<CsvReader>(csv, [this](const CsvRecord& r) { on_record(r); });
  hashing_ = options_.find_duplicates;
  table_.duplicates_found = hashing_;
  row_limit_ = options_.max_rows;
  if (options_.stream) start_streaming();
}

// From now on the rows go to the stream: no table, no duplicate hashes, the streaming row budget.
void TransactionReader::start_streaming() {
  stream_ = std::make_unique<StreamingAnalysis>(options_.rules, options_.params);
  hashing_ = false;
  table_.duplicates_found = false;
  row_limit_ = options_.max_stream_rows;
}

TransactionReader::~TransactionReader() = default;

void TransactionReader::check_magic(const char* data, std::size_t n) {
  const FileKind kind = sniff_file_kind(data, n);
  if (kind != FileKind::kText) throw InputError(binary_file_message(summary_.file_name, kind), 1, 1);
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
  if (!have_header_) return on_header(r);
  ++summary_.rows_read;
  const std::vector<std::string_view>* f = &r.fields;
  if (r.fields.size() != header_.size() && (f = fit_fields(r.fields, r.line)) == nullptr) return;
  // Duplicates compare the lines as written (the raw record), not as padded or joined.
  if (formats_decided_) return on_row(*f, r.line, hashing_ ? line_hash(r.fields) : 0);
  if (customer_level_) return on_customer_row(*f, r.line);
  // The first rows are held until the formats are decided.
  sniff_rows_.emplace_back(f->begin(), f->end());
  sniff_lines_.push_back(r.line);
  sniff_hashes_.push_back(line_hash(r.fields));
  if (sniff_rows_.size() >= kSniffRows) decide_formats();
}

// A record with another number of fields than the header: counted with its line, then padded with
// empty fields or with the extra fields joined onto the last column (ReadOptions::Ragged::kKeep),
// or skipped (kSkip: nullptr).
const std::vector<std::string_view>* TransactionReader::fit_fields(const std::vector<std::string_view>& f, std::int64_t line) {
  const bool is_short = f.size() < header_.size();
  RaggedRows& g = summary_.ragged;
  std::int64_t& count = is_short ? g.short_rows : g.long_rows;
  std::vector<std::int64_t>& lines = is_short ? g.short_lines : g.long_lines;
  ++count;
  if (lines.size() < RaggedRows::kMaxLines) lines.push_back(line);
  if (options_.ragged == ReadOptions::Ragged::kSkip) {
    ++summary_.rows_unreadable;
    if (examples_.size() < kMaxExamples)
      examples_.push_back("line " + std::to_string(line) + ": " + std::to_string(f.size()) + " fields where the header has " +
                          std::to_string(header_.size()) + " (skipped: rows with another field count are set to be skipped)");
    return nullptr;
  }
  fitted_.assign(f.begin(), f.begin() + static_cast<std::ptrdiff_t>(std::min(f.size(), header_.size())));
  if (is_short) {
    fitted_.resize(header_.size());
  } else {
    const std::size_t last = header_.size() - 1;
    joined_.assign(f[last].data(), f[last].size());
    for (std::size_t k = last + 1; k < f.size(); ++k) (joined_ += reader_->delimiter()).append(f[k].data(), f[k].size());
    fitted_[last] = joined_;
  }
  return &fitted_;
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
  summary_.layout = roles_.layout;
  summary_.roles = roles_.index;
  // Quantity × unit price when both are there; else the line amount.
  table_.has_price = roles_.has(Role::kPrice) && roles_.has(Role::kQuantity);
  table_.has_product = roles_.has(Role::kProduct);
  table_.has_country = roles_.has(Role::kCountry);
  contacts_ = roles_.has(Role::kEmail) || roles_.has(Role::kPhone);
}

void TransactionReader::decide_formats() {
  formats_decided_ = true;
  if (!roles_final_) {
    detect_roles_from_content();
    finalize_roles();
  }
  const double estimate = estimated_rows();
  choose_mode(estimate);
  check_row_budget(estimate);
  reserve_table();
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
    read_row(fields, lines[i], hashes[i]);
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

std::int32_t TransactionReader::parse_day(std::string_view text, std::int64_t line) {
  if (date_kind_ != DateKind::kText) {
    double v;
    if (!parse_number(text, v) || !(v >= 0 && v < 3000000)) return kNoDay;
    return date_kind_ == DateKind::kExcelSerial ? static_cast<std::int32_t>(std::floor(v)) - kExcelEpoch
                                                : options_.day_anchor + static_cast<std::int32_t>(v) - 1;
  }
  const ParsedDate d = parse_date(text);
  if (d.kind == ParsedDate::Kind::kInvalid) return kNoDay;
  if (d.kind == ParsedDate::Kind::kIso) return d.days;
  if (!slash_seen_) {
    slash_seen_ = true;
    for (char c : trim(text))
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
  return d.slash_key;  // read month- or day-first once the file has shown which (finish, or flush_rows when streaming)
}

// The per-row lookups: a repeat of the previous row's text settles them inline; the rest is out of line.
[[gnu::always_inline]] inline bool TransactionReader::read_day(std::string_view text, std::int64_t line, std::int32_t& day) {
  if (!date_.is(text)) date_.remember(text, parse_day(text, line));
  day = date_.code;
  return day != kNoDay || not_a_date(line, text);
}

bool TransactionReader::not_a_date(std::int64_t line, std::string_view text) {
  unreadable(line, "column " + std::to_string(roles_[Role::kDate] + 1) + ": \"" + printable(text) + "\" is not " +
                       (date_kind_ == DateKind::kText ? "a date (expected e.g. 2011-12-09, 12/9/2011 8:26 or 9.12.2011)"
                                                      : "a day number"));
  return false;
}

[[gnu::always_inline]] inline std::int32_t TransactionReader::customer_code(std::string_view raw) {
  if (!customer_.is(raw)) new_customer(raw);
  return customer_.code;
}

void TransactionReader::new_customer(std::string_view raw) {
  const std::string_view id = normalize_id(raw);
  customer_.remember(raw, id.empty() ? -1 : table_.customers.intern(id));
}

[[gnu::always_inline]] inline bool TransactionReader::invoice_code(std::string_view raw, std::int64_t line, std::int32_t& code,
                                                                   std::uint8_t& flags) {
  if (!invoice_.is(raw) && !new_invoice(raw, line)) return false;
  code = invoice_.code;
  flags = invoice_.flags;
  return true;
}

bool TransactionReader::new_invoice(std::string_view raw, std::int64_t line) {
  const std::string_view inv = trim(raw);
  if (inv.empty()) {
    unreadable(line, "column " + std::to_string(roles_[Role::kInvoice] + 1) + ": the invoice is empty");
    return false;
  }
  invoice_.remember(raw, table_.invoices.intern(inv), inv[0] == 'C' || inv[0] == 'c' ? kCancelPrefix : 0);
  return true;
}

std::int32_t TransactionReader::order_code(std::int32_t customer, std::int32_t day) {
  // No invoice column: one order per customer and day.
  if (customer != last_order_customer_ || day != last_order_day_) {
    const std::string id = customer >= 0 ? table_.customers[customer] : std::string();
    last_order_ = table_.invoices.intern(id + "|" + std::to_string(day));
    last_order_customer_ = customer;
    last_order_day_ = day;
  }
  return last_order_;
}

void TransactionReader::note_contacts(const std::vector<std::string_view>& f, std::int32_t customer) {
  if (static_cast<std::size_t>(customer) >= table_.customer_email.size()) {
    table_.customer_email.resize(static_cast<std::size_t>(customer) + 1, -1);
    table_.customer_phone.resize(static_cast<std::size_t>(customer) + 1, -1);
  }
  for (Role r : {Role::kEmail, Role::kPhone}) {
    if (!roles_.has(r)) continue;
    auto& slot = (r == Role::kEmail ? table_.customer_email : table_.customer_phone)[static_cast<std::size_t>(customer)];
    const std::string_view v = trim(f[static_cast<std::size_t>(roles_[r])]);
    if (slot < 0 && !v.empty()) slot = table_.contacts.intern(v);
  }
}

void TransactionReader::on_row(const std::vector<std::string_view>& f, std::int64_t line, std::uint64_t hash) {
  // Most rows repeat the previous row's invoice, customer, date and country and hold plain numbers
  // and a known product: those are settled here with a comparison per repeated cell. Any other row
  // goes to read_row, which reads everything. (In wasm a small per-row function also matters for
  // the first run: the engine runs it in its baseline tier until the optimized code is compiled.)
  const auto field = [&](Role role) { return f[static_cast<std::size_t>(roles_[role])]; };
  RowBatch& b = *batch_;
  const bool common = f.size() == header_.size() && !contacts_ && date_.is(field(Role::kDate)) && date_.code != kNoDay &&
                      customer_.is(field(Role::kCustomer)) && (!roles_.has(Role::kCountry) || country_.is(field(Role::kCountry))) &&
                      (roles_.has(Role::kInvoice) ? invoice_.is(field(Role::kInvoice))
                                                  : customer_.code == last_order_customer_ && date_.code == last_order_day_) &&
                      !at_row_limit();
  Decimal quantity{1, 0, 1}, value;
  const std::int32_t product = common && roles_.has(Role::kProduct) ? table_.products.find_short(trim(field(Role::kProduct))) : -1;
  if (!common || (roles_.has(Role::kProduct) && product < 0) ||
      (roles_.has(Role::kQuantity) && !parse_plain_decimal(field(Role::kQuantity), quantity_format_.decimal, quantity)) ||
      !parse_plain_decimal(field(table_.has_price ? Role::kPrice : Role::kAmount), value_format_.decimal, value))
    return read_row(f, line, hash);
  const std::size_t k = b.size++;
  b.customer[k] = customer_.code;
  b.invoice[k] = roles_.has(Role::kInvoice) ? invoice_.code : last_order_;
  b.day[k] = date_.code;
  b.product[k] = product;
  b.country[k] = roles_.has(Role::kCountry) ? country_.code : -1;
  b.line[k] = static_cast<std::int32_t>(std::min<std::int64_t>(line, INT32_MAX));
  b.quantity[k] = quantity;
  b.value[k] = value;
  b.flags[k] = roles_.has(Role::kInvoice) ? invoice_.flags : 0;
  b.hash[k] = hash;
  if (b.full()) flush_rows();
}

void TransactionReader::read_row(const std::vector<std::string_view>& f, std::int64_t line, std::uint64_t hash) {
  if (at_row_limit()) too_many_rows(line);
  auto field = [&](Role role) { return f[static_cast<std::size_t>(roles_[role])]; };

  std::int32_t day;
  if (!read_day(field(Role::kDate), line, day)) return;

  // Numbers.
  Decimal quantity{1, 0, 1}, value;
  if (roles_.has(Role::kQuantity) && !read_number(field(Role::kQuantity), quantity_format_, quantity))
    return not_a_number(line, Role::kQuantity, field(Role::kQuantity));
  const Role value_role = table_.has_price ? Role::kPrice : Role::kAmount;
  if (!read_number(field(value_role), value_format_, value)) return not_a_number(line, value_role, field(value_role));

  // Codes.
  const std::int32_t customer = customer_code(field(Role::kCustomer));
  std::int32_t invoice;
  std::uint8_t flags = 0;
  if (!roles_.has(Role::kInvoice)) invoice = order_code(customer, day);
  else if (!invoice_code(field(Role::kInvoice), line, invoice, flags)) return;
  const std::int32_t product = roles_.has(Role::kProduct) ? product_code(f) : -1;
  std::int32_t country = -1;
  if (roles_.has(Role::kCountry)) {
    const std::string_view raw = field(Role::kCountry);
    if (!country_.is(raw)) new_country(raw);
    country = country_.code;
  }
  if (customer >= 0 && contacts_) note_contacts(f, customer);

  RowBatch& b = *batch_;
  const std::size_t k = b.size++;
  b.customer[k] = customer;
  b.invoice[k] = invoice;
  b.day[k] = day;
  b.product[k] = product;
  b.country[k] = country;
  b.line[k] = static_cast<std::int32_t>(std::min<std::int64_t>(line, INT32_MAX));
  b.quantity[k] = quantity;
  b.value[k] = value;
  b.flags[k] = flags;
  b.hash[k] = hash;
  if (b.full()) flush_rows();
}

// The file's rows as its size over the average length of the first lines (0: size unknown).
double TransactionReader::estimated_rows() const {
  if (options_.size_hint <= 0 || sniff_rows_.empty()) return 0;
  std::int64_t bytes = 0;  // fields, delimiters and line ends (quotes not counted: errs high)
  for (const auto& row : sniff_rows_) {
    bytes += static_cast<std::int64_t>(row.size());
    for (const auto& field : row) bytes += static_cast<std::int64_t>(field.size());
  }
  const double per_row = static_cast<double>(bytes) / static_cast<double>(sniff_rows_.size());
  return static_cast<double>(options_.size_hint) / per_row;
}

// Auto mode: a file estimated above ReadOptions::stream_above_rows streams, unless a rule that is
// on needs every row (then the table's budget decides, and its refusal names the rule).
void TransactionReader::choose_mode(double estimate) {
  if (stream_ || options_.stream_above_rows <= 0 || estimate <= static_cast<double>(options_.stream_above_rows)) return;
  if (!rule_needing_all_rows(options_.rules).empty()) return;
  start_streaming();
}

// Refuses a file that will not fit before reading it. Only when clearly over (10% margin: later
// lines may be longer); the table or stream refuses at the limit itself anyway (too_many_rows).
void TransactionReader::check_row_budget(double estimate) const {
  if (row_limit_ <= 0 || estimate <= 1.1 * static_cast<double>(row_limit_)) return;
  const std::string rule = options_.stream_above_rows > 0 && !stream_ ? rule_needing_all_rows(options_.rules) : "";
  const std::string what = stream_ ? " rows this browser tab can read even in one pass (streaming)"
                                   : " rows this browser tab can hold as a table";
  throw InputError("\"" + summary_.file_name + "\" is " + std::to_string(options_.size_hint >> 20) + " MB, about " +
                       std::to_string(static_cast<std::int64_t>(estimate / 1e6 + 0.5)) + " million rows at the " +
                       std::to_string(static_cast<std::int64_t>(static_cast<double>(options_.size_hint) / estimate + 0.5)) +
                       " bytes a line of its first lines: more than the " + std::to_string(row_limit_) + what + "." +
                       (rule.empty() ? ""
                                     : " The cleaning rule \"" + rule + "\" needs the whole table: turn it off and the "
                                       "file is read in one pass instead, which holds customers, not rows.") +
                       " Export a shorter date range, or run the native command-line tool (loyaltylens), which has "
                       "no such limit.",
                   header_line_);
}

// About 80 bytes a line in retail exports: one reservation instead of a doubling series.
void TransactionReader::reserve_table() {
  if (options_.size_hint <= 0 || stream_) return;
  const auto rows = static_cast<std::size_t>(options_.size_hint / 80 + 1024);
  for (auto* c : {&table_.customer, &table_.invoice, &table_.product, &table_.country}) c->reserve(rows);
  table_.day.reserve(rows);
  table_.quantity.reserve(rows);
  table_.value.reserve(rows);
  table_.flags.reserve(rows);
  if (hashing_) line_hash_.reserve(rows);
}

void TransactionReader::too_many_rows(std::int64_t line) {
  throw InputError("\"" + summary_.file_name + "\" has more than " + std::to_string(row_limit_) + " rows (line " +
                       std::to_string(line) + "), more than this browser tab can " +
                       (stream_ ? "read even in one pass (streaming)" : "hold as a table") +
                       ". Export a shorter date range, or run the native command-line tool (loyaltylens), "
                       "which has no such limit.",
                   line);
}

[[gnu::always_inline]] inline std::int32_t TransactionReader::product_code(const std::vector<std::string_view>& f) {
  const std::int32_t product = table_.products.intern(trim(f[static_cast<std::size_t>(roles_[Role::kProduct])]));
  if (static_cast<std::size_t>(product) >= table_.product_description.size()) new_product(f);
  return product;
}

// A product's description is its first row's.
void TransactionReader::new_product(const std::vector<std::string_view>& f) {
  table_.product_description.push_back(
      roles_.has(Role::kDescription) ? table_.descriptions.intern(trim(f[static_cast<std::size_t>(roles_[Role::kDescription])])) : -1);
}

void TransactionReader::new_country(std::string_view raw) { country_.remember(raw, table_.countries.intern(trim(raw))); }

void TransactionReader::not_a_number(std::int64_t line, Role role, std::string_view text) {
  const std::string col = "column " + std::to_string(roles_[role] + 1) + ": ";
  if (role == Role::kQuantity) unreadable(line, col + "quantity \"" + printable(text) + "\" is not a number");
  else unreadable(line, col + role_name(role) + " \"" + printable(text) + "\" is not a number (format " + describe(value_format_) + ")");
}

void TransactionReader::flush_rows() {
  RowBatch& b = *batch_;
  rows_taken_ += static_cast<std::int64_t>(b.size);
  if (!stream_) {
    table_.append(b);
    if (hashing_) line_hash_.insert(line_hash_.end(), b.hash, b.hash + b.size);  // duplicates: decided in finish()
    b.size = 0;
    return;
  }
  // Streaming: the rows' days must be days now, so slash dates take the order seen so far.
  const bool day_first = slash_seen_ && stream_day_first();
  for (std::size_t k = 0; k < b.size; ++k) {
    if (b.day[k] >= kSlashKeyBase) b.day[k] = slash_day(b.day[k], day_first);
    stream_first_day_ = std::min(stream_first_day_, b.day[k]);
    stream_last_day_ = std::max(stream_last_day_, b.day[k]);
  }
  stream_->add(b, table_);
  b.size = 0;
}

bool TransactionReader::stream_day_first() {
  using DO = ReadOptions::DateOrder;
  if (!stream_order_fixed_) {
    stream_order_fixed_ = true;
    stream_day_first_ = options_.date_order == DO::kDayFirst || (options_.date_order == DO::kAuto && !md_possible_);
  }
  const bool ruled_out = stream_day_first_ ? !dm_possible_ : !md_possible_;
  if (ruled_out)
    throw InputError("\"" + summary_.file_name + "\": line " +
                         std::to_string(stream_day_first_ ? dm_ruled_out_line_ : md_ruled_out_line_) + " has a date that is not " +
                         (stream_day_first_ ? "day/month/year" : "month/day/year") +
                         ", the order the first rows were read in (a file this big is read in one pass). Choose the date "
                         "order explicitly and read the file again.",
                     stream_day_first_ ? dm_ruled_out_line_ : md_ruled_out_line_);
  return stream_day_first_;
}

void TransactionReader::resolve_slash_days(bool day_first) {
  std::int32_t last_key = -1, last_day = 0;
  for_each_block(table_.rows(), [&](std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) {
      std::int32_t& d = table_.day[i];
      if (d < kSlashKeyBase) continue;  // an ISO date or a day number: already days
      if (d != last_key) {
        last_key = d;
        last_day = slash_day(d, day_first);
      }
      d = last_day;
    }
  });
}

void TransactionReader::mark_duplicates() {
  // Identical lines share their invoice, so compare line hashes within each invoice only: rows are
  // grouped by invoice code with a counting sort (an invoice may come back later in the file), and
  // each group's hashes go into a small open-addressing table, in row order: the first copy stays.
  const std::size_t n = table_.rows();
  const auto n_invoices = static_cast<std::size_t>(table_.invoices.size());
  std::vector<std::uint32_t> start(n_invoices + 1, 0);
  for_each_block(n, [&](std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i) ++start[static_cast<std::size_t>(table_.invoice[i]) + 1];
  });
  for (std::size_t v = 0; v < n_invoices; ++v) start[v + 1] += start[v];
  std::vector<std::uint32_t> order(n), fill(start.begin(), start.end() - 1);
  for_each_block(n, [&](std::size_t begin, std::size_t end) {
    for (std::size_t i = begin; i < end; ++i)
      order[fill[static_cast<std::size_t>(table_.invoice[i])]++] = static_cast<std::uint32_t>(i);
  });
  std::vector<std::uint64_t> seen;  // hashes; 0 marks a free slot (a zero hash is nudged to 1)
  const auto mark_group = [&](std::size_t first, std::size_t last) {
    for (std::size_t v = first; v < last; ++v) {
      const std::uint32_t b = start[v], e = start[v + 1];
      if (e - b < 2) continue;
      std::size_t slots = 4;
      while (slots < 2 * (e - b)) slots *= 2;
      seen.assign(slots, 0);
      for (std::uint32_t k = b; k < e; ++k) {
        const std::uint64_t h = line_hash_[order[k]] | (line_hash_[order[k]] == 0);
        std::size_t i = static_cast<std::size_t>(mix64(h)) & (slots - 1);
        while (seen[i] != 0 && seen[i] != h) i = (i + 1) & (slots - 1);
        if (seen[i] == h) table_.flags[order[k]] |= kDuplicate;
        seen[i] = h;
      }
    }
  };
  for_each_block(n_invoices, mark_group, 1024);  // an invoice is some 20 rows: blocks of fewer invoices
  std::vector<std::uint64_t>().swap(line_hash_);
}

namespace {

std::string line_list(const std::vector<std::int64_t>& lines, std::int64_t count) {
  std::string s = count == 1 ? "line " : "lines ";
  for (std::size_t i = 0; i < lines.size(); ++i) s += (i ? ", " : "") + std::to_string(lines[i]);
  if (count > static_cast<std::int64_t>(lines.size())) s += ", …";
  return s;
}

}  // namespace

void TransactionReader::ragged_warnings() {
  const RaggedRows& g = summary_.ragged;
  const std::string k = std::to_string(header_.size());
  std::vector<std::string> w;
  if (g.short_rows > 0)
    w.push_back(std::to_string(g.short_rows) + (g.short_rows == 1 ? " row has" : " rows have") + " fewer fields than the header's " + k +
                " (" + line_list(g.short_lines, g.short_rows) + "): " +
                (g.skipped ? "skipped, as set" : "kept, padded with empty fields") +
                ". Is a delimiter missing, a quote unclosed, or the file cut?");
  if (g.long_rows > 0)
    w.push_back(std::to_string(g.long_rows) + (g.long_rows == 1 ? " row has" : " rows have") + " more fields than the header's " + k +
                " (" + line_list(g.long_lines, g.long_rows) + "): " +
                (g.skipped ? "skipped, as set"
                           : "kept, the extra fields joined onto the last column (\"" + printable(header_.back()) + "\") with " +
                                 (delimiter_name(reader_->delimiter()) == "," ? std::string("a comma") : "the delimiter")) +
                ". Is a delimiter inside an unquoted value?");
  summary_.warnings.insert(summary_.warnings.begin(), w.begin(), w.end());
}

ReadResult TransactionReader::finish() {
  decoder_.finish(reader_->begin_append());
  reader_->end_append();
  reader_->finish();
  if (!formats_decided_ && have_header_ && !customer_level_) decide_formats();
  flush_rows();
  summary_.bytes = bytes_;
  summary_.encoding = encoding_name(decoder_.encoding());
  summary_.replaced_bytes = decoder_.replaced();
  summary_.delimiter = delimiter_name(reader_->delimiter() ? reader_->delimiter() : ',');
  const CsvDialect& dialect = reader_->dialect();
  summary_.quote = dialect.quote ? std::string(1, dialect.quote) : "";
  summary_.escape = dialect.escape ? std::string(1, dialect.escape) : "";
  summary_.comment = dialect.comment ? std::string(1, dialect.comment) : "";
  summary_.skip_initial_space = dialect.skip_initial_space;
  summary_.comment_lines = reader_->stats().comment_lines;
  summary_.dialect_evidence = reader_->evidence();
  if (!have_header_)
    throw InputError("\"" + summary_.file_name + "\" is empty: it holds no header row and no data. "
                     "Export the transactions again and drop the CSV file.");
  ragged_warnings();
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
    resolve_slash_days(use_dm);
  } else {
    summary_.date_format = "YYYY-MM-DD";
  }
  if (table_.rows() > 0) {
    const auto range = day_range(table_.day);
    summary_.first_date = format_date(range.first);
    summary_.last_date = format_date(range.second);
  } else if (stream_ && stream_first_day_ <= stream_last_day_) {
    summary_.first_date = format_date(stream_first_day_);
    summary_.last_date = format_date(stream_last_day_);
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
  ReadResult result;
  if (stream_) {
    result.streamed = true;
    result.stream_rules = options_.rules;
    result.stream_params = options_.params;
    stream_->finish(table_, result.stream_cleaned, result.customers);
    result.stream_cohorts = stream_->take_cohorts();
    result.stream_country_rows = stream_->take_country_rows();
  } else if (hashing_) {
    mark_duplicates();
  }
  result.summary = summary_;
  result.table = std::move(table_);
  result.unreadable_examples = std::move(examples_);
  return result;
}

}  // namespace core
