#include "http/request_dispatcher.hpp"

#include <Poco/Exception.h>
#include <Poco/Logger.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <algorithm>
#include <chrono>
#include <variant>

#include "core/metrics.hpp"
#include "http/bearer_auth.hpp"
#include "http/body_reader.hpp"
#include "http/request_id.hpp"
#include "http/request_target.hpp"

namespace sb::http {
namespace {

// How much of a rejected body we still read so the client sees our 413
// instead of a connection reset; beyond this we just close.
constexpr std::size_t kDrainLimit = 1 << 20;

Poco::Logger& logger() { return Poco::Logger::get("switchboard.http"); }

std::string joined(const std::vector<std::string>& values) {
  std::string text;
  for (const auto& value : values) text += (text.empty() ? "" : ", ") + value;
  return text;
}

ApiReply internalErrorReply(const ApiRequest& request, const std::string& what) {
  logger().error("request %s %s %s: unhandled exception: %s", request.requestId, request.method,
                 request.path, what);
  return problemReply(request, problemFor(Status(ErrorCode::Internal, what)));
}

}  // namespace

Poco::Net::HTTPRequestHandler* ApiRequestHandlerFactory::createRequestHandler(
    const Poco::Net::HTTPServerRequest&) {
  return new ApiRequestHandler(target_);
}

void ApiRequestHandler::handleRequest(Poco::Net::HTTPServerRequest& in,
                                      Poco::Net::HTTPServerResponse& out) {
  const auto started = std::chrono::steady_clock::now();
  ApiRequest request;
  AccessRecord record;
  bool closeConnection = false;
  ApiReply reply;
  try {
    request.method = in.getMethod();
    request.requestId = requestIdFor(in.get(kRequestIdHeader, ""));
    request.path = in.getURI().substr(0, in.getURI().find('?'));
    reply = dispatch(in, request, record.route, closeConnection);
  } catch (const std::exception& e) {
    reply = internalErrorReply(request, e.what());
  } catch (...) {
    reply = internalErrorReply(request, "unknown exception");
  }
  try {
    record.bytes = send(out, request, reply, closeConnection);
  } catch (const std::exception& e) {
    // The client went away mid-response; nothing left to tell it.
    logger().information("request %s: sending the response failed: %s", request.requestId,
                         std::string(e.what()));
  }
  record.requestId = request.requestId;
  record.method = request.method;
  record.path = request.path;
  record.status = reply.status;
  record.durationMs = std::chrono::duration<double, std::milli>(
                          std::chrono::steady_clock::now() - started).count();
  if (request.principal) record.userId = request.principal->user.id;
  try {
    record.remote = in.clientAddress().toString();
  } catch (const Poco::Exception&) {
    record.remote.clear();  // socket already gone: log the line without it
  }
  if (target_.accessLog != nullptr) target_.accessLog->write(record);
  if (target_.metrics != nullptr) {
    // The route template, not the path: ids in paths would explode the label set.
    target_.metrics->increment(Metrics::kHttpRequests,
                               {{"route", record.route.empty() ? "unmatched" : record.route},
                                {"status", std::to_string(record.status)}});
  }
}

ApiReply ApiRequestHandler::dispatch(Poco::Net::HTTPServerRequest& in, ApiRequest& request,
                                     std::string& route, bool& closeConnection) {
  // Routing and authentication come before the body is read, so a request
  // that is refused anyway costs no body transfer. Its unread bytes would be
  // parsed as the next request, so such a connection is closed.
  const bool bodyAnnounced =
      in.getChunkedTransferEncoding() || (in.hasContentLength() && in.getContentLength64() > 0);
  auto refuse = [&](ApiReply reply) {
    if (bodyAnnounced) closeConnection = true;
    return reply;
  };
  auto parsed = parseRequestTarget(in.getURI());
  if (!parsed) return refuse(failureReply(request, parsed.status()));
  request.path = parsed->path;
  request.query = std::move(parsed->query);
  if (in.has("If-None-Match")) request.ifNoneMatch = in.get("If-None-Match");

  // HEAD is GET without the body (RFC 9110 §9.3.2); send() drops the body.
  const std::string method = request.method == "HEAD" ? "GET" : request.method;
  const RouteMatch match = target_.router->match(method, parsed->segments);
  if (match.kind == RouteMatch::Kind::NotFound) {
    return refuse(problemReply(request,
                               problemForHttpStatus(404, "no resource at '" + request.path + "'")));
  }
  if (match.kind == RouteMatch::Kind::MethodNotAllowed) {
    std::vector<std::string> allowed = match.allowedMethods;
    if (std::find(allowed.begin(), allowed.end(), "GET") != allowed.end()) allowed.push_back("HEAD");
    Problem problem = problemForHttpStatus(
        405, "method " + request.method + " is not allowed here; allowed: " + joined(allowed));
    problem.headers.emplace_back("Allow", joined(allowed));
    return refuse(problemReply(request, problem));
  }
  route = match.route->pattern;
  request.pathParams = match.params;

  if (match.route->access == RouteAccess::Bearer) {
    auto auth = authenticate(*target_.store, target_.principals, request, in.has("Authorization"),
                             in.get("Authorization", ""));
    if (auto* reply = std::get_if<ApiReply>(&auth)) return refuse(std::move(*reply));
    request.principal = std::move(std::get<Principal>(auth));
  }
  if (auto rejected = readBody(in, request, closeConnection)) return *rejected;
  return match.route->handler(request);
}

std::optional<ApiReply> ApiRequestHandler::readBody(Poco::Net::HTTPServerRequest& in,
                                                    ApiRequest& request, bool& closeConnection) {
  request.contentType = in.get("Content-Type", "");
  // RFC 9112 §6.3: a request with neither header has no body.
  const bool chunked = in.getChunkedTransferEncoding();
  if (!chunked && !in.hasContentLength()) return std::nullopt;
  const std::size_t limit = target_.maxBodyBytes;
  const std::string tooLarge =
      "request body exceeds the limit of " + std::to_string(limit) + " bytes";
  try {
    if (!chunked && in.getContentLength64() > static_cast<Poco::Int64>(limit)) {
      discardBody(in.stream(), kDrainLimit);
      closeConnection = true;
      return problemReply(request, problemForHttpStatus(413, tooLarge));
    }
    BoundedBody body = readBoundedBody(in.stream(), limit);
    if (body.tooLarge) {
      discardBody(in.stream(), kDrainLimit);
      closeConnection = true;
      return problemReply(request, problemForHttpStatus(413, tooLarge));
    }
    request.body = std::move(body.bytes);
  } catch (const Poco::TimeoutException&) {
    closeConnection = true;
    return problemReply(request, problemForHttpStatus(408, "the request body did not arrive in time"));
  } catch (const Poco::Exception& e) {
    closeConnection = true;
    return problemReply(request,
                        problemForHttpStatus(400, "could not read the request body: " + e.message()));
  }
  return std::nullopt;
}

std::size_t ApiRequestHandler::send(Poco::Net::HTTPServerResponse& out, const ApiRequest& request,
                                    const ApiReply& reply, bool closeConnection) {
  out.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(reply.status));
  out.set(kRequestIdHeader, request.requestId);
  out.set("Cache-Control", "no-store");
  for (const auto& [name, value] : reply.headers) out.set(name, value);
  const bool othersWaiting = target_.server != nullptr && target_.server->queuedConnections() > 0;
  if (closeConnection || othersWaiting) out.setKeepAlive(false);
  if (reply.status == 204 || reply.status == 304) {
    // RFC 9110 §8.6: no Content-Length on 204; a 304 may only repeat the 200's.
    out.send();
    return 0;
  }
  if (!reply.contentType.empty()) out.setContentType(reply.contentType);
  out.setContentLength64(static_cast<Poco::Int64>(reply.body.size()));
  if (request.method == "HEAD") {
    out.send();
    return 0;
  }
  out.sendBuffer(reply.body.data(), reply.body.size());
  return reply.body.size();
}

}  // namespace sb::http
