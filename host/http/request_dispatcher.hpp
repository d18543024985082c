// The Poco request handler every connection goes through: request id, request
// target, body limits, routing (404/405), bearer auth, the route handler, a
// catch-all that turns any escaped exception into a logged 500 problem, the
// common response headers, and one access-log line.
// Thread-safety: one handler object per request (Poco creates it); the shared
// DispatchTarget is read-only after start-up, AccessLog is internally locked.
#pragma once

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/TCPServer.h>

#include <cstddef>

#include "http/access_log.hpp"
#include "http/router.hpp"

namespace sb {
class PrincipalCache;
}

namespace sb {
class Store;
}

namespace sb {
class Metrics;
}

namespace sb::http {

struct DispatchTarget {
  const Router* router = nullptr;
  Store* store = nullptr;
  AccessLog* accessLog = nullptr;
  std::size_t maxBodyBytes = 1 << 20;
  // Poco serves a keep-alive connection on one worker for its whole life, so
  // with more open connections than workers the rest would starve in the
  // accept queue. When connections are waiting, responses close theirs.
  const Poco::Net::TCPServer* server = nullptr;
  PrincipalCache* principals = nullptr;  // may be null: every request asks the store
  Metrics* metrics = nullptr;            // may be null: nothing is counted
};


class ApiRequestHandler : public Poco::Net::HTTPRequestHandler {
 public:
  explicit ApiRequestHandler(const DispatchTarget& target) : target_(target) {}
  void handleRequest(Poco::Net::HTTPServerRequest& request,
                     Poco::Net::HTTPServerResponse& response) override;

 private:
  ApiReply dispatch(Poco::Net::HTTPServerRequest& in, ApiRequest& request, std::string& route,
                    bool& closeConnection);
  std::optional<ApiReply> readBody(Poco::Net::HTTPServerRequest& in, ApiRequest& request,
                                   bool& closeConnection);
  std::size_t send(Poco::Net::HTTPServerResponse& out, const ApiRequest& request,
                   const ApiReply& reply, bool closeConnection);

  const DispatchTarget& target_;
};

class ApiRequestHandlerFactory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit ApiRequestHandlerFactory(const DispatchTarget& target) : target_(target) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(
      const Poco::Net::HTTPServerRequest& request) override;

 private:
  const DispatchTarget& target_;
};

}  // namespace sb::http
