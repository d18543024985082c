#include "config/path_resolution.hpp"
#include "config/sections.hpp"

namespace sb::config {

std::string resolveLogTarget(const std::string& target, const std::string& baseDirectory) {
  // "-" is the standard stream and "" means off; neither is a path.
  if (target.empty() || target == "-") return target;
  return resolveAgainst(baseDirectory, target);
}

void readLoggingSection(MappingReader& section, LoggingConfig& out) {
  section.expectKeys({"level", "access_log", "file"});
  section.readOneOf("level", out.level, {"trace", "debug", "info", "warning", "error"});
  for (const auto& [key, target] : {std::pair<const char*, std::string*>{"access_log", &out.accessLog},
                                    std::pair<const char*, std::string*>{"file", &out.file}}) {
    section.readString(key, *target);
    if (!section.ok()) return;
    if (target == &out.file && target->empty()) {
      section.fail(key, "must be '-' (stderr) or a file path");
      return;
    }
    try {
      *target = resolveLogTarget(*target, section.source().baseDirectory);
    } catch (const std::exception& error) {
      section.fail(key, std::string("not a usable path: ") + error.what());
    }
  }
}

}  // namespace sb::config
