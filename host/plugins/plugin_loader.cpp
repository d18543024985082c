#include "plugins/plugin_loader.hpp"

#include <dlfcn.h>

#include <boost/dll/shared_library.hpp>

namespace sb {

Result<OpenedPlugin> openPlugin(const std::string& path, std::string* declaredAbi) {
  auto library = std::make_shared<boost::dll::shared_library>();
  try {
    boost::dll::fs::error_code ec;
    // rtld_local: two plugins may bundle the same helper symbols without
    // one silently binding to the other's.
    library->load(path, ec, boost::dll::load_mode::rtld_lazy | boost::dll::load_mode::rtld_local);
    if (ec || !library->is_loaded()) {
      const char* reason = dlerror();  // Boost.DLL leaves dlopen's message in place
      return Result<OpenedPlugin>(ErrorCode::InvalidArgument,
                                  "cannot load " + path + ": " +
                                      (reason != nullptr ? std::string(reason) : ec.message()));
    }
    if (!library->has(SB_ENTRY_SYMBOL)) {
      return Result<OpenedPlugin>(ErrorCode::InvalidArgument,
                                  std::string("entry symbol ") + SB_ENTRY_SYMBOL +
                                      " not found in " + path);
    }
    auto& entry = library->get<const sb_plugin*()>(SB_ENTRY_SYMBOL);
    const sb_plugin* descriptor = nullptr;
    try {
      descriptor = entry();
    } catch (...) {
      return Result<OpenedPlugin>(ErrorCode::InvalidArgument,
                                  std::string("entry function ") + SB_ENTRY_SYMBOL +
                                      " threw an exception");
    }
    if (descriptor == nullptr) {
      return Result<OpenedPlugin>(ErrorCode::InvalidArgument,
                                  std::string("entry function ") + SB_ENTRY_SYMBOL +
                                      " returned NULL");
    }
    if (declaredAbi != nullptr) *declaredAbi = declaredAbiVersion(*descriptor);
    Result<ValidatedDescriptor> validated = validateDescriptor(*descriptor);
    if (!validated) return validated.status();
    return OpenedPlugin{std::shared_ptr<void>(library, library.get()), path,
                        std::move(validated).value()};
  } catch (const std::exception& e) {
    return Result<OpenedPlugin>(ErrorCode::InvalidArgument,
                                "cannot load " + path + ": " + e.what());
  }
}

}  // namespace sb
