#include "sse_client.hpp"

#include <chrono>
#include <stdexcept>

#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/String.h>
#include <zlib.h>

namespace sb::testing {

struct SseClient::Impl {
  Poco::Net::StreamSocket socket;
  bool compressed = false;
  z_stream zs{};
  bool zInit = false;
  ~Impl() {
    if (zInit) inflateEnd(&zs);
  }
};

SseClient::SseClient(int port, const std::string& target, const std::map<std::string, std::string>& headers)
    : impl_(std::make_unique<Impl>()) {
  impl_->socket.connect(Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(port)));
  std::string request = "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n";
  for (const auto& [name, value] : headers) request += name + ": " + value + "\r\n";
  request += "\r\n";
  impl_->socket.sendBytes(request.data(), static_cast<int>(request.size()));
  // The head.
  std::string buffer;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  std::size_t end = std::string::npos;
  while ((end = buffer.find("\r\n\r\n")) == std::string::npos) {
    if (std::chrono::steady_clock::now() > deadline) return;
    impl_->socket.setReceiveTimeout(Poco::Timespan(0, 200 * 1000));
    char chunk[4096];
    int n = 0;
    try {
      n = impl_->socket.receiveBytes(chunk, sizeof chunk);
    } catch (const Poco::TimeoutException&) {
      continue;
    }
    if (n <= 0) return;
    buffer.append(chunk, static_cast<std::size_t>(n));
  }
  const std::string head = buffer.substr(0, end);
  raw_ = buffer.substr(end + 4);
  std::size_t lineEnd = head.find("\r\n");
  const std::string statusLine = head.substr(0, lineEnd);
  status_ = std::stoi(statusLine.substr(9, 3));
  std::size_t pos = lineEnd == std::string::npos ? head.size() : lineEnd + 2;
  while (pos < head.size()) {
    std::size_t next = head.find("\r\n", pos);
    if (next == std::string::npos) next = head.size();
    const std::string line = head.substr(pos, next - pos);
    const std::size_t colon = line.find(':');
    if (colon != std::string::npos) {
      headers_[Poco::toLower(line.substr(0, colon))] = Poco::trim(line.substr(colon + 1));
    }
    pos = next + 2;
  }
  chunked_ = Poco::icompare(header("transfer-encoding"), "chunked") == 0;
  const std::string coding = header("content-encoding");
  if (coding == "gzip" || coding == "deflate") {
    impl_->compressed = true;
    // 15 + 16: gzip only; 15: the zlib format HTTP calls "deflate".
    if (inflateInit2(&impl_->zs, coding == "gzip" ? 15 + 16 : 15) != Z_OK) throw std::runtime_error("inflateInit2");
    impl_->zInit = true;
  }
  if (!chunked_) {
    // A complete reply (problem, 204): read what Content-Length says.
    const std::string length = header("content-length");
    const std::size_t want = length.empty() ? 0 : std::stoul(length);
    while (raw_.size() < want && pump(5000)) {
    }
    body_ = raw_.substr(0, want);
    ended_ = true;
  } else {
    decodeChunks();
  }
}

SseClient::~SseClient() {
  try {
    impl_->socket.close();
  } catch (...) {
    // Closing a socket the server already reset has nothing to report.
  }
}

std::string SseClient::header(const std::string& lowerName) const {
  auto it = headers_.find(lowerName);
  return it == headers_.end() ? std::string() : it->second;
}

bool SseClient::pump(int waitMs) {
  if (ended_ && !chunked_) return false;
  impl_->socket.setReceiveTimeout(Poco::Timespan(0, waitMs * 1000));
  char chunk[8192];
  int n = 0;
  try {
    n = impl_->socket.receiveBytes(chunk, sizeof chunk);
  } catch (const Poco::TimeoutException&) {
    return false;
  } catch (const Poco::Exception&) {
    ended_ = true;
    return false;
  }
  if (n <= 0) {
    ended_ = true;
    return false;
  }
  raw_.append(chunk, static_cast<std::size_t>(n));
  if (chunked_) decodeChunks();
  return true;
}

void SseClient::decodeChunks() {
  for (;;) {
    const std::size_t lineEnd = raw_.find("\r\n");
    if (lineEnd == std::string::npos) return;
    const std::size_t size = std::stoul(raw_.substr(0, lineEnd), nullptr, 16);
    if (size == 0) {
      ended_ = true;
      raw_.clear();
      return;
    }
    if (raw_.size() < lineEnd + 2 + size + 2) return;
    const std::string data = raw_.substr(lineEnd + 2, size);
    raw_.erase(0, lineEnd + 2 + size + 2);
    if (impl_->compressed) {
      inflate(data);
    } else {
      parser_.feed(data);
    }
  }
}

void SseClient::inflate(const std::string& bytes) {
  impl_->zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(bytes.data()));
  impl_->zs.avail_in = static_cast<uInt>(bytes.size());
  char out[16384];
  do {
    impl_->zs.next_out = reinterpret_cast<Bytef*>(out);
    impl_->zs.avail_out = sizeof out;
    const int rc = ::inflate(&impl_->zs, Z_SYNC_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END && rc != Z_BUF_ERROR) throw std::runtime_error("inflate failed");
    parser_.feed(std::string_view(out, sizeof out - impl_->zs.avail_out));
  } while (impl_->zs.avail_out == 0);
}

std::vector<ParsedSseEvent> SseClient::next(std::size_t count, int waitMs) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(waitMs);
  for (;;) {
    for (auto& event : parser_.take()) events_.push_back(std::move(event));
    if (events_.size() >= count || ended_ || std::chrono::steady_clock::now() >= deadline) break;
    pump(100);
  }
  const std::size_t n = std::min(count, events_.size());
  std::vector<ParsedSseEvent> out(events_.begin(), events_.begin() + static_cast<std::ptrdiff_t>(n));
  events_.erase(events_.begin(), events_.begin() + static_cast<std::ptrdiff_t>(n));
  return out;
}

std::size_t SseClient::waitForComments(std::size_t count, int waitMs) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(waitMs);
  while (parser_.comments() < count && !ended_ && std::chrono::steady_clock::now() < deadline) pump(100);
  return parser_.comments();
}

bool SseClient::waitForEnd(int waitMs) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(waitMs);
  while (!ended_ && std::chrono::steady_clock::now() < deadline) pump(100);
  return ended_;
}

}  // namespace sb::testing
