#include "http/problem.hpp"

#include <Poco/JSON/Object.h>

#include <sstream>

namespace sb::http {
namespace {

struct ProblemKind {
  const char* slug;
  const char* title;
};

ProblemKind kindForHttpStatus(int status) {
  switch (status) {
    case 400: return {"bad-request", "Bad Request"};
    case 401: return {"unauthenticated", "Unauthenticated"};
    case 403: return {"forbidden", "Forbidden"};
    case 404: return {"not-found", "Not Found"};
    case 405: return {"method-not-allowed", "Method Not Allowed"};
    case 408: return {"request-timeout", "Request Timeout"};
    case 409: return {"conflict", "Conflict"};
    case 412: return {"precondition-failed", "Precondition Failed"};
    case 413: return {"payload-too-large", "Payload Too Large"};
    case 415: return {"unsupported-media-type", "Unsupported Media Type"};
    case 429: return {"too-many-requests", "Too Many Requests"};
    case 502: return {"bad-gateway", "Bad Gateway"};
    case 503: return {"unavailable", "Service Unavailable"};
    case 504: return {"timeout", "Gateway Timeout"};
    default: return {"internal", "Internal Server Error"};
  }
}

}  // namespace

int httpStatusFor(ErrorCode code) {
  switch (code) {
    case ErrorCode::Ok: return 200;
    case ErrorCode::InvalidArgument: return 400;
    case ErrorCode::NotFound: return 404;
    case ErrorCode::AlreadyExists: return 409;
    case ErrorCode::Conflict: return 409;
    case ErrorCode::Unauthenticated: return 401;
    case ErrorCode::PermissionDenied: return 403;
    case ErrorCode::Unavailable: return 503;
    case ErrorCode::Timeout: return 504;
    case ErrorCode::BadGateway: return 502;
    case ErrorCode::Internal: return 500;
  }
  return 500;
}

Problem problemFor(const Status& status) {
  const int httpStatus = httpStatusFor(status.code());
  if (status.code() == ErrorCode::Internal || status.code() == ErrorCode::Ok) {
    return problemForHttpStatus(500, "an internal error occurred; quote the requestId when reporting it");
  }
  if (status.code() == ErrorCode::Unavailable) {
    return problemForHttpStatus(503, "a dependency of the server is unavailable; retry later");
  }
  Problem problem = problemForHttpStatus(httpStatus, status.message(), status.field());
  if (status.code() == ErrorCode::AlreadyExists) {
    problem.type = "urn:switchboard:problem:already-exists";
    problem.title = "Already Exists";
  }
  return problem;
}

Problem problemForHttpStatus(int httpStatus, std::string detail, std::string field) {
  const ProblemKind kind = kindForHttpStatus(httpStatus);
  Problem problem;
  problem.status = httpStatus;
  problem.type = std::string("urn:switchboard:problem:") + kind.slug;
  problem.title = kind.title;
  problem.detail = std::move(detail);
  problem.field = std::move(field);
  return problem;
}

Problem problemForInvalidField(std::string field, std::string detail) {
  Problem problem;
  problem.status = 422;
  problem.type = "urn:switchboard:problem:invalid-field";
  problem.title = "Unprocessable Content";
  problem.detail = std::move(detail);
  problem.field = std::move(field);
  return problem;
}

Problem problemForProviderRefusal(const ProviderRefusal& refusal) {
  auto make = [&](int status, const char* slug, const char* title) {
    Problem problem;
    problem.status = status;
    problem.type = std::string("urn:switchboard:problem:") + slug;
    problem.title = title;
    problem.detail = refusal.detail;
    return problem;
  };
  switch (refusal.kind) {
    case ProviderRefusalKind::CredentialsRejected:
      return make(422, "provider-credentials-rejected", "Provider Rejected the Token");
    case ProviderRefusalKind::NoAccess: return make(422, "provider-no-access", "No Access at the Provider");
    case ProviderRefusalKind::InvalidLink: return make(422, "invalid-link", "Unusable Link Settings");
    case ProviderRefusalKind::NotSupported: return make(422, "not-supported", "Not Supported by the Plugin");
    case ProviderRefusalKind::RateLimited: {
      Problem problem = make(429, "provider-rate-limited", "Provider Rate Limit");
      if (refusal.retryAfterSeconds >= 0) {
        problem.headers.emplace_back("Retry-After", std::to_string(refusal.retryAfterSeconds));
        problem.extensions.emplace_back("retryAfter", std::to_string(refusal.retryAfterSeconds));
      }
      return problem;
    }
    case ProviderRefusalKind::Timeout: return make(504, "provider-timeout", "Provider Timeout");
    case ProviderRefusalKind::Unavailable: break;
  }
  return make(502, "provider-unavailable", "Provider Unavailable");
}

std::string problemJson(const Problem& problem, const std::string& instance,
                        const std::string& requestId) {
  Poco::JSON::Object body(Poco::JSON_PRESERVE_KEY_ORDER);
  body.set("type", problem.type);
  body.set("title", problem.title);
  body.set("status", problem.status);
  body.set("detail", problem.detail);
  body.set("instance", instance);
  body.set("requestId", requestId);
  if (!problem.field.empty()) body.set("field", problem.field);
  for (const auto& [name, value] : problem.extensions) body.set(name, value);
  std::ostringstream out;
  body.stringify(out);
  return out.str();
}

}  // namespace sb::http
