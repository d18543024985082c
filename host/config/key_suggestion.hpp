// "did you mean" for misspelt configuration keys: Levenshtein distance
// against the keys a section accepts.
// Internal to sb_config. Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sb::config {

// Insertions, deletions and substitutions needed to turn `a` into `b`.
std::size_t editDistance(std::string_view a, std::string_view b);

// The known key closest to `unknown` when it is within `maxDistance` edits;
// ties go to the first in `known` so suggestions are stable.
std::optional<std::string> closestKey(std::string_view unknown,
                                      const std::vector<std::string>& known,
                                      std::size_t maxDistance = 2);

}  // namespace sb::config
