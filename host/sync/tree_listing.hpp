// The sync source's tree listing (on_list_tree output,
// {"head","unchanged"?,"entries":[{"path","hash","size"}]}) read as a stream:
// each entry goes straight into the RemoteTree, so 100,000 paths cost the
// map and not a JSON document of them as well. Entries without a path or a
// blob SHA are passed over, as are members the shape does not name; a later
// entry for a path replaces an earlier one.
// Thread-safety: pure function.
#pragma once

#include <string>

#include "core/result.hpp"
#include "sync/three_way.hpp"

namespace sb::sync {

struct TreeListing {
  std::string head;
  bool unchanged = false;
  bool hasEntries = false;  // an "entries" array was present
  RemoteTree entries;
};

// Unavailable (the plugin's output is not a listing) for text that is not
// JSON, not an object, or has no string "head".
Result<TreeListing> parseTreeListing(const std::string& json);

}  // namespace sb::sync
