// Host-generated record ids and timestamps, identical on both backends.
// Ids: prefix + 22 chars of base64url over 16 random bytes (e.g. "prj_...").
// Timestamps: ISO 8601 UTC with milliseconds, "YYYY-MM-DDTHH:MM:SS.sssZ",
// which sorts as text and never repeats within one process.
// Thread-safety: free to call from any thread.
#pragma once

#include <string>

namespace sb::store {

std::string newRecordId(const std::string& prefix);
std::string utcNow();

}  // namespace sb::store
