#include "columns.h"

#include <cctype>

namespace core {
namespace {

// Lower-case letters and digits only: "Customer ID" -> "customerid".
std::string key(std::string_view s) {
  std::string k;
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u)) k.push_back(static_cast<char>(std::tolower(u)));
  }
  return k;
}

struct Synonyms {
  Role role;
  std::vector<const char*> names;
};

// First match wins, in the order of each list; a column takes one role.
const std::vector<Synonyms>& synonyms() {
  static const std::vector<Synonyms> kSynonyms = {
      {Role::kCustomer,
       {"customerid", "customer", "customerno", "customernumber", "customercode", "householdkey", "householdid",
        "household", "clientid", "memberid", "cardid", "loyaltyid", "userid", "buyerid"}},
      {Role::kInvoice,
       {"invoiceno", "invoice", "invoiceid", "invoicenumber", "basketid", "basket", "orderid", "orderno", "ordernumber",
        "order", "transactionid", "receiptid", "receiptno", "ticketid"}},
      {Role::kDate,
       {"invoicedate", "transactiontimestamp", "orderdate", "transactiondate", "purchasedate", "date", "datetime",
        "timestamp", "saledate", "day", "dayno"}},
      {Role::kQuantity, {"quantity", "qty", "units", "quantityordered"}},
      {Role::kPrice, {"unitprice", "price", "priceeach", "itemprice", "unitcost"}},
      {Role::kAmount,
       {"salesvalue", "lineamount", "linetotal", "amount", "sales", "revenue", "totalprice", "total", "value",
        "spend"}},
      {Role::kProduct, {"stockcode", "productid", "productcode", "sku", "itemcode", "itemid", "product"}},
      {Role::kDescription, {"description", "productname", "itemname", "itemdescription"}},
      {Role::kCountry, {"country", "countryname", "countrycode"}},
      {Role::kEmail, {"email", "emailaddress", "mail", "customeremail"}},
      {Role::kPhone, {"phone", "phonenumber", "mobile", "telephone", "tel", "customerphone"}},
      {Role::kReturn,
       {"returned", "isreturn", "returnflag", "returnindicator", "return", "isrefund", "refunded", "refund",
        "returnstatus"}},
  };
  return kSynonyms;
}

}  // namespace

const char* role_key(Role r) {
  switch (r) {
    case Role::kCustomer: return "customer";
    case Role::kInvoice: return "invoice";
    case Role::kDate: return "date";
    case Role::kQuantity: return "quantity";
    case Role::kPrice: return "price";
    case Role::kAmount: return "amount";
    case Role::kProduct: return "product";
    case Role::kDescription: return "description";
    case Role::kCountry: return "country";
    case Role::kEmail: return "email";
    case Role::kPhone: return "phone";
    case Role::kReturn: return "return";
  }
  return "?";
}

bool role_from_key(const std::string& key, Role& out) {
  for (int i = 0; i < kRoleCount; ++i) {
    if (key == role_key(static_cast<Role>(i))) {
      out = static_cast<Role>(i);
      return true;
    }
  }
  return false;
}

const char* role_name(Role r) {
  switch (r) {
    case Role::kCustomer: return "customer id";
    case Role::kInvoice: return "invoice";
    case Role::kDate: return "invoice date";
    case Role::kQuantity: return "quantity";
    case Role::kPrice: return "unit price";
    case Role::kAmount: return "line amount";
    case Role::kProduct: return "product code";
    case Role::kDescription: return "description";
    case Role::kCountry: return "country";
    case Role::kEmail: return "email";
    case Role::kPhone: return "phone";
    case Role::kReturn: return "returns flag";
  }
  return "?";
}

std::string printable(std::string_view s) {
  std::string out;
  std::size_t chars = 0;
  for (std::size_t i = 0; i < s.size() && chars < 40; ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c == 0x7F) {
      out.push_back('?');
    } else {
      out.push_back(static_cast<char>(c));
    }
    if ((c & 0xC0) != 0x80) ++chars;
  }
  // Do not cut a UTF-8 sequence in half.
  while (!out.empty() && (static_cast<unsigned char>(out.back()) & 0xC0) == 0x80) {
    std::size_t j = out.size();
    while (j > 0 && (static_cast<unsigned char>(out[j - 1]) & 0xC0) == 0x80) --j;
    if (j == 0) break;
    const auto lead = static_cast<unsigned char>(out[j - 1]);
    const std::size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
    if (out.size() - (j - 1) >= need) break;
    out.resize(j - 1);
  }
  if (chars >= 40 && s.size() > out.size()) out += "…";
  return out;
}

ColumnRoles detect_roles(const std::vector<std::string_view>& header) {
  ColumnRoles roles;
  std::vector<std::string> keys;
  keys.reserve(header.size());
  for (auto h : header) keys.push_back(key(h));
  std::vector<bool> taken(header.size(), false);
  for (const auto& syn : synonyms()) {
    for (const char* name : syn.names) {
      if (roles.has(syn.role)) break;
      for (std::size_t c = 0; c < keys.size(); ++c) {
        if (!taken[c] && keys[c] == name) {
          roles.index[static_cast<int>(syn.role)] = static_cast<int>(c);
          roles.reason[static_cast<int>(syn.role)] =
              "its header \"" + printable(header[c]) + "\" is a usual name for the " + role_name(syn.role);
          taken[c] = true;
          break;
        }
      }
    }
  }
  auto has_key = [&](const char* k) {
    for (const auto& x : keys)
      if (x == k) return true;
    return false;
  };
  if (has_key("invoiceno") && has_key("unitprice") && has_key("customerid")) {
    roles.layout = "UCI Online Retail";
  } else if (has_key("invoice") && has_key("price") && has_key("customerid")) {
    roles.layout = "UCI Online Retail II";
  } else if (has_key("householdkey") && has_key("basketid") && has_key("day")) {
    roles.layout = "dunnhumby The Complete Journey";
  } else if (has_key("householdid") && has_key("basketid")) {
    roles.layout = "84.51° Complete Journey 2.0";
  } else {
    roles.layout = "generic";
  }
  return roles;
}

std::string missing_roles_message(const ColumnRoles& roles, const std::vector<std::string_view>& header) {
  std::vector<std::string> missing;
  if (!roles.has(Role::kCustomer)) missing.push_back("customer id (e.g. CustomerID, Customer ID)");
  if (!roles.has(Role::kDate)) missing.push_back("invoice date (e.g. InvoiceDate)");
  const bool amount = roles.has(Role::kAmount);
  if (!amount && !roles.has(Role::kQuantity)) missing.push_back("quantity (e.g. Quantity)");
  if (!amount && !roles.has(Role::kPrice)) missing.push_back("unit price (e.g. UnitPrice, Price)");
  if (missing.empty()) return {};
  std::string msg = "The file lacks the columns LoyaltyLens needs: ";
  for (std::size_t i = 0; i < missing.size(); ++i) msg += (i ? "; " : "") + missing[i];
  msg += ". Columns found in the header (line 1): ";
  const std::size_t shown = header.size() < 20 ? header.size() : 20;
  for (std::size_t i = 0; i < shown; ++i) msg += (i ? ", " : "") + ("\"" + printable(header[i]) + "\"");
  if (header.size() > shown) msg += ", … (" + std::to_string(header.size()) + " in all)";
  msg +=
      ". Export the transactions with these columns (as the UCI Online Retail files have them), "
      "or rename the header cells.";
  return msg;
}

}  // namespace core
