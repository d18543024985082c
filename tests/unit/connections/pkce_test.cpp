// PKCE S256 against RFC 7636 Appendix B's vector (also in STANDARDS.md), the
// verifier's alphabet and length (§4.1), and the state and its stored hash.
#include <set>

#include <gtest/gtest.h>

#include "connections/pkce.hpp"

namespace sb::connections {
namespace {

bool isUnreservedText(const std::string& text) {
  for (char c : text) {
    const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                            c == '-' || c == '.' || c == '_' || c == '~';
    if (!unreserved) return false;
  }
  return true;
}

TEST(Pkce, ChallengeMatchesRfc7636AppendixB) {
  EXPECT_EQ(codeChallengeS256("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
}

TEST(Pkce, VerifiersAreUnreservedTextOfAllowedLengthAndNeverRepeat) {
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) {
    const std::string verifier = newCodeVerifier();
    EXPECT_GE(verifier.size(), 43u);
    EXPECT_LE(verifier.size(), 128u);
    EXPECT_TRUE(isUnreservedText(verifier)) << verifier;
    EXPECT_EQ(codeChallengeS256(verifier).size(), 43u) << "32 digest bytes, base64url without padding";
    seen.insert(verifier);
  }
  EXPECT_EQ(seen.size(), 200u);
}

TEST(State, IsUrlSafeUniqueAndStoredAsItsSha256Hex) {
  const std::string a = newState();
  const std::string b = newState();
  EXPECT_NE(a, b);
  EXPECT_EQ(a.size(), 43u);
  EXPECT_TRUE(isUnreservedText(a));
  EXPECT_EQ(stateHash("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");  // FIPS 180-2
  EXPECT_EQ(stateHash(a).find(a), std::string::npos);
}

}  // namespace
}  // namespace sb::connections
