// A plugin library dlopen'ed as the host opens it, for the SDK tests that
// drive a built plugin through its descriptor. Ownership: the library stays
// mapped until the object dies; destroy every instance before that.
// Thread-safety: test thread only.
#pragma once

#include <dlfcn.h>

#include <string>

#include "switchboard/abi.h"

namespace switchboard::testing {

class LoadedLibrary {
 public:
  explicit LoadedLibrary(const std::string& path) : handle_(dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL)) {}
  ~LoadedLibrary() {
    if (handle_ != nullptr) dlclose(handle_);
  }
  LoadedLibrary(const LoadedLibrary&) = delete;
  LoadedLibrary& operator=(const LoadedLibrary&) = delete;
  const sb_plugin* descriptor() const {
    if (handle_ == nullptr) return nullptr;
    auto entry = reinterpret_cast<sb_plugin_entry_fn>(dlsym(handle_, SB_ENTRY_SYMBOL));
    return entry != nullptr ? entry() : nullptr;
  }
  std::string error() const { return handle_ == nullptr ? std::string(dlerror()) : std::string(); }

 private:
  void* handle_;
};

}  // namespace switchboard::testing
