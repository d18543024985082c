// See github_connection.hpp.
#include "github_connection.hpp"

#include <string>

#include <nlohmann/json.hpp>
#include <switchboard/provider.hpp>

#include "github_client.hpp"

namespace switchboard::github {
namespace {

// The API root the host passed ({"baseUrl"}: the plugin's base_url), else GitHub's.
std::string apiRootOf(std::string_view requestJson) {
  const nlohmann::json request = nlohmann::json::parse(requestJson, nullptr, false);
  provider::StatusRequest link;
  link.baseUrl = request.is_object() ? provider::stringAt(request, "baseUrl").value_or("") : "";
  return link.apiRoot(kDefaultApiRoot);
}

}  // namespace

Outcome githubTokenResponse(const Host& host, const Call& call, std::string_view requestJson) {
  Outcome read = readGithubTokenReply(requestJson);
  if (!read.isOk()) return read;
  nlohmann::ordered_json out = nlohmann::ordered_json::parse(read.output);
  GithubClient client(host, call, out["accessToken"].get<std::string>());
  Outcome failure;
  const std::optional<GithubReply> reply = client.send("GET", apiRootOf(requestJson) + "/user", "", nullptr, failure);
  if (!reply) {
    host.warn("the account label of a new GitHub grant is unknown: " + failure.output);
    return read;
  }
  const nlohmann::json user = nlohmann::json::parse(reply->body, nullptr, false);
  if (reply->status != 200 || !user.is_object() || !user.contains("login") || !user["login"].is_string() ||
      user["login"].get<std::string>().empty()) {
    host.warn("the account label of a new GitHub grant is unknown: GET /user answered " +
              std::to_string(reply->status) + (reply->status == 200 ? " without a login" : ""));
    return read;
  }
  out["account"] = user["login"];
  return Outcome::ok(out.dump());
}

}  // namespace switchboard::github
