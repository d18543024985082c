#include "sync/tree_listing.hpp"

#include <cstdint>
#include <exception>
#include <vector>

#include <Poco/JSON/Handler.h>
#include <Poco/JSON/Parser.h>

#include "workspace/blob_sha.hpp"

namespace sb::sync {
namespace {

// Poco's parser calls this per token; it keeps only what the listing names.
class ListingHandler : public Poco::JSON::Handler {
 public:
  explicit ListingHandler(TreeListing& out) : out_(out) {}

  bool sawRootObject() const { return rootObject_; }
  bool sawHead() const { return sawHead_; }

  void reset() override {
    frames_.clear();
    key_.clear();
  }
  void startObject() override {
    if (frames_.empty()) {
      rootObject_ = true;
      frames_.push_back(Frame::Root);
    } else if (top() == Frame::Entries) {
      entry_ = Entry{};
      frames_.push_back(Frame::Entry);
    } else {
      frames_.push_back(Frame::Other);
    }
  }
  void endObject() override {
    if (top() == Frame::Entry && !entry_.path.empty() && workspace::isBlobSha(entry_.hash)) {
      out_.entries[entry_.path] = RemoteEntry{std::move(entry_.hash), entry_.size};
    }
    frames_.pop_back();
  }
  void startArray() override {
    if (!frames_.empty() && top() == Frame::Root && key_ == "entries") {
      out_.hasEntries = true;
      frames_.push_back(Frame::Entries);
    } else {
      frames_.push_back(Frame::Other);
    }
  }
  void endArray() override { frames_.pop_back(); }
  void key(const std::string& name) override { key_ = name; }
  void null() override {}
  void value(int v) override { number(v); }
  void value(unsigned v) override { number(v); }
  void value(Poco::Int64 v) override { number(v); }
  void value(Poco::UInt64 v) override { number(v <= static_cast<Poco::UInt64>(INT64_MAX) ? static_cast<Poco::Int64>(v) : -1); }
  void value(double) override {}
  void value(bool v) override {
    if (inRoot() && key_ == "unchanged") out_.unchanged = v;
  }
  void value(const std::string& v) override {
    if (inRoot() && key_ == "head") {
      out_.head = v;
      sawHead_ = true;
    } else if (inEntry() && key_ == "path") {
      entry_.path = v;
    } else if (inEntry() && key_ == "hash") {
      entry_.hash = v;
    }
  }

 private:
  enum class Frame { Root, Entries, Entry, Other };
  struct Entry {
    std::string path;
    std::string hash;
    std::int64_t size = 0;
  };

  Frame top() const { return frames_.empty() ? Frame::Other : frames_.back(); }
  bool inRoot() const { return frames_.size() == 1 && top() == Frame::Root; }
  bool inEntry() const { return frames_.size() == 3 && top() == Frame::Entry; }
  void number(Poco::Int64 v) {
    if (inEntry() && key_ == "size") entry_.size = v;
  }

  TreeListing& out_;
  std::vector<Frame> frames_;
  std::string key_;
  Entry entry_;
  bool rootObject_ = false;
  bool sawHead_ = false;
};

}  // namespace

Result<TreeListing> parseTreeListing(const std::string& json) {
  TreeListing listing;
  Poco::SharedPtr<ListingHandler> handler = new ListingHandler(listing);
  try {
    Poco::JSON::Parser parser(handler);
    parser.parse(json);
  } catch (const std::exception&) {
    return Status(ErrorCode::Unavailable, "the sync source's tree listing is not JSON");
  }
  if (!handler->sawRootObject() || !handler->sawHead()) {
    return Status(ErrorCode::Unavailable, "the sync source's tree listing has no head");
  }
  return listing;
}

}  // namespace sb::sync
