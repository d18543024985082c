// loadConfig: the file-reading half of the module edge.
#include <cerrno>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

#include "config/config.hpp"

namespace sb {
namespace {

// A config file is a few kilobytes; anything this large is the wrong file.
constexpr std::uintmax_t kMaxConfigBytes = 4u << 20;

Result<std::string> readWholeFile(const std::string& path) {
  std::error_code error;
  const auto status = std::filesystem::status(path, error);
  if (error || !std::filesystem::exists(status)) {
    return Result<std::string>(ErrorCode::InvalidArgument,
                               path + ": cannot open config file: " +
                                   (error ? error.message() : std::string("no such file")));
  }
  if (std::filesystem::is_directory(status)) {
    return Result<std::string>(ErrorCode::InvalidArgument,
                               path + ": cannot open config file: is a directory");
  }
  const std::uintmax_t size = std::filesystem::file_size(path, error);
  if (!error && size > kMaxConfigBytes) {
    return Result<std::string>(ErrorCode::InvalidArgument,
                               path + ": config file is larger than 4 MiB");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return Result<std::string>(ErrorCode::InvalidArgument,
                               path + ": cannot open config file: " +
                                   std::generic_category().message(errno));
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) {
    return Result<std::string>(ErrorCode::InvalidArgument, path + ": cannot read config file");
  }
  return text.str();
}

}  // namespace

Result<Config> loadConfig(const std::string& path, const EnvLookup& env) {
  try {
    Result<std::string> text = readWholeFile(path);
    if (!text) return text.status();
    return parseConfig(text.value(), path, env);
  } catch (const std::exception& error) {
    return Result<Config>(ErrorCode::InvalidArgument,
                          path + ": cannot read config file: " + error.what());
  }
}

}  // namespace sb
