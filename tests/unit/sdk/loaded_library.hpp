// A plugin .so dlopen'ed as the host loads it (RTLD_NOW, the one entry
// symbol), for the tests that drive a bundled plugin on the fake host.
// Ownership: the handle is closed on destruction, after every instance is gone.
// Thread-safety: one per test; not shared.
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
