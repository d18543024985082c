#include "cli/arguments.hpp"

#include <algorithm>

namespace sb::cli {

Result<Arguments> Arguments::parse(const std::vector<std::string>& args,
                                   const std::vector<FlagSpec>& specs) {
  Arguments parsed;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (arg == "--help" || arg == "-h") {
      parsed.help_ = true;
      continue;
    }
    if (arg.rfind("--", 0) != 0) {
      parsed.positional_.push_back(arg);
      continue;
    }
    std::string name = arg.substr(2);
    std::optional<std::string> inlineValue;
    if (auto eq = name.find('='); eq != std::string::npos) {
      inlineValue = name.substr(eq + 1);
      name.resize(eq);
    }
    auto spec = std::find_if(specs.begin(), specs.end(),
                             [&](const FlagSpec& s) { return s.name == name; });
    if (spec == specs.end()) {
      return Result<Arguments>(ErrorCode::InvalidArgument, "unknown option --" + name, name);
    }
    if (!spec->takesValue) {
      if (inlineValue) {
        return Result<Arguments>(ErrorCode::InvalidArgument,
                                 "option --" + name + " takes no value", name);
      }
      parsed.values_[name] = "true";
      continue;
    }
    if (inlineValue) {
      parsed.values_[name] = *inlineValue;
    } else if (i + 1 < args.size() && args[i + 1].rfind("--", 0) != 0) {
      parsed.values_[name] = args[++i];
    } else {
      return Result<Arguments>(ErrorCode::InvalidArgument,
                               "option --" + name + " needs a value", name);
    }
  }
  return parsed;
}

std::optional<std::string> Arguments::value(const std::string& flag) const {
  auto it = values_.find(flag);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

Result<std::string> Arguments::required(const std::string& flag) const {
  auto it = values_.find(flag);
  if (it == values_.end() || it->second.empty()) {
    return Result<std::string>(ErrorCode::InvalidArgument, "missing required option --" + flag,
                               flag);
  }
  return it->second;
}

std::string renderFlags(const std::vector<FlagSpec>& specs) {
  std::string out;
  for (const auto& spec : specs) {
    std::string left = "  --" + spec.name + (spec.takesValue ? " VALUE" : "");
    if (left.size() < 24) left.resize(24, ' ');
    out += left + " " + spec.help + "\n";
  }
  out += "  --help                 show this help\n";
  return out;
}

}  // namespace sb::cli
