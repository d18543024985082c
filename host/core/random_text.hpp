// Unguessable URL-safe text for API tokens and record ids: random bytes from
// the kernel CSPRNG (getrandom(2)), base64url without padding.
// Thread-safety: free function, thread-safe.
#pragma once

#include <cstddef>
#include <string>

namespace sb {

// ceil(byteCount * 4 / 3) characters of [A-Za-z0-9_-] (16 bytes -> 22, 32 -> 43).
// Aborts the process if the kernel cannot supply randomness: handing out a
// predictable token would be worse than stopping.
std::string randomUrlSafeText(std::size_t byteCount);

}  // namespace sb
