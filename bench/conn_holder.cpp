// Holds many connections to a server on loopback, for bench/slow_clients.sh
// and bench/idle.sh: wrk only holds connections that complete requests.
//
//   conn_holder slow PORT COUNT SECONDS [INTERVAL_MS=2000]
//     COUNT clients each send a request line, then one header line every
//     INTERVAL_MS, never finishing the head (slowloris). A client the server
//     closes is replaced at once, so COUNT stay attached. At the end prints
//     "attached N closed_by_server N timeouts_408 N cpu_seconds X".
//   conn_holder idle PORT COUNT SECONDS
//     COUNT keep-alive clients each complete one GET /healthz, then sit idle.
//     Prints "ready N" once every one has its 200, holds them SECONDS, and
//     prints "closed_by_server N" at the end.
//
// One thread, epoll, 127.0.0.1 only; bounded in count and time.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>
#include <unordered_map>
#include <vector>

namespace {

using Clock = std::chrono::steady_clock;

int connectTo(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  inet_pton(AF_INET, "127.0.0.1", &address.sin_addr);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    ::close(fd);
    return -1;
  }
  const int on = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
  return fd;
}

bool sendAll(int fd, const std::string& bytes) {
  return ::send(fd, bytes.data(), bytes.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(bytes.size());
}

double cpuSeconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) / 1e9;
}

void raiseDescriptorLimit() {
  rlimit limit{};
  getrlimit(RLIMIT_NOFILE, &limit);
  limit.rlim_cur = limit.rlim_max;
  setrlimit(RLIMIT_NOFILE, &limit);
}

int slow(int port, int count, double seconds, int intervalMs) {
  const int poller = epoll_create1(EPOLL_CLOEXEC);
  std::unordered_map<int, bool> clients;  // fd -> saw a 408
  long closed = 0;
  long timeouts = 0;
  auto open = [&] {
    const int fd = connectTo(port);
    if (fd < 0) return;
    sendAll(fd, "GET /healthz HTTP/1.1\r\nHost: slow\r\n");
    epoll_event event{};
    event.events = EPOLLIN | EPOLLRDHUP;
    event.data.fd = fd;
    epoll_ctl(poller, EPOLL_CTL_ADD, fd, &event);
    clients[fd] = false;
  };
  for (int i = 0; i < count; ++i) open();
  std::printf("attached %zu\n", clients.size());
  std::fflush(stdout);
  const auto end = Clock::now() + std::chrono::milliseconds(static_cast<long>(seconds * 1000));
  auto nextDribble = Clock::now() + std::chrono::milliseconds(intervalMs);
  long line = 0;
  std::vector<epoll_event> events(1024);
  char buffer[4096];
  while (Clock::now() < end) {
    const auto wakeAt = std::min(end, nextDribble);
    const int waitMs = static_cast<int>(
        std::max<long>(0, std::chrono::duration_cast<std::chrono::milliseconds>(wakeAt - Clock::now()).count()));
    const int n = epoll_wait(poller, events.data(), static_cast<int>(events.size()), waitMs);
    for (int i = 0; i < n; ++i) {
      const int fd = events[i].data.fd;
      const ssize_t got = ::recv(fd, buffer, sizeof buffer, 0);
      if (got > 0 && std::strstr(std::string(buffer, static_cast<std::size_t>(got)).c_str(), " 408 ") != nullptr) {
        clients[fd] = true;
        continue;  // the close follows
      }
      if (got <= 0) {
        if (clients[fd]) ++timeouts;
        clients.erase(fd);
        ::close(fd);
        ++closed;
        open();
      }
    }
    if (Clock::now() >= nextDribble) {
      const std::string header = "X-Slow-" + std::to_string(++line) + ": 1\r\n";
      for (const auto& [fd, timedOut] : clients) {
        if (!timedOut) sendAll(fd, header);
      }
      nextDribble += std::chrono::milliseconds(intervalMs);
    }
  }
  std::printf("attached %zu closed_by_server %ld timeouts_408 %ld cpu_seconds %.2f\n", clients.size(), closed,
              timeouts, cpuSeconds());
  return 0;
}

int idle(int port, int count, double seconds) {
  std::vector<int> fds;
  fds.reserve(static_cast<std::size_t>(count));
  for (int i = 0; i < count; ++i) {
    const int fd = connectTo(port);
    if (fd < 0) break;
    sendAll(fd, "GET /healthz HTTP/1.1\r\nHost: idle\r\n\r\n");
    fds.push_back(fd);
  }
  int ready = 0;
  char buffer[4096];
  for (int fd : fds) {
    // Blocking reads: each reply is small and comes in one segment on loopback.
    const ssize_t got = ::recv(fd, buffer, sizeof buffer, 0);
    if (got > 12 && std::strncmp(buffer, "HTTP/1.1 200", 12) == 0) ++ready;
  }
  std::printf("ready %d\n", ready);
  std::fflush(stdout);
  const int poller = epoll_create1(EPOLL_CLOEXEC);
  for (int fd : fds) {
    epoll_event event{};
    event.events = EPOLLIN | EPOLLRDHUP;
    event.data.fd = fd;
    epoll_ctl(poller, EPOLL_CTL_ADD, fd, &event);
  }
  long closed = 0;
  const auto end = Clock::now() + std::chrono::milliseconds(static_cast<long>(seconds * 1000));
  std::vector<epoll_event> events(1024);
  while (Clock::now() < end) {
    const int waitMs = static_cast<int>(
        std::max<long>(0, std::chrono::duration_cast<std::chrono::milliseconds>(end - Clock::now()).count()));
    const int n = epoll_wait(poller, events.data(), static_cast<int>(events.size()), waitMs);
    for (int i = 0; i < n; ++i) {
      epoll_ctl(poller, EPOLL_CTL_DEL, events[i].data.fd, nullptr);
      ++closed;
    }
  }
  std::printf("closed_by_server %ld\n", closed);
  for (int fd : fds) ::close(fd);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 5) {
    std::fprintf(stderr, "usage: conn_holder slow|idle PORT COUNT SECONDS [INTERVAL_MS]\n");
    return 2;
  }
  raiseDescriptorLimit();
  const std::string mode = argv[1];
  const int port = std::atoi(argv[2]);
  const int count = std::min(std::atoi(argv[3]), 100000);
  const double seconds = std::min(std::atof(argv[4]), 3600.0);
  if (mode == "slow") return slow(port, count, seconds, argc > 5 ? std::max(std::atoi(argv[5]), 10) : 2000);
  if (mode == "idle") return idle(port, count, seconds);
  std::fprintf(stderr, "unknown mode '%s'\n", mode.c_str());
  return 2;
}
