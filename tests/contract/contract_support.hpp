// Contract tests: a bundled plugin (.so from build/plugins, loaded through the
// host's real loader) against its fake provider on loopback. One helper loads
// the plugin with the fake's URL as base_url and runs on_status, on_run and
// on_list_for.
// Thread-safety: test-only; one Contract per test.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <Poco/JSON/Object.h>
#include <gtest/gtest.h>

#include "fake_server.hpp"
#include "plugins/loaded_plugin.hpp"

namespace sb::test {

// What on_status produced: the hook's status and output, parsed when SB_OK.
struct StatusCall {
  sb_status status = SB_ERR_INTERNAL;
  std::string output;               // the document, or the failure reason
  Poco::JSON::Object::Ptr document;  // non-null when status == SB_OK and output is an object
};

// What on_run produced through LoadedPlugin::actionsRun, and the steps it reported.
struct ActionCall {
  Status hostError;                  // not ok: the host refused the output
  ActionRunOutcome outcome;          // the plugin's status, result or reason
  Poco::JSON::Object::Ptr result;    // the parsed result on SB_OK
  std::vector<PluginStep> steps;
  bool hasStep(const std::string& id, StepState state) const;
};

// The host services a bundled plugin gets in these tests: base_url = the
// fake's URL, and an egress policy that allows exactly that (plain http to
// 127.0.0.1), as an operator would configure it.
HostServiceSettings fakeProviderServices(const std::string& provider, const fakes::FakeServer& fake);

class Contract {
 public:
  // Starts the fake for `provider` and loads build/plugins/<provider>.so with
  // base_url = the fake's URL. `maxResponseBytes` is the host's body cap.
  explicit Contract(const std::string& provider, std::size_t maxResponseBytes = 1u << 20,
                    int timeoutMs = 10000, const std::string& pluginSettingsJson = "{}");
  ~Contract();

  fakes::FakeServer& fake() { return *fake_; }
  const LoadedPlugin& plugin() const { return *plugin_; }

  // Runs on_status with {"projectId":"p_contract","key":<provider>,"baseUrl":<fake>,
  // "settings":settingsJson,"secrets":secretsJson}, under `deadlineMs` from now.
  StatusCall status(const std::string& settingsJson, const std::string& secretsJson, int deadlineMs = 2000) const;
  // Runs on_run(`actionId`) with the same context plus "params": paramsJson.
  ActionCall action(const std::string& actionId, const std::string& settingsJson, const std::string& secretsJson,
                    const std::string& paramsJson = "{}", int deadlineMs = 5000) const;
  // on_list_for with {"projectId","key","settings","secretNames"}.
  Result<std::vector<PluginAction>> actionsFor(const std::string& settingsJson,
                                               const std::string& secretNamesJson) const;

 private:
  std::string request(const std::string& settingsJson, const std::string& secretsJson) const;

  std::string provider_;
  std::unique_ptr<fakes::FakeServer> fake_;
  std::shared_ptr<LoadedPlugin> plugin_;
};

// Fields of a status document, empty when absent.
std::string field(const Poco::JSON::Object::Ptr& object, const std::string& path);  // "problem.code"

// The recorded requests `keep` accepts, in arrival order. Requests an adapter
// sends at once arrive in any order, so tests pick them out by what they ask.
std::vector<fakes::FakeRequest> requestsWhere(const std::vector<fakes::FakeRequest>& requests,
                                              const std::function<bool(const fakes::FakeRequest&)>& keep);
// The one recorded request whose path starts with `pathPrefix`; an empty
// request and a test failure when there is not exactly one.
fakes::FakeRequest requestTo(const std::vector<fakes::FakeRequest>& requests, const std::string& pathPrefix);

}  // namespace sb::test
