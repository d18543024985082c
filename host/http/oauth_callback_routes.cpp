// GET /oauth/callback?code&state (or ?error&state): where the provider sends
// the browser back (connections/authorization_callback). No bearer: the
// state identifies the user and the connection. The reply is a 303 to the
// returnTo the authorization was started with (with `connection` and
// `result` added), else a small HTML page. Both carry Cache-Control:
// no-store and Referrer-Policy: no-referrer, so the code in this URL is not
// passed on in a Referer; the access log records the path, never the query.
#include <exception>
#include <optional>

#include <Poco/Logger.h>
#include <Poco/URI.h>

#include <switchboard/json.hpp>

#include "connections/authorization_callback.hpp"
#include "core/clock.hpp"
#include "http/api_routes.hpp"
#include "store/store.hpp"

namespace sb::http {
namespace {

std::string htmlEscape(const std::string& text) {
  std::string out;
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

void privateReplyHeaders(ApiReply& reply) {
  reply.headers.emplace_back("Cache-Control", "no-store");
  reply.headers.emplace_back("Referrer-Policy", "no-referrer");
  reply.headers.emplace_back("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'");
}

ApiReply page(const connections::CallbackOutcome& outcome) {
  ApiReply reply;
  reply.status = outcome.connected ? 200 : outcome.httpStatus;
  reply.contentType = "text/html; charset=utf-8";
  const std::string title = outcome.connected ? "Connected" : "Not connected";
  reply.body = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + title +
               "</title></head>\n<body style=\"font-family:sans-serif;margin:3em\"><h1>" + title + "</h1>\n<p>" +
               htmlEscape(outcome.message) + "</p>\n<p>You can close this window.</p></body></html>\n";
  privateReplyHeaders(reply);
  return reply;
}

ApiReply backTo(const connections::CallbackOutcome& outcome) {
  Poco::URI target;
  try {
    target = Poco::URI(outcome.returnTo);  // checked when the flow started; a page if it no longer parses
  } catch (const std::exception&) {
    return page(outcome);
  }
  target.addQueryParameter("connection", outcome.connectionName);
  target.addQueryParameter("result", outcome.reason);
  ApiReply reply;
  reply.status = 303;
  reply.headers.emplace_back("Location", target.toString());
  privateReplyHeaders(reply);
  return reply;
}

std::optional<std::string> queryParameter(const ApiRequest& request, const std::string& name) {
  for (const auto& [key, value] : request.query) {
    if (key == name) return value;
  }
  return std::nullopt;
}

std::string queryValue(const ApiRequest& request, const std::string& name) {
  return queryParameter(request, name).value_or("");
}

}  // namespace

void addOAuthCallbackRoutes(Router& router, const ApiContext& context) {
  Store* store = context.store;
  const SecretBox* box = context.secrets;
  const connections::ConnectionDirectory* directory = context.connectionDirectory;
  router.add("GET", "/oauth/callback", RouteAccess::Public, [store, box, directory](ApiRequest& request) {
    connections::CallbackOutcome outcome;
    if (box == nullptr || directory == nullptr) {
      outcome.httpStatus = 503;
      outcome.reason = "unavailable";
      outcome.message = "Connections are not available on this server (no secret key is configured).";
    } else {
      connections::CallbackRequest callback{queryValue(request, "state"), queryValue(request, "code"),
                                            queryValue(request, "error"), queryParameter(request, "iss")};
      outcome = connections::completeAuthorization(callback, *directory, *box, store->connections(), systemNowMs());
    }
    try {
      using switchboard::json::quote;
      auto& log = Poco::Logger::get("connections");
      const std::string line = "{\"event\":\"oauth.callback\",\"requestId\":" + quote(request.requestId) +
                               ",\"connection\":" + quote(outcome.connectionName) + ",\"result\":" +
                               quote(outcome.reason) + ",\"detail\":" + quote(outcome.logDetail) + "}";
      outcome.connected ? log.information(line) : log.warning(line);
    } catch (...) {
      // The reply stands even if the log sink fails.
    }
    if (!outcome.returnTo.empty()) return backTo(outcome);
    return page(outcome);
  });
}

}  // namespace sb::http
