#include "config/sections.hpp"

namespace sb::config {

void readSecretsSection(MappingReader& section, SecretsConfig& out) {
  section.expectKeys({"key_file", "key"});
  section.readPath("key_file", out.keyFile);
  // The key's value is never put in a message; only its shape is checked
  // later by the code that decodes it.
  section.readString("key", out.key);
}

}  // namespace sb::config
