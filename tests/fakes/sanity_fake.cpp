// Fake Sanity API: being written; answers 501 to every request until then.
#include "fake_server.hpp"

namespace sb::fakes {
namespace {
class SanityFake : public FakeProvider {
 public:
  std::string name() const override { return "sanity"; }
  void handle(const FakeRequest&, FakeResponse& response, const Behaviour&) override {
    response.json(501, "{\"message\":\"not written yet\"}");
  }
};
}  // namespace
std::shared_ptr<FakeProvider> makeSanityFake() { return std::make_shared<SanityFake>(); }
}  // namespace sb::fakes
