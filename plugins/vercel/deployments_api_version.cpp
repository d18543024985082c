// See deployments_api_version.hpp.
#include "deployments_api_version.hpp"

namespace switchboard::vercel {

std::optional<provider::Json> initSettings(std::string_view settingsJson, Outcome& failure) {
  std::optional<provider::Json> settings = provider::parseJson(settingsJson);
  if (!settings) failure = Outcome::failure(SB_ERR_INVALID_ARGUMENT, "settings: not JSON");
  return settings;
}

std::optional<std::string> deploymentsApiVersion(std::string_view settingsJson, Outcome& failure) {
  constexpr const char* kName = "deploymentsApiVersion";
  std::optional<provider::Json> settings = initSettings(settingsJson, failure);
  if (!settings) return std::nullopt;
  if (provider::memberAt(*settings, kName) == nullptr) return std::string("v6");
  const std::optional<std::string> version = provider::stringAt(*settings, kName);
  bool valid = version && version->size() >= 2 && version->size() <= 4 && version->front() == 'v';
  for (std::size_t i = 1; valid && i < version->size(); ++i) valid = (*version)[i] >= '0' && (*version)[i] <= '9';
  if (!valid) {
    failure = Outcome::failure(SB_ERR_INVALID_ARGUMENT,
                               "settings.deploymentsApiVersion must be \"v\" and a number, like \"v6\"");
    return std::nullopt;
  }
  return version;
}

}  // namespace switchboard::vercel
