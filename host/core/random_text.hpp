// Unguessable URL-safe text for API tokens and record ids, and raw random
// bytes (nonces): from the kernel CSPRNG (getrandom(2)); text is base64url
// without padding.
// Thread-safety: free function, thread-safe.
#pragma once

#include <cstddef>
#include <string>

namespace sb {

// ceil(byteCount * 4 / 3) characters of [A-Za-z0-9_-] (16 bytes -> 22, 32 -> 43).
// Aborts the process if the kernel cannot supply randomness: handing out a
// predictable token would be worse than stopping.
std::string randomUrlSafeText(std::size_t byteCount);

// Fills `out` with `size` bytes from getrandom(2); aborts the same way.
void fillRandomBytes(unsigned char* out, std::size_t size);

}  // namespace sb
