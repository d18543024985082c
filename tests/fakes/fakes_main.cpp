// switchboard-fakes: runs the bundled provider fakes on loopback for the demo
// (`./run.sh --demo`) and the benchmarks (bench/status.sh).
//
// usage: switchboard-fakes [--latency-ms N] [--mode PROVIDER=MODE]... [--port PROVIDER=PORT]...
//                          [--ports-file PATH] [--github-files N] [--github-truncate N]
// --github-files seeds acme/web's main branch with N small text files
// (d<i/1000>/s<i/100%10>/f<i>.txt) for bench/sync.sh; --github-truncate sets
// the size above which its recursive tree listings are truncated.
// Prints one line per fake, "PROVIDER http://127.0.0.1:PORT", writes the same
// lines to --ports-file when given, and serves until SIGINT/SIGTERM. Each
// fake's behaviour can be changed later through POST /__fake/behaviour.
#include <csignal>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <optional>
#include <memory>
#include <string>
#include <vector>

#include <Poco/Exception.h>

#include "fake_server.hpp"
#include "github_git_data.hpp"

namespace {

const std::vector<std::string> kProviders{"github", "vercel", "sanity", "supabase", "oauth"};

int usage(const std::string& problem) {
  std::cerr << "switchboard-fakes: " << problem << "\n"
            << "usage: switchboard-fakes [--latency-ms N] [--mode PROVIDER=MODE]... "
               "[--port PROVIDER=PORT]... [--ports-file PATH] [--github-files N] [--github-truncate N]\n";
  return 2;
}

bool splitPair(const std::string& text, std::string& key, std::string& value) {
  const auto eq = text.find('=');
  if (eq == std::string::npos || eq == 0) return false;
  key = text.substr(0, eq);
  value = text.substr(eq + 1);
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  int latencyMs = 0;
  std::map<std::string, std::string> modes;
  std::map<std::string, int> ports;
  std::string portsFile;
  long githubFiles = 0;
  long githubTruncate = 100000;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    auto next = [&]() -> std::string { return i + 1 < argc ? std::string(argv[++i]) : std::string(); };
    std::string key;
    std::string value;
    if (arg == "--help" || arg == "-h") {
      usage("runs the GitHub, Vercel, Sanity and Supabase fakes and an OAuth authorization server on loopback");
      return 0;
    } else if (arg == "--latency-ms") {
      latencyMs = std::atoi(next().c_str());
    } else if (arg == "--mode" && splitPair(next(), key, value)) {
      modes[key] = value;
    } else if (arg == "--port" && splitPair(next(), key, value)) {
      ports[key] = std::atoi(value.c_str());
    } else if (arg == "--github-files") {
      githubFiles = std::atol(next().c_str());
    } else if (arg == "--github-truncate") {
      githubTruncate = std::atol(next().c_str());
    } else if (arg == "--ports-file") {
      portsFile = next();
    } else {
      return usage("unknown or incomplete option " + arg);
    }
  }
  for (const auto& [name, mode] : modes) {
    if (sb::fakes::makeFake(name) == nullptr) return usage("unknown provider " + name);
  }

  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);  // before the server threads start

  std::vector<std::unique_ptr<sb::fakes::FakeServer>> servers;
  std::string lines;
  try {
    for (const auto& name : kProviders) {
      auto server = std::make_unique<sb::fakes::FakeServer>(sb::fakes::makeFake(name));
      sb::fakes::Behaviour behaviour;
      behaviour.latencyMs = latencyMs;
      if (auto it = modes.find(name); it != modes.end()) behaviour.mode = it->second;
      server->setBehaviour(behaviour);
      if (name == "github") {
        sb::fakes::GitDataStore& git = sb::fakes::githubGitData(server->provider());
        git.setTruncateAbove(static_cast<std::size_t>(githubTruncate));
        std::map<std::string, std::optional<std::string>> files;
        for (long f = 0; f < githubFiles; ++f) {
          files["d" + std::to_string(f / 1000) + "/s" + std::to_string(f / 100 % 10) + "/f" + std::to_string(f) +
                ".txt"] = "file " + std::to_string(f) + "\n";
        }
        if (!files.empty()) git.commit("acme/web", "main", files, "seeded by switchboard-fakes");
      }
      server->start(ports.count(name) ? ports[name] : 0);
      lines += name + " " + server->baseUrl() + "\n";
      servers.push_back(std::move(server));
    }
  } catch (const Poco::Exception& e) {
    std::cerr << "switchboard-fakes: cannot start: " << e.displayText() << "\n";
    return 1;
  }
  std::cout << lines << std::flush;
  if (!portsFile.empty()) {
    std::ofstream(portsFile) << lines;
  }
  int received = 0;
  sigwait(&signals, &received);
  for (auto& server : servers) server->stop();
  return 0;
}
