// Test harness: runs the real `switchboard` binary as a child process with a
// generated config on an ephemeral loopback port, and speaks HTTP to it.
// The database comes from tests/support's ScratchDatabase (SQLite file, or a
// fresh PostgreSQL database when SWITCHBOARD_TEST_DATABASE names a server).
// Thread-safety: one test thread drives each object.
#pragma once

#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <Poco/Pipe.h>
#include <Poco/Process.h>

#include "scratch_database.hpp"
#include "scratch_directory.hpp"

namespace sbtest {

// Paths baked in by CMake.
std::string switchboardBinary();
std::string bundledPluginDir();
std::string testPluginDir();
std::string sdkConsumerPlugin();

using sb::testing::ScratchDatabase;   // tests/support: SQLite file or fresh PostgreSQL db
using sb::testing::ScratchDirectory;

struct CommandResult {
  int exitCode = -1;
  std::string output;  // stdout and stderr, interleaved
};
// Runs `switchboard <args...>` to completion.
CommandResult runSwitchboard(const std::vector<std::string>& args);

struct HttpResponse {
  int status = 0;
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  std::string header(const std::string& name) const;
};

class ServerProcess {
 public:
  // Starts `switchboard serve --config <configPath>` and waits until it prints
  // its listening line (or exits). Check ok() / output() afterwards.
  explicit ServerProcess(const std::string& configPath);
  ~ServerProcess();  // SIGTERM, then wait

  bool ok() const { return port_ != 0; }
  int port() const { return port_; }
  const std::string& adminToken() const { return adminToken_; }
  std::string output() const;
  int stop();  // SIGTERM and wait; returns the exit code
  void kill();  // SIGKILL and wait: a crash, nothing cleaned up (its exit status is not checked)

  HttpResponse request(const std::string& method, const std::string& path,
                       const std::string& token = {}, const std::string& body = {},
                       const std::map<std::string, std::string>& headers = {}) const;

 private:
  void readOutput();

  std::unique_ptr<Poco::ProcessHandle> handle_;
  Poco::Pipe pipe_;
  std::thread reader_;
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::string output_;
  bool eof_ = false;
  int port_ = 0;
  std::string adminToken_;
  bool stopped_ = false;
  bool killed_ = false;
  int exitCode_ = -1;
};

// Writes a server config for tests: ephemeral port, logs to files in `dir`.
// `pluginsYaml` is the body of `plugins.enabled` (YAML list items);
// `extraSections` is appended as further top-level sections (secrets, status).
std::string writeConfig(const ScratchDirectory& dir, const ScratchDatabase& db,
                        const std::string& pluginsYaml,
                        const std::string& extraSections = {});

}  // namespace sbtest
