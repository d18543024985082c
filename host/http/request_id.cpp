#include "http/request_id.hpp"

#include <Poco/UUIDGenerator.h>

#include <algorithm>

namespace sb::http {

bool isAcceptableRequestId(const std::string& candidate) {
  if (candidate.empty() || candidate.size() > 128) return false;
  return std::all_of(candidate.begin(), candidate.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
           c == '.' || c == '_' || c == '-';
  });
}

std::string generateRequestId() {
  return Poco::UUIDGenerator::defaultGenerator().createRandom().toString();
}

std::string requestIdFor(const std::string& clientValue) {
  return isAcceptableRequestId(clientValue) ? clientValue : generateRequestId();
}

}  // namespace sb::http
