// A fresh directory under the system temp dir, removed with everything in it
// when the object goes away. Thread-safety: one owner.
#pragma once

#include <string>

namespace sb::testing {

class ScratchDirectory {
 public:
  ScratchDirectory();  // throws std::runtime_error if it cannot be created
  ~ScratchDirectory();
  ScratchDirectory(const ScratchDirectory&) = delete;
  ScratchDirectory& operator=(const ScratchDirectory&) = delete;

  const std::string& path() const { return path_; }
  std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

}  // namespace sb::testing
