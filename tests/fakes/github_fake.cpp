// Fake Github API: being written; answers 501 to every request until then.
#include "fake_server.hpp"

namespace sb::fakes {
namespace {
class GithubFake : public FakeProvider {
 public:
  std::string name() const override { return "github"; }
  void handle(const FakeRequest&, FakeResponse& response, const Behaviour&) override {
    response.json(501, "{\"message\":\"not written yet\"}");
  }
};
}  // namespace
std::shared_ptr<FakeProvider> makeGithubFake() { return std::make_shared<GithubFake>(); }
}  // namespace sb::fakes
