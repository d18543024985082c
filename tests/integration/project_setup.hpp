// What several end-to-end tests set up the same way: API tokens and members
// made with the CLI, a project linked to the four status providers, the YAML
// that points a bundled plugin at its fake on loopback, and reading the files
// the server wrote. Thread-safety: test thread only.
#pragma once

#include <map>
#include <memory>
#include <string>

#include <Poco/JSON/Object.h>

#include "fake_server.hpp"
#include "server_process.hpp"

namespace sbtest {

Poco::JSON::Object::Ptr parseObject(const std::string& body);

// `switchboard token create --user <user>`: a new API token (the user is created if needed).
std::string createToken(const std::string& configPath, const std::string& user);
// A token for `user`, made a member of `projectId` with `role` through the CLI.
std::string memberToken(const std::string& configPath, const std::string& projectId, const std::string& user,
                        const std::string& role);

// The PUT bodies that link each status provider to what its fake knows.
const std::map<std::string, std::string>& providerLinks();
// A new project, created and linked to `links` (key -> PUT body) with `token`.
std::string linkedProject(const ServerProcess& server, const std::string& token,
                          const std::map<std::string, std::string>& links = providerLinks());

// A `plugins.enabled` item for bundled plugin `name` at `baseUrl`, with the
// egress block an operator writes for a fake on loopback: plain http to
// 127.0.0.1 and nothing else. `egress` overrides that block ("" = none).
std::string fakePluginEntry(const std::string& name, const std::string& baseUrl,
                            const std::string& egress = "{allow_http: true, allow: [127.0.0.1]}");

// The fakes of the four status providers, started on loopback, by name.
using ProviderFakes = std::map<std::string, std::unique_ptr<sb::fakes::FakeServer>>;
ProviderFakes startProviderFakes();

// Writes a 32-byte key file (64 hex digits of `digit`, mode 0600) into `dir`
// and returns the `secrets:` section that names it.
std::string secretsSection(const ScratchDirectory& dir, char digit = 'a');

std::string fileText(const std::string& path);

}  // namespace sbtest
