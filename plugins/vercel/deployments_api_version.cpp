// See deployments_api_version.hpp.
#include "deployments_api_version.hpp"

#include <Poco/JSON/Parser.h>

#include "json_fields.hpp"

namespace switchboard::vercel {

using bundled::asObject;
using bundled::boolAt;
using bundled::int64At;
using bundled::isNullAt;
using bundled::objectAt;
using bundled::stringAt;

std::optional<Poco::JSON::Object::Ptr> initSettings(std::string_view settingsJson, Outcome& failure) {
  try {
    Poco::JSON::Parser parser;
    return asObject(parser.parse(std::string(settingsJson)));
  } catch (const std::exception& e) {
    failure = Outcome::failure(SB_ERR_INVALID_ARGUMENT, std::string("settings: ") + e.what());
    return std::nullopt;
  }
}

std::optional<std::string> deploymentsApiVersion(std::string_view settingsJson, Outcome& failure) {
  constexpr const char* kName = "deploymentsApiVersion";
  std::optional<Poco::JSON::Object::Ptr> parsed = initSettings(settingsJson, failure);
  if (!parsed) return std::nullopt;
  const Poco::JSON::Object::Ptr& settings = *parsed;
  if (settings.isNull() || !settings->has(kName)) return std::string("v6");
  const std::optional<std::string> version = stringAt(settings, kName);
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
