#include "core/private_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace sb {
namespace {

constexpr mode_t kOwnerOnly = S_IRUSR | S_IWUSR;

Status systemError(const std::string& what, const std::string& path) {
  return {ErrorCode::Unavailable, what + " " + path + ": " + std::strerror(errno)};
}

// fchmod on the descriptor: the umask applies to creation only, never to an
// explicit mode change, so the result is exactly 0600.
Status restrictDescriptor(int fd, const std::string& path) {
  if (::fchmod(fd, kOwnerOnly) != 0) {
    Status failed = systemError("cannot make private", path);
    ::close(fd);
    return failed;
  }
  ::close(fd);
  return Status::ok();
}

}  // namespace

Status ensurePrivateFile(const std::string& path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW | O_CLOEXEC, kOwnerOnly);
  if (fd < 0) return systemError("cannot create", path);
  return restrictDescriptor(fd, path);
}

Status restrictIfPresent(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) return errno == ENOENT ? Status::ok() : systemError("cannot open", path);
  return restrictDescriptor(fd, path);
}

}  // namespace sb
