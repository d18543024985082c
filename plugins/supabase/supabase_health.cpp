// See supabase_health.hpp.
#include "supabase_health.hpp"

#include <algorithm>
#include <cctype>
#include <utility>

#include <switchboard/time.hpp>

namespace switchboard::bundled::supabase {

namespace {

bool isProjectRef(const std::string& text) {
  return !text.empty() && text.size() <= 64 && std::all_of(text.begin(), text.end(), [](char c) {
    return std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c));
  });
}

bool isKnownStatus(const std::string& status) {
  return status == "ACTIVE_HEALTHY" || status == "COMING_UP" || status == "UNHEALTHY";
}

}  // namespace

std::optional<Link> readLink(const StatusRequest& request, const Call& call, Outcome& failure) {
  Link link{request.setting("projectRef"), request.credential("accessToken")};
  if (!isProjectRef(link.projectRef)) {
    failure = Outcome::failure(SB_ERR_INVALID_ARGUMENT, "settings.projectRef must be a Supabase project ref ([a-z0-9])");
    return std::nullopt;
  }
  if (provider::bearerToken(call, link.linkToken).empty()) {
    failure = Outcome::failure(SB_ERR_INVALID_ARGUMENT, "secrets.accessToken is required");
    return std::nullopt;
  }
  return link;
}

HttpResult sendHealthCheck(const Host& host, const Call& call, const StatusRequest& request, const Link& link) {
  HttpRequest http;
  http.url = request.apiRoot("https://api.supabase.com") + "/v1/projects/" + link.projectRef +
             "/health?services=" + provider::urlEncode(kServices);
  http.headers = {{"Accept", "application/json"}};
  return provider::sendWithBearer(host, call, std::move(http), link.linkToken);
}

std::optional<std::int64_t> retryAfter(const HttpResponse& response, std::int64_t nowMs) {
  if (auto seconds = time::parseRetryAfterSeconds(response.header("retry-after"), nowMs)) return seconds;
  return time::parseRetryAfterSeconds(response.header("x-ratelimit-reset"), nowMs);
}

// [{"name": <string>, "status": <known status>, ...}]; nullopt (with `failure`) otherwise.
std::optional<std::vector<Service>> services(std::string_view body, Outcome& failure) {
  auto parsed = provider::parseReplyBody(kProvider, body, failure);
  if (!parsed) return std::nullopt;
  auto shapeError = [&](const std::string& why) {
    failure = Outcome::failure(SB_ERR_UNAVAILABLE, "Supabase health answer " + why);
    return std::nullopt;
  };
  if (!parsed->is_array()) return shapeError("is not a list");
  std::vector<Service> result;
  for (const provider::Json& entry : *parsed) {
    auto name = provider::stringAt(entry, "name");
    auto status = provider::stringAt(entry, "status");
    if (!name || !status) return shapeError("holds an entry without name and status");
    Service service{*name, *status, provider::boolAt(entry, "healthy").value_or(*status == "ACTIVE_HEALTHY")};
    if (!isKnownStatus(service.status)) return shapeError("holds an unknown status");
    result.push_back(std::move(service));
  }
  if (std::none_of(result.begin(), result.end(), [](const Service& s) { return s.name == "db"; })) {
    return shapeError("has no db entry");
  }
  return result;
}

}  // namespace switchboard::bundled::supabase
