#include "config/sections.hpp"

namespace sb::config {

void readSyncSection(MappingReader& section, SyncConfig& out) {
  section.expectKeys({"max_file_bytes", "deadline_ms", "lease_ms"});
  section.readSize("max_file_bytes", out.maxFileBytes, 1, std::int64_t{100} << 20);  // GitHub's blob limit
  section.readInt("deadline_ms", out.deadlineMs, 1000, 3600 * 1000);
  section.readInt("lease_ms", out.leaseMs, 3000, 3600 * 1000);
}

}  // namespace sb::config
