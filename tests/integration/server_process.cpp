#include "server_process.hpp"

#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <fstream>
#include <regex>
#include <sstream>

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/PipeStream.h>
#include <Poco/StreamCopier.h>

namespace sbtest {

std::string switchboardBinary() { return SWITCHBOARD_BINARY; }
std::string bundledPluginDir() { return SWITCHBOARD_PLUGIN_DIR; }
std::string testPluginDir() { return SWITCHBOARD_TEST_PLUGIN_DIR; }
std::string sdkConsumerPlugin() { return SWITCHBOARD_SDK_CONSUMER_PLUGIN; }

CommandResult runSwitchboard(const std::vector<std::string>& args) {
  Poco::Pipe pipe;
  Poco::Process::Args processArgs(args.begin(), args.end());
  Poco::ProcessHandle handle =
      Poco::Process::launch(switchboardBinary(), processArgs, nullptr, &pipe, &pipe);
  Poco::PipeInputStream in(pipe);
  CommandResult result;
  Poco::StreamCopier::copyToString(in, result.output);
  result.exitCode = handle.wait();
  return result;
}

std::string HttpResponse::header(const std::string& name) const {
  auto it = headers.find(name);
  return it == headers.end() ? std::string() : it->second;
}

ServerProcess::ServerProcess(const std::string& configPath) {
  Poco::Process::Args args{"serve", "--config", configPath};
  handle_ = std::make_unique<Poco::ProcessHandle>(
      Poco::Process::launch(switchboardBinary(), args, nullptr, &pipe_, &pipe_));
  reader_ = std::thread([this] { readOutput(); });

  static const std::regex listening(R"(Switchboard listening on http://[^:]+:(\d+))");
  static const std::regex token(R"(Admin token for user '[^']+' \(shown once, store it now\): (\S+))");
  std::unique_lock lock(mutex_);
  // Generous: a sanitizer build starts slowly. Not a timing assertion: the
  // test only fails here if the server never comes up.
  changed_.wait_for(lock, std::chrono::seconds(60), [&] {
    return eof_ || std::regex_search(output_, listening);
  });
  std::smatch match;
  if (std::regex_search(output_, match, listening)) port_ = std::stoi(match[1].str());
  if (std::regex_search(output_, match, token)) adminToken_ = match[1].str();
}

ServerProcess::~ServerProcess() {
  // A server that started must also stop cleanly: under ASan/UBSan a report in
  // the child shows up only as its exit status.
  const int code = stop();
  if (port_ != 0 && code != 0 && !killed_) {
    ADD_FAILURE() << "switchboard exited with status " << code << ":\n" << output();
  }
}

void ServerProcess::readOutput() {
  // readBytes returns whatever arrived (0 at EOF); an istream would wait for
  // a full buffer.
  char buffer[4096];
  for (;;) {
    int n = 0;
    try {
      n = pipe_.readBytes(buffer, sizeof buffer);
    } catch (const Poco::Exception&) {
      n = 0;
    }
    if (n <= 0) break;
    std::lock_guard lock(mutex_);
    output_.append(buffer, static_cast<std::size_t>(n));
    changed_.notify_all();
  }
  std::lock_guard lock(mutex_);
  eof_ = true;
  changed_.notify_all();
}

std::string ServerProcess::output() const {
  std::lock_guard lock(mutex_);
  return output_;
}

int ServerProcess::stop() {
  if (stopped_) return exitCode_;
  stopped_ = true;
  if (handle_) {
    ::kill(handle_->id(), SIGTERM);
    exitCode_ = handle_->wait();
  }
  if (reader_.joinable()) reader_.join();
  return exitCode_;
}

void ServerProcess::kill() {
  if (stopped_) return;
  stopped_ = true;
  killed_ = true;
  if (handle_) {
    ::kill(handle_->id(), SIGKILL);
    exitCode_ = handle_->wait();
  }
  if (reader_.joinable()) reader_.join();
}

HttpResponse ServerProcess::request(const std::string& method, const std::string& path,
                                    const std::string& token, const std::string& body,
                                    const std::map<std::string, std::string>& headers) const {
  Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(port_));
  session.setTimeout(Poco::Timespan(30, 0));
  Poco::Net::HTTPRequest request(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
  if (!token.empty()) request.set("Authorization", "Bearer " + token);
  if (!body.empty() || method == "POST" || method == "PUT") {
    request.setContentType("application/json");
    request.setContentLength(static_cast<std::streamsize>(body.size()));
  }
  for (const auto& [name, value] : headers) request.set(name, value);
  session.sendRequest(request) << body;
  Poco::Net::HTTPResponse response;
  std::istream& in = session.receiveResponse(response);
  HttpResponse result;
  result.status = response.getStatus();
  for (const auto& [name, value] : response) {
    result.headers[Poco::toLower(name)] = value;
  }
  Poco::StreamCopier::copyToString(in, result.body);
  return result;
}

std::string writeConfig(const ScratchDirectory& dir, const ScratchDatabase& db,
                        const std::string& pluginsYaml, const std::string& extraSections) {
  std::string path = dir.file("switchboard.yaml");
  std::ofstream out(path);
  out << "server:\n  host: 127.0.0.1\n  port: 0\n  threads: 8\n"
      << "database:\n  url: \"" << db.url() << "\"\n"
      << "plugins:\n  directory: " << bundledPluginDir() << "\n  enabled:\n"
      << pluginsYaml << extraSections
      << "logging:\n  level: info\n  access_log: " << dir.file("access.log")
      << "\n  file: " << dir.file("server.log") << "\n";
  return path;
}

}  // namespace sbtest
