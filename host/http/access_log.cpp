#include "http/access_log.hpp"

#include <Poco/DateTimeFormat.h>
#include <Poco/DateTimeFormatter.h>
#include <Poco/JSON/Object.h>
#include <Poco/Timestamp.h>

#include <cmath>
#include <iostream>
#include <sstream>

#include "core/private_file.hpp"

namespace sb::http {

AccessLog::AccessLog(const std::string& destination) {
  if (destination.empty()) return;
  if (destination == "-") {
    sink_ = Sink::Stdout;
    return;
  }
  // Who called what, from where: 0600 whatever the umask.
  const Status made = ensurePrivateFile(destination);
  if (made) file_.open(destination, std::ios::app);
  if (made && file_) {
    sink_ = Sink::File;
  } else {
    std::cerr << "switchboard: cannot open access log '" << destination
              << "' for append; access logging is off\n";
  }
}

std::string AccessLog::formatLine(const AccessRecord& record, const std::string& timestamp) {
  Poco::JSON::Object line(Poco::JSON_PRESERVE_KEY_ORDER);
  line.set("time", timestamp);
  line.set("requestId", record.requestId);
  line.set("method", record.method);
  line.set("path", record.path);
  line.set("route", record.route);
  line.set("status", record.status);
  line.set("durationMs", std::round(record.durationMs * 1000.0) / 1000.0);
  line.set("bytes", static_cast<Poco::UInt64>(record.bytes));
  if (!record.userId.empty()) line.set("userId", record.userId);
  line.set("remote", record.remote);
  std::ostringstream out;
  line.stringify(out);
  return out.str();
}

void AccessLog::write(const AccessRecord& record) {
  if (sink_ == Sink::Off) return;
  const std::string text =
      formatLine(record, Poco::DateTimeFormatter::format(Poco::Timestamp(),
                                                         "%Y-%m-%dT%H:%M:%S.%iZ")) +
      "\n";
  std::lock_guard<std::mutex> lock(mutex_);
  // One write + flush per line so concurrent lines never interleave and a
  // crash loses at most the line being written.
  std::ostream& out = sink_ == Sink::Stdout ? std::cout : static_cast<std::ostream&>(file_);
  out << text;
  out.flush();
}

}  // namespace sb::http
