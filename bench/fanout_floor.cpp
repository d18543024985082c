// The yardstick for bench/sse.sh's fan-out (docs/performance.md): what this
// machine does at best when the same bytes go to the same number of loopback
// streams, as nginx is for the request benches.
//
//   fanout_floor COUNT BYTES ROUNDS [SENDERS=2]
//
// A forked sender process accepts COUNT loopback TCP connections (TCP_NODELAY,
// as the server's). Each round the reader (this process) takes the time and
// triggers it; it writes BYTES to every connection with plain send() from
// SENDERS threads (the server has one I/O thread per core). The reader, one
// thread with Boost.Asio as bench/sse_load.cpp, times each connection's
// receipt of all BYTES. Nothing is parsed, framed, stored or looked up.
// Prints each round's p99, then "floor_ms min p50 p99 max samples".
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <utility>  // before Asio: Boost 1.74 uses std::exchange without it

#include <boost/asio.hpp>

#include "percentile.hpp"

namespace {

using boost::asio::ip::tcp;
using Clock = std::chrono::steady_clock;

[[noreturn]] void die(const char* what) {
  std::perror(what);
  std::exit(1);
}

// The sender: accepts `count` connections, then for each trigger byte on
// `trigger` writes `bytes` to every one of them; a closed pipe ends it.
[[noreturn]] void runSender(int listener, int trigger, int count, std::size_t bytes, int senders) {
  std::vector<int> fds;
  fds.reserve(static_cast<std::size_t>(count));
  for (int i = 0; i < count; ++i) {
    const int fd = ::accept(listener, nullptr, nullptr);
    if (fd < 0) die("accept");
    const int on = 1;
    ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof on);
    ::fcntl(fd, F_SETFL, O_NONBLOCK);
    fds.push_back(fd);
  }
  const std::string payload(bytes, 'x');
  char go = 0;
  while (::read(trigger, &go, 1) == 1) {
    std::vector<std::thread> threads;
    for (int t = 0; t < senders; ++t) {
      threads.emplace_back([&, t] {
        for (std::size_t i = static_cast<std::size_t>(t); i < fds.size(); i += static_cast<std::size_t>(senders)) {
          if (::send(fds[i], payload.data(), payload.size(), MSG_NOSIGNAL) != static_cast<ssize_t>(payload.size())) {
            std::perror("send");
          }
        }
      });
    }
    for (auto& thread : threads) thread.join();
  }
  std::_Exit(0);
}

struct Reader {
  explicit Reader(boost::asio::io_context& io) : socket(io) {}
  tcp::socket socket;
  std::array<char, 4096> buffer{};
  std::size_t got = 0;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4 || argc > 5) {
    std::fprintf(stderr, "usage: fanout_floor COUNT BYTES ROUNDS [SENDERS=2]\n");
    return 2;
  }
  const int count = std::atoi(argv[1]);
  const std::size_t bytes = static_cast<std::size_t>(std::atol(argv[2]));
  const int rounds = std::atoi(argv[3]);
  const int senders = argc == 5 ? std::atoi(argv[4]) : 2;
  if (count < 1 || bytes < 1 || rounds < 1 || senders < 1) {
    std::fprintf(stderr, "fanout_floor: COUNT, BYTES, ROUNDS and SENDERS must be positive\n");
    return 2;
  }
  rlimit limit{};
  ::getrlimit(RLIMIT_NOFILE, &limit);
  limit.rlim_cur = limit.rlim_max;
  ::setrlimit(RLIMIT_NOFILE, &limit);

  const int listener = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  if (::bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) die("bind");
  if (::listen(listener, SOMAXCONN) != 0) die("listen");
  if (::getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length) != 0) die("getsockname");
  int pipeFds[2];
  if (::pipe(pipeFds) != 0) die("pipe");
  const pid_t child = ::fork();
  if (child < 0) die("fork");
  if (child == 0) {
    ::close(pipeFds[1]);
    runSender(listener, pipeFds[0], count, bytes, senders);
  }
  ::close(pipeFds[0]);
  ::close(listener);

  boost::asio::io_context io;
  const tcp::endpoint endpoint(boost::asio::ip::make_address("127.0.0.1"), ntohs(address.sin_port));
  std::vector<std::unique_ptr<Reader>> readers;
  for (int i = 0; i < count; ++i) {
    readers.push_back(std::make_unique<Reader>(io));
    readers.back()->socket.connect(endpoint);
  }
  std::vector<double> all;
  Clock::time_point sent;
  int done = 0;
  std::function<void(Reader&)> read = [&](Reader& reader) {
    reader.socket.async_read_some(boost::asio::buffer(reader.buffer), [&](const boost::system::error_code& error,
                                                                          std::size_t n) {
      if (error) return;
      reader.got += n;
      if (reader.got >= bytes) {
        reader.got -= bytes;
        all.push_back(std::chrono::duration<double, std::milli>(Clock::now() - sent).count());
        ++done;
      }
      read(reader);
    });
  };
  for (auto& reader : readers) read(*reader);
  io.poll();
  std::this_thread::sleep_for(std::chrono::seconds(1));  // every connection accepted and idle
  for (int round = 0; round < rounds; ++round) {
    const std::size_t first = all.size();
    done = 0;
    sent = Clock::now();
    if (::write(pipeFds[1], "x", 1) != 1) die("write");
    const auto deadline = Clock::now() + std::chrono::seconds(30);
    while (done < count && Clock::now() < deadline) io.run_for(std::chrono::milliseconds(5));
    const std::vector<double> thisRound(all.begin() + static_cast<std::ptrdiff_t>(first), all.end());
    std::printf("floor round %d received %d/%d p50 %.1f p99 %.1f max %.1f\n", round + 1, done, count,
                percentile(thisRound, 0.50), percentile(thisRound, 0.99), percentile(thisRound, 1.0));
    if (done < count) return 1;
    const auto pause = Clock::now() + std::chrono::seconds(1);  // as sse_load's rounds
    while (Clock::now() < pause) io.run_for(std::chrono::milliseconds(5));
  }
  std::printf("floor_ms min %.1f p50 %.1f p99 %.1f max %.1f samples %zu\n", percentile(all, 0.0),
              percentile(all, 0.50), percentile(all, 0.99), percentile(all, 1.0), all.size());
  ::close(pipeFds[1]);
  int status = 0;
  ::waitpid(child, &status, 0);
  return 0;
}
