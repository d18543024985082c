// A small JSON writer into one string, for replies too large or too hot to
// build as Poco::JSON objects first (the status reply on every request, a
// sync plan of 100,000 paths): keys come out in the order written.
// Strings are quoted by switchboard::json::quote (valid UTF-8 in, valid JSON out).
// Thread-safety: one writer per thread.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <switchboard/json.hpp>

namespace sb {

class JsonWriter {
 public:
  // A value already rendered as JSON.
  void raw(std::string_view text) {
    comma();
    out_.append(text);
    first_ = false;
  }
  void key(std::string_view name) {
    comma();
    quote(name);
    out_ += ':';
    pendingValue_ = true;
  }
  void string(std::string_view text) {
    comma();
    quote(text);
    first_ = false;
  }
  void null() { scalar("null"); }
  void boolean(bool value) { scalar(value ? "true" : "false"); }
  void number(int64_t value) { scalar(std::to_string(value)); }
  void field(std::string_view name, std::string_view value) {
    key(name);
    string(value);
  }
  void open(char bracket) {
    comma();
    out_ += bracket;
    first_ = true;
  }
  void close(char bracket) {
    out_ += bracket;
    first_ = false;
  }
  void reserve(std::size_t bytes) { out_.reserve(bytes); }
  std::string take() { return std::move(out_); }

 private:
  void quote(std::string_view text) { out_ += switchboard::json::quote(text); }
  void scalar(std::string_view text) {
    comma();
    out_.append(text);
    first_ = false;
  }
  void comma() {
    if (pendingValue_) {
      pendingValue_ = false;
      return;
    }
    if (!first_) out_ += ',';
  }
  std::string out_;
  bool first_ = true;
  bool pendingValue_ = false;
};

}  // namespace sb
