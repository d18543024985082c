#include "plugins/plugin_check.hpp"

#include <sstream>
#include <utility>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include "plugins/host_objects.hpp"
#include "plugins/loaded_plugin.hpp"
#include "plugins/plugin_loader.hpp"

namespace sb {
namespace {

constexpr int64_t kCheckCallBudgetMs = 5000;
const char* const kMalformedSettings = "{not json";
const char* const kUnknownActionId = "plugin-check-unknown-action";

struct WellFormedRequest {
  PluginHook hook;
  const char* request;
};

// Requests shaped as docs/plugin-authoring.md specifies; with the network
// disabled most hooks will answer with an error, which is fine: the check is
// that they answer cleanly.
const WellFormedRequest kWellFormed[] = {
    {PluginHook::Status, R"({"projectId":"plugin-check","settings":{},"secrets":{}})"},
    {PluginHook::ConnectionTokenResponse,
     R"({"status":200,"body":"{\"access_token\":\"plugin-check\",\"token_type\":\"bearer\"}"})"},
    {PluginHook::ConnectionDiscover, R"({"serverUrl":"https://mcp.invalid/mcp"})"},
    {PluginHook::SyncListTree, R"({})"},
    {PluginHook::SyncRead, R"({"path":"README.md"})"},
    {PluginHook::SyncWrite, R"({"expectedHead":"plugin-check","message":"plugin check","changes":[]})"},
};

const PluginHook kTakesJsonInput[] = {
    PluginHook::Status,       PluginHook::ConnectionTokenResponse, PluginHook::ConnectionDiscover,
    PluginHook::SyncListTree, PluginHook::SyncRead,                PluginHook::SyncWrite,
};

PluginCall checkCall() {
  PluginCall call;
  call.deadlineMs = systemNowMs() + kCheckCallBudgetMs;
  return call;
}

bool knownStatus(sb_status status) { return sbStatusName(status) != std::string("unknown status"); }

// Problems common to every outcome: exceptions, runaway output, bogus codes.
std::string barrierProblem(const HookOutcome& outcome) {
  if (outcome.threw) return "threw an exception: " + outcome.exceptionText;
  if (outcome.outputOverflowed) return "wrote more output than the host accepts";
  if (!knownStatus(outcome.status)) return "returned unknown status " + std::to_string(outcome.status);
  return {};
}

std::string errorProblem(const HookOutcome& outcome) {
  if (outcome.output.empty()) {
    return std::string("returned ") + sbStatusName(outcome.status) + " without writing a reason";
  }
  return {};
}

std::string describeOutcome(const HookOutcome& outcome) {
  std::string text = std::string("returned ") + sbStatusName(outcome.status);
  if (outcome.status != SB_OK && !outcome.output.empty()) {
    text += ": " + outcome.output.substr(0, 200);
  }
  return text;
}

class Checker {
 public:
  explicit Checker(CheckReport& report) : report_(report) {}

  void add(std::string name, const std::string& problem, std::string note = {}) {
    report_.items.push_back({std::move(name), problem.empty(), problem.empty() ? std::move(note) : problem});
  }

  void wellFormed(const LoadedPlugin& plugin, PluginHook hook, const std::string& request) {
    const HookOutcome outcome = plugin.invoke(hook, request, checkCall());
    add(std::string(hookName(hook)) + " handles a well-formed request", wellFormedProblem(hook, outcome),
        describeOutcome(outcome));
  }

  void malformed(const LoadedPlugin& plugin, PluginHook hook, const std::string& input,
                 const std::string& label, const std::string& actionId = {}) {
    const HookOutcome outcome = plugin.invoke(hook, input, checkCall(), actionId);
    std::string problem = barrierProblem(outcome);
    if (problem.empty() && outcome.status == SB_OK) problem = "accepted it with SB_OK";
    if (problem.empty()) problem = errorProblem(outcome);
    add(std::string(hookName(hook)) + " rejects " + label, problem, describeOutcome(outcome));
  }

  // Declarations (on_describe, on_list) take no input: they must succeed
  // with the JSON shape the ABI promises.
  void declaration(const LoadedPlugin& plugin, PluginHook hook, bool wantArray) {
    const HookOutcome outcome = plugin.invoke(hook, {}, checkCall());
    std::string problem = barrierProblem(outcome);
    if (problem.empty() && outcome.status != SB_OK) problem = describeOutcome(outcome);
    if (problem.empty()) problem = shapeProblem(outcome.output, wantArray);
    add(std::string(hookName(hook)) + " returns its declaration", problem,
        wantArray ? "a JSON array" : "a JSON object");
  }

  std::string firstActionId(const LoadedPlugin& plugin) {
    const HookOutcome outcome = plugin.invoke(PluginHook::ActionsList, {}, checkCall());
    if (outcome.threw || outcome.status != SB_OK) return {};
    try {
      Poco::JSON::Parser parser;
      auto list = parser.parse(outcome.output).extract<Poco::JSON::Array::Ptr>();
      if (list->size() == 0) return {};
      auto first = list->getObject(0);
      return first ? first->optValue<std::string>("id", "") : std::string();
    } catch (...) {
      return {};
    }
  }

 private:
  static std::string shapeProblem(const std::string& output, bool wantArray) {
    const std::string problem = jsonProblem(output);
    if (!problem.empty()) return "returned malformed JSON: " + problem;
    try {
      Poco::JSON::Parser parser;
      Poco::Dynamic::Var value = parser.parse(output);
      const bool isArray = value.type() == typeid(Poco::JSON::Array::Ptr);
      const bool isObject = value.type() == typeid(Poco::JSON::Object::Ptr);
      if (wantArray && !isArray) return "returned JSON that is not an array";
      if (!wantArray && !isObject) return "returned JSON that is not an object";
    } catch (...) {
      return "returned malformed JSON";
    }
    return {};
  }

  static std::string wellFormedProblem(PluginHook hook, const HookOutcome& outcome) {
    std::string problem = barrierProblem(outcome);
    if (!problem.empty()) return problem;
    if (outcome.status != SB_OK) return errorProblem(outcome);
    if (!hookReturnsJson(hook)) return {};
    problem = jsonProblem(outcome.output);
    return problem.empty() ? std::string() : "returned malformed JSON: " + problem;
  }

  CheckReport& report_;
};

std::string describeLoaded(const ValidatedDescriptor& d) {
  std::string text = "id \"" + d.id + "\" version " + d.version + ", ABI " + d.abiVersion + ", " +
                     std::to_string(d.schemas.size()) + " schema(s), capabilities: ";
  if (d.capabilities.empty()) return text + "none";
  for (std::size_t i = 0; i < d.capabilities.size(); ++i) {
    text += (i ? ", " : "") + d.capabilities[i];
  }
  return text;
}

void checkMalformedSettings(const ValidatedDescriptor& descriptor, Checker& checker) {
  HostServiceSettings settings;
  settings.pluginId = descriptor.id;
  settings.networkDisabled = true;
  PluginHostServices services(std::move(settings));
  const InitOutcome outcome = callOnInit(descriptor, services.api(), kMalformedSettings);
  std::string problem;
  if (outcome.threw) {
    problem = "threw an exception: " + outcome.exceptionText;
  } else if (outcome.status == SB_OK) {
    problem = "accepted them with SB_OK";
    callOnDestroy(descriptor, outcome.instance);
  } else if (outcome.error.empty()) {
    problem = std::string("returned ") + sbStatusName(outcome.status) + " without writing a reason";
  }
  checker.add("on_init rejects malformed settings \"{not json\"", problem,
              describeInitFailure(outcome));
}

void checkHooks(const LoadedPlugin& plugin, Checker& checker) {
  for (const WellFormedRequest& request : kWellFormed) {
    if (plugin.provides(request.hook)) checker.wellFormed(plugin, request.hook, request.request);
  }
  for (PluginHook hook : kTakesJsonInput) {
    if (!plugin.provides(hook)) continue;
    checker.malformed(plugin, hook, "not json", "\"not json\"");
    checker.malformed(plugin, hook, "", "an empty request");
  }
  if (plugin.provides(PluginHook::ConnectionDescribe)) {
    checker.declaration(plugin, PluginHook::ConnectionDescribe, false);
  }
  if (plugin.provides(PluginHook::ActionsList)) {
    checker.declaration(plugin, PluginHook::ActionsList, true);
    const std::string actionId = checker.firstActionId(plugin);
    if (!actionId.empty()) {
      checker.malformed(plugin, PluginHook::ActionsRun, "not json",
                        "\"not json\" for action \"" + actionId + "\"", actionId);
    }
    checker.malformed(plugin, PluginHook::ActionsRun, "{}",
                      std::string("an unknown action id \"") + kUnknownActionId + "\"",
                      kUnknownActionId);
  }
}

}  // namespace

bool CheckReport::passed() const {
  if (items.empty()) return false;
  for (const CheckItem& item : items) {
    if (!item.passed) return false;
  }
  return true;
}

std::string CheckReport::render() const {
  std::ostringstream out;
  out << "plugin check: " << path << "\n";
  std::size_t failed = 0;
  for (const CheckItem& item : items) {
    if (!item.passed) ++failed;
    out << "  " << (item.passed ? "PASS" : "FAIL") << "  " << item.name;
    if (!item.detail.empty()) out << ": " << item.detail;
    out << "\n";
  }
  out << "result: " << (passed() ? "PASS" : "FAIL") << " (" << items.size() - failed
      << " passed, " << failed << " failed)\n";
  return out.str();
}

CheckReport checkPlugin(const std::string& path, const std::string& settingsJson) {
  CheckReport report;
  report.path = path;
  Checker checker(report);
  Result<OpenedPlugin> opened = openPlugin(path);
  if (!opened) {
    checker.add("load and validate the ABI", opened.status().message());
    return report;
  }
  checker.add("load and validate the ABI", {}, describeLoaded(opened->descriptor));
  checkMalformedSettings(opened->descriptor, checker);

  HostServiceSettings settings;
  settings.networkDisabled = true;
  auto plugin = LoadedPlugin::initialise(std::move(opened).value(), std::move(settings), settingsJson);
  checker.add("on_init with settings " + settingsJson, plugin ? std::string() : plugin.status().message());
  if (!plugin) return report;
  checkHooks(**plugin, checker);
  return report;
}

}  // namespace sb
