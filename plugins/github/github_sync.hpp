// The GitHub sync source: list the linked branch's tree (walking subtrees
// when GitHub truncates a recursive listing), read blobs, and write a set of
// changes as one commit (tree with base_tree, text inline, binary as blobs,
// commit with parents [head], ref update with force: false). Shapes:
// docs/plugin-authoring.md, "Sync source".
// Thread-safety: free functions; the ETag cache locks.
#pragma once

#include <string_view>

#include <switchboard/sdk.hpp>

#include "etag_cache.hpp"

namespace switchboard::github {

Outcome syncListTree(const Host& host, const Call& call, std::string_view requestJson, EtagCache& etags);
Outcome syncRead(const Host& host, const Call& call, std::string_view requestJson);
Outcome syncWrite(const Host& host, const Call& call, std::string_view requestJson);

}  // namespace switchboard::github
