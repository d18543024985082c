// The "hello" sample plugin: one integration schema and a status adapter that
// always reports connected. Kept in a header so hello_test.cpp can drive the
// class without the exported entry symbol.
// Thread-safety: stateless after init; hooks may run concurrently.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <switchboard/sdk.hpp>

class HelloPlugin : public switchboard::Plugin {
 public:
  static constexpr switchboard::Identity identity{"hello", "Hello", "0.1.0",
                                                  "Sample plugin built out of tree against the installed SDK."};

  static std::vector<switchboard::Schema> schemas() {
    using switchboard::Field;
    return {switchboard::Schema("hello")
                .name("Hello")
                .category("developer-tools")
                .description("Says hello; proves a third-party plugin loads.")
                .docsUrl("https://example.com/hello")
                .displayOrder(900)
                .field(Field::string("greeting").project().description("Text to show in the status summary.").placeholder(
                    "Hello"))};
  }

  switchboard::Outcome status(switchboard::Call&, std::string_view requestJson) override {
    if (auto problem = switchboard::json::validateObject(requestJson)) {
      return switchboard::Outcome::failure(SB_ERR_INVALID_ARGUMENT, "request: " + problem->describe());
    }
    host().debug("hello: status requested");
    return switchboard::Outcome::ok(R"({"status":"connected","summary":"Hello from an out-of-tree plugin"})");
  }
};
