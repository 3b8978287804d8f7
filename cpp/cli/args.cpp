#include "args.h"

#include <algorithm>

#include "errors.h"

namespace cli {
namespace {

// Flags that set a setting other than their own name says (kept from the CLI's first version).
struct Alias {
  const char* flag;
  const char* group;
  const char* key;
  const char* value;        ///< a fixed value (the flag is a switch), or nullptr: the flag's value
  const char* implied_key;  ///< another setting of the same group it sets, or nullptr
  bool implied_value;
};

const Alias kAliases[] = {
    {"--exclude-countries", "clean", "countries", nullptr, "excludeCountries", true},
    {"--countries", "clean", "countries", nullptr, "excludeCountries", false},
    {"--non-product-codes", "clean", "nonProductCodes", nullptr, "dropNonProduct", true},
    {"--no-skip-initial-space", "read", "skipInitialSpace", "off", nullptr, false},
};

bool in(const std::vector<std::string>& groups, const char* g) {
  return std::find(groups.begin(), groups.end(), g) != groups.end();
}

// The schema's parameter for a flag among the command's groups (first group first).
const core::Param* param_of(const std::vector<std::string>& groups, const std::string& flag) {
  for (const std::string& g : groups)
    for (const core::Param& p : core::schema())
      if (g == p.group && p.flag != nullptr && flag == p.flag) return &p;
  return nullptr;
}

// A core message "group.key: …" says the flag instead.
std::string with_flag(const core::Param& p, const std::string& flag, const std::string& message) {
  const std::string prefix = std::string(p.group) + "." + p.key + ":";
  return message.rfind(prefix, 0) == 0 ? flag + message.substr(prefix.size()) : flag + ": " + message;
}

void set(core::AnalysisSettings& s, const core::Param& p, const std::string& flag, const core::Json& v, Args& out) {
  try {
    p.set(s, v);
  } catch (const core::InvalidArgument& e) {
    throw UsageError(with_flag(p, flag, e.what()));
  }
  out.set.push_back(std::string(p.group) + "." + p.key);
}

}  // namespace

Args parse_args(const CommandSpec& spec, const std::vector<std::string>& argv, core::AnalysisSettings start) {
  Args out;
  out.settings = std::move(start);
  for (std::size_t i = 0; i < argv.size(); ++i) {
    const std::string& a = argv[i];
    const auto value = [&]() -> std::string {
      if (i + 1 >= argv.size()) throw UsageError(a + " needs a value");
      return argv[++i];
    };
    if (a.size() < 2 || a[0] != '-' || a == "-") {
      out.positional.push_back(a);
      continue;
    }
    if (a == "--help" || a == "-h") {
      out.options["help"] = "";
      continue;
    }
    const std::string name = a.rfind("--", 0) == 0 ? a.substr(2) : a;
    if (const auto it = spec.options.find(name); it != spec.options.end()) {
      out.options[name] = it->second ? value() : std::string();
      continue;
    }
    if (a == "--stream" && spec.stream) {
      out.stream = true;
      continue;
    }
    const Alias* alias = nullptr;
    for (const Alias& x : kAliases)
      if (a == x.flag && in(spec.groups, x.group)) alias = &x;
    if (alias != nullptr) {
      const core::Param& p = *core::find_param(alias->group, alias->key);
      set(out.settings, p, a, alias->value ? core::Json(alias->value) : core::flag_value(p, a, value()), out);
      if (alias->implied_key)
        set(out.settings, *core::find_param(alias->group, alias->implied_key), a, core::Json(alias->implied_value),
            out);
      continue;
    }
    const core::Param* p = param_of(spec.groups, a);
    bool negated = false;
    if (p == nullptr && a.rfind("--no-", 0) == 0) {  // --no-X turns the switch --X off
      p = param_of(spec.groups, "--" + a.substr(5));
      negated = p != nullptr && p->switch_flag;
      if (!negated) p = nullptr;
    }
    if (p == nullptr) throw UsageError("unknown option " + a);
    core::Json v;
    try {
      if (negated)
        v = p->kind == core::Param::Kind::kBool ? core::Json(false) : core::Json("off");
      else if (p->switch_flag)
        v = p->kind == core::Param::Kind::kBool ? core::Json(true) : core::Json("on");
      else
        v = core::flag_value(*p, a, value());
    } catch (const core::InvalidArgument& e) {
      throw UsageError(e.what());
    }
    if (p->kind == core::Param::Kind::kRoles) {
      // --role adds to the roles given so far.
      core::Json merged = p->get(out.settings);
      for (const auto& [role, column] : v.members()) merged.set(role, column);
      v = std::move(merged);
    }
    set(out.settings, *p, a, v, out);
  }
  if (out.has("help")) return out;
  const auto n = static_cast<int>(out.positional.size());
  if (n < spec.positional_min || n > spec.positional_max) {
    if (n > spec.positional_max && spec.positional_max >= 0)
      throw UsageError("unexpected argument \"" + out.positional[static_cast<std::size_t>(spec.positional_max)] + "\"");
    throw UsageError(std::string(spec.name) + " needs " +
                     (spec.positional_min == 1 ? "a FILE" : std::to_string(spec.positional_min) + " files"));
  }
  return out;
}

std::string flags_help(const std::vector<std::string>& groups) {
  static const std::map<std::string, std::string> kTitles = {{"read", "reading"},
                                                             {"clean", "cleaning (applied in this order)"},
                                                             {"features", "customer features"},
                                                             {"rfm", "RFM scores"},
                                                             {"cluster", "segments"},
                                                             {"map", "2-D map"},
                                                             {"sweep", "compare k"}};
  const core::AnalysisSettings defaults;
  std::string out;
  for (const std::string& g : groups) {
    std::string block;
    for (const core::Param& p : core::schema()) {
      if (g != p.group || p.flag == nullptr) continue;
      std::string head = "  " + std::string(p.flag);
      if (!p.switch_flag) {
        if (p.kind == core::Param::Kind::kEnum) {
          std::string choices;
          for (const std::string& c : p.choices) choices += (choices.empty() ? "" : "|") + c;
          head += " " + choices;
        } else {
          head += p.kind == core::Param::Kind::kRoles  ? " ROLE=COLUMN"
                  : p.kind == core::Param::Kind::kList ? " A,B,…"
                  : p.kind == core::Param::Kind::kDate ? " YYYY-MM-DD"
                                                       : " N";
        }
      }
      const core::Json d = p.get(defaults);
      std::string def;
      if (!p.switch_flag && p.kind != core::Param::Kind::kRoles && p.kind != core::Param::Kind::kList)
        def = d.is_string() ? (d.as_string().empty() ? "" : " (default " + d.as_string() + ")")
                            : " (default " + core::dump_json(d) + ")";
      block.append(head).append("\n      ").append(p.help).append(def).append("\n");
    }
    if (!block.empty()) out += kTitles.at(g) + ":\n" + block;
  }
  return out;
}

std::string base_name(const std::string& path) {
  const std::size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

}  // namespace cli
