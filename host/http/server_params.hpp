// Translates ServerConfig limits into Poco's HTTPServerParams, so every limit
// the operator sets is enforced by the server and set in one place.
// Thread-safety: pure function; thread-safe.
#pragma once

#include <Poco/Net/HTTPServerParams.h>

#include "config/config.hpp"

namespace sb::http {

Poco::Net::HTTPServerParams::Ptr serverParams(const ServerConfig& config);

}  // namespace sb::http
