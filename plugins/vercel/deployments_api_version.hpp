// Reads the deployments API version ("v6", "v7", ...) from the Vercel
// plugin's init settings, so an operator can follow Vercel's newer versions
// without a rebuild. Thread-safety: pure function.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <switchboard/provider.hpp>
#include <switchboard/sdk.hpp>

namespace switchboard::vercel {

// The init settings as parsed JSON (the SDK has checked they are an object);
// nullopt with an SB_ERR_INVALID_ARGUMENT `failure` when they do not parse.
std::optional<provider::Json> initSettings(std::string_view settingsJson, Outcome& failure);

// "v6" when the settings do not name one; nullopt (with an
// SB_ERR_INVALID_ARGUMENT `failure`) when the value is not "v<digits>".
std::optional<std::string> deploymentsApiVersion(std::string_view settingsJson, Outcome& failure);

}  // namespace switchboard::vercel
