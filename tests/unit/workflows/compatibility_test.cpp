#include <gtest/gtest.h>

#include "workflows/compatibility.hpp"

namespace sb::workflows {
namespace {

WorkflowParameter param(const char* name, const char* type, bool required) { return {name, type, required, ""}; }

TEST(Compatibility, TakesTheRequiredParametersWithTheSameTypes) {
  const std::vector<WorkflowParameter> orphan{param("env", "string", true), param("dry", "boolean", false)};
  EXPECT_EQ(incompatibility(orphan, {param("env", "string", true)}), "");
  EXPECT_EQ(incompatibility(orphan, {param("env", "string", false), param("extra", "integer", false)}), "");
}

TEST(Compatibility, RefusesAMissingOrRetypedParameter) {
  const std::vector<WorkflowParameter> orphan{param("env", "string", true)};
  EXPECT_NE(incompatibility(orphan, {}).find("'env'"), std::string::npos);
  EXPECT_NE(incompatibility(orphan, {param("env", "integer", true)}).find("integer, not string"), std::string::npos);
}

TEST(Compatibility, RefusesOneThatRequiresMore) {
  const std::vector<WorkflowParameter> orphan{param("env", "string", true), param("dry", "boolean", false)};
  EXPECT_NE(incompatibility(orphan, {param("env", "string", true), param("region", "string", true)}).find("'region'"),
            std::string::npos);
  // Optional in the orphan: its callers may leave it out, so it cannot become required.
  EXPECT_NE(incompatibility(orphan, {param("env", "string", true), param("dry", "boolean", true)}).find("'dry'"),
            std::string::npos);
}

}  // namespace
}  // namespace sb::workflows
