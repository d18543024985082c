// See contract_support.hpp.
#include "contract_support.hpp"

#include <sstream>

#include <Poco/JSON/Parser.h>
#include <Poco/String.h>

#include "plugins/host_services.hpp"
#include "plugins/plugin_loader.hpp"

namespace sb::test {

HostServiceSettings fakeProviderServices(const std::string& provider, const fakes::FakeServer& fake) {
  HostServiceSettings services;
  services.pluginId = provider;
  services.baseUrl = fake.baseUrl();
  EgressConfig egress;
  egress.allowHttp = true;
  egress.allow = {"127.0.0.1"};
  services.egress = EgressPolicy(egress);
  return services;
}

Contract::Contract(const std::string& provider, std::size_t maxResponseBytes, int timeoutMs,
                   const std::string& pluginSettingsJson)
    : provider_(provider), fake_(std::make_unique<fakes::FakeServer>(fakes::makeFake(provider))) {
  fake_->start();
  Result<OpenedPlugin> opened = openPlugin(std::string(SWITCHBOARD_BUNDLED_PLUGIN_DIR) + "/" + provider + ".so");
  if (!opened) throw std::runtime_error("cannot open " + provider + ".so: " + opened.status().message());
  HostServiceSettings services = fakeProviderServices(provider, *fake_);
  services.timeoutMs = timeoutMs;
  services.maxResponseBytes = maxResponseBytes;
  auto loaded = LoadedPlugin::initialise(std::move(opened).value(), services, pluginSettingsJson);
  if (!loaded) throw std::runtime_error("cannot initialise " + provider + ": " + loaded.status().message());
  plugin_ = std::move(loaded).value();
}

Contract::~Contract() {
  fake_->stop();
  plugin_.reset();
}

std::string Contract::request(const std::string& settingsJson, const std::string& secretsJson) const {
  return "{\"projectId\":\"p_contract\",\"key\":\"" + provider_ + "\",\"baseUrl\":\"" + fake_->baseUrl() +
         "\",\"settings\":" + settingsJson + ",\"secrets\":" + secretsJson;
}

bool ActionCall::hasStep(const std::string& id, StepState state) const {
  for (const PluginStep& step : steps) {
    if (step.step == id && step.state == state) return true;
  }
  return false;
}

ActionCall Contract::action(const std::string& actionId, const std::string& settingsJson,
                            const std::string& secretsJson, const std::string& paramsJson, int deadlineMs) const {
  ActionCall result;
  PluginCall call;
  call.deadlineMs = systemNowMs() + deadlineMs;
  call.step = [&result](const PluginStep& step) { result.steps.push_back(step); };
  Result<ActionRunOutcome> run =
      plugin_->actionsRun(actionId, request(settingsJson, secretsJson) + ",\"params\":" + paramsJson + "}", call);
  if (!run) {
    result.hostError = run.status();
    return result;
  }
  result.outcome = *run;
  if (run->ok()) {
    Poco::JSON::Parser parser;
    result.result = parser.parse(run->resultJson).extract<Poco::JSON::Object::Ptr>();
  }
  return result;
}

Result<std::vector<PluginAction>> Contract::actionsFor(const std::string& settingsJson,
                                                       const std::string& secretNamesJson) const {
  const std::string context = "{\"projectId\":\"p_contract\",\"key\":\"" + provider_ +
                              "\",\"settings\":" + settingsJson + ",\"secretNames\":" + secretNamesJson + "}";
  return plugin_->actionsListFor(context);
}

StatusCall Contract::status(const std::string& settingsJson, const std::string& secretsJson, int deadlineMs) const {
  PluginCall call;
  call.deadlineMs = systemNowMs() + deadlineMs;
  HookOutcome outcome = plugin_->invoke(PluginHook::Status, request(settingsJson, secretsJson) + "}", call);
  StatusCall result;
  result.status = outcome.status;
  result.output = outcome.output;
  if (outcome.status == SB_OK) {
    try {
      Poco::JSON::Parser parser;
      result.document = parser.parse(outcome.output).extract<Poco::JSON::Object::Ptr>();
    } catch (const std::exception&) {
      result.document = nullptr;
    }
  }
  return result;
}

std::string field(const Poco::JSON::Object::Ptr& object, const std::string& path) {
  Poco::JSON::Object::Ptr current = object;
  std::string rest = path;
  while (!current.isNull()) {
    const auto dot = rest.find('.');
    const std::string name = rest.substr(0, dot);
    if (!current->has(name)) return {};
    if (dot == std::string::npos) return current->get(name).toString();
    current = current->getObject(name);
    rest = rest.substr(dot + 1);
  }
  return {};
}

std::vector<fakes::FakeRequest> requestsWhere(const std::vector<fakes::FakeRequest>& requests,
                                              const std::function<bool(const fakes::FakeRequest&)>& keep) {
  std::vector<fakes::FakeRequest> kept;
  for (const auto& request : requests) {
    if (keep(request)) kept.push_back(request);
  }
  return kept;
}

fakes::FakeRequest requestTo(const std::vector<fakes::FakeRequest>& requests, const std::string& pathPrefix) {
  auto matching = requestsWhere(
      requests, [&](const fakes::FakeRequest& request) { return request.path.rfind(pathPrefix, 0) == 0; });
  if (matching.size() != 1) {
    ADD_FAILURE() << matching.size() << " requests to " << pathPrefix << "*, expected one";
    return {};
  }
  return matching.front();
}

}  // namespace sb::test
