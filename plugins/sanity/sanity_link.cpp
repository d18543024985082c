// See sanity_link.hpp.
#include "sanity_link.hpp"

#include <algorithm>
#include <cctype>
#include <utility>

#include <switchboard/json.hpp>
#include <switchboard/time.hpp>

#include "sanity_status.hpp"

namespace switchboard::bundled::sanity {
namespace {

bool isLowerAlnum(char c) { return std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)); }

// The project id becomes a host name: anything but [a-z0-9] could redirect the token elsewhere.
bool isProjectId(const std::string& text) {
  return !text.empty() && text.size() <= 64 && std::all_of(text.begin(), text.end(), isLowerAlnum);
}

// Sanity dataset names: lowercase letters, digits, '_' and '-', at most 64 characters.
bool isDatasetName(const std::string& text) {
  return !text.empty() && text.size() <= 64 && isLowerAlnum(text.front()) &&
         std::all_of(text.begin(), text.end(), [](char c) { return isLowerAlnum(c) || c == '_' || c == '-'; });
}

// Accepts "2025-02-19", "v2025-02-19", "v1" and "vX" (the documented forms).
std::optional<std::string> normaliseApiVersion(std::string text) {
  if (text.empty()) return std::string(kDefaultApiVersion);
  if (text.front() == 'v') text.erase(0, 1);
  if (text == "1" || text == "X") return "v" + text;
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (i != 4 && i != 7 && !std::isdigit(static_cast<unsigned char>(text[i]))) return std::nullopt;
  }
  return "v" + text;
}

}  // namespace

std::optional<Link> readLink(const StatusRequest& request, const Call& call, Outcome& failure) {
  Link link;
  link.projectId = request.setting("projectId");
  link.dataset = request.setting("dataset");
  link.linkToken = request.credential("token");
  auto invalid = [&](const std::string& why) {
    failure = Outcome::failure(SB_ERR_INVALID_ARGUMENT, why);
    return std::nullopt;
  };
  if (!isProjectId(link.projectId)) return invalid("settings.projectId must be a Sanity project id ([a-z0-9])");
  if (!isDatasetName(link.dataset)) return invalid("settings.dataset must be a Sanity dataset name ([a-z0-9_-])");
  auto version = normaliseApiVersion(request.setting("apiVersion"));
  if (!version) return invalid("settings.apiVersion must be a dated version such as v2025-02-19");
  link.apiVersion = *version;
  if (provider::bearerToken(call, link.linkToken).empty()) return invalid("secrets.token is required");
  return link;
}

HttpResult authorisedGet(const Host& host, const Call& call, std::string url, const Link& link) {
  HttpRequest request;
  request.url = std::move(url);
  request.headers = {{"Accept", "application/json"}};
  return provider::sendWithBearer(host, call, std::move(request), link.linkToken);
}

std::string queryUrl(const StatusRequest& request, const Link& link, std::string_view groq,
                     const std::vector<std::pair<std::string, std::string>>& params) {
  const std::string root = request.apiRoot("https://" + link.projectId + ".api.sanity.io");
  std::string url = root + "/" + link.apiVersion + "/data/query/" + link.dataset + "?query=" + provider::urlEncode(groq);
  for (const auto& [name, value] : params) url += "&$" + name + "=" + provider::urlEncode(value);
  return url;
}

std::string jsonString(const std::string& text) { return json::quote(text); }

std::optional<std::int64_t> retryAfter(const HttpResponse& response, std::int64_t nowMs) {
  if (auto seconds = time::parseRetryAfterSeconds(response.header("retry-after"), nowMs)) return seconds;
  return time::parseRetryAfterSeconds(response.header("ratelimit-reset"), nowMs);
}

}  // namespace switchboard::bundled::sanity
