// `switchboard plugin check <file.so>`: loads one plugin with the same
// validation as the server, then runs a conformance pass over its hooks
// (well-formed and malformed input, JSON output, error reasons). Its HTTP
// requests go only to a scripted provider on loopback (scripted_provider.hpp)
// that the check starts as the plugin's base URL: every status call is run
// against a 200, 401, 429, 500, malformed, oversized and slow reply, and each
// mapping is reported and judged. The plugin runs in a child process that streams each
// result to the caller, so a plugin that crashes (a signal) or hangs is
// reported as a failure of the step it was running, not a crash of the check.
// Thread-safety: checkPlugin is reentrant; CheckReport is a plain value.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "plugins/scripted_provider.hpp"

namespace sb {

struct CheckItem {
  std::string name;    // what was checked, e.g. "on_status rejects \"not json\""
  bool passed = false;
  std::string detail;  // why it failed, or a short note when it passed
};

struct CheckReport {
  std::string path;
  std::vector<CheckItem> items;

  bool passed() const;  // at least one item and none failed
  std::string render() const;  // one PASS/FAIL line per item and a summary line
};

// The link values of the well-formed on_status request, as JSON objects
// (`plugin check --settings FILE --secrets FILE`); an empty one is built from
// each schema's fields (placeholders, else stand-ins).
struct CheckLinkValues {
  std::string settingsJson;
  std::string secretsJson;
};

// `settingsJson` is handed to on_init for the conformance pass; plugins must
// initialise with "{}" (defaults) for the check to exercise their hooks.
// `timeLimit` bounds the whole check; past it the child is killed.
// `fixture` is what the scripted provider's 200 answers (`--fixture FILE`).
CheckReport checkPlugin(const std::string& path, const std::string& settingsJson = "{}",
                        std::chrono::milliseconds timeLimit = std::chrono::seconds(60), CheckLinkValues link = {},
                        ProviderFixture fixture = {});

}  // namespace sb
