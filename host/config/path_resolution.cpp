#include "config/path_resolution.hpp"

#include <Poco/Path.h>

namespace sb::config {

std::string configDirectory(const std::string& configFileName) {
  if (configFileName.empty()) return Poco::Path::current();
  Poco::Path file(configFileName);
  file.makeAbsolute();
  return file.parent().toString();
}

std::string resolveAgainst(const std::string& baseDirectory, const std::string& path) {
  if (path.empty()) return path;
  Poco::Path given(path);
  if (given.isAbsolute()) return given.toString();
  Poco::Path base(baseDirectory);
  base.makeDirectory();
  base.resolve(given);
  return base.toString();
}

}  // namespace sb::config
