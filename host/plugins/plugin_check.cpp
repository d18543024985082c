#include "plugins/plugin_check.hpp"

#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <memory>
#include <sstream>
#include <utility>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <switchboard/json.hpp>
#include <switchboard/status_document.hpp>

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

// Requests shaped as docs/plugin-authoring.md specifies; without link values
// most hooks will answer with an error, which is fine: the check is that they
// answer cleanly. on_status gets requests built from each schema
// (statusRequestFor), run against the scripted provider, instead.
const WellFormedRequest kWellFormed[] = {
    {PluginHook::ConnectionTokenResponse,
     R"({"status":200,"body":"{\"access_token\":\"plugin-check\",\"token_type\":\"bearer\"}"})"},
    {PluginHook::ConnectionDiscover, R"({"serverUrl":"https://mcp.invalid/mcp"})"},
    {PluginHook::SyncListTree, R"({})"},
    {PluginHook::SyncRead, R"({"path":"README.md"})"},
    {PluginHook::SyncWrite, R"({"expectedHead":"plugin-check","message":"plugin check","changes":[]})"},
    {PluginHook::ActionsListFor, R"({"projectId":"plugin-check","key":"plugin-check","settings":{},"secretNames":[]})"},
    {PluginHook::SyncValidate, R"({"params":{}})"},
    {PluginHook::SyncListRepositories, R"({"params":{"limit":5}})"},
    {PluginHook::SyncListBranches, R"({"params":{}})"},
    {PluginHook::SyncListCommits, R"({"params":{"limit":5}})"},
};

const PluginHook kTakesJsonInput[] = {
    PluginHook::Status,       PluginHook::ConnectionTokenResponse, PluginHook::ConnectionDiscover,
    PluginHook::SyncListTree, PluginHook::SyncRead,                PluginHook::SyncWrite,
    PluginHook::ActionsListFor, PluginHook::SyncValidate,            PluginHook::SyncListRepositories,
    PluginHook::SyncListBranches, PluginHook::SyncListCommits,
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

// A value for `field` that its declaration accepts: the placeholder when it
// has one, else a recognisable stand-in. A destination url field points at the
// scripted provider, so a link-level API root (GitHub's apiBaseUrl) is checked
// like base_url.
std::string sampleValue(const SchemaField& field, const std::string& providerUrl) {
  using switchboard::json::quote;
  if (field.type == "integer") return "1";
  if (field.type == "boolean") return "false";
  if (field.type == "select") return quote(field.options.empty() ? std::string() : field.options.front());
  if (field.type == "url" && field.destination && !providerUrl.empty()) return quote(providerUrl);
  if (!field.placeholder.empty()) return quote(field.placeholder);
  if (field.type == "url") return quote("https://plugin-check.invalid/");
  return quote("plugin-check-" + field.key);
}

// The on_status request a link to `schema` would send, every declared field
// set (settings and secrets apart) unless `link` gives the objects; `complete`
// false leaves both empty. `baseUrl` is the scripted provider's.
std::string statusRequestFor(const IntegrationSchema& schema, bool complete, const std::string& baseUrl,
                             const CheckLinkValues& link = {}) {
  using switchboard::json::quote;
  std::string settings;
  std::string secrets;
  for (const SchemaField& field : schema.fields) {
    if (!complete) break;
    std::string& into = field.secret ? secrets : settings;
    into += (into.empty() ? "" : ",") + quote(field.key) + ":" + sampleValue(field, baseUrl);
  }
  settings = "{" + settings + "}";
  secrets = "{" + secrets + "}";
  if (complete && !link.settingsJson.empty()) settings = link.settingsJson;
  if (complete && !link.secretsJson.empty()) secrets = link.secretsJson;
  return "{\"projectId\":\"plugin-check\",\"key\":" + quote(schema.id) + ",\"baseUrl\":" + quote(baseUrl) +
         ",\"settings\":" + settings + ",\"secrets\":" + secrets + "}";
}

bool hasRequiredField(const IntegrationSchema& schema) {
  for (const SchemaField& field : schema.fields) {
    if (field.required) return true;
  }
  return false;
}

// What is wrong with a status document, by the validator the server runs.
std::string statusDocumentProblem(const std::string& output) {
  auto problem = switchboard::status_document::validate(output);
  return problem ? "returned an invalid status document: " + problem->describe() : std::string();
}

std::string describeOutcome(const HookOutcome& outcome) {
  std::string text = std::string("returned ") + sbStatusName(outcome.status);
  if (outcome.status != SB_OK && !outcome.output.empty()) {
    text += ": " + outcome.output.substr(0, 200);
  }
  return text;
}

// ---- the scripted provider's steps -----------------------------------------

// Status calls against the scripted provider get a shorter deadline than the
// other hooks, so the slow step (which answers only after it) stays quick.
constexpr int64_t kProviderCallBudgetMs = 2000;
constexpr int64_t kDeadlineGraceMs = 500;  // how late past the deadline a timeout may come back
constexpr std::size_t kCheckMaxResponseBytes = 1u << 20;

struct ProviderStep {
  ProviderReply reply;
  const char* label;     // "401"
  const char* expected;  // "error, revoked"
};

const ProviderStep kProviderSteps[] = {
    {ProviderReply::Ok, "200", "a valid document"},
    {ProviderReply::Unauthorized, "401", "error, revoked"},
    {ProviderReply::RateLimited, "429", "rate_limited with retryAfter from Retry-After"},
    {ProviderReply::ServerError, "500", "error or SB_ERR_UNAVAILABLE"},
    {ProviderReply::Malformed, "malformed JSON", "an error, not a crash"},
    {ProviderReply::Oversized, "oversized body", "an error, not a crash"},
    {ProviderReply::Slow, "slow reply", "a timeout error within the deadline"},
};

// What one status call came back with, as the report prints it
// ("error, revoked", "SB_ERR_TIMEOUT"), and what is wrong with it for `step`.
struct Mapping {
  std::string observed;
  std::string problem;
};

std::string describeDocument(const switchboard::status_document::Document& doc) {
  std::string text = doc.status;
  if (doc.revoked) text += ", revoked";
  if (doc.problemCode == "rate_limited") {
    text += ", rate_limited";
    if (doc.retryAfterSeconds >= 0) text += ", retryAfter " + std::to_string(doc.retryAfterSeconds);
  } else if (!doc.problemCode.empty()) {
    text += ", " + doc.problemCode;
  }
  return text;
}

// "/a, /b": which paths a --fixture has to answer.
std::string joinPaths(const std::vector<std::string>& paths) {
  std::string text;
  for (const std::string& path : paths) text += (text.empty() ? "" : ", ") + path;
  return text;
}

// Whether a valid document `doc` is what `step` expects; "" when it is.
std::string documentProblem(const ProviderStep& step, const switchboard::status_document::Document& doc,
                            int retryAfterSeconds) {
  switch (step.reply) {
    case ProviderReply::Ok:
      return {};
    case ProviderReply::Unauthorized:
      return doc.status == "error" && doc.revoked ? std::string() : std::string("expected error, revoked");
    case ProviderReply::RateLimited:
      if (doc.problemCode != "rate_limited") return "expected problem.code rate_limited";
      if (doc.retryAfterSeconds != retryAfterSeconds) {
        return "expected retryAfter " + std::to_string(retryAfterSeconds) + " from the Retry-After header";
      }
      return {};
    default:
      return doc.status == "error" ? std::string() : "expected " + std::string(step.expected);
  }
}

// Whether an error status (no document) is what `step` expects.
std::string refusalProblem(const ProviderStep& step, const HookOutcome& outcome) {
  switch (step.reply) {
    case ProviderReply::Ok:
      return "the well-formed request needs a valid document: " + describeOutcome(outcome);
    case ProviderReply::Unauthorized:
    case ProviderReply::RateLimited:
      return std::string("expected a document with ") + step.expected + ", not " + sbStatusName(outcome.status);
    case ProviderReply::ServerError:
      if (outcome.status != SB_ERR_UNAVAILABLE) return "expected error or SB_ERR_UNAVAILABLE";
      return errorProblem(outcome);
    case ProviderReply::Slow:
      if (outcome.status != SB_ERR_TIMEOUT && outcome.status != SB_ERR_UNAVAILABLE) {
        return std::string("expected a timeout, not ") + sbStatusName(outcome.status);
      }
      return errorProblem(outcome);
    default:
      return errorProblem(outcome);
  }
}

Mapping judgeMapping(const ProviderStep& step, const HookOutcome& outcome, int retryAfterSeconds) {
  if (std::string barrier = barrierProblem(outcome); !barrier.empty()) return {"a failure", barrier};
  if (outcome.status != SB_OK) return {sbStatusName(outcome.status), refusalProblem(step, outcome)};
  switchboard::status_document::Problem invalid;
  const auto doc = switchboard::status_document::parse(outcome.output, invalid);
  if (!doc) return {"an invalid document", "returned an invalid status document: " + invalid.describe()};
  return {describeDocument(*doc), documentProblem(step, *doc, retryAfterSeconds)};
}

// ---- the child-to-parent stream -------------------------------------------

std::string escapeField(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '\\') out += "\\\\";
    else if (c == '\n') out += "\\n";
    else if (c == '\t') out += "\\t";
    else out += c;
  }
  return out;
}

std::string unescapeField(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\\' && i + 1 < text.size()) {
      const char next = text[++i];
      out += next == 'n' ? '\n' : next == 't' ? '\t' : next;
    } else {
      out += text[i];
    }
  }
  return out;
}

void writeAll(int fd, const std::string& bytes) {
  std::size_t written = 0;
  while (written < bytes.size()) {
    const ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // the parent is gone; nothing left to tell
    written += static_cast<std::size_t>(n);
  }
}

struct CheckStream {
  std::vector<CheckItem> items;
  std::string running;  // the step announced last and not yet finished
  bool timedOut = false;
};

void applyLine(const std::string& line, CheckStream& stream) {
  std::vector<std::string> fields;
  std::size_t start = 0;
  for (;;) {
    const std::size_t tab = line.find('\t', start);
    fields.push_back(unescapeField(line.substr(start, tab - start)));
    if (tab == std::string::npos) break;
    start = tab + 1;
  }
  if (fields[0] == "R" && fields.size() >= 2) {
    stream.running = fields[1];
  } else if ((fields[0] == "P" || fields[0] == "F") && fields.size() >= 3) {
    stream.items.push_back({fields[1], fields[0] == "P", fields[2]});
    stream.running.clear();
  }
}

// Reads the child's stream until it closes, or until `limit` has passed.
CheckStream readCheckStream(int fd, std::chrono::milliseconds limit) {
  CheckStream stream;
  const auto deadline = std::chrono::steady_clock::now() + limit;
  std::string pending;
  char buffer[4096];
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      stream.timedOut = true;
      break;
    }
    pollfd readable{fd, POLLIN, 0};
    const int ready = ::poll(&readable, 1, static_cast<int>(left.count()));
    if (ready < 0 && errno == EINTR) continue;
    if (ready == 0) continue;  // the deadline check above ends the loop
    const ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    pending.append(buffer, static_cast<std::size_t>(n));
    for (std::size_t newline; (newline = pending.find('\n')) != std::string::npos;) {
      applyLine(pending.substr(0, newline), stream);
      pending.erase(0, newline + 1);
    }
  }
  return stream;
}

// Streams what the check is doing to the parent process (see checkPlugin):
// "R\t<step>" before each call into the plugin, "P|F\t<name>\t<detail>" for
// each result, so a crash can be pinned on the step that was running.
class Checker {
 public:
  explicit Checker(CheckReport& report, int streamFd = -1) : report_(report), streamFd_(streamFd) {}

  void add(std::string name, const std::string& problem, std::string note = {}) {
    report_.items.push_back({std::move(name), problem.empty(), problem.empty() ? std::move(note) : problem});
    const CheckItem& item = report_.items.back();
    stream(std::string(item.passed ? "P" : "F") + "\t" + escapeField(item.name) + "\t" +
           escapeField(item.detail));
  }

  // Announces the next call into the plugin.
  void running(const std::string& step) { stream("R\t" + escapeField(step)); }

  void wellFormed(const LoadedPlugin& plugin, PluginHook hook, const std::string& request,
                  const std::string& forWhat = {}) {
    running(std::string(hookName(hook)) + " with a well-formed request" + forWhat);
    const HookOutcome outcome = plugin.invoke(hook, request, checkCall());
    add(std::string(hookName(hook)) + " handles a well-formed request" + forWhat, wellFormedProblem(hook, outcome),
        describeOutcome(outcome));
  }

  // Every status call of the scripted provider's steps with the well-formed
  // `request`: one line per mapping, e.g. `401 → error, revoked ✓`.
  void providerMappings(const LoadedPlugin& plugin, ScriptedProvider& provider, const std::string& request,
                        const std::string& forWhat, bool fixtureGiven) {
    for (const ProviderStep& step : kProviderSteps) {
      const std::string label =
          std::string(step.label) + (step.reply == ProviderReply::Ok && !fixtureGiven ? " (no fixture)" : "");
      provider.answerWith(step.reply);
      running(std::string(hookName(PluginHook::Status)) + forWhat + " with the provider answering " + label);
      PluginCall call;
      call.deadlineMs = systemNowMs() + kProviderCallBudgetMs;
      const auto started = std::chrono::steady_clock::now();
      const HookOutcome outcome = plugin.invoke(PluginHook::Status, request, call);
      const auto tookMs = std::chrono::duration_cast<std::chrono::milliseconds>(
                              std::chrono::steady_clock::now() - started).count();
      Mapping mapping = judgeMapping(step, outcome, provider.timing().retryAfterSeconds);
      if (step.reply == ProviderReply::Ok && !fixtureGiven && outcome.status != SB_OK) {
        mapping.problem += "; the provider answered {}: give its 200 body with --fixture FILE";
      }
      if (mapping.problem.empty() && tookMs > kProviderCallBudgetMs + kDeadlineGraceMs) {
        mapping.problem = "came back after " + std::to_string(tookMs) + " ms, past the " +
                          std::to_string(kProviderCallBudgetMs) + " ms deadline";
      }
      const std::vector<std::string> requests = provider.requestsSinceAnswerWith();
      std::string note = std::to_string(requests.size()) + " request(s) reached the provider";
      if (step.reply == ProviderReply::Ok && !requests.empty()) note += " (" + joinPaths(requests) + ")";
      if (outcome.status != SB_OK && !outcome.output.empty()) note += "; " + outcome.output.substr(0, 200);
      add(std::string(hookName(PluginHook::Status)) + forWhat + ": " + label + " → " + mapping.observed +
              (mapping.problem.empty() ? " ✓" : " ✗"),
          mapping.problem.empty() ? std::string() : mapping.problem + " (" + note + ")", note);
    }
    provider.answerWith(ProviderReply::Ok);
  }

  // A request without the schema's required fields: refusing it is the
  // expected answer (and labelled so); a document, if the plugin answers
  // anyway, must still be valid.
  void incomplete(const LoadedPlugin& plugin, const IntegrationSchema& schema, const std::string& baseUrl) {
    const std::string label = " with an incomplete request for \"" + schema.id + "\" (no settings or secrets)";
    running(std::string(hookName(PluginHook::Status)) + label);
    const HookOutcome outcome = plugin.invoke(PluginHook::Status, statusRequestFor(schema, false, baseUrl), checkCall());
    std::string problem = barrierProblem(outcome);
    if (problem.empty()) problem = outcome.status == SB_OK ? statusDocumentProblem(outcome.output) : errorProblem(outcome);
    const std::string note = outcome.status == SB_OK ? "answered with a valid document"
                                                     : "refused, as expected: " + describeOutcome(outcome).substr(9);
    add(std::string(hookName(PluginHook::Status)) + label, problem, note);
  }

  void malformed(const LoadedPlugin& plugin, PluginHook hook, const std::string& input,
                 const std::string& label, const std::string& actionId = {}) {
    running(std::string(hookName(hook)) + " with " + label);
    const HookOutcome outcome = plugin.invoke(hook, input, checkCall(), actionId);
    std::string problem = barrierProblem(outcome);
    if (problem.empty() && outcome.status == SB_OK) problem = "accepted it with SB_OK";
    if (problem.empty()) problem = errorProblem(outcome);
    add(std::string(hookName(hook)) + " rejects " + label, problem, describeOutcome(outcome));
  }

  // Declarations (on_describe, on_list) take no input: they must succeed
  // with the JSON shape the ABI promises.
  void declaration(const LoadedPlugin& plugin, PluginHook hook, bool wantArray) {
    running(std::string(hookName(hook)) + " (declaration)");
    const HookOutcome outcome = plugin.invoke(hook, {}, checkCall());
    std::string problem = barrierProblem(outcome);
    if (problem.empty() && outcome.status != SB_OK) problem = describeOutcome(outcome);
    if (problem.empty()) problem = shapeProblem(outcome.output, wantArray);
    add(std::string(hookName(hook)) + " returns its declaration", problem,
        wantArray ? "a JSON array" : "a JSON object");
  }

  std::string firstActionId(const LoadedPlugin& plugin) {
    running(std::string(hookName(PluginHook::ActionsList)) + " (to pick an action)");
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
    if (!problem.empty()) return "returned malformed JSON: " + problem;
    return hook == PluginHook::Status ? statusDocumentProblem(outcome.output) : std::string();
  }

  void stream(const std::string& line) {
    if (streamFd_ < 0) return;
    writeAll(streamFd_, line + "\n");
  }

  CheckReport& report_;
  int streamFd_;
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
  checker.running("on_init with malformed settings");
  const InitOutcome outcome = callOnInit(descriptor, services.api(), kMalformedSettings);
  std::string problem;
  if (outcome.threw) {
    problem = "threw an exception: " + outcome.exceptionText;
  } else if (outcome.status == SB_OK) {
    problem = "accepted them with SB_OK";
    checker.running("on_destroy");
    callOnDestroy(descriptor, outcome.instance);
  } else if (outcome.error.empty()) {
    problem = std::string("returned ") + sbStatusName(outcome.status) + " without writing a reason";
  }
  checker.add("on_init rejects malformed settings \"{not json\"", problem,
              describeInitFailure(outcome));
}

void checkHooks(const LoadedPlugin& plugin, Checker& checker, const CheckLinkValues& link,
                ScriptedProvider& provider, bool fixtureGiven) {
  if (plugin.provides(PluginHook::Status)) {
    const auto& schemas = plugin.info().schemas;
    if (schemas.empty()) {
      const std::string request = "{\"projectId\":\"plugin-check\",\"baseUrl\":" +
                                  switchboard::json::quote(provider.baseUrl()) + ",\"settings\":{},\"secrets\":{}}";
      checker.providerMappings(plugin, provider, request, {}, fixtureGiven);
    }
    for (const IntegrationSchema& schema : schemas) {
      checker.providerMappings(plugin, provider, statusRequestFor(schema, true, provider.baseUrl(), link),
                               " for \"" + schema.id + "\"", fixtureGiven);
      if (hasRequiredField(schema)) checker.incomplete(plugin, schema, provider.baseUrl());
    }
  }
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

namespace {

// The whole check, in the calling process, streaming progress to `streamFd`.
void runChecks(CheckReport& report, const std::string& path, const std::string& settingsJson,
               const CheckLinkValues& link, const ProviderFixture& fixture, int streamFd) {
  Checker checker(report, streamFd);
  checker.running("loading the library and calling its entry function");
  Result<OpenedPlugin> opened = openPlugin(path);
  if (!opened) {
    checker.add("load and validate the ABI", opened.status().message());
    return;
  }
  checker.add("load and validate the ABI", {}, describeLoaded(opened->descriptor));
  checkMalformedSettings(opened->descriptor, checker);

  std::unique_ptr<ScriptedProvider> provider;
  try {
    ProviderTiming timing;
    timing.slowReply = std::chrono::milliseconds(kProviderCallBudgetMs + 1500);
    timing.oversizedBytes = kCheckMaxResponseBytes + 1;
    provider = std::make_unique<ScriptedProvider>(fixture, timing);
  } catch (const std::exception& e) {
    checker.add("start the scripted provider on 127.0.0.1", e.what());
    return;
  }
  HostServiceSettings settings;
  settings.baseUrl = provider->baseUrl();
  settings.maxResponseBytes = kCheckMaxResponseBytes;
  settings.egress = EgressPolicy(EgressConfig{true, {"127.0.0.1"}});  // the scripted provider, nothing else
  checker.running("on_init with settings " + settingsJson);
  auto plugin = LoadedPlugin::initialise(std::move(opened).value(), std::move(settings), settingsJson);
  checker.add("on_init with settings " + settingsJson, plugin ? std::string() : plugin.status().message());
  if (!plugin) return;
  checkHooks(**plugin, checker, link, *provider, fixture.given);
  checker.running("on_destroy");
  plugin.value().reset();
}

}  // namespace

CheckReport checkPlugin(const std::string& path, const std::string& settingsJson,
                        std::chrono::milliseconds timeLimit, CheckLinkValues link, ProviderFixture fixture) {
  CheckReport report;
  report.path = path;
  int fds[2];
  if (::pipe(fds) != 0) {
    report.items.push_back({"start the check", false, std::string("pipe: ") + std::strerror(errno)});
    return report;
  }
  std::fflush(nullptr);  // the child must not repeat buffered output
  const pid_t child = ::fork();
  if (child < 0) {
    ::close(fds[0]);
    ::close(fds[1]);
    report.items.push_back({"start the check", false, std::string("fork: ") + std::strerror(errno)});
    return report;
  }
  if (child == 0) {
    ::close(fds[0]);
    CheckReport childReport;
    runChecks(childReport, path, settingsJson, link, fixture, fds[1]);
    ::close(fds[1]);
    ::_exit(0);  // skip the parent's atexit handlers and buffered output
  }
  ::close(fds[1]);
  CheckStream stream = readCheckStream(fds[0], timeLimit);
  ::close(fds[0]);
  if (stream.timedOut) ::kill(child, SIGKILL);
  int waitStatus = 0;
  while (::waitpid(child, &waitStatus, 0) < 0 && errno == EINTR) {
  }
  report.items = std::move(stream.items);
  const std::string step = stream.running.empty() ? "the check" : stream.running;
  if (stream.timedOut) {
    report.items.push_back({step, false, "did not return within " +
                                             std::to_string(timeLimit.count() / 1000) + " s"});
  } else if (WIFSIGNALED(waitStatus)) {
    const int signal = WTERMSIG(waitStatus);
    report.items.push_back({step, false, "crashed the process (signal " + std::to_string(signal) +
                                             ": " + ::strsignal(signal) + ")"});
  } else if (!WIFEXITED(waitStatus) || WEXITSTATUS(waitStatus) != 0) {
    report.items.push_back({step, false, "ended the process with exit status " +
                                             std::to_string(WEXITSTATUS(waitStatus))});
  }
  return report;
}

}  // namespace sb
