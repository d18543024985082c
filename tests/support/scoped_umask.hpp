// Sets the process umask for one test and puts the old one back, for tests
// that prove files are private whatever the umask. Child processes started
// meanwhile inherit it. Thread-safety: the umask is per process; one test
// at a time.
#pragma once

#include <sys/stat.h>

namespace sb::testing {

class ScopedUmask {
 public:
  explicit ScopedUmask(mode_t mask) : previous_(::umask(mask)) {}
  ~ScopedUmask() { ::umask(previous_); }
  ScopedUmask(const ScopedUmask&) = delete;
  ScopedUmask& operator=(const ScopedUmask&) = delete;

 private:
  mode_t previous_;
};

// The permission bits of `path` (0 when it does not exist).
inline mode_t permissionsOf(const char* path) {
  struct stat info {};
  return ::stat(path, &info) == 0 ? (info.st_mode & 07777) : 0;
}

}  // namespace sb::testing
