// Percentiles for the bench load tools (sse_load, fanout_floor): the value at
// rank p (0..1) of the sorted samples; 0 when there are none.
// Thread-safety: a pure function.
#pragma once

#include <algorithm>
#include <cstddef>
#include <vector>

inline double percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const std::size_t index = std::min(values.size() - 1, static_cast<std::size_t>(p * static_cast<double>(values.size())));
  return values[index];
}
