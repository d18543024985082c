// A small command-line parser for `switchboard <command> [subcommand] --flag value`.
// Flags are declared per command so typos and missing values are errors with a
// clear message rather than silently ignored. Thread-safety: single-threaded use.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "core/result.hpp"

namespace sb::cli {

struct FlagSpec {
  std::string name;       // without leading dashes
  bool takesValue = true;
  std::string help;
};

class Arguments {
 public:
  // Parses `args` (after the command words) against `specs`. `--help`/`-h` is
  // always accepted. Positional arguments are kept in order.
  static Result<Arguments> parse(const std::vector<std::string>& args,
                                 const std::vector<FlagSpec>& specs);

  bool helpRequested() const { return help_; }
  bool has(const std::string& flag) const { return values_.count(flag) > 0; }
  std::optional<std::string> value(const std::string& flag) const;
  Result<std::string> required(const std::string& flag) const;
  const std::vector<std::string>& positional() const { return positional_; }

 private:
  bool help_ = false;
  std::map<std::string, std::string> values_;
  std::vector<std::string> positional_;
};

std::string renderFlags(const std::vector<FlagSpec>& specs);

}  // namespace sb::cli
