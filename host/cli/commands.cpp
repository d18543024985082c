#include "cli/commands.hpp"

#include <sys/stat.h>

#include <csignal>
#include <fstream>
#include <iostream>
#include <iterator>
#include <optional>
#include <utility>

#include <Poco/Path.h>

#include <switchboard/json.hpp>

#include "app/application.hpp"
#include "auth/tokens.hpp"
#include "cli/arguments.hpp"
#include "config/config.hpp"
#include "plugins/plugin_check.hpp"
#include "store/store.hpp"

namespace sb::cli {
namespace {

const FlagSpec kConfigFlag{"config", true,
                           "YAML config file (default: $SWITCHBOARD_CONFIG or config/switchboard.yaml)"};

int fail(const std::string& message) {
  std::cerr << "switchboard: " << message << "\n";
  return 1;
}

// Parses flags and handles --help. Returns false when the command should exit
// now, with the exit code in `code`.
bool parseOrExit(const Invocation& in, const std::vector<FlagSpec>& specs, const std::string& usage,
                 Arguments& out, int& code, bool allowPositional = false) {
  auto parsed = Arguments::parse(in.args, specs);
  if (!parsed) {
    code = fail(parsed.status().message() + "\n" + usage + "\n" + renderFlags(specs));
    return false;
  }
  if (parsed->helpRequested()) {
    std::cout << usage << "\n\n" << renderFlags(specs);
    code = 0;
    return false;
  }
  if (!parsed->positional().empty() && !allowPositional) {
    code = fail("unexpected argument '" + parsed->positional().front() + "'\n" + usage);
    return false;
  }
  out = std::move(parsed).value();
  return true;
}

Result<Config> readConfig(const Arguments& args) {
  std::string path = "config/switchboard.yaml";
  if (auto flag = args.value("config")) {
    path = *flag;
  } else if (auto env = processEnv()("SWITCHBOARD_CONFIG")) {
    path = *env;
  }
  return loadConfig(path);
}

// Opens and migrates the store named by the config: CLI commands work on a
// fresh database just as `serve` does.
Result<std::unique_ptr<Store>> openStore(const Arguments& args) {
  auto config = readConfig(args);
  if (!config) return config.status();
  auto store = Store::open(config->database);
  if (!store) return store.status();
  if (auto applied = (*store)->migrate(); !applied) return applied.status();
  return store;
}

std::string executableDir(const Invocation& in) {
  Poco::Path exe(in.executablePath);
  exe.makeAbsolute();
  return exe.parent().toString();
}

}  // namespace

int runServe(const Invocation& in) {
  const std::vector<FlagSpec> specs{kConfigFlag};
  Arguments args;
  int code = 0;
  if (!parseOrExit(in, specs, "usage: switchboard serve [--config FILE]", args, code)) return code;
  auto config = readConfig(args);
  if (!config) return fail(config.status().message());
  // Everything the server writes (database, -wal/-shm, logs and the logs
  // rotation starts later) holds secrets or who did what: private to its
  // user whatever umask it was started with. The files are also set to
  // 0600 where they are opened, for the ones that already exist.
  ::umask(S_IRWXG | S_IRWXO);
  if (Status logging = configureLogging(config->logging); !logging) return fail(logging.message());

  // Block the termination signals before any thread starts so every thread
  // inherits the mask and only sigwait below receives them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  Application app(config.value(), executableDir(in));
  auto started = app.start();
  if (!started) return fail(started.status().message());
  const StartupReport& report = started.value();
  const std::string url = "http://" + config->server.host + ":" + std::to_string(report.port);
  std::cout << "Plugins: " << report.pluginsLoaded << " loaded, " << report.pluginsFailed
            << " failed (details: GET " << url << "/api/v1/plugins)\n";
  if (!report.bootstrapToken.empty()) {
    std::cout << "Admin token for user '" << report.bootstrapUser
              << "' (shown once, store it now): " << report.bootstrapToken << "\n";
    std::cout << "Try: curl -H 'Authorization: Bearer " << report.bootstrapToken << "' " << url
              << "/api/v1/integrations/schemas\n";
  }
  // Printed last: scripts and tests wait for this line to know the server is up.
  std::cout << "Switchboard listening on " << url << "\n";
  std::cout.flush();

  int received = 0;
  sigwait(&signals, &received);
  std::cout << "Switchboard stopping (signal " << received << ")" << std::endl;
  app.stop();
  return 0;
}

int runMigrate(const Invocation& in) {
  const std::vector<FlagSpec> specs{kConfigFlag};
  Arguments args;
  int code = 0;
  if (!parseOrExit(in, specs, "usage: switchboard migrate [--config FILE]", args, code)) return code;
  auto config = readConfig(args);
  if (!config) return fail(config.status().message());
  auto store = Store::open(config->database);
  if (!store) return fail(store.status().message());
  auto applied = (*store)->migrate();
  if (!applied) return fail(applied.status().message());
  auto all = (*store)->migrations();
  if (!all) return fail(all.status().message());
  std::cout << "Applied " << applied.value() << " migration(s); schema at version "
            << (all->empty() ? 0 : all->back().version) << " (" << (*store)->backend() << ")\n";
  return 0;
}

int runTokenCreate(const Invocation& in) {
  const std::vector<FlagSpec> specs{
      kConfigFlag,
      {"user", true, "user name (created if missing)"},
      {"admin", false, "make the user a global administrator"},
      {"label", true, "a note to recognise the token by"}};
  Arguments args;
  int code = 0;
  if (!parseOrExit(in, specs, "usage: switchboard token create --user NAME [--admin] [--label TEXT]",
                   args, code)) {
    return code;
  }
  auto userName = args.required("user");
  if (!userName) return fail(userName.status().message());
  auto store = openStore(args);
  if (!store) return fail(store.status().message());
  auto user = (*store)->users().ensureUser(userName.value(), args.has("admin"));
  if (!user) return fail(user.status().message());
  std::string token = generateApiToken();
  auto created = (*store)->users().createToken(user->id, sha256Hex(token), args.value("label").value_or("cli"));
  if (!created) return fail(created.status().message());
  std::cout << token << "\n";
  std::cerr << "Token for '" << user->name << "'" << (user->isAdmin ? " (admin)" : "")
            << " created; it is shown once and stored only as a hash.\n";
  return 0;
}

int runProjectCreate(const Invocation& in) {
  const std::vector<FlagSpec> specs{kConfigFlag,
                                    {"name", true, "project display name"},
                                    {"owner", true, "user who becomes the owner"}};
  Arguments args;
  int code = 0;
  if (!parseOrExit(in, specs, "usage: switchboard project create --name NAME --owner USER", args,
                   code)) {
    return code;
  }
  auto name = args.required("name");
  if (!name) return fail(name.status().message());
  auto owner = args.required("owner");
  if (!owner) return fail(owner.status().message());
  auto store = openStore(args);
  if (!store) return fail(store.status().message());
  auto project = (*store)->projects().createProject(name.value(), owner.value());
  if (!project) return fail(project.status().message());
  std::cout << project->id << "\n";
  return 0;
}

int runMemberAdd(const Invocation& in) {
  const std::vector<FlagSpec> specs{kConfigFlag,
                                    {"project", true, "project id"},
                                    {"user", true, "user name"},
                                    {"role", true, "owner | admin | editor | viewer"}};
  Arguments args;
  int code = 0;
  if (!parseOrExit(in, specs,
                   "usage: switchboard member add --project ID --user NAME --role ROLE", args,
                   code)) {
    return code;
  }
  auto projectId = args.required("project");
  if (!projectId) return fail(projectId.status().message());
  auto user = args.required("user");
  if (!user) return fail(user.status().message());
  auto roleText = args.required("role");
  if (!roleText) return fail(roleText.status().message());
  auto role = parseRole(roleText.value());
  if (!role) return fail("--role must be one of owner, admin, editor, viewer (got '" + roleText.value() + "')");
  auto store = openStore(args);
  if (!store) return fail(store.status().message());
  auto member = (*store)->projects().putMember(projectId.value(), user.value(), *role);
  if (!member) return fail(member.status().message());
  std::cout << member->userName << " is " << toString(member->role) << " of " << member->projectId
            << "\n";
  return 0;
}

namespace {

// The whole of `path`, or nullopt when it cannot be read.
std::optional<std::string> readWholeFile(const std::string& path) {
  std::ifstream stream(path, std::ios::binary);
  if (!stream) return std::nullopt;
  return std::string(std::istreambuf_iterator<char>(stream), std::istreambuf_iterator<char>());
}

}  // namespace

int runPluginCheck(const Invocation& in) {
  const std::vector<FlagSpec> specs{
      {"settings", true, "JSON object file: the link settings of the well-formed on_status request"},
      {"secrets", true, "JSON object file: the link secrets of the well-formed on_status request"},
      {"fixture", true, "JSON file: the scripted provider's 200 body, or {\"byPath\": {path: body}}"}};
  const char* const usage =
      "usage: switchboard plugin check PATH.so [--settings FILE] [--secrets FILE] [--fixture FILE]";
  Arguments args;
  int code = 0;
  if (!parseOrExit(in, specs, usage, args, code, true)) {
    return code;
  }
  if (args.positional().size() != 1) return fail(usage);
  CheckLinkValues link;
  for (auto [flag, into] : {std::pair<const char*, std::string*>{"settings", &link.settingsJson},
                            std::pair<const char*, std::string*>{"secrets", &link.secretsJson}}) {
    const auto file = args.value(flag);
    if (!file) continue;
    const auto text = readWholeFile(*file);
    if (!text) return fail(std::string("--") + flag + " " + *file + ": cannot read the file");
    *into = *text;
    if (auto problem = switchboard::json::validateObject(*into)) {
      return fail(std::string("--") + flag + " " + *file + ": " + problem->describe());
    }
  }
  ProviderFixture fixture;
  if (const auto file = args.value("fixture")) {
    const auto text = readWholeFile(*file);
    if (!text) return fail("--fixture " + *file + ": cannot read the file");
    auto parsed = parseProviderFixture(*text, *file);
    if (!parsed) return fail("--fixture " + parsed.status().message());
    fixture = std::move(parsed).value();
  }
  CheckReport report = checkPlugin(args.positional().front(), "{}", std::chrono::seconds(60), link, fixture);
  std::cout << report.render();
  return report.passed() ? 0 : 1;
}

}  // namespace sb::cli
