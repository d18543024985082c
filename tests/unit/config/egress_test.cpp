// plugins.enabled[].egress: what an operator allows one plugin to reach.
#include <gtest/gtest.h>

#include "config_test_support.hpp"

namespace sb {
namespace {

using testing::expectError;
using testing::parse;

const std::string kEntry = "plugins:\n  enabled:\n    - name: github\n      egress:\n";

TEST(PluginEgress, DefaultsToHttpsAndPublicAddressesOnly) {
  Result<Config> result = parse("plugins:\n  enabled:\n    - github\n    - name: vercel\n");
  ASSERT_TRUE(result.isOk()) << result.status().message();
  for (const PluginEntry& entry : result->plugins.enabled) {
    EXPECT_FALSE(entry.egress.allowHttp) << entry.name;
    EXPECT_TRUE(entry.egress.allow.empty()) << entry.name;
  }
}

TEST(PluginEgress, HostsAndNetworksAreReadAndNamesLowerCased) {
  Result<Config> result = parse(kEntry +
                                "        allow_http: True\n"
                                "        allow: [127.0.0.1, 10.0.0.0/8, \"fd00::/8\", GHE.Example.com, \"${FAKE_HOST}\"]\n",
                                testing::fakeEnv({{"FAKE_HOST", "fake-github"}}));
  ASSERT_TRUE(result.isOk()) << result.status().message();
  const EgressConfig& egress = result->plugins.enabled[0].egress;
  EXPECT_TRUE(egress.allowHttp);
  EXPECT_EQ(egress.allow,
            (std::vector<std::string>{"127.0.0.1", "10.0.0.0/8", "fd00::/8", "ghe.example.com", "fake-github"}));
}

TEST(PluginEgress, ErrorsNameFileLineColumnAndKey) {
  expectError(kEntry + "        allow_https: true\n",
              "5:9: plugins.enabled[0].egress.allow_https: unknown key (did you mean 'allow_http'?)",
              "plugins.enabled[0].egress.allow_https");
  expectError(kEntry + "        allow_http: yes\n",
              "5:21: plugins.enabled[0].egress.allow_http: expected true or false, got 'yes'",
              "plugins.enabled[0].egress.allow_http");
  expectError(kEntry + "        allow: 127.0.0.1\n",
              "5:16: plugins.enabled[0].egress.allow: expected a list of host names or IP networks, got "
              "'127.0.0.1'",
              "plugins.enabled[0].egress.allow");
  expectError(kEntry + "        allow:\n          - 127.0.0.1\n          - 10.0.0.1/8\n",
              "7:13: plugins.enabled[0].egress.allow[1]: '10.0.0.1/8' is not an IP network: write "
              "ADDRESS/PREFIX with the host bits zero, e.g. 10.0.0.0/8 or fd00::/8",
              "plugins.enabled[0].egress.allow[1]");
  expectError(kEntry + "        allow: [\"*.internal\"]\n",
              "5:17: plugins.enabled[0].egress.allow[0]: '*.internal': wildcards are not supported; name each host",
              "plugins.enabled[0].egress.allow[0]");
  expectError(kEntry + "        allow: [\"http://ghe.internal\"]\n",
              "5:17: plugins.enabled[0].egress.allow[0]: 'http://ghe.internal' is neither a host name nor an IP "
              "network (CIDR)",
              "plugins.enabled[0].egress.allow[0]");
  expectError(kEntry + "        allow: [[a]]\n",
              "5:17: plugins.enabled[0].egress.allow[0]: expected a string, got a sequence",
              "plugins.enabled[0].egress.allow[0]");
  expectError("plugins:\n  enabled:\n    - name: github\n      egress: [127.0.0.1]\n",
              "4:15: plugins.enabled[0].egress: expected a mapping, got a sequence", "plugins.enabled[0].egress");
}

}  // namespace
}  // namespace sb
