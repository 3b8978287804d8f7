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
    if (std::isalnum(static_cast<unsigned char>(c)))
      k.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
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
const std::vector<std::string_view>* TransactionReader::fit_fields(const std::vector<std::string_view>& f,
                                                                   std::int64_t line) {
  const bool is_short = f.size() < header_.size();
  RaggedRows& g = summary_.ragged;
  std::int64_t& count = is_short ? g.short_rows : g.long_rows;
  std::vector<std::int64_t>& lines = is_short ? g.short_lines : g.long_lines;
  ++count;
  if (lines.size() < RaggedRows::kMaxLines) lines.push_back(line);
  if (options_.ragged == ReadOptions::Ragged::kSkip) {
    ++summary_.rows_unreadable;
    if (examples_.size() < kMaxExamples)
      examples_.push_back("line " + std::to_string(line) + ": " + std::to_string(f.size()) +
                          " fields where the header has " + std::to_string(header_.size()) +
                          " (skipped: rows with another field count are set to be skipped)");
    return nullptr;
  }
  fitted_.assign(f.begin(), f.begin() + static_cast<std::ptrdiff_t>(std::min(f.size(), header_.size())));
  if (is_short) {
    fitted_.resize(header_.size());
  } else {
    const std::size_t last = header_.size() - 1;
    joined_.assign(f[last].data(), f[last].size());
    for (std::size_t k = last + 1; k < f.size(); ++k)
      (joined_ += reader_->delimiter()).append(f[k].data(), f[k].size());
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
      roles_.reason[static_cast<std::size_t>(i)] = "none, as you chose";
      continue;
    }
    int found = -1;
    for (std::size_t c = 0; c < header_.size(); ++c)
      if (header_[c] == want || printable(header_[c]) == want) found = static_cast<int>(c);
    if (found < 0)
      throw InputError("\"" + summary_.file_name + "\": the column \"" + want + "\" chosen as " +
                           role_name(static_cast<Role>(i)) + " is not in the header (line " + std::to_string(r.line) +
                           "). Pick one of the columns found.",
                       r.line);
    // A column takes one role: the choice wins over a detected role elsewhere.
    for (int k = 0; k < kRoleCount; ++k)
      if (roles_.index[static_cast<std::size_t>(k)] == found) {
        roles_.index[static_cast<std::size_t>(k)] = -1;
        roles_.reason[static_cast<std::size_t>(k)] =
            "none: you gave its column to the " + std::string(role_name(static_cast<Role>(i)));
      }
    roles_.index[static_cast<std::size_t>(i)] = found;
    roles_.reason[static_cast<std::size_t>(i)] = "chosen by you";
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
      roles_.reason[static_cast<int>(Role::kDate)] = "no header names a date, and " + std::to_string(dates) +
                                                     " of its first " + std::to_string(filled) + " values are dates";
      taken[c] = true;
      summary_.warnings.push_back("no date column by name: the dates were found in column " + std::to_string(c + 1) +
                                  " (\"" + printable(header_[c]) + "\"); change the role if that is wrong");
    } else if (!roles_.has(Role::kEmail) && emails * 10 >= filled * 8) {
      roles_.index[static_cast<int>(Role::kEmail)] = static_cast<int>(c);
      roles_.reason[static_cast<int>(Role::kEmail)] =
          std::to_string(emails) + " of its first " + std::to_string(filled) + " values are email addresses";
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
  table_.has_invoice = roles_.has(Role::kInvoice);
  table_.has_product = roles_.has(Role::kProduct);
  returns_ = roles_.has(Role::kReturn);
  auto& why = roles_.reason;
  const auto at = [](Role r) { return static_cast<std::size_t>(r); };
  if (table_.has_price && roles_.has(Role::kAmount))
    why[at(Role::kAmount)] += "; not used: quantity × unit price gives each line's amount";
  if (!table_.has_price && roles_.has(Role::kPrice)) why[at(Role::kPrice)] += "; not used: there is no quantity column";
  if (!table_.has_price && roles_.has(Role::kAmount))
    why[at(Role::kAmount)] += "; the value of each line (no unit price with a quantity)";
  if (!roles_.has(Role::kInvoice) && why[at(Role::kInvoice)].empty())
    why[at(Role::kInvoice)] = "no column: each customer's purchases on one day count as one order";
  if (!roles_.has(Role::kQuantity) && why[at(Role::kQuantity)].empty())
    why[at(Role::kQuantity)] = "no column: each line counts as one unit";
  for (int i = 0; i < kRoleCount; ++i)
    if (why[static_cast<std::size_t>(i)].empty() && !roles_.has(static_cast<Role>(i)))
      why[static_cast<std::size_t>(i)] = "no column with a usual name for it";
  table_.has_country = roles_.has(Role::kCountry);
  contacts_ = roles_.has(Role::kEmail) || roles_.has(Role::kPhone);
}

void TransactionReader::decide_formats() {
  formats_decided_ = true;
  if (!roles_final_) {
    detect_roles_from_content();
    finalize_roles();
  }
  if (returns_) check_returns_column();
  track_order_totals_ = !table_.has_price && table_.has_invoice;
  const double estimate = estimated_rows();
  choose_mode(estimate);
  if (stream_) {
    // Ids: decided from the first rows (the whole file's evidence comes too late for a stream).
    IdEvidence first;
    const int c = roles_[Role::kCustomer];
    Dictionary seen;
    for (const auto& row : sniff_rows_) {
      const std::string_view id = customer_id_text(row[static_cast<std::size_t>(c)]);
      const std::int32_t before = seen.size();
      if (!id.empty() && seen.intern(id) == before) first.add(id);
    }
    strip_ids_ = first.decide(options_.normalize_ids).applies;
    if (options_.rules.cancel_prefix != Auto::kAuto) {
      stream_prefix_fixed_ = true;
      stream_prefix_ = options_.rules.cancel_prefix == Auto::kOn;
      stream_->set_cancel_prefix(stream_prefix_);
    }
  }
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

// A returns-flag column is one only when its values say yes or no (return / sale, 1 / 0, …): read
// as such from the first rows, else let go with a note.
void TransactionReader::check_returns_column() {
  const auto c = static_cast<std::size_t>(roles_[Role::kReturn]);
  for (std::size_t k = 0; k < sniff_rows_.size(); ++k) {
    if (c >= sniff_rows_[k].size() || return_flag_value(sniff_rows_[k][c]) >= 0) continue;
    roles_.index[static_cast<std::size_t>(Role::kReturn)] = -1;
    roles_.reason[static_cast<std::size_t>(Role::kReturn)] =
        "none: the column \"" + printable(header_[c]) + "\" holds values other than yes / no (\"" +
        printable(sniff_rows_[k][c]) + "\" on line " + std::to_string(sniff_lines_[k]) +
        "), so it is not read as a returns flag";
    summary_.warnings.push_back("the column \"" + printable(header_[c]) +
                                "\" looks like a returns flag by its name, but line " +
                                std::to_string(sniff_lines_[k]) + " has \"" + printable(sniff_rows_[k][c]) +
                                "\" in it: not read as one (choose the role if it is)");
    returns_ = false;
    return;
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
  const std::string_view id = customer_id_text(f[static_cast<std::size_t>(id_col)]);
  if (!id.empty()) id_evidence_.add(id);
  if (id.empty()) {
    unreadable(line, "column " + std::to_string(id_col + 1) + ": the customer id is empty");
    return;
  }
  std::vector<double> values(names.size(), std::nan(""));
  for (std::size_t k = 0; k < names.size(); ++k) {
    const int c = feature_columns_[k];
    if (c < 0) continue;
    const std::string_view cell =
        static_cast<std::size_t>(c) < f.size() ? f[static_cast<std::size_t>(c)] : std::string_view();
    double v;
    NumberFormat comma;
    comma.decimal = ',';
    const bool ok = parse_number(cell, v) || (options_.decimal != '.' && parse_number(cell, comma, v));
    if (!ok) {
      if (k < 3) {
        unreadable(
            line, "column " + std::to_string(c + 1) + ": " + names[k] + " \"" + printable(cell) + "\" is not a number");
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
  if (d.offset) ++offset_dates_;
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
    md_ruled_out_text_ = printable(trim(text));
  }
  if (!d.dm_ok && dm_possible_) {
    dm_possible_ = false;
    dm_ruled_out_line_ = line;
    dm_ruled_out_text_ = printable(trim(text));
  }
  return d.slash_key;  // read month- or day-first once the file has shown which (finish, or flush_rows when streaming)
}

// The per-row lookups: a repeat of the previous row's text settles them inline; the rest is out of line.
[[gnu::always_inline]] inline bool TransactionReader::read_day(std::string_view text, std::int64_t line,
                                                               std::int32_t& day) {
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
  const std::string_view id = customer_id_text(raw);
  if (id.empty()) return customer_.remember(raw, -1);
  const std::int32_t before = table_.customers.size();
  const std::int32_t code = table_.customers.intern(strip_ids_ ? strip_float_zero(id) : id);
  if (code == before) id_evidence_.add(id);  // the id as written
  customer_.remember(raw, code);
}

[[gnu::always_inline]] inline bool TransactionReader::invoice_code(std::string_view raw, std::int64_t line,
                                                                   std::int32_t& code, std::uint8_t& flags) {
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
  const std::int32_t before = table_.invoices.size();
  const std::int32_t code = table_.invoices.intern(inv);
  if (code == before) table_.cancel_evidence.add_invoice(inv, code);
  invoice_.remember(raw, code, inv[0] == 'C' || inv[0] == 'c' ? kCancelPrefix : 0);
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
    auto& slot =
        (r == Role::kEmail ? table_.customer_email : table_.customer_phone)[static_cast<std::size_t>(customer)];
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
  const bool common =
      !contacts_ && !returns_ && date_.is(field(Role::kDate)) && date_.code != kNoDay &&
      customer_.is(field(Role::kCustomer)) && (!roles_.has(Role::kCountry) || country_.is(field(Role::kCountry))) &&
      (roles_.has(Role::kInvoice) ? invoice_.is(field(Role::kInvoice))
                                  : customer_.code == last_order_customer_ && date_.code == last_order_day_) &&
      !at_row_limit();
  Decimal quantity{1, 0, 1}, value;
  const std::int32_t product =
      common && roles_.has(Role::kProduct) ? table_.products.find_short(trim(field(Role::kProduct))) : -1;
  if (!common || (roles_.has(Role::kProduct) && product < 0) ||
      (roles_.has(Role::kQuantity) &&
       !parse_plain_decimal(field(Role::kQuantity), quantity_format_.decimal, quantity)) ||
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
  if (!roles_.has(Role::kInvoice))
    invoice = order_code(customer, day);
  else if (!invoice_code(field(Role::kInvoice), line, invoice, flags))
    return;
  const std::int32_t product = roles_.has(Role::kProduct) ? product_code(f) : -1;
  std::int32_t country = -1;
  if (roles_.has(Role::kCountry)) {
    const std::string_view raw = field(Role::kCountry);
    if (!country_.is(raw)) new_country(raw);
    country = country_.code;
  }
  if (customer >= 0 && contacts_) note_contacts(f, customer);
  if (returns_) {
    const int r = return_flag_value(field(Role::kReturn));
    if (r == 1) {
      flags |= kReturnFlag;
      ++return_rows_;
    }
    if (r < 0 && unknown_return_values_++ == 0)
      first_unknown_return_ = "\"" + printable(field(Role::kReturn)) + "\" on line " + std::to_string(line);
  }

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
                       std::to_string(std::llround(estimate / 1e6)) + " million rows at the " +
                       std::to_string(std::llround(static_cast<double>(options_.size_hint) / estimate)) +
                       " bytes a line of its first lines: more than the " + std::to_string(row_limit_) + what + "." +
                       (rule.empty() ? ""
                                     : " The cleaning rule \"" + rule +
                                           "\" needs the whole table: turn it off and the "
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
      roles_.has(Role::kDescription)
          ? table_.descriptions.intern(trim(f[static_cast<std::size_t>(roles_[Role::kDescription])]))
          : -1);
}

void TransactionReader::new_country(std::string_view raw) {
  country_.remember(raw, table_.countries.intern(trim(raw)));
}

void TransactionReader::not_a_number(std::int64_t line, Role role, std::string_view text) {
  const std::string col = "column " + std::to_string(roles_[role] + 1) + ": ";
  if (role == Role::kQuantity)
    unreadable(line, col + "quantity \"" + printable(text) + "\" is not a number");
  else
    unreadable(line, col + role_name(role) + " \"" + printable(text) + "\" is not a number (format " +
                         describe(value_format_) + ")");
}

namespace {

bool negative(const Decimal& d) { return d.scale >= 0 ? d.mantissa < 0 : d.value < 0; }

}  // namespace

// What the rows show for the file-level decisions: C-prefixed rows with negative quantities, lines
// per order for order totals, the order of slash dates.
void TransactionReader::gather_evidence(const RowBatch& b) {
  const bool amount_only = !table_.has_price;
  for (std::size_t k = 0; k < b.size; ++k) {
    if ((b.flags[k] & kCancelPrefix) != 0)
      table_.cancel_evidence.add_prefixed_row(negative(b.quantity[k]) || (amount_only && negative(b.value[k])));
    if (track_order_totals_)
      order_evidence_.add(b.invoice[k], b.value[k].to_double(), b.quantity[k].to_double(), roles_.has(Role::kQuantity));
    const std::int32_t key = b.day[k];
    if (key < kSlashKeyBase) continue;
    const int first = key / 100 % 100, second = key % 100;
    dates_.ambiguous_rows += first <= 12 && second <= 12 && first != second;
    // The order the rows run in matters only while no date has ruled an order out.
    if (key != dates_.previous_key && md_possible_ && dm_possible_) {
      if (dates_.previous_key >= kSlashKeyBase) {
        const auto step = [&](bool day_first, std::int64_t& forward, std::int64_t& back) {
          const std::int32_t a = slash_day(dates_.previous_key, day_first), c = slash_day(key, day_first);
          forward += c > a;
          back += c < a;
        };
        step(false, dates_.md_forward, dates_.md_back);
        step(true, dates_.dm_forward, dates_.dm_back);
      }
      dates_.previous_key = key;
    }
  }
}

void TransactionReader::flush_rows() {
  RowBatch& b = *batch_;
  rows_taken_ += static_cast<std::int64_t>(b.size);
  gather_evidence(b);
  if (!stream_) {
    table_.append(b);
    if (hashing_) line_hash_.insert(line_hash_.end(), b.hash, b.hash + b.size);  // duplicates: decided in finish()
    b.size = 0;
    return;
  }
  // Streaming: what the whole file would decide is decided from the rows so far, before the first
  // row it concerns goes by (finish() checks that the whole file agrees).
  if (!stream_prefix_fixed_ && table_.cancel_evidence.prefixed_invoices() > 0) {
    stream_prefix_fixed_ = true;
    stream_prefix_ = cancel_prefix_decision(options_.rules, table_).applies;
    stream_->set_cancel_prefix(stream_prefix_);
  }
  if (track_order_totals_ && !stream_totals_fixed_) {
    stream_totals_fixed_ = true;
    stream_totals_ = order_evidence_.decide(options_.order_totals, amount_column()).applies;
  }
  if (stream_totals_)
    for (std::size_t k = 0; k < b.size; ++k) {
      const auto inv = static_cast<std::size_t>(b.invoice[k]);
      if (inv >= invoice_seen_.size()) invoice_seen_.resize(std::max(inv + 1, invoice_seen_.size() * 2), false);
      if (invoice_seen_[inv]) b.flags[k] |= kOrderTotalRepeat;
      invoice_seen_[inv] = true;
    }
  // The rows' days must be days now, so slash dates take the order seen so far.
  const bool day_first = slash_seen_ && stream_day_first();
  for (std::size_t k = 0; k < b.size; ++k) {
    if (b.day[k] >= kSlashKeyBase) b.day[k] = slash_day(b.day[k], day_first);
    stream_first_day_ = std::min(stream_first_day_, b.day[k]);
    stream_last_day_ = std::max(stream_last_day_, b.day[k]);
  }
  stream_->add(b, table_);
  b.size = 0;
}

// How slash dates read, from the dates so far: the user's order; else the order no date rules out;
// else, when every date reads both ways, the order in which the rows run forward in time (exports
// are written in date order) when that is clear; else month first.
TransactionReader::DateCall TransactionReader::date_call() const {
  using DO = ReadOptions::DateOrder;
  if (options_.date_order != DO::kAuto) return {options_.date_order == DO::kDayFirst, DateCall::kGiven};
  if (!md_possible_) return {true, DateCall::kRuledOut};
  if (!dm_possible_) return {false, DateCall::kRuledOut};
  // Sorted by date, the right reading never steps back; the wrong one steps back at least once a
  // month (4/1, 5/1, … 12/1 then 1/2 for day-first dates of January and February).
  const std::int64_t steps = dates_.md_forward + dates_.md_back;
  const auto clear = [&](std::int64_t back, std::int64_t other_back) {
    return steps >= 10 && static_cast<double>(back) <= 0.01 * static_cast<double>(steps) && other_back >= 3 &&
           other_back >= 5 * (back + 1);
  };
  if (clear(dates_.md_back, dates_.dm_back)) return {false, DateCall::kSequence};
  if (clear(dates_.dm_back, dates_.md_back)) return {true, DateCall::kSequence};
  return {false, DateCall::kDefault};
}

bool TransactionReader::stream_day_first() {
  if (!stream_order_fixed_) {
    stream_order_fixed_ = true;
    stream_day_first_ = date_call().day_first;
  }
  const bool ruled_out = stream_day_first_ ? !dm_possible_ : !md_possible_;
  if (ruled_out)
    throw InputError(
        "\"" + summary_.file_name + "\": line " +
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
    w.push_back(std::to_string(g.short_rows) + (g.short_rows == 1 ? " row has" : " rows have") +
                " fewer fields than the header's " + k + " (" + line_list(g.short_lines, g.short_rows) +
                "): " + (g.skipped ? "skipped, as set" : "kept, padded with empty fields") +
                ". Is a delimiter missing, a quote unclosed, or the file cut?");
  if (g.long_rows > 0)
    w.push_back(std::to_string(g.long_rows) + (g.long_rows == 1 ? " row has" : " rows have") +
                " more fields than the header's " + k + " (" + line_list(g.long_lines, g.long_rows) + "): " +
                (g.skipped
                     ? "skipped, as set"
                     : "kept, the extra fields joined onto the last column (\"" + printable(header_.back()) +
                           "\") with " +
                           (delimiter_name(reader_->delimiter()) == "," ? std::string("a comma") : "the delimiter")) +
                ". Is a delimiter inside an unquoted value?");
  summary_.warnings.insert(summary_.warnings.begin(), w.begin(), w.end());
}

// Customer ids written as floats lose their ".0" only when every id of the column is a whole
// number. The table's ids are kept as written until now; a streamed read decided from its first
// rows (and says so when the whole file disagrees).
void TransactionReader::decide_ids() {
  const Decision d = id_evidence_.decide(options_.normalize_ids);
  if (id_evidence_.any_float_form() || d.forced) summary_.decisions.push_back(d);
  if (customer_level_) {
    if (d.applies)
      for (std::string& id : customers_.ids) id = std::string(strip_float_zero(id));
    return;
  }
  if (stream_) {
    if (d.applies != strip_ids_)
      summary_.warnings.push_back(std::string("The customer ids were ") +
                                  (strip_ids_ ? "read as numbers" : "kept as written") +
                                  " from the first rows of this file (read in one pass), but the whole file says " +
                                  (d.applies ? "they are all whole numbers" : "they are not all whole numbers") + " (" +
                                  d.evidence + "). Read it again with the id rule set explicitly if that matters.");
    return;
  }
  if (!d.applies) return;
  // Rebuild the dictionary in code order: codes stay as they are unless two ids become one
  // ("13085" and "13085.0"), and then the rows, e-mails and phones follow the merge.
  Dictionary fresh;
  std::vector<std::int32_t> map(static_cast<std::size_t>(table_.customers.size()));
  for (std::int32_t c = 0; c < table_.customers.size(); ++c)
    map[static_cast<std::size_t>(c)] = fresh.intern(strip_float_zero(table_.customers[c]));
  if (fresh.size() != table_.customers.size()) {
    summary_.decisions.back().evidence += "; " + std::to_string(table_.customers.size() - fresh.size()) +
                                          " ids occur both ways (like 13085 and 13085.0) and were merged";
    CodeColumn customer;
    std::vector<std::int32_t> codes(RowBatch::kRows);
    for (std::size_t i = 0; i < table_.rows(); i += RowBatch::kRows) {
      const std::size_t n = std::min<std::size_t>(RowBatch::kRows, table_.rows() - i);
      for (std::size_t k = 0; k < n; ++k) {
        const std::int32_t c = table_.customer[i + k];
        codes[k] = c < 0 ? -1 : map[static_cast<std::size_t>(c)];
      }
      customer.append(codes.data(), n);
    }
    table_.customer = std::move(customer);
    for (auto* contact : {&table_.customer_email, &table_.customer_phone}) {
      std::vector<std::int32_t> merged(static_cast<std::size_t>(fresh.size()), -1);
      for (std::size_t c = 0; c < contact->size(); ++c) {
        std::int32_t& slot = merged[static_cast<std::size_t>(map[c])];
        if (slot < 0) slot = (*contact)[c];
      }
      if (!contact->empty()) *contact = std::move(merged);
    }
  }
  table_.customers = std::move(fresh);
}

// An amount column that holds order totals counts each order once: on its first row.
void TransactionReader::decide_order_totals() {
  if (!track_order_totals_) return;
  const Decision d = order_evidence_.decide(options_.order_totals, amount_column());
  summary_.decisions.push_back(d);
  if (stream_) {
    if (options_.order_totals == Auto::kAuto && d.applies != stream_totals_)
      throw InputError("\"" + summary_.file_name + "\": the first rows of this file made \"" + amount_column() + "\" " +
                       (stream_totals_ ? "order totals" : "line amounts") + ", but the whole file says otherwise (" +
                       d.evidence + "). A file this big is read in one pass: set the amount column to " +
                       (d.applies ? "order totals" : "line amounts") + " explicitly and read it again.");
    return;
  }
  if (!d.applies) return;
  std::vector<bool> seen(static_cast<std::size_t>(table_.invoices.size()), false);
  for (std::size_t i = 0; i < table_.rows(); ++i) {
    const auto inv = static_cast<std::size_t>(table_.invoice[i]);
    if (seen[inv]) table_.flags[i] |= kOrderTotalRepeat;
    seen[inv] = true;
  }
}

std::string TransactionReader::amount_column() const {
  return roles_.has(Role::kAmount) ? printable(header_[static_cast<std::size_t>(roles_[Role::kAmount])])
                                   : std::string();
}

void TransactionReader::decide_slash_dates(const std::string& sep) {
  using DO = ReadOptions::DateOrder;
  if (options_.date_order == DO::kAuto && !md_possible_ && !dm_possible_)
    throw InputError("\"" + summary_.file_name + "\": the dates are neither all month/day/year (line " +
                         std::to_string(md_ruled_out_line_) + " has \"" + md_ruled_out_text_ +
                         "\") nor all day/month/year (line " + std::to_string(dm_ruled_out_line_) + " has \"" +
                         dm_ruled_out_text_ +
                         "\"). Export the dates in one format, "
                         "ideally YYYY-MM-DD.",
                     md_ruled_out_line_);
  const DateCall call = stream_ && stream_order_fixed_ ? DateCall{stream_day_first_, date_call().basis} : date_call();
  const bool use_dm = call.day_first;
  if (use_dm && !dm_possible_)
    throw InputError("\"" + summary_.file_name + "\": line " + std::to_string(dm_ruled_out_line_) + " has \"" +
                         dm_ruled_out_text_ + "\", which is not day/month/year. Choose month/day/year instead.",
                     dm_ruled_out_line_);
  if (!use_dm && !md_possible_)
    throw InputError("\"" + summary_.file_name + "\": line " + std::to_string(md_ruled_out_line_) + " has \"" +
                         md_ruled_out_text_ + "\", which is not month/day/year. Choose day/month/year instead.",
                     md_ruled_out_line_);
  const std::string order = use_dm ? "D" + sep + "M" + sep + "YYYY" : "M" + sep + "D" + sep + "YYYY";
  const std::string words = use_dm ? "day/month/year" : "month/day/year";
  const std::int64_t rows = table_.rows() > 0 ? static_cast<std::int64_t>(table_.rows()) : rows_taken_;
  char share[32];
  std::snprintf(share, sizeof share, "%.1f%%",
                rows > 0 ? 100.0 * static_cast<double>(dates_.ambiguous_rows) / static_cast<double>(rows) : 0.0);
  const std::string either = std::to_string(dates_.ambiguous_rows) + " of " + std::to_string(rows) + " rows (" + share +
                             ") have a date that reads either way";
  Decision d;
  d.key = "date_order";
  d.title = "Day and month in slash dates";
  d.applies = true;
  d.forced = call.basis == DateCall::kGiven;
  d.outcome = words;
  switch (call.basis) {
    case DateCall::kGiven:
      summary_.date_format = order + " (as chosen)";
      d.evidence = "as chosen; " + either;
      break;
    case DateCall::kRuledOut: {
      const std::int64_t line = use_dm ? md_ruled_out_line_ : dm_ruled_out_line_;
      const std::string& text = use_dm ? md_ruled_out_text_ : dm_ruled_out_text_;
      summary_.date_format = order + " (line " + std::to_string(line) + " has " + text + ", which can only be " +
                             (use_dm ? "day first)" : "month first)");
      d.evidence = "line " + std::to_string(line) + " has \"" + text + "\", which can only be " + words + "; " + either;
      d.examples.push_back("line " + std::to_string(line) + ": " + text);
      break;
    }
    case DateCall::kSequence:
      summary_.date_format = order + " (no day above 12: the rows run in date order this way)";
      d.evidence = "no date has a day above 12, so both orders fit every date; read " + words +
                   ", the rows run forward in time (" + std::to_string(use_dm ? dates_.dm_back : dates_.md_back) +
                   " of " + std::to_string(dates_.md_forward + dates_.md_back) + " changes of date go back, against " +
                   std::to_string(use_dm ? dates_.md_back : dates_.dm_back) + " read the other way); " + either;
      break;
    case DateCall::kDefault:
      summary_.date_format = order + " (ambiguous: no day above 12; read month first)";
      d.evidence =
          "no date has a day above 12 and the order of the rows does not tell, so month/day/year (the usual order of "
          "US "
          "exports) was taken; " +
          either + " and would change if they are day first";
      if (dates_.ambiguous_rows > 0)
        summary_.warnings.insert(
            summary_.warnings.begin(),
            "The dates could be month/day or day/month: no date has a day above 12. They were read month first; " +
                either + ". If they are day first, choose day/month/year.");
      break;
  }
  summary_.decisions.push_back(d);
  if (!stream_) resolve_slash_days(use_dm);
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
    throw InputError("\"" + summary_.file_name +
                     "\" is empty: it holds no header row and no data. "
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
  if (date_kind_ == DateKind::kExcelSerial) {
    summary_.date_format = "Excel serial day numbers";
  } else if (date_kind_ == DateKind::kDayNumber) {
    summary_.date_format = "day numbers (day 1 = " + format_date(options_.day_anchor) + ")";
  } else if (slash_seen_) {
    decide_slash_dates(sep);
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
  decide_ids();
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
  summary_.roles = roles_.index;
  summary_.role_reasons = roles_.reason;
  decide_order_totals();
  if (returns_) {
    Decision d;
    d.key = "returns_flag";
    d.title = "Returns flag column";
    d.applies = true;
    d.outcome =
        "rows marked in \"" + printable(header_[static_cast<std::size_t>(roles_[Role::kReturn])]) + "\" are returns";
    d.evidence = std::to_string(return_rows_) + " rows are marked as returns (yes / true / 1 / return / refund)";
    if (unknown_return_values_ > 0) {
      d.evidence += "; " + std::to_string(unknown_return_values_) +
                    " rows have another value (first: " + first_unknown_return_ + ") and are read as sales";
      summary_.warnings.push_back(std::to_string(unknown_return_values_) +
                                  " rows have a returns-flag value that is neither yes nor no (first: " +
                                  first_unknown_return_ + "); they are read as sales");
    }
    summary_.decisions.push_back(d);
  }
  if (offset_dates_ > 0) {
    Decision d;
    d.key = "time_zone";
    d.title = "Time-zone offsets in the dates";
    d.applies = true;
    d.outcome = "dates read as written: the local calendar day of each purchase";
    d.evidence = std::to_string(offset_dates_) +
                 " dates carry a time-zone offset (like +01:00 or Z); the day is taken as written, "
                 "not moved to UTC, so an evening purchase stays on its day";
    summary_.decisions.push_back(d);
  }
  // A streamed file was cleaned with the cancellation prefix decided from its first rows.
  if (stream_ && stream_prefix_fixed_ && options_.rules.cancel_prefix == Auto::kAuto) {
    const Decision whole = cancel_prefix_decision(options_.rules, table_);
    if (whole.applies != stream_prefix_)
      throw InputError(
          "\"" + summary_.file_name + "\": the first rows of this file made the invoices starting with C " +
          (stream_prefix_ ? "cancellations" : "ordinary purchases") + ", but the whole file says otherwise (" +
          whole.evidence + "). A file this big is read in one pass: set the cancellation prefix rule to " +
          (whole.applies ? "on" : "off") + " and read it again.");
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
