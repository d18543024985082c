// Entry point of the `switchboard` executable: dispatches to operator commands.
#include <iostream>
#include <string>
#include <vector>

#include "cli/commands.hpp"

namespace {

const char* kUsage =
    "Switchboard: a plugin host serving one HTTP API for integration status,\n"
    "connections, sync and the integration catalog.\n\n"
    "usage: switchboard <command> [options]\n\n"
    "commands:\n"
    "  serve [--config FILE]                       run the HTTP server\n"
    "  migrate [--config FILE]                     apply pending database migrations\n"
    "  token create --user NAME [--admin]          create an API token (printed once)\n"
    "  project create --name NAME --owner USER     create a project\n"
    "  member add --project ID --user NAME --role R  add or change a project member\n"
    "  plugin check PATH.so [--settings FILE] [--secrets FILE]\n"
    "                                              validate a plugin and run conformance checks\n\n"
    "Run 'switchboard <command> --help' for a command's options.\n";

struct Command {
  std::vector<std::string> words;
  int (*run)(const sb::cli::Invocation&);
};

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    std::cout << kUsage;
    return args.empty() ? 2 : 0;
  }
  const Command commands[] = {
      {{"serve"}, sb::cli::runServe},
      {{"migrate"}, sb::cli::runMigrate},
      {{"token", "create"}, sb::cli::runTokenCreate},
      {{"project", "create"}, sb::cli::runProjectCreate},
      {{"member", "add"}, sb::cli::runMemberAdd},
      {{"plugin", "check"}, sb::cli::runPluginCheck},
  };
  for (const auto& command : commands) {
    if (args.size() < command.words.size()) continue;
    if (!std::equal(command.words.begin(), command.words.end(), args.begin())) continue;
    sb::cli::Invocation in{argv[0], {args.begin() + static_cast<long>(command.words.size()), args.end()}};
    return command.run(in);
  }
  std::cerr << "switchboard: unknown command '" << args[0]
            << (args.size() > 1 ? " " + args[1] : std::string()) << "'\n\n"
            << kUsage;
  return 2;
}
