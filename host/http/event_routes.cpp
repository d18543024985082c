// GET /api/v1/integrations/events?projectId=...: live events as
// text/event-stream (WHATWG HTML, Server-sent events; STANDARDS.md), and
// POST /api/v1/integrations/events/tickets: a single-use ticket for browsers,
// whose EventSource cannot send Authorization. The stream authenticates by a
// bearer token or `ticket=` (never a long-lived token in the URL; the access
// log records the path without its query). Problems are problem+json like on
// every route; 204 only tells a resuming client to stop (the project is gone
// or the caller's access was removed).
#include <Poco/JSON/Object.h>
#include <Poco/Logger.h>

#include <variant>

#include "auth/tokens.hpp"
#include "core/clock.hpp"
#include "core/random_text.hpp"
#include "events/event_hub.hpp"
#include "http/api_routes.hpp"
#include "http/bearer_auth.hpp"
#include "http/content_coding.hpp"
#include "http/json_body.hpp"
#include "http/project_lookup.hpp"
#include "http/reply_stream.hpp"
#include "status/status_view.hpp"
#include "store/store.hpp"

namespace sb::http {
namespace {

constexpr std::size_t kTicketBytes = 32;
constexpr std::size_t kMaxTicketLength = 128;

struct EventsQuery {
  std::string projectId;
  std::optional<std::string> ticket;
  std::optional<std::string> lastEventId;  // query fallback for a new EventSource
};

Result<EventsQuery> parseEventsQuery(const QueryParams& query) {
  EventsQuery out;
  bool haveProject = false;
  for (const auto& [name, value] : query) {
    std::optional<std::string>* slot = nullptr;
    if (name == "projectId") {
      if (haveProject) return Status(ErrorCode::InvalidArgument, "query parameter 'projectId' given more than once", name);
      haveProject = true;
      out.projectId = value;
      continue;
    }
    if (name == "ticket") slot = &out.ticket;
    if (name == "lastEventId") slot = &out.lastEventId;
    if (slot == nullptr) {
      return Status(ErrorCode::InvalidArgument,
                    "unknown query parameter '" + name + "' (known: projectId, ticket, lastEventId)", name);
    }
    if (slot->has_value()) return Status(ErrorCode::InvalidArgument, "query parameter '" + name + "' given more than once", name);
    *slot = value;
  }
  if (out.projectId.empty()) {
    return Status(ErrorCode::InvalidArgument, "query parameter 'projectId' is required", "projectId");
  }
  return out;
}

// A Last-Event-ID the log could have issued: 1-18 digits. Anything else is
// treated as a resume point the log does not know (the client gets `reset`).
std::int64_t parseEventId(const std::string& text) {
  if (text.empty() || text.size() > 18) return -1;
  std::int64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return -1;
    value = value * 10 + (c - '0');
  }
  return value;
}

ApiReply ticketRefused(const ApiRequest& request) {
  Problem problem = problemForHttpStatus(
      401, "the ticket is unknown, already used, expired or for another project; request a new one", "ticket");
  problem.headers.emplace_back("WWW-Authenticate", std::string("Bearer realm=\"") + kBearerRealm + "\"");
  return problemReply(request, problem);
}

// Who is asking: the ticket's user, or the bearer token's. A request with
// both must name one user.
std::variant<User, ApiReply> callerOf(Store& store, const ApiRequest& request, const EventsQuery& query) {
  const std::string* authorization = request.header("authorization");
  std::optional<User> bearerUser;
  if (authorization != nullptr || !query.ticket) {
    auto outcome = authenticate(store.users(), nullptr, request, authorization != nullptr,
                                authorization != nullptr ? *authorization : std::string());
    if (auto* reply = std::get_if<ApiReply>(&outcome)) return std::move(*reply);
    bearerUser = std::get<Principal>(outcome).user;
  }
  if (!query.ticket) return *bearerUser;
  if (query.ticket->empty() || query.ticket->size() > kMaxTicketLength) return ticketRefused(request);
  auto claimed = store.events().claimTicket(sha256Hex(*query.ticket), systemNowMs());
  if (!claimed) return failureReply(request, claimed.status());
  if (!claimed->has_value() || (*claimed)->projectId != query.projectId) return ticketRefused(request);
  if (bearerUser && bearerUser->id != (*claimed)->userId) return ticketRefused(request);
  auto user = store.users().findUserById((*claimed)->userId);
  if (!user) return failureReply(request, user.status());
  if (!user->has_value()) return ticketRefused(request);
  return **user;
}

ApiReply eventStream(Store& store, events::EventHub& hub, const ApiRequest& request) {
  auto query = parseEventsQuery(request.query);
  if (!query) return failureReply(request, query.status());
  auto caller = callerOf(store, request, *query);
  if (auto* reply = std::get_if<ApiReply>(&caller)) return std::move(*reply);
  const User& user = std::get<User>(caller);

  std::optional<std::int64_t> resumeAfter;
  if (const std::string* header = request.header("last-event-id")) {
    resumeAfter = parseEventId(*header);
  } else if (query->lastEventId) {
    resumeAfter = parseEventId(*query->lastEventId);
  }
  auto visible = loadVisibleProject(store.projects(), user, query->projectId);
  if (!visible) {
    // A client resuming a stream it had: stop reconnecting (EventSource closes on 204).
    if (visible.status().code() == ErrorCode::NotFound && resumeAfter) return noContentReply();
    return failureReply(request, visible.status());
  }

  const ContentCoding coding = negotiateCoding(request.header("accept-encoding"));
  ApiReply reply;
  reply.status = 200;
  reply.contentType = "text/event-stream";
  reply.headers.emplace_back("Cache-Control", "no-cache");
  reply.headers.emplace_back("X-Accel-Buffering", "no");
  reply.headers.emplace_back("Vary", "Accept-Encoding");
  if (coding != ContentCoding::Identity) reply.headers.emplace_back("Content-Encoding", std::string(codingName(coding)));

  events::SubscriberSpec spec;
  spec.projectId = visible->project.id;
  spec.userName = user.name;
  spec.globalAdmin = user.isAdmin;
  spec.role = visible->callerRole;
  spec.resumeAfter = resumeAfter;
  if (!resumeAfter) {
    // Fixed now, before the head goes out: the client may act on the 200
    // before the hub has subscribed it.
    if (auto latest = store.events().latestId(); latest) spec.liveFrom = *latest;
  }
  const std::string requestId = request.requestId;
  reply.stream = [&hub, spec, coding, requestId](std::shared_ptr<StreamSink> sink) mutable {
    // The hub writes one subscriber's bytes one call at a time, so one
    // compressor per stream needs no lock of its own.
    std::shared_ptr<StreamCompressor> compressor;
    if (coding != ContentCoding::Identity) compressor = std::make_shared<StreamCompressor>(coding);
    spec.write = [sink, compressor](const std::string& bytes) {
      if (compressor) return sink->write(compressor->compress(bytes));
      return sink->write(bytes);
    };
    spec.finish = [sink, compressor] {
      if (compressor) sink->write(compressor->finish());
      sink->finish();
    };
    auto finish = spec.finish;
    auto id = hub.subscribe(std::move(spec));
    if (!id) {
      Poco::Logger::get("switchboard.events")
          .warning("request %s: cannot start the event stream: %s", requestId, id.status().message());
      finish();  // the client reconnects and resumes
      return;
    }
    events::EventHub* hubPtr = &hub;
    sink->onClose([hubPtr, subscription = *id] { hubPtr->unsubscribe(subscription); });
  };
  return reply;
}

ApiReply createTicket(Store& store, const EventsConfig& config, const ApiRequest& request) {
  const JsonBody body = parseJsonObjectBody(request, {"projectId"});
  if (body.problem) return problemReply(request, *body.problem);
  auto projectId = requiredString(*body.object, "projectId");
  if (!projectId) return failureReply(request, projectId.status());
  auto visible = loadVisibleProject(store.projects(), request.principal->user, *projectId);
  if (!visible) return failureReply(request, visible.status());
  const std::string ticket = randomUrlSafeText(kTicketBytes);
  const std::int64_t expiresAt = systemNowMs() + config.ticketTtlMs;
  const Status stored =
      store.events().putTicket(sha256Hex(ticket), {request.principal->user.id, visible->project.id}, expiresAt);
  if (!stored) return failureReply(request, stored);
  Poco::JSON::Object out;
  out.set("ticket", ticket);
  out.set("projectId", visible->project.id);
  out.set("expiresAt", status::isoUtc(expiresAt));
  ApiReply reply = jsonReply(201, out);
  reply.headers.emplace_back("Cache-Control", "no-store");
  return reply;
}

}  // namespace

void addEventRoutes(Router& router, const ApiContext& context) {
  Store* store = context.store;
  events::EventHub* hub = context.events;
  const EventsConfig config = context.eventsConfig;
  // Public: the handler authenticates, by bearer token or ticket.
  router.add("GET", "/api/v1/integrations/events", RouteAccess::Public, [store, hub](ApiRequest& request) {
    if (hub == nullptr) return failureReply(request, Status(ErrorCode::Unavailable, "live events are not configured"));
    return eventStream(*store, *hub, request);
  });
  router.add("POST", "/api/v1/integrations/events/tickets", RouteAccess::Bearer,
             [store, config](ApiRequest& request) { return createTicket(*store, config, request); });
}

}  // namespace sb::http
