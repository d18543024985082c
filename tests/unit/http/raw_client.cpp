#include "raw_client.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>

namespace sb::testing {
namespace {

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return std::tolower(c); });
  return text;
}

}  // namespace

std::string RawResponse::header(const std::string& name) const {
  auto it = headers.find(lower(name));
  return it == headers.end() ? std::string() : it->second;
}

RawClient::RawClient(int port, const std::string& localAddress) {
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) return;
  if (!localAddress.empty()) {
    sockaddr_in local{};
    local.sin_family = AF_INET;
    inet_pton(AF_INET, localAddress.c_str(), &local.sin_addr);
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&local), sizeof local) != 0) {
      ::close(fd_);
      fd_ = -1;
      return;
    }
  }
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  inet_pton(AF_INET, "127.0.0.1", &address.sin_addr);
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    ::close(fd_);
    fd_ = -1;
    return;
  }
  const int on = 1;
  setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
}

RawClient::~RawClient() {
  if (fd_ >= 0) ::close(fd_);
}

bool RawClient::send(const std::string& bytes) {
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    const ssize_t n = ::send(fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return false;
    sent += static_cast<std::size_t>(n);
  }
  return true;
}

bool RawClient::pump(int timeoutMs) {
  if (eof_) return false;
  pollfd poller{fd_, POLLIN, 0};
  if (::poll(&poller, 1, timeoutMs) <= 0) return true;
  char chunk[16384];
  const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
  if (n <= 0) {
    eof_ = true;
    return false;
  }
  buffer_.append(chunk, static_cast<std::size_t>(n));
  return true;
}

bool RawClient::waitForClose(int timeoutMs) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
  while (!eof_ && std::chrono::steady_clock::now() < until) pump(50);
  return eof_;
}

std::optional<RawResponse> RawClient::readResponse(int timeoutMs) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeoutMs);
  auto remaining = [&] {
    return static_cast<int>(std::max<long>(0, std::chrono::duration_cast<std::chrono::milliseconds>(
                                                  until - std::chrono::steady_clock::now())
                                                  .count()));
  };
  std::size_t headEnd;
  for (;;) {
    headEnd = buffer_.find("\r\n\r\n");
    if (headEnd != std::string::npos) break;
    if (remaining() == 0 || !pump(std::min(remaining(), 50))) {
      if (buffer_.find("\r\n\r\n") == std::string::npos) return std::nullopt;
    }
  }
  RawResponse response;
  const std::string head = buffer_.substr(0, headEnd);
  std::size_t lineEnd = head.find("\r\n");
  response.statusLine = head.substr(0, lineEnd);
  if (response.statusLine.size() >= 12) response.status = std::atoi(response.statusLine.c_str() + 9);
  while (lineEnd != std::string::npos && lineEnd < head.size()) {
    const std::size_t next = head.find("\r\n", lineEnd + 2);
    const std::string line = head.substr(lineEnd + 2, next == std::string::npos ? std::string::npos : next - lineEnd - 2);
    const std::size_t colon = line.find(':');
    if (colon != std::string::npos) {
      std::string value = line.substr(colon + 1);
      value.erase(0, value.find_first_not_of(' '));
      response.headers[lower(line.substr(0, colon))] = value;
    }
    lineEnd = next;
  }
  std::size_t at = headEnd + 4;
  const bool interim = response.status >= 100 && response.status < 200;
  const bool noBody = interim || response.status == 204 || response.status == 304;
  if (noBody) {
    buffer_.erase(0, at);
    return response;
  }
  if (lower(response.header("transfer-encoding")) == "chunked") {
    for (;;) {
      std::size_t sizeEnd;
      while ((sizeEnd = buffer_.find("\r\n", at)) == std::string::npos) {
        if (remaining() == 0 || !pump(std::min(remaining(), 50))) return std::nullopt;
      }
      const std::size_t size = std::stoul(buffer_.substr(at, sizeEnd - at), nullptr, 16);
      while (buffer_.size() < sizeEnd + 2 + size + 2) {
        if (remaining() == 0 || !pump(std::min(remaining(), 50))) return std::nullopt;
      }
      response.body += buffer_.substr(sizeEnd + 2, size);
      at = sizeEnd + 2 + size + 2;
      if (size == 0) break;
    }
    buffer_.erase(0, at);
    return response;
  }
  const std::string length = response.header("content-length");
  if (!length.empty()) {
    const std::size_t size = std::stoul(length);
    while (buffer_.size() < at + size) {
      if (remaining() == 0 || !pump(std::min(remaining(), 50))) return std::nullopt;
    }
    response.body = buffer_.substr(at, size);
    buffer_.erase(0, at + size);
    return response;
  }
  while (pump(std::min(std::max(remaining(), 1), 50)) && remaining() > 0) {
  }
  response.body = buffer_.substr(at);
  buffer_.clear();
  return response;
}

}  // namespace sb::testing
