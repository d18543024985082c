#include "http/response_head.hpp"

#include <boost/beast/http/status.hpp>
#include <strings.h>

#include <ctime>

#include "http/request_id.hpp"

namespace sb::http {
namespace {

bool sameName(const std::string& a, const char* b) { return strcasecmp(a.c_str(), b) == 0; }

bool replySets(const ApiReply& reply, const char* name) {
  for (const auto& header : reply.headers) {
    if (sameName(header.first, name)) return true;
  }
  return false;
}

void appendField(std::string& out, const std::string& name, const std::string& value) {
  out += name;
  out += ": ";
  out += value;
  out += "\r\n";
}

}  // namespace

bool statusHasNoBody(int status) { return (status >= 100 && status < 200) || status == 204 || status == 304; }

std::string httpDateNow() {
  thread_local std::time_t cachedSecond = 0;
  thread_local std::string cachedText;
  const std::time_t now = std::time(nullptr);
  if (now != cachedSecond) {
    std::tm parts{};
    gmtime_r(&now, &parts);
    char text[64];
    const std::size_t size = std::strftime(text, sizeof text, "%a, %d %b %Y %H:%M:%S GMT", &parts);
    cachedText.assign(text, size);
    cachedSecond = now;
  }
  return cachedText;
}

std::string renderHead(const ApiReply& reply, const std::string& requestId, const HeadFraming& framing) {
  std::string out;
  out.reserve(256 + reply.body.size());
  out += "HTTP/1.1 ";
  out += std::to_string(reply.status);
  out += ' ';
  const auto reason = boost::beast::http::obsolete_reason(static_cast<boost::beast::http::status>(reply.status));
  out.append(reason.data(), reason.size());
  out += "\r\n";
  appendField(out, "Date", httpDateNow());
  appendField(out, kRequestIdHeader, requestId);
  if (!replySets(reply, "Cache-Control")) appendField(out, "Cache-Control", "no-store");
  for (const auto& [name, value] : reply.headers) appendField(out, name, value);
  const bool noBody = statusHasNoBody(reply.status);
  if (!noBody && !reply.contentType.empty()) appendField(out, "Content-Type", reply.contentType);
  if (framing.stream) {
    if (!framing.http10) appendField(out, "Transfer-Encoding", "chunked");
  } else if (!noBody) {
    // RFC 9110 §8.6: no Content-Length on 1xx/204; a 304 could only repeat
    // the 200's, which it does not know, so it sends none.
    appendField(out, "Content-Length", std::to_string(reply.body.size()));
  }
  if (framing.close) {
    appendField(out, "Connection", "close");
  } else if (framing.http10) {
    appendField(out, "Connection", "keep-alive");
  }
  out += "\r\n";
  return out;
}

}  // namespace sb::http
