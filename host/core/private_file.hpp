// Files the server writes (the SQLite database and its -wal/-shm, the logs)
// hold sealed secrets, token hashes and who did what: they are created, or
// tightened if they already exist, as mode 0600 whatever the umask, before
// the library that writes them opens them.
// Thread-safety: free functions; thread-safe (they touch only the named file).
#pragma once

#include <string>

#include "core/result.hpp"

namespace sb {

// Creates `path` if missing (empty, not truncating an existing file) and sets
// its mode to exactly 0600. A symlink at `path` is refused. Errors are
// Unavailable naming the path and the system's reason.
Status ensurePrivateFile(const std::string& path);

// Sets `path` to 0600 if it exists (e.g. a WAL left by an earlier run); a
// missing file is fine.
Status restrictIfPresent(const std::string& path);

}  // namespace sb
