// Column roles: which column of a transactions file holds the customer, the invoice, the date, …
// Detected from header names of the known exports (UCI Online Retail and Online Retail II,
// 84.51°/dunnhumby Complete Journey) and common synonyms.
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

namespace core {

enum class Role {
  kCustomer,
  kInvoice,
  kDate,
  kQuantity,
  kPrice,
  kAmount,
  kProduct,
  kDescription,
  kCountry,
  kEmail,
  kPhone,
  kReturn
};
constexpr int kRoleCount = 12;

/// Stable names used across the boundary and on the command line ("customer", "invoice", …).
const char* role_key(Role r);
/// The role of a key, or false.
bool role_from_key(const std::string& key, Role& out);

const char* role_name(Role r);

struct ColumnRoles {
  std::array<int, kRoleCount> index;           ///< column per role, -1 if absent
  std::array<std::string, kRoleCount> reason;  ///< why the column (or none) was chosen, for people
  std::string layout;                          ///< "UCI Online Retail", "UCI Online Retail II", …

  ColumnRoles() { index.fill(-1); }
  int operator[](Role r) const { return index[static_cast<int>(r)]; }
  bool has(Role r) const { return (*this)[r] >= 0; }
};

/// Assigns roles from header names.
ColumnRoles detect_roles(const std::vector<std::string_view>& header);

/// Empty when the roles suffice for RFM (customer, date and either quantity and price or a line
/// amount; without an invoice column each customer-day counts as one order); else a message naming
/// what is missing and the columns found.
std::string missing_roles_message(const ColumnRoles& roles, const std::vector<std::string_view>& header);

/// A header cell made safe and short for a message (control bytes shown as '?', 40 chars at most).
std::string printable(std::string_view s);

}  // namespace core
