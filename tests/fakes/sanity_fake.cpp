// Fake Sanity API: the calls the status adapter and the sync action make, as documented.
//   Query API    https://www.sanity.io/docs/http-query
//     GET /<apiVersion>/data/query/<dataset>?query=<GROQ>&$since=<JSON string>
//     Two queries are understood: the recent-changes query
//     `count(*[_updatedAt > $since])` and the sync action's
//     `{"documents": count(*), "updated": count(*[_updatedAt > $since])}`
//     (an object result); both are evaluated against an in-memory dataset whose
//     documents were updated 1 h, 3 h, 6 h, 12 h and 23 h ago (5 inside the
//     last day) and 30 h, 72 h and 240 h ago.
//   Webhooks API https://www.sanity.io/docs/webhooks-api
//     GET /<apiVersion>/hooks/projects/<projectId> -> list of hook objects
//   Limits       https://www.sanity.io/docs/technical-limits (429, retry-after)
// One project, "abc123de", with one dataset, "production"; the only accepted
// credential is "Authorization: Bearer sanity-contract-token".
// Modes (beyond the server's own): ok, no_webhook, webhook_disabled,
// hooks_forbidden (403 on the webhooks list), unauthorized, rate_limited
// (429 + retry-after: 17), rate_limited_reset (429 + ratelimit-reset: 9 only),
// not_found (404, dataset unknown), server_error (500), wrong_shape (the
// count arrives as a string).
#include <chrono>
#include <cstdint>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeParser.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "fake_server.hpp"

namespace sb::fakes {
namespace {

const std::string kProjectId = "abc123de";
const std::string kDataset = "production";
const std::string kToken = "sanity-contract-token";
const std::string kRecentChangesQuery = "count(*[_updatedAt > $since])";
const std::string kSyncQuery = "{\"documents\": count(*), \"updated\": count(*[_updatedAt > $since])}";
const std::vector<int> kDocumentAgesHours{1, 3, 6, 12, 23, 30, 72, 240};

std::string stringify(const Poco::JSON::Object& object) {
  std::ostringstream out;
  object.stringify(out);
  return out.str();
}

std::string stringify(const Poco::JSON::Array& array) {
  std::ostringstream out;
  array.stringify(out);
  return out.str();
}

// Sanity's error body: {"statusCode", "error", "message"}.
void error(FakeResponse& response, int status, const std::string& name, const std::string& message) {
  Poco::JSON::Object body(Poco::JSON_PRESERVE_KEY_ORDER);
  body.set("statusCode", status);
  body.set("error", name);
  body.set("message", message);
  response.json(status, stringify(body));
}

// Query errors carry a typed description instead.
void queryError(FakeResponse& response, const std::string& description) {
  Poco::JSON::Object inner;
  inner.set("description", description);
  inner.set("type", "queryParseError");
  Poco::JSON::Object body;
  body.set("error", inner);
  response.json(400, stringify(body));
}

std::vector<std::string> segments(const std::string& path) {
  std::vector<std::string> parts;
  std::istringstream in(path);
  std::string part;
  while (std::getline(in, part, '/')) {
    if (!part.empty()) parts.push_back(part);
  }
  return parts;
}

// $since arrives as a JSON string holding an ISO 8601 time.
std::optional<std::int64_t> sinceMs(const std::string& param) {
  try {
    Poco::JSON::Parser parser;  // Poco 1.11 parses only arrays and objects at the top level
    auto wrapped = parser.parse("[" + param + "]").extract<Poco::JSON::Array::Ptr>();
    if (wrapped.isNull() || wrapped->size() != 1) return std::nullopt;
    Poco::Dynamic::Var value = wrapped->get(0);
    if (!value.isString()) return std::nullopt;
    int tzd = 0;
    Poco::DateTime parsed;
    const std::string text = value.extract<std::string>();
    if (!Poco::DateTimeParser::tryParse(Poco::DateTimeFormat::ISO8601_FRAC_FORMAT, text, parsed, tzd) &&
        !Poco::DateTimeParser::tryParse(Poco::DateTimeFormat::ISO8601_FORMAT, text, parsed, tzd)) {
      return std::nullopt;
    }
    parsed.makeUTC(tzd);
    return parsed.timestamp().epochMicroseconds() / 1000;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

std::int64_t nowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void answerQuery(const FakeRequest& request, const std::string& dataset, const std::string& mode,
                 FakeResponse& response) {
  const bool datasetGone = mode == "not_found";
  if (datasetGone || dataset != kDataset) {
    error(response, 404, "Not Found", "Dataset \"" + dataset + "\" not found for project ID \"" + kProjectId + "\"");
    return;
  }
  auto query = request.query.find("query");
  if (query == request.query.end() || (query->second != kRecentChangesQuery && query->second != kSyncQuery)) {
    queryError(response, "this fake only evaluates " + kRecentChangesQuery + " and " + kSyncQuery);
    return;
  }
  auto param = request.query.find("$since");
  if (param == request.query.end()) {
    queryError(response, "param $since referenced, but not provided");
    return;
  }
  auto since = sinceMs(param->second);
  if (!since) {
    queryError(response, "$since must be a JSON string holding an ISO 8601 time");
    return;
  }
  const std::int64_t now = nowMs();
  int count = 0;
  for (int hours : kDocumentAgesHours) {
    if (now - static_cast<std::int64_t>(hours) * 3600 * 1000 > *since) ++count;
  }
  Poco::JSON::Object body(Poco::JSON_PRESERVE_KEY_ORDER);
  body.set("ms", 4);
  body.set("query", query->second);
  if (query->second == kSyncQuery) {
    Poco::JSON::Object::Ptr result = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
    result->set("documents", static_cast<int>(kDocumentAgesHours.size()));
    result->set("updated", count);
    body.set("result", result);
    if (mode == "wrong_shape") body.set("result", std::to_string(count));
  } else if (mode == "wrong_shape") {
    body.set("result", std::to_string(count));
  } else {
    body.set("result", count);
  }
  response.json(200, stringify(body));
}

Poco::JSON::Object::Ptr hook(const std::string& id, const std::string& dataset, bool disabled) {
  Poco::JSON::Object::Ptr object = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
  object->set("id", id);
  object->set("type", "document");
  object->set("name", "Sync " + dataset);
  object->set("projectId", kProjectId);
  object->set("dataset", dataset);
  object->set("url", "https://hooks.example.com/" + id);
  object->set("isDisabled", disabled);
  object->set("isDisabledByUser", disabled);
  object->set("deletedAt", Poco::Dynamic::Var());
  return object;
}

void answerHooks(const std::string& projectId, const std::string& mode, FakeResponse& response) {
  if (projectId != kProjectId) {
    error(response, 404, "Not Found", "Project not found");
    return;
  }
  if (mode == "hooks_forbidden") {
    error(response, 403, "Forbidden", "Insufficient permissions; permission \"read\" required");
    return;
  }
  Poco::JSON::Array hooks;
  hooks.add(hook("hk_staging", "staging", false));  // another dataset's hook never counts
  if (mode == "webhook_disabled") {
    hooks.add(hook("hk_production", kDataset, true));
  } else if (mode != "no_webhook") {
    Poco::JSON::Object::Ptr deleted = hook("hk_deleted", kDataset, false);
    deleted->set("deletedAt", "2026-01-01T00:00:00Z");
    hooks.add(deleted);
    hooks.add(hook("hk_production", kDataset, false));
  }
  response.json(200, stringify(hooks));
}

class SanityFake : public FakeProvider {
 public:
  std::string name() const override { return "sanity"; }

  void handle(const FakeRequest& request, FakeResponse& response, const Behaviour& behaviour) override {
    const std::string& mode = behaviour.mode;
    if (mode == "server_error") return error(response, 500, "Internal Server Error", "An internal server error occurred");
    if (mode == "unauthorized" || request.header("authorization") != "Bearer " + kToken) {
      return error(response, 401, "Unauthorized", "Session not found");
    }
    if (mode == "rate_limited" || mode == "rate_limited_reset") {
      if (mode == "rate_limited") response.headers.emplace_back("retry-after", "17");
      response.headers.emplace_back("ratelimit-reset", "9");
      return error(response, 429, "Too Many Requests", "API rate limit exceeded");
    }
    const std::vector<std::string> parts = segments(request.path);
    if (request.method != "GET") return error(response, 405, "Method Not Allowed", "this fake answers GET only");
    if (parts.size() == 4 && parts[1] == "data" && parts[2] == "query") {
      return answerQuery(request, parts[3], mode, response);
    }
    if (parts.size() == 4 && parts[1] == "hooks" && parts[2] == "projects") {
      return answerHooks(parts[3], mode, response);
    }
    error(response, 404, "Not Found", "No route for " + request.path);
  }
};

}  // namespace

std::shared_ptr<FakeProvider> makeSanityFake() { return std::make_shared<SanityFake>(); }

}  // namespace sb::fakes
