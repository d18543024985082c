// Opens a plugin .so with Boost.DLL, finds the one entry symbol, calls it and
// validates the returned descriptor: nothing else in the plugin runs here.
// Never throws; every failure is an InvalidArgument Status with a stable message.
// Thread-safety: reentrant (dlopen is thread-safe).
#pragma once

#include <memory>
#include <string>

#include "core/result.hpp"
#include "plugins/descriptor_validation.hpp"

namespace sb {

struct OpenedPlugin {
  // Keeps the library mapped; type-erased so Boost.DLL stays out of headers.
  std::shared_ptr<void> library;
  std::string path;
  ValidatedDescriptor descriptor;
};

// `declaredAbi` (optional) receives the plugin's "major.minor" as soon as the
// descriptor is readable, so a refused plugin can still report it.
Result<OpenedPlugin> openPlugin(const std::string& path, std::string* declaredAbi = nullptr);

}  // namespace sb
