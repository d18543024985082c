#include <Poco/String.h>
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <regex>
#include <set>

#include "http/api_routes.hpp"

namespace sb::http {
namespace {

const std::string kSpecPath = std::string(SWITCHBOARD_SOURCE_DIR) + "/docs/openapi.yaml";
const std::set<std::string> kMethods = {"get", "put", "post", "delete", "patch", "head", "options"};

std::string upper(std::string text) {
  for (auto& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

YAML::Node resolve(const YAML::Node& root, const YAML::Node& node) {
  if (!node["$ref"]) return node;
  // "#/components/parameters/ProjectId" -> root[components][parameters][ProjectId]
  const std::string ref = node["$ref"].as<std::string>();
  YAML::Node target = YAML::Clone(root);
  std::size_t start = 2;
  while (start < ref.size()) {
    const std::size_t slash = ref.find('/', start);
    const std::string key = ref.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
    target = YAML::Node(target[key]);
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  return target;
}

std::set<std::string> documentedOperations(const YAML::Node& spec) {
  std::set<std::string> operations;
  for (const auto& path : spec["paths"]) {
    for (const auto& operation : path.second) {
      const std::string method = operation.first.as<std::string>();
      if (kMethods.count(method) != 0) {
        operations.insert(upper(method) + " " + path.first.as<std::string>());
      }
    }
  }
  return operations;
}

std::set<std::string> servedOperations() {
  const Router router = buildApiRouter(ApiContext{});
  std::set<std::string> operations;
  for (const auto& route : router.routes()) operations.insert(route.method + " " + route.pattern);
  return operations;
}

TEST(OpenApi, DescribesExactlyTheServedRoutes) {
  const YAML::Node spec = YAML::LoadFile(kSpecPath);
  EXPECT_EQ(spec["openapi"].as<std::string>().rfind("3.1", 0), 0u);
  const auto documented = documentedOperations(spec);
  const auto served = servedOperations();
  for (const auto& op : served) EXPECT_EQ(documented.count(op), 1u) << "undocumented: " << op;
  for (const auto& op : documented) EXPECT_EQ(served.count(op), 1u) << "not served: " << op;
}

TEST(OpenApi, PathParametersAndSecurityMatchTheRouter) {
  const YAML::Node spec = YAML::LoadFile(kSpecPath);
  ASSERT_TRUE(spec["components"]["securitySchemes"]["bearerAuth"]);
  EXPECT_EQ(spec["components"]["securitySchemes"]["bearerAuth"]["scheme"].as<std::string>(), "bearer");
  const Router router = buildApiRouter(ApiContext{});
  const std::regex param("\\{([^}]+)\\}");
  for (const auto& route : router.routes()) {
    SCOPED_TRACE(route.method + " " + route.pattern);
    const YAML::Node operation = spec["paths"][route.pattern][Poco::toLower(route.method)];
    ASSERT_TRUE(operation);
    std::set<std::string> declared;
    for (const auto& p : operation["parameters"]) {
      const YAML::Node parameter = resolve(spec, p);
      if (parameter["in"].as<std::string>() == "path") declared.insert(parameter["name"].as<std::string>());
    }
    std::set<std::string> expected;
    for (std::sregex_iterator it(route.pattern.begin(), route.pattern.end(), param), end; it != end; ++it) {
      expected.insert((*it)[1]);
    }
    EXPECT_EQ(declared, expected);
    // Public routes opt out of the global bearer requirement, or name an
    // alternative their handler checks itself (the event ticket); API routes do not.
    bool optsOut = operation["security"] && operation["security"].size() == 0;
    for (const auto& requirement : operation["security"]) {
      if (requirement["eventTicket"]) optsOut = true;
    }
    EXPECT_EQ(optsOut, route.access == RouteAccess::Public);
    EXPECT_TRUE(operation["responses"]);
  }
}

}  // namespace
}  // namespace sb::http
