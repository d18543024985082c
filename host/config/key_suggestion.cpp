#include "config/key_suggestion.hpp"

#include <algorithm>

namespace sb::config {

std::size_t editDistance(std::string_view a, std::string_view b) {
  // Two rolling rows: keys are short, but an operator may paste anything.
  std::vector<std::size_t> previous(b.size() + 1);
  std::vector<std::size_t> current(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) previous[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    current[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, substitution});
    }
    std::swap(previous, current);
  }
  return previous[b.size()];
}

std::optional<std::string> closestKey(std::string_view unknown,
                                      const std::vector<std::string>& known,
                                      std::size_t maxDistance) {
  std::optional<std::string> best;
  std::size_t bestDistance = maxDistance + 1;
  for (const std::string& candidate : known) {
    const std::size_t distance = editDistance(unknown, candidate);
    if (distance < bestDistance) {
      bestDistance = distance;
      best = candidate;
    }
  }
  return best;
}

}  // namespace sb::config
