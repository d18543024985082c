// See supabase_health.hpp.
#include "supabase_health.hpp"

#include <algorithm>
#include <cctype>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

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

std::optional<Link> readLink(const StatusRequest& request, Outcome& failure) {
  Link link{request.setting("projectRef"), request.secret("accessToken")};
  if (!isProjectRef(link.projectRef)) {
    failure = Outcome::failure(SB_ERR_INVALID_ARGUMENT, "settings.projectRef must be a Supabase project ref ([a-z0-9])");
    return std::nullopt;
  }
  if (link.token.empty()) {
    failure = Outcome::failure(SB_ERR_INVALID_ARGUMENT, "secrets.accessToken is required");
    return std::nullopt;
  }
  return link;
}

HttpRequest healthRequest(const StatusRequest& request, const Link& link) {
  HttpRequest http;
  http.url = request.apiRoot("https://api.supabase.com", "") + "/v1/projects/" + link.projectRef +
             "/health?services=" + urlEncode(kServices);
  http.headers = {{"Authorization", "Bearer " + link.token}, {"Accept", "application/json"}};
  return http;
}

std::optional<std::int64_t> retryAfter(const HttpResponse& response, std::int64_t nowMs) {
  if (auto seconds = parseRetryAfterSeconds(response.header("retry-after"), nowMs)) return seconds;
  return parseRetryAfterSeconds(response.header("x-ratelimit-reset"), nowMs);
}

// [{"name": <string>, "status": <known status>, ...}]; nullopt (with `failure`) otherwise.
std::optional<std::vector<Service>> services(std::string_view body, Outcome& failure) {
  bool ok = false;
  Poco::Dynamic::Var parsed = parseJsonBody(kProvider, body, failure, ok);
  if (!ok) return std::nullopt;
  auto shapeError = [&](const std::string& why) {
    failure = Outcome::failure(SB_ERR_UNAVAILABLE, "Supabase health answer " + why);
    return std::nullopt;
  };
  if (parsed.type() != typeid(Poco::JSON::Array::Ptr) || parsed.extract<Poco::JSON::Array::Ptr>().isNull()) {
    return shapeError("is not a list");
  }
  auto list = parsed.extract<Poco::JSON::Array::Ptr>();
  std::vector<Service> result;
  for (std::size_t i = 0; i < list->size(); ++i) {
    Poco::JSON::Object::Ptr entry = list->getObject(static_cast<unsigned>(i));
    if (entry.isNull() || !entry->has("name") || !entry->get("name").isString() || !entry->has("status") ||
        !entry->get("status").isString()) {
      return shapeError("holds an entry without name and status");
    }
    Service service{entry->getValue<std::string>("name"), entry->getValue<std::string>("status"), false};
    service.healthy = entry->has("healthy") && entry->get("healthy").isBoolean() ? entry->getValue<bool>("healthy")
                                                                                   : service.status == "ACTIVE_HEALTHY";
    if (!isKnownStatus(service.status)) return shapeError("holds an unknown status");
    result.push_back(std::move(service));
  }
  if (std::none_of(result.begin(), result.end(), [](const Service& s) { return s.name == "db"; })) {
    return shapeError("has no db entry");
  }
  return result;
}

}  // namespace switchboard::bundled::supabase
