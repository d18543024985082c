// The wall clock as Unix epoch milliseconds, the unit the store, the event
// log, the status cache and the plugin ABI (host_now_ms) all use.
// Thread-safety: free to call from any thread.
#pragma once

#include <cstdint>

namespace sb {

int64_t systemNowMs();

}  // namespace sb
