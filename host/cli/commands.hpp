// The operator commands of the `switchboard` executable. Each returns the
// process exit code and writes human-readable output to stdout/stderr.
// Thread-safety: called once from main().
#pragma once

#include <string>
#include <vector>

namespace sb::cli {

struct Invocation {
  std::string executablePath;
  std::vector<std::string> args;  // after the command words
};

int runServe(const Invocation& in);
int runMigrate(const Invocation& in);
int runTokenCreate(const Invocation& in);
int runProjectCreate(const Invocation& in);
int runMemberAdd(const Invocation& in);
int runPluginCheck(const Invocation& in);

}  // namespace sb::cli
