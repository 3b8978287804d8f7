// Ingest: the bytes of a transactions file, fed chunk by chunk, become one row of RFM features per
// customer. Stages 1–5 of docs/ARCHITECTURE: decode → read → roles → filter → aggregate, in one
// streaming pass; memory grows with customers and invoices, not with the file.
//
// Rules (issue 3's pipeline; the order decides which count a row lands in):
//   1. a row whose customer id is missing (empty, NA, NaN) is dropped        → rows_no_customer
//   2. a cancellation (invoice starting with C, or a negative quantity or amount) is dropped
//                                                                            → rows_cancelled
//   3. a row whose date or numbers do not parse is dropped with a warning   → rows_invalid
// Every other row is kept and counts towards its customer:
//   recency   = as_of − the day of the customer's last purchase, where as_of is the day after the
//               last invoice date in the file (any row with a valid date counts), in calendar days
//   frequency = distinct invoices
//   monetary  = Σ quantity × unit price (or Σ line amount when the file has amounts)
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "columns.h"
#include "csv_reader.h"
#include "text_decoder.h"

namespace core {

struct IngestSummary {
  std::string file_name;
  std::int64_t bytes = 0;
  std::string encoding;
  std::string delimiter;  ///< "," ";" "tab" "|"
  std::string layout;
  std::string date_format;
  std::vector<std::string> columns;
  std::int64_t rows_read = 0;  ///< data rows (not the header)
  std::int64_t rows_kept = 0;
  std::int64_t rows_no_customer = 0;
  std::int64_t rows_cancelled = 0;
  std::int64_t rows_invalid = 0;
  std::vector<std::string> warnings;  ///< capped; the counts above are complete
  std::string first_date;             ///< first and last invoice dates of kept rows
  std::string last_date;
  std::string as_of;
};

/// One row per customer, in order of first appearance in the file.
struct CustomerTable {
  std::vector<std::string> ids;
  std::vector<double> recency;
  std::vector<double> frequency;
  std::vector<double> monetary;
  std::size_t size() const { return ids.size(); }
};

struct IngestResult {
  IngestSummary summary;
  CustomerTable customers;
};

class Ingest {
 public:
  explicit Ingest(std::string file_name);
  ~Ingest();

  /// Feeds the next bytes of the file. Throws InputError when the file cannot be used.
  void feed(const char* data, std::size_t n);
  /// Ends the file and returns the customers. Throws InputError when no customer is left.
  IngestResult finish();

  std::int64_t bytes() const { return bytes_; }
  std::int64_t rows() const { return summary_.rows_read; }

 private:
  struct Customer {
    std::int32_t last_md = INT32_MIN;  // last purchase day, slash dates read as M/D (ISO: the day)
    std::int32_t last_dm = INT32_MIN;  // … read as D/M
    std::int32_t first = INT32_MAX;    // first purchase day (M/D reading; ISO: the day)
    std::int32_t first_dm = INT32_MAX;
    std::int32_t invoices = 0;
    double monetary = 0;
  };

  void on_record(const CsvRecord& r);
  void on_header(const CsvRecord& r);
  void on_row(const CsvRecord& r);
  void warn(const std::string& message);
  void check_magic(const char* data, std::size_t n);

  IngestSummary summary_;
  std::int64_t bytes_ = 0;
  TextDecoder decoder_;
  std::string text_;
  std::unique_ptr<CsvReader> reader_;
  bool have_header_ = false;
  ColumnRoles roles_;
  std::size_t needed_fields_ = 0;

  std::unordered_map<std::string, std::int32_t> customer_index_;
  std::vector<std::string> customer_ids_;
  std::vector<Customer> customers_;
  std::unordered_map<std::string, std::int32_t> invoice_index_;
  std::unordered_set<std::uint64_t> customer_invoice_;
  std::string last_customer_;
  std::int32_t last_customer_idx_ = -1;
  std::string last_invoice_;
  std::int32_t last_invoice_idx_ = -1;

  // Dates: slash dates are read both ways until the data decides.
  bool slash_seen_ = false, iso_seen_ = false;
  bool md_possible_ = true, dm_possible_ = true;
  std::int64_t md_ruled_out_line_ = 0, dm_ruled_out_line_ = 0;
  std::int32_t max_md_ = INT32_MIN, max_dm_ = INT32_MIN;
  char date_separator_ = '/';
  std::int64_t warnings_total_ = 0;
};

}  // namespace core
