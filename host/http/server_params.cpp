#include "http/server_params.hpp"

#include <Poco/Timespan.h>

#include <algorithm>

namespace sb::http {
namespace {

Poco::Timespan milliseconds(int ms) {
  return Poco::Timespan(static_cast<Poco::Timespan::TimeDiff>(std::max(ms, 1)) * 1000);
}

}  // namespace

Poco::Net::HTTPServerParams::Ptr serverParams(const ServerConfig& config) {
  Poco::Net::HTTPServerParams::Ptr params = new Poco::Net::HTTPServerParams;
  params->setMaxThreads(std::max(config.threads, 1));
  params->setMaxQueued(std::max(config.maxQueued, 1));
  params->setKeepAlive(config.maxKeepAliveRequests > 0);
  params->setMaxKeepAliveRequests(std::max(config.maxKeepAliveRequests, 1));
  params->setKeepAliveTimeout(milliseconds(config.idleTimeoutMs));
  // Poco applies this as the socket receive timeout while reading a request,
  // which bounds slow-header and slow-body clients alike.
  params->setTimeout(milliseconds(config.headerTimeoutMs));
  params->setServerName("switchboard");
  return params;
}

}  // namespace sb::http
